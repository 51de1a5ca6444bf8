from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "gongkai.accounts"
    label = "accounts"

    def ready(self) -> None:
        from gongkai.accounts import throttle  # noqa: F401  (counts failed logins)
