from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("plans/<slug:slug>/bilan/", views.report_page, name="page"),
    path("plans/<slug:slug>/bilan/fichiers/", views.report_jobs, name="jobs"),
    path("plans/<slug:slug>/bilan/fichiers/<int:pk>/", views.report_download, name="download"),
]
