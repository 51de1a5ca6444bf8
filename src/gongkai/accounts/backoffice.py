"""The back office (/admin/) decides every permission with :mod:`gongkai.accounts.rules`.

Django's ``is_staff`` flag and model permissions decide nothing here: the site lets in whoever
:func:`~gongkai.accounts.rules.may_administer` allows (a system admin), and every model admin
takes one of two mixins —

- :class:`SystemAdminOnly`: system admins view, add, change and delete (through the audited
  services, which each admin's ``save_model``/``delete_model`` calls);
- :class:`ReadOnlyBackOffice`: system admins view, nobody adds, changes or deletes (the
  applications, the audit log, the auditor's rows: they change only through their services).

tests/accounts/test_backoffice.py checks that every registered model admin has one.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError

from gongkai.accounts import rules
from gongkai.accounts.throttle import ThrottledAuthenticationForm

__all__ = ["BackOfficeLoginForm", "BackOfficeSite", "ReadOnlyBackOffice", "SystemAdminOnly"]


def _admin(request) -> bool:
    return rules.may_administer(request.user)


class SystemAdminOnly:
    """Full rights in the back office for system admins, none for anyone else."""

    def has_module_permission(self, request):
        return _admin(request)

    def has_view_permission(self, request, obj=None):
        return _admin(request)

    def has_add_permission(self, request, *args):
        return _admin(request)

    def has_change_permission(self, request, obj=None):
        return _admin(request)

    def has_delete_permission(self, request, obj=None):
        return _admin(request)


class ReadOnlyBackOffice:
    """System admins may look; nobody adds, changes or deletes here."""

    def has_module_permission(self, request):
        return _admin(request)

    def has_view_permission(self, request, obj=None):
        return _admin(request)

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class BackOfficeLoginForm(ThrottledAuthenticationForm):
    """The back office's login: the staff login's throttle, and only system admins get in."""

    error_messages = AdminAuthenticationForm.error_messages
    required_css_class = "required"

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not rules.is_system_admin(user):
            raise ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


class BackOfficeSite(admin.AdminSite):
    """Django's admin site, let in by the rules instead of ``is_staff``."""

    site_header = "公开 gongkai 后台管理"
    site_title = "gongkai"
    login_form = BackOfficeLoginForm

    def has_permission(self, request):
        return _admin(request)
