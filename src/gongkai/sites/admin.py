"""Back office: the cluster's sites, columns, 政务新媒体 and entered visit history (audited)."""

from django.contrib import admin

from gongkai.accounts.backoffice import ReadOnlyBackOffice, SystemAdminOnly
from gongkai.auditlog.admin import HistoryInline
from gongkai.sites import services
from gongkai.sites.models import Column, DailyVisits, NewMediaAccount, Site, VisitHistory


class ColumnInline(SystemAdminOnly, admin.TabularInline):
    model = Column
    extra = 0
    fields = ("kind", "name", "slug", "update_days", "sort_order")
    can_delete = False  # a column with placements is kept


@admin.register(Site)
class SiteAdmin(SystemAdminOnly, admin.ModelAdmin):
    list_display = ("name", "kind", "agency", "domain", "opened_on", "closed_on")
    list_filter = ("kind",)
    search_fields = ("name", "slug", "domain")
    inlines = [ColumnInline, HistoryInline]

    def save_model(self, request, obj, form, change):
        services.save_site(actor=request.user, site=obj)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Column:
            return super().save_formset(request, form, formset, change)
        for column in formset.save(commit=False):
            services.save_column(actor=request.user, column=column)
        return None


@admin.register(Column)
class ColumnAdmin(SystemAdminOnly, admin.ModelAdmin):
    list_display = ("name", "site", "kind", "update_days")
    list_filter = ("kind",)

    def save_model(self, request, obj, form, change):
        services.save_column(actor=request.user, column=obj)


@admin.register(NewMediaAccount)
class NewMediaAccountAdmin(SystemAdminOnly, admin.ModelAdmin):
    list_display = ("name", "platform", "agency", "status", "opened_on", "last_post_on")
    list_filter = ("platform", "status")
    search_fields = ("name", "account_id")
    inlines = [HistoryInline]

    def save_model(self, request, obj, form, change):
        services.save_account(actor=request.user, account=obj)


@admin.register(VisitHistory)
class VisitHistoryAdmin(SystemAdminOnly, admin.ModelAdmin):
    list_display = ("site", "year", "visits", "source")
    list_filter = ("year",)

    def save_model(self, request, obj, form, change):
        services.enter_visit_history(
            actor=request.user, site=obj.site, year=obj.year, visits=obj.visits, source=obj.source
        )


@admin.register(DailyVisits)
class DailyVisitsAdmin(ReadOnlyBackOffice, admin.ModelAdmin):
    list_display = ("site", "day", "path", "count")
    list_filter = ("day",)
