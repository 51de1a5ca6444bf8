"""Issued letters in the back office: read-only, files not shown (they name the applicant)."""

from django.contrib import admin

from gongkai.accounts.backoffice import ReadOnlyBackOffice
from gongkai.letters.models import IssuedLetter


@admin.register(IssuedLetter)
class IssuedLetterAdmin(ReadOnlyBackOffice, admin.ModelAdmin):
    list_display = ("title", "number", "agency", "issued_on", "draft")
    list_filter = ("draft", "series", "agency")
    search_fields = ("number", "title")
    fields = [
        f.name for f in IssuedLetter._meta.fields if f.name not in ("id", "docx", "pdf", "context")
    ]
    readonly_fields = fields
