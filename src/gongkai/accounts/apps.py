from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    name = "gongkai.accounts"
    label = "accounts"
    default = True

    def ready(self) -> None:
        from gongkai.accounts import (
            second_factor,  # noqa: F401  (decides at login)
            throttle,  # noqa: F401  (counts failed logins)
        )


class BackOfficeAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the rules' site (gongkai.accounts.backoffice.BackOfficeSite)."""

    default = False  # named in INSTALLED_APPS instead of django.contrib.admin
    default_site = "gongkai.accounts.backoffice.BackOfficeSite"
