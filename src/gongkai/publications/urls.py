from django.urls import path

from gongkai.publications import views

app_name = "publications"

urlpatterns = [
    path("staff/publications/", views.index, name="index"),
    path("staff/publications/new/", views.create, name="create"),
    path("staff/publications/import/", views.import_page, name="import"),
    path("staff/publications/export.xlsx", views.export, name="export"),
    path("staff/publications/lacking-interpretation/", views.lacking, name="lacking"),
    path("staff/publications/<int:pk>/", views.detail, name="detail"),
    path("staff/publications/<int:pk>/edit/", views.edit, name="edit"),
    path("staff/publications/<int:pk>/actions/<str:action>/", views.act, name="act"),
    path(
        "staff/publications/<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment,
        name="attachment",
    ),
]
