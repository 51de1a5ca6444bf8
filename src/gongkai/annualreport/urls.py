from django.urls import path

from gongkai.annualreport import views

app_name = "annualreport"

urlpatterns = [
    path("staff/annual-reports/", views.report_list, name="list"),
    path("staff/annual-reports/start/", views.start, name="start"),
    path("staff/annual-reports/supervise/", views.supervise, name="supervise"),
    path("staff/annual-reports/supervise/export.xlsx", views.supervise_xlsx, name="supervise_xlsx"),
    path("staff/annual-reports/supervise/read/", views.supervise_read, name="supervise_read"),
    path("staff/annual-reports/<int:pk>/", views.detail, name="detail"),
    path("staff/annual-reports/<int:pk>/edit/", views.edit, name="edit"),
    path("staff/annual-reports/<int:pk>/correct/", views.correct, name="correct"),
    path("staff/annual-reports/<int:pk>/actions/<str:action>/", views.act, name="act"),
    path("staff/annual-reports/<int:pk>/report.<str:fmt>", views.download, name="download"),
    path("staff/annual-reports/<int:pk>/cells/<str:path>/", views.cell_records, name="cell"),
    path("annual-reports/", views.public_list, name="public_list"),
    path("annual-reports/<int:pk>/", views.public_detail, name="public_detail"),
    path("annual-reports/<int:pk>/report.<str:fmt>", views.public_download, name="public_download"),
]
