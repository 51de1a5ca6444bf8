"""Issued letters in the back office: read-only, files not shown (they name the applicant)."""

from django.contrib import admin

from gongkai.accounts import rules
from gongkai.letters.models import IssuedLetter


@admin.register(IssuedLetter)
class IssuedLetterAdmin(admin.ModelAdmin):
    list_display = ("title", "number", "agency", "issued_on", "draft")
    list_filter = ("draft", "series", "agency")
    search_fields = ("number", "title")
    fields = [
        f.name for f in IssuedLetter._meta.fields if f.name not in ("id", "docx", "pdf", "context")
    ]
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
