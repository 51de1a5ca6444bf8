from django.urls import path

from gongkai.sites import portal_urls, views

app_name = "sites"

urlpatterns = [
    path("gk/", views.ogi_index, name="ogi_index"),
    path("gk/item/<int:pk>/", views.publication, name="publication"),
    path("gk/item/<int:pk>/files/<int:attachment_pk>/", views.attachment, name="attachment"),
    path("gk/search/", views.search_page, name="search"),
    *portal_urls.urlpatterns,
    path("gk/<slug:slug>/", views.ogi_column, name="ogi_column"),
    path("staff/sites/", views.staff_sites, name="staff"),
]
