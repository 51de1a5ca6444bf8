from django.urls import path

from gongkai.portal import display, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("staff/", views.staff_home, name="staff_home"),
    path("display/", display.set_display, name="display"),
]
