from django.urls import path

from gongkai.assessment import views

app_name = "assessment"

urlpatterns = [
    path("staff/assessment/", views.scheme_list, name="list"),
    path("staff/assessment/<int:pk>/", views.scheme_detail, name="detail"),
    path("staff/assessment/<int:pk>/xlsx/", views.export, name="export"),
    path("staff/assessment/<int:pk>/items/", views.save_item, name="add_item"),
    path("staff/assessment/<int:pk>/assessed/", views.assessed, name="assessed"),
    path("staff/assessment/<int:pk>/items/<int:item_pk>/", views.save_item, name="save_item"),
    path(
        "staff/assessment/<int:pk>/items/<int:item_pk>/delete/",
        views.delete_item,
        name="delete_item",
    ),
]
