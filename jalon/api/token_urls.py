from django.urls import path

from . import views

app_name = "tokens"
urlpatterns = [
    path("", views.tokens, name="list"),
    path("<int:pk>/revoquer/", views.token_revoke_view, name="revoke"),
]
