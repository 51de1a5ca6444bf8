"""Back office: each agency's 政府信息公开工作机构 and 制度 (the guide's own data), audited."""

from django.contrib import admin

from gongkai.accounts.backoffice import SystemAdminOnly
from gongkai.auditlog.admin import HistoryInline
from gongkai.guide import services
from gongkai.guide.models import DisclosureOffice


@admin.register(DisclosureOffice)
class DisclosureOfficeAdmin(SystemAdminOnly, admin.ModelAdmin):
    list_display = ("agency", "name", "phone", "updated_on", "contact_changed_on")
    readonly_fields = ("contact_changed_on",)
    search_fields = ("name", "agency__name")
    inlines = [HistoryInline]

    def save_model(self, request, obj, form, change):
        services.save_office(actor=request.user, office=obj)
