from django.urls import path

from gongkai.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("staff/monitoring/", views.dashboard, name="dashboard"),
    path("staff/monitoring/run/", views.run_now, name="run"),
]
