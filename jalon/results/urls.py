from django.urls import path

from . import views

app_name = "results"
urlpatterns = [
    path("plans/<slug:slug>/indicateurs/", views.plan_indicators, name="plan_indicators"),
    path("plans/<slug:slug>/budget/", views.plan_budget_page, name="plan_budget"),
    path("resultats/items/<int:pk>/ajouter/", views.result_add, name="result_add"),
    path("resultats/<int:pk>/indicateurs/", views.indicator_add, name="indicator_add"),
    path("indicateurs/<int:pk>/modifier/", views.indicator_edit, name="indicator_edit"),
    path("indicateurs/<int:pk>/cibles/", views.target_set, name="target_set"),
    path("indicateurs/<int:pk>/valeurs/", views.value_record, name="value_record"),
    path("budget/items/<int:pk>/", views.budget_line_set, name="budget_line_set"),
]
