from django.urls import path

from gongkai.catalogue import views

app_name = "catalogue"

urlpatterns = [
    path("catalogue/", views.index, name="index"),
    path("catalogue/<slug:agency>/<int:domain>/", views.public_catalogue, name="public"),
    path("catalogue/<slug:agency>/<int:domain>/xlsx/", views.public_xlsx, name="public_xlsx"),
    path("staff/catalogue/", views.staff_list, name="staff_list"),
    path("staff/catalogue/compliance/", views.compliance, name="compliance"),
    path("staff/catalogue/domains/", views.domains, name="domains"),
    path("staff/catalogue/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("staff/catalogue/<int:pk>/xlsx/", views.staff_xlsx, name="staff_xlsx"),
    path("staff/catalogue/<int:pk>/entries/new/", views.edit_entry, name="add_entry"),
    path("staff/catalogue/<int:pk>/entries/<int:entry_pk>/", views.edit_entry, name="edit_entry"),
    path("staff/catalogue/entries/<int:pk>/formed-on/", views.formed_on, name="formed_on"),
    path("staff/catalogue/entries/<int:pk>/evidence/", views.add_evidence, name="add_evidence"),
    path(
        "staff/catalogue/entries/<int:pk>/evidence/publication/",
        views.link_publication,
        name="link_publication",
    ),
    path(
        "staff/catalogue/evidence/<int:pk>/remove/", views.remove_evidence, name="remove_evidence"
    ),
]
