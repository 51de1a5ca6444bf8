from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "gongkai.applications"
    label = "applications"
    verbose_name = "依申请公开"

    def ready(self) -> None:
        from gongkai.applications.services.deadlines import recompute_after_calendar_change
        from gongkai.holidays.services import register_calendar_change_hook

        register_calendar_change_hook(recompute_after_calendar_change)
