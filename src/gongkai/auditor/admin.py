"""Back office: audited reports are read-only here; uploads go through the auditor's pages."""

from django.contrib import admin

from gongkai.accounts.backoffice import ReadOnlyBackOffice
from gongkai.auditor.models import AuditBatch, AuditedReport


class ReportInline(ReadOnlyBackOffice, admin.TabularInline):
    model = AuditedReport
    extra = 0
    can_delete = False
    fields = ("original_name", "status", "agency", "year", "format", "error_count")
    readonly_fields = fields


@admin.register(AuditBatch)
class AuditBatchAdmin(ReadOnlyBackOffice, admin.ModelAdmin):
    list_display = ("pk", "uploaded_by", "uploaded_at", "label")
    readonly_fields = ("uploaded_by", "uploaded_at", "label", "refused")
    inlines = [ReportInline]


@admin.register(AuditedReport)
class AuditedReportAdmin(ReadOnlyBackOffice, admin.ModelAdmin):
    list_display = (
        "original_name",
        "agency",
        "year",
        "format",
        "status",
        "error_count",
        "warning_count",
        "uploaded_by",
        "uploaded_at",
    )
    list_filter = ("status", "format", "year")
    search_fields = ("agency", "original_name", "sha256")
    exclude = ("document",)
    readonly_fields = [
        f.name for f in AuditedReport._meta.fields if f.name not in ("id", "document")
    ]
