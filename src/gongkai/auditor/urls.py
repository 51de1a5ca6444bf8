from django.urls import path

from gongkai.auditor import exports, views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("upload/", views.upload, name="upload"),
    path("compare/", views.compare, name="compare"),
    path("export.xlsx", exports.selection_xlsx, name="selection_xlsx"),
    path("batches/<int:pk>/", views.batch_detail, name="batch"),
    path("batches/<int:pk>/reread/", views.batch_reread, name="batch_reread"),
    path("batches/<int:pk>/export.xlsx", exports.batch_xlsx, name="batch_xlsx"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/export.xlsx", exports.report_xlsx, name="report_xlsx"),
    path("<int:pk>/document.json", exports.report_json, name="report_json"),
    path("<int:pk>/original/", exports.report_original, name="original"),
]
