from django.urls import path

from . import table_views

app_name = "table"
urlpatterns = [
    path("plans/<slug:slug>/tableau/", table_views.page, name="page"),
    path("plans/<slug:slug>/tableau/actions.<str:format>", table_views.download, name="download"),
    path("plans/<slug:slug>/tableau/import/<int:pk>/", table_views.preview, name="preview"),
    path("plans/<slug:slug>/tableau/import/<int:pk>/confirmer/", table_views.confirm, name="confirm"),
    path("plans/<slug:slug>/tableau/import/<int:pk>/annuler/", table_views.cancel, name="cancel"),
]
