from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("", views.home, name="home"),
    path("plans/<slug:slug>/", views.plan_detail, name="detail"),
    path("plans/<slug:slug>/items/<int:pk>/", views.item_detail, name="item"),
    path("plans/<slug:slug>/anomalies/", views.anomalies, name="anomalies"),
    path("plans/<slug:slug>/export.<str:format>", views.plan_export, name="export"),
]
