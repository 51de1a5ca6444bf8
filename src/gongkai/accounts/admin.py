"""Accounts, roles and API tokens in the back office: system admins only, every change audited.

Saving goes through :mod:`gongkai.accounts.services` (one audit row per change, in the admin's
transaction). Accounts are deactivated, not deleted; tokens are revoked, not deleted, so the
log's rows still name what they were about. Django's groups and model permissions are not
used (the rules decide: :mod:`gongkai.accounts.rules`), so they are not shown.
"""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from gongkai.accounts import services
from gongkai.accounts.backoffice import ReadOnlyBackOffice, SystemAdminOnly
from gongkai.accounts.models import ApiToken, Membership, User
from gongkai.auditlog.admin import HistoryInline

admin.site.unregister(Group)
admin.site.unregister(DBTaskResult)
# django-otp's device admins follow Django's permissions, not the rules: devices are enrolled
# by their owner (/accounts/2fa/setup/) and reset by `gongkai manage reset_second_factor`.
for _device in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device):
        admin.site.unregister(_device)


@admin.register(DBTaskResult)
class TaskResultAdmin(ReadOnlyBackOffice, DBTaskResultAdmin):
    """Background tasks (the auditor's batches, reminders): for system admins to look at."""


class MembershipInline(SystemAdminOnly, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["agency"]
    readonly_fields = ["created_at"]


def save_memberships(request, formset) -> None:
    """Save a formset of role rows through the audited services."""
    formset.save(commit=False)
    for row in formset.deleted_objects:
        services.revoke_role(actor=request.user, membership=row)
    for row, _fields in formset.changed_objects:
        services.change_role(actor=request.user, membership=row, agency=row.agency, role=row.role)
    for row in formset.new_objects:
        saved = services.grant_role(
            actor=request.user, user=row.user, agency=row.agency, role=row.role
        )
        row.pk = saved.pk


@admin.register(User)
class UserAdmin(SystemAdminOnly, DjangoUserAdmin):
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("个人信息", {"fields": ("display_name", "first_name", "last_name", "email")}),
        ("权限", {"fields": ("is_active", "is_superuser")}),
        ("重要日期", {"fields": ("last_login", "date_joined")}),
    )
    list_display = ["username", "display_name", "email", "is_active", "is_superuser"]
    list_filter = ["is_active", "is_superuser"]
    search_fields = ["username", "display_name", "email"]
    filter_horizontal = []
    inlines = [MembershipInline]

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead: the audit log keeps naming the account

    def save_model(self, request, obj, form, change):
        services.save_user(actor=request.user, user=obj)

    def user_change_password(self, request, id, form_url=""):
        """Django's password page, with the change logged in the same transaction."""
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                services.log_password_change(actor=request.user, user=User.objects.get(pk=id))
        return response

    def save_formset(self, request, form, formset, change):
        if formset.model is Membership:
            save_memberships(request, formset)
        else:
            super().save_formset(request, form, formset, change)


@admin.register(Membership)
class MembershipAdmin(SystemAdminOnly, admin.ModelAdmin):
    list_display = ["user", "agency", "role", "created_at"]
    list_filter = ["role"]
    list_select_related = ["user", "agency"]
    search_fields = ["user__username", "user__display_name", "agency__name"]
    autocomplete_fields = ["user", "agency"]
    inlines = [HistoryInline]

    def save_model(self, request, obj, form, change):
        if change:
            services.change_role(
                actor=request.user, membership=obj, agency=obj.agency, role=obj.role
            )
        else:
            saved = services.grant_role(
                actor=request.user, user=obj.user, agency=obj.agency, role=obj.role
            )
            obj.pk, obj.created_at = saved.pk, saved.created_at

    def delete_model(self, request, obj):
        services.revoke_role(actor=request.user, membership=obj)

    def delete_queryset(self, request, queryset):
        for row in queryset:
            services.revoke_role(actor=request.user, membership=row)


@admin.register(ApiToken)
class ApiTokenAdmin(SystemAdminOnly, admin.ModelAdmin):
    """Tokens are issued on save and shown once in a message; only their hash is kept.

    A token is revoked by ticking 已停用; a revoked token stays revoked and listed.
    """

    list_display = ["prefix", "user", "name", "created_at", "last_used_at", "revoked"]
    list_filter = ["revoked"]
    list_select_related = ["user"]
    search_fields = ["user__username", "name", "prefix"]
    autocomplete_fields = ["user"]
    fields = ["user", "name", "revoked", "prefix", "created_at", "last_used_at"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]
    inlines = [HistoryInline]

    def get_fields(self, request, obj=None):
        return ["user", "name"] if obj is None else self.fields

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.readonly_fields
        frozen = ["user", "name", *self.readonly_fields]
        return [*frozen, "revoked"] if obj.revoked else frozen

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead

    def save_model(self, request, obj, form, change):
        if change:
            if "revoked" in form.changed_data and obj.revoked:
                services.revoke_api_token(actor=request.user, token=obj)
            return
        row, token = services.issue_api_token(actor=request.user, user=obj.user, name=obj.name)
        obj.pk, obj.prefix, obj.key_hash, obj.created_at = (
            row.pk,
            row.prefix,
            row.key_hash,
            row.created_at,
        )
        messages.warning(
            request,
            f"新令牌（只显示这一次，请立即复制） / new token, shown only once: {token}",
        )
