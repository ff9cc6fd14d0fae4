from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("<slug:slug>/", views.plan_detail, name="plan"),
    path("<slug:slug>/elements/<int:pk>/", views.item_detail, name="item"),
    path("<slug:slug>/elements/<int:pk>/branche/", views.branch, name="branch"),
    path("<slug:slug>/carte/", views.plan_map, name="map"),
    path("<slug:slug>/partenaires/", views.partners, name="partners"),
]
