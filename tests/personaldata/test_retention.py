"""Retention: closed applications' personal data is erased after the configured period, with
a dry run that changes nothing (the period is local policy: docs/security.md)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.applications import services as s
from gongkai.applications.models import Application, id_number_hash
from gongkai.applications.services.retention import erase_expired_personal_data
from gongkai.auditlog.models import AuditEntry
from gongkai.testing import factories as f
from gongkai.testing.files import pdf_bytes

TODAY = date(2026, 12, 1)


@pytest.fixture
def cases(clerk, office):
    def received(day, **data):
        return f.received_application(
            actor=clerk, agency_obj=office, received_on=day, data=f.person_data(**data)
        )

    old = received(date(2026, 3, 2), applicant_name="张三丰")
    s.add_attachments(
        actor=clerk,
        application=old,
        files=[("id_copy", SimpleUploadedFile("id.pdf", pdf_bytes()))],
    )
    s.withdraw(actor=clerk, application=old, on=date(2026, 3, 5))
    recent = received(date(2026, 11, 2))
    s.withdraw(actor=clerk, application=recent, on=date(2026, 11, 3))
    still_open = received(date(2026, 3, 2))
    return old, recent, still_open


def personal(a):
    a.refresh_from_db()
    return (a.applicant_name, a.id_number, a.phone, a.email, a.address)


@pytest.mark.django_db(transaction=True)
def test_a_dry_run_lists_and_changes_nothing_then_the_run_erases(clerk, cases):
    old, recent, still_open = cases
    before = {a.pk: personal(a) for a in cases}
    file_name = old.attachments.get().file.name
    assert default_storage.exists(file_name)

    dry = erase_expired_personal_data(actor=None, days=180, today=TODAY, dry_run=True)
    assert dry.applications == [old.pk] and dry.files == 1
    assert {a.pk: personal(a) for a in cases} == before
    assert default_storage.exists(file_name)

    done = erase_expired_personal_data(actor=None, days=180, today=TODAY)
    assert done.applications == [old.pk] and done.files == 1
    assert personal(old) == ("张**", "", "", "", "")
    assert old.id_number_hash == "" and old.personal_data_erased_on == TODAY
    assert not old.attachments.exists() and not default_storage.exists(file_name)
    assert old.description and old.disposition  # the case itself stays
    assert personal(recent) == before[recent.pk] and personal(still_open) == before[still_open.pk]
    entry = AuditEntry.objects.get(action="personal_data_erased")
    assert entry.object_id == old.pk and entry.data["retention_days"] == 180
    # The erased number no longer finds the old case as a repeat.
    assert not Application.objects.filter(id_number_hash=id_number_hash(before[old.pk][1])).exists()
    # Nothing is left to do: a second run erases nothing.
    assert erase_expired_personal_data(actor=None, days=180, today=TODAY).applications == []


def test_the_command_needs_a_period(tmp_path):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "GONGKAI_"))}
    env["GONGKAI_DATA_DIR"] = str(tmp_path)

    def gongkai(*args, **extra):
        return subprocess.run(
            [sys.executable, "-m", "gongkai", *args],
            env={**env, **extra},
            capture_output=True,
            text=True,
        )

    assert gongkai("manage", "migrate", "-v0").returncode == 0
    refused = gongkai("retention", "--dry-run")
    assert refused.returncode == 2 and "GONGKAI_RETENTION_DAYS" in refused.stderr
    dry = gongkai("retention", "--dry-run", GONGKAI_RETENTION_DAYS="365")
    assert dry.returncode == 0 and "would erase: 0" in dry.stdout
