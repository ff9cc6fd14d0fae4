from django.urls import path

from . import views

app_name = "exchange"
urlpatterns = [
    # Before plans/<slug>/, which would otherwise take "importer" for a plan's identifier.
    path("plans/importer/", views.upload, name="import"),
    path("plans/importer/<int:pk>/", views.preview, name="import_preview"),
    path("plans/importer/<int:pk>/confirmer/", views.confirm, name="import_confirm"),
    path("plans/importer/<int:pk>/annuler/", views.cancel, name="import_cancel"),
    path("plans/<slug:slug>/export.<str:format>", views.plan_export, name="export"),
]
