"""URLs of gongkai.sites.portal_pages (included by gongkai.sites.urls before ``gk/<slug>/``)."""

from django.urls import path

from gongkai.sites import portal_pages as views

urlpatterns = [
    path("gk/normative-in-force/", views.normative_in_force, name="normative_in_force"),
    path("gk/parts/<slug:part>/", views.ogi_part_index, name="ogi_part_index"),
    *[
        path(f"gk/<slug:slug>/{part}/", getattr(views, f"ogi_{part}"), name=f"ogi_{part}")
        for part, _title in views.OGI_PARTS
    ],
    path("sites/<slug:site_slug>/", views.site_index, name="site_index"),
    path("sites/<slug:site_slug>/<slug:column_slug>/", views.column_list, name="column_list"),
    path(
        "sites/<slug:site_slug>/<slug:column_slug>/feed.atom",
        views.column_feed,
        name="column_feed",
    ),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("sitemap-pages.xml", views.sitemap_pages, name="sitemap_pages"),
    path("sitemap-items-<int:n>.xml", views.sitemap_items, name="sitemap_items"),
]
