from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("plans/<slug:slug>/bilan/", views.report_page, name="page"),
]
