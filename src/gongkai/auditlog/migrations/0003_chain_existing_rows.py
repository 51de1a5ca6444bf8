"""Seal the rows written before the chain existed, in ``id`` order (docs/audit-log.md)."""

from django.db import migrations


def chain_existing_rows(apps, schema_editor):
    from gongkai.auditlog.chain import chain_all

    chain_all(
        apps.get_model("auditlog", "AuditEntry"), apps.get_model("auditlog", "AuditChainHead")
    )


def unchain(apps, schema_editor):
    apps.get_model("auditlog", "AuditEntry").objects.update(seq=None, chain="")
    apps.get_model("auditlog", "AuditChainHead").objects.all().delete()


class Migration(migrations.Migration):
    # After the migrations that copied older logs into this one, so their rows are sealed too.
    dependencies = [
        ("auditlog", "0002_chain_head"),
        ("holidays", "0003_calendar_changes_in_audit_log"),
        ("applications", "0005_events_in_audit_log"),
    ]

    operations = [migrations.RunPython(chain_existing_rows, unchain)]
