"""Back office: read-mostly views of applications. Changes go through the services (the
workbench), so the admin never edits state, dates or dispositions, and lists show masked data."""

from django.contrib import admin

from gongkai.accounts.backoffice import ReadOnlyBackOffice
from gongkai.applications.models import Application
from gongkai.auditlog.admin import HistoryInline

# Personal data is for the owning agency's handlers and supervisors (the workbench), not for
# the back office: the admin shows it masked only.
PRIVATE = (
    "applicant_name",
    "id_number",
    "id_number_hash",  # an equality token for the ID number: as private as the number
    "phone",
    "address",
    "email",
    "postcode",
    "representative",  # an organisation's representative and contact are natural persons
    "contact_name",
)
# The 查询码 opens the public status page and the reply letter, which names the applicant in
# full; the idempotency key found it on resubmission. Neither is shown here.
SECRET = ("tracking_code", "idempotency_key")


@admin.register(Application)
class ApplicationAdmin(ReadOnlyBackOffice, admin.ModelAdmin):
    list_display = ("reference", "masked_name", "agency", "channel", "state", "due_on")
    list_filter = ("state", "channel", "applicant_kind", "agency")
    search_fields = ("reference", "tracking_code")
    inlines = [HistoryInline]
    fields = [
        "masked_name",
        "masked_id_number",
        "masked_phone",
        *(
            f.name
            for f in Application._meta.fields
            if f.name not in PRIVATE + SECRET and f.name != "id"
        ),
    ]
    readonly_fields = fields
