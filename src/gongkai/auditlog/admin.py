"""The audit log in the back office: read-only, for system admins (docs/audit-log.md)."""

from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline

from gongkai.accounts import rules
from gongkai.auditlog.models import AuditEntry

READ_ONLY = ("at", "actor_name", "label", "action", "from_state", "to_state", "note")


class HistoryInline(GenericTabularInline):
    """A record's history, beside the record in its admin page."""

    model = AuditEntry
    extra = 0
    can_delete = False
    fields = READ_ONLY
    readonly_fields = READ_ONLY
    ordering = ("at", "pk")
    verbose_name_plural = "操作日志"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "actor_name", "agency", "content_type", "object_repr", "label")
    list_filter = ("action", "content_type", "agency")
    search_fields = ("object_repr", "actor_name", "action", "label", "note")
    date_hierarchy = "at"
    fields = (
        "at",
        "actor_name",
        "agency",
        "content_type",
        "object_id",
        "object_repr",
        "action",
        "label",
        "before",
        "after",
        "data",
        "note",
    )
    readonly_fields = fields

    def has_view_permission(self, request, obj=None):
        return rules.is_system_admin(request.user)

    def has_module_permission(self, request):
        return rules.is_system_admin(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
