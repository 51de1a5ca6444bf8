"""Seed the calendar with every year the ``chinese_calendar`` package covers (2004–2026).

Later years are imported with ``gongkai calendar import YEAR FILE`` as each State Council
notice is published.
"""

from django.db import migrations


def seed(apps, schema_editor):
    from gongkai.holidays.services import seed_calendar

    change_model = apps.get_model("holidays", "CalendarChange")
    seed_calendar(
        models=(
            apps.get_model("holidays", "CalendarYear"),
            apps.get_model("holidays", "CalendarDay"),
        ),
        log=lambda row, summary: change_model.objects.create(
            year=row.year, action="seeded", summary=summary
        ),
    )


def unseed(apps, schema_editor):
    apps.get_model("holidays", "CalendarYear").objects.filter(source="seeded").delete()
    apps.get_model("holidays", "CalendarChange").objects.filter(action="seeded").delete()


class Migration(migrations.Migration):
    dependencies = [("holidays", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
