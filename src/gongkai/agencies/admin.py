from django.contrib import admin

from gongkai.agencies.models import Agency, ReportingUnit


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "parent", "credit_code", "sort_order"]
    list_filter = ["kind"]
    list_select_related = ["parent"]
    search_fields = ["name", "short_name", "slug", "credit_code"]
    autocomplete_fields = ["parent"]
    ordering = ["sort_order", "name"]


@admin.register(ReportingUnit)
class ReportingUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name", "slug"]
    filter_horizontal = ["agencies"]
