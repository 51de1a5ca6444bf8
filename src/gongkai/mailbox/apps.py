from django.apps import AppConfig


class MailboxConfig(AppConfig):
    name = "gongkai.mailbox"
    label = "mailbox"
    verbose_name = "公开信箱"

    def ready(self) -> None:
        from gongkai.intake.ratelimit import register_scope

        register_scope("letter", "GONGKAI_LETTER_RATE_LIMIT", 10)
