from django.urls import path

from . import edit_views, publish_views, views

app_name = "plans"
urlpatterns = [
    path("", views.home, name="home"),
    path("plans/<slug:slug>/", views.plan_detail, name="detail"),
    path("plans/<slug:slug>/ajouter/", edit_views.add, name="item_add_top"),
    path("plans/<slug:slug>/items/<int:pk>/modifier/", edit_views.edit, name="item_edit"),
    path("plans/<slug:slug>/items/<int:pk>/ajouter/", edit_views.add, name="item_add"),
    path("plans/<slug:slug>/items/<int:pk>/deplacer/", edit_views.move, name="item_move"),
    path("plans/<slug:slug>/items/<int:pk>/supprimer/", edit_views.delete, name="item_delete"),
    path("plans/<slug:slug>/items/<int:pk>/", views.item_detail, name="item"),
    path("plans/<slug:slug>/items/<int:pk>/branche/", views.branch, name="branch"),
    path("plans/<slug:slug>/anomalies/", views.anomalies, name="anomalies"),
    path("plans/<slug:slug>/publier/", publish_views.publish, name="publish"),
]
