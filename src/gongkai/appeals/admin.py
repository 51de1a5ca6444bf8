"""Back office: the register is read-only here; cases change through the workbench."""

from django.contrib import admin

from gongkai.accounts.backoffice import ReadOnlyBackOffice
from gongkai.appeals.models import Case
from gongkai.auditlog.admin import HistoryInline


@admin.register(Case)
class CaseAdmin(ReadOnlyBackOffice, admin.ModelAdmin):
    list_display = ("case_number", "route", "agency", "filed_on", "stage", "result", "closed_on")
    list_filter = ("route", "result", "stage", "agency")
    search_fields = ("case_number", "body")
    inlines = [HistoryInline]
    readonly_fields = fields = [f.name for f in Case._meta.fields if f.name != "id"]
