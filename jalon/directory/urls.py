from django.urls import path

from . import review_views, views

app_name = "directory"
urlpatterns = [
    path("repertoire/", views.index, name="index"),
    path("repertoire/lieux/", views.index, {"tab": "places"}, name="places"),
    path("repertoire/themes/", views.index, {"tab": "themes"}, name="themes"),
    path("repertoire/partenaires/nouveau/", views.partner_create, name="partner_create"),
    path("repertoire/partenaires/<int:pk>/", views.partner, name="partner"),
    path("repertoire/partenaires/<int:pk>/modifier/", views.partner_edit, name="partner_edit"),
    path("repertoire/lieux/nouveau/", views.place_create, name="place_create"),
    path("repertoire/lieux/pays/", views.countries_add, name="countries_add"),
    path("repertoire/lieux/<int:pk>/", views.place, name="place"),
    path("repertoire/lieux/<int:pk>/modifier/", views.place_edit, name="place_edit"),
    path("repertoire/themes/nouveau/", views.theme_create, name="theme_create"),
    path("repertoire/themes/<int:pk>/", views.theme, name="theme"),
    path("repertoire/themes/<int:pk>/modifier/", views.theme_edit, name="theme_edit"),
    path("plans/<slug:slug>/carte/", views.plan_map, name="plan_map"),
    path("plans/<slug:slug>/liens/", review_views.links_review, name="links_review"),
    path("plans/<slug:slug>/liens/detecter/", review_views.links_detect, name="links_detect"),
    path("plans/<slug:slug>/liens/tous/", review_views.links_decide_all, name="links_decide_all"),
    path("plans/<slug:slug>/liens/<int:pk>/", review_views.link_decide, name="link_decide"),
]
