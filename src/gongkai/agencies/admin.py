"""The agency tree and the reporting units in the back office: system admins only.

Every save and delete goes through :mod:`gongkai.agencies.services`, so it is checked (a move
that would put an agency under its own subtree is refused) and written to the audit log.
"""

from django.contrib import admin

from gongkai.accounts.backoffice import SystemAdminOnly
from gongkai.agencies import services
from gongkai.agencies.models import Agency, ReportingUnit
from gongkai.auditlog.admin import HistoryInline


@admin.register(Agency)
class AgencyAdmin(SystemAdminOnly, admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "parent", "credit_code", "sort_order"]
    list_filter = ["kind"]
    list_select_related = ["parent"]
    search_fields = ["name", "short_name", "slug", "credit_code"]
    autocomplete_fields = ["parent"]
    ordering = ["sort_order", "name"]
    inlines = [HistoryInline]

    def save_model(self, request, obj, form, change):
        services.save_agency(actor=request.user, agency=obj)

    def delete_model(self, request, obj):
        services.delete_agency(actor=request.user, agency=obj)

    def delete_queryset(self, request, queryset):
        for agency in queryset:
            services.delete_agency(actor=request.user, agency=agency)


@admin.register(ReportingUnit)
class ReportingUnitAdmin(SystemAdminOnly, admin.ModelAdmin):
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name", "slug"]
    filter_horizontal = ["agencies"]
    inlines = [HistoryInline]

    def save_model(self, request, obj, form, change):
        pass  # saved with its agencies in save_related, as one audited change

    def save_related(self, request, form, formsets, change):
        services.save_reporting_unit(
            actor=request.user, unit=form.instance, agencies=form.cleaned_data["agencies"]
        )
        for formset in formsets:
            self.save_formset(request, form, formset, change)

    def delete_model(self, request, obj):
        services.delete_reporting_unit(actor=request.user, unit=obj)

    def delete_queryset(self, request, queryset):
        for unit in queryset:
            services.delete_reporting_unit(actor=request.user, unit=unit)
