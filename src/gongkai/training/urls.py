from django.urls import path

from gongkai.training import views

app_name = "training"

urlpatterns = [
    path("staff/training/", views.training_list, name="list"),
    path("staff/training/new/", views.training_new, name="new"),
    path("staff/training/<int:pk>/", views.training_detail, name="detail"),
    path("staff/training/<int:pk>/edit/", views.training_new, name="edit"),
    path("staff/training/<int:pk>/delete/", views.training_delete, name="delete"),
]
