"""Move the calendar's change log into the platform audit log (one log for the platform)."""

from django.db import migrations

LABELS = {
    "seeded": "预置节假日安排",
    "imported": "导入节假日安排",
    "edited": "后台修改节假日安排",
    "deleted": "删除节假日安排",
}


def copy_changes(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    CalendarChange = apps.get_model("holidays", "CalendarChange")
    CalendarYear = apps.get_model("holidays", "CalendarYear")
    AuditEntry = apps.get_model("auditlog", "AuditEntry")
    content_type, _ = ContentType.objects.get_or_create(app_label="holidays", model="calendaryear")
    years = dict(CalendarYear.objects.values_list("year", "pk"))
    AuditEntry.objects.bulk_create(
        AuditEntry(
            at=c.at,
            actor_id=c.actor_id,
            actor_name=c.actor.username if c.actor_id else "",
            content_type=content_type,
            object_id=years.get(c.year),
            object_repr=str(c.year),
            action=c.action,
            label=LABELS.get(c.action, c.action),
            data={"year": c.year},
            note=c.summary,
        )
        for c in CalendarChange.objects.select_related("actor").order_by("at", "pk")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("holidays", "0002_seed_chinese_calendar"),
        ("auditlog", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(copy_changes, migrations.RunPython.noop),
        migrations.DeleteModel(name="CalendarChange"),
    ]
