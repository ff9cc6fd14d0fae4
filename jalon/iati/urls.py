from django.urls import path

from . import views

app_name = "iati"
urlpatterns = [
    path("plans/<slug:slug>/iati.xml", views.iati_export, name="export"),
]
