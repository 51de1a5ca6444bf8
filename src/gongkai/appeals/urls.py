from django.urls import path

from gongkai.appeals import views

app_name = "appeals"

urlpatterns = [
    path("staff/appeals/", views.register, name="register"),
    path("staff/appeals/<int:pk>/", views.case_detail, name="case"),
    path("staff/appeals/<int:pk>/<str:action>/", views.act, name="act"),
]
