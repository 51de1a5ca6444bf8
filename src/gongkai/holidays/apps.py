from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _seed_empty_calendar(sender, using="default", **kwargs) -> None:
    """Seed the shipped years when the calendar tables are empty.

    The data migration seeds a new database; this covers a database that was flushed after
    migrating (``manage flush``, and Django's transactional tests). A calendar that has any
    year at all is left exactly as the office keeps it.
    """
    from gongkai.holidays import services
    from gongkai.holidays.models import CalendarYear

    if not CalendarYear.objects.using(using).exists():
        services.seed_calendar()


class HolidaysConfig(AppConfig):
    name = "gongkai.holidays"
    label = "holidays"
    verbose_name = "节假日安排"

    def ready(self) -> None:
        post_migrate.connect(_seed_empty_calendar, sender=self, dispatch_uid="holidays-seed-empty")
