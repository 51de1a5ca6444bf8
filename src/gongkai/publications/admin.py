"""Back office: the taxonomies (主题分类, 公开目录) are configured here by system admins, through
the audited services; publications are read-only here (they change only through their steps)."""

from django.contrib import admin

from gongkai.accounts.backoffice import ReadOnlyBackOffice, SystemAdminOnly
from gongkai.publications import services
from gongkai.publications.models import CatalogueCategory, Publication, Topic


class TaxonomyAdmin(SystemAdminOnly, admin.ModelAdmin):
    list_display = ["code", "name", "sort_order", "active"]
    list_editable: list[str] = []
    search_fields = ["code", "name"]

    def save_model(self, request, obj, form, change):
        services.save_taxonomy_entry(actor=request.user, entry=obj, changed=change)

    def delete_model(self, request, obj):
        services.delete_taxonomy_entry(actor=request.user, entry=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.delete_taxonomy_entry(actor=request.user, entry=obj)


@admin.register(Topic)
class TopicAdmin(TaxonomyAdmin):
    pass


@admin.register(CatalogueCategory)
class CatalogueCategoryAdmin(TaxonomyAdmin):
    list_display = ["code", "name", "article", "scope", "sort_order", "active"]
    list_filter = ["scope", "active"]


@admin.register(Publication)
class PublicationAdmin(ReadOnlyBackOffice, admin.ModelAdmin):
    list_display = ["title", "index_number", "agency", "state", "published_on"]
    list_filter = ["state", "kind"]
    search_fields = ["title", "index_number", "doc_number"]
    list_select_related = ["agency"]
