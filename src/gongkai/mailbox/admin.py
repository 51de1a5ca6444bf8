"""Back office: mailboxes are configured here (audited); letters are read-only and masked."""

from django.contrib import admin

from gongkai.accounts.backoffice import ReadOnlyBackOffice, SystemAdminOnly
from gongkai.auditlog.admin import HistoryInline
from gongkai.mailbox import services
from gongkai.mailbox.models import Letter, Mailbox


@admin.register(Mailbox)
class MailboxAdmin(SystemAdminOnly, admin.ModelAdmin):
    list_display = ("name", "slug", "agency", "kind", "reply_days", "active")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [HistoryInline]

    def save_model(self, request, obj, form, change):
        services.save_mailbox(actor=request.user, mailbox=obj)

    def has_delete_permission(self, request, obj=None):
        return False  # a mailbox with letters is kept; close it instead (开放收信)


#: The writer's contact data and the 查询码 are for the workbench, not the back office.
PRIVATE = ("writer_name", "phone", "email", "address", "tracking_code", "idempotency_key")


@admin.register(Letter)
class LetterAdmin(ReadOnlyBackOffice, admin.ModelAdmin):
    list_display = ("reference", "masked_name", "mailbox", "agency", "state", "due_on")
    list_filter = ("state", "mailbox", "category")
    search_fields = ("reference",)
    inlines = [HistoryInline]
    fields = [
        "masked_name",
        *(f.name for f in Letter._meta.fields if f.name not in PRIVATE + ("id",)),
    ]
    readonly_fields = fields
