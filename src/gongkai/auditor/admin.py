"""Back office: audited reports are read-only here; uploads go through the auditor's pages."""

from django.contrib import admin

from gongkai.auditor.models import AuditBatch, AuditedReport


class ReportInline(admin.TabularInline):
    model = AuditedReport
    extra = 0
    can_delete = False
    fields = ("original_name", "status", "agency", "year", "format", "error_count")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(AuditBatch)
class AuditBatchAdmin(admin.ModelAdmin):
    list_display = ("pk", "uploaded_by", "uploaded_at", "label")
    readonly_fields = ("uploaded_by", "uploaded_at", "label", "refused")
    inlines = [ReportInline]

    def has_add_permission(self, request):
        return False


@admin.register(AuditedReport)
class AuditedReportAdmin(admin.ModelAdmin):
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

    def has_add_permission(self, request):
        return False
