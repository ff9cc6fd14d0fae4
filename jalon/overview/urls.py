from django.urls import path

from . import views

app_name = "overview"
urlpatterns = [
    path("plans/<slug:slug>/tableau-de-bord/", views.dashboard, name="dashboard"),
    path("plans/<slug:slug>/calendrier/", views.timeline, name="timeline"),
    path("plans/<slug:slug>/actions/", views.actions, name="actions"),
    path("mes-actions/", views.my_actions, name="my_actions"),
    path("recherche/", views.search, name="search"),
]
