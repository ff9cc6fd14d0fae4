from django.urls import path

from . import publish_views, views

app_name = "tracking"
urlpatterns = [
    path("suivi/<int:pk>/modifier/", views.edit, name="edit"),
    path("suivi/<int:pk>/nouvelles/", views.update_post, name="update_post"),
    path("suivi/<int:pk>/jalons/", views.milestone_add, name="milestone_add"),
    path("suivi/jalons/<int:pk>/", views.milestone_mark, name="milestone_mark"),
    path("suivi/pieces-jointes/<int:pk>/", views.attachment, name="attachment"),
    path("suivi/nouvelles/<int:pk>/publier/", publish_views.update_publish, name="update_publish"),
]
