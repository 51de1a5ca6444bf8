"""Files a killed server left without their row are swept; files a row names, and files young
enough to be committing in another process, are kept (gongkai.records.files)."""

import os
import time
from datetime import date
from io import StringIO

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command

from gongkai.applications.models import Attachment
from gongkai.records.files import sweep_orphan_files
from gongkai.testing import factories as f


@pytest.fixture
def media(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def write(media, name: str, age_seconds: float = 0) -> str:
    path = media / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.4 orphan")
    then = time.time() - age_seconds
    os.utime(path, (then, then))
    return name


def test_old_orphans_go_named_and_young_files_stay(media, office):
    application = f.received_application(
        actor=f.staff("clerk", office), agency_obj=office, received_on=date(2026, 3, 2)
    )
    kept = Attachment(application=application, kind=Attachment.Kind.ID_COPY, size=3)
    kept.file.save("id.png", ContentFile(b"png"), save=True)
    os.utime(media / kept.file.name, (0, 0))  # old, but its row names it
    old = write(media, "applications/2026/03/killed.pdf", age_seconds=7200)
    young = write(media, "applications/2026/03/committing.pdf", age_seconds=10)
    assert sweep_orphan_files(older_than_seconds=3600, dry_run=True) == [old]
    assert (media / old).exists()
    assert sweep_orphan_files(older_than_seconds=3600) == [old]
    assert not (media / old).exists()
    assert (media / young).exists() and (media / kept.file.name).exists()
    out, err = StringIO(), StringIO()
    call_command("sweep_files", "--older-than-minutes", "0", stdout=out, stderr=err)
    assert out.getvalue().split() == [young] and "1 个孤立文件" in err.getvalue()
    assert (media / kept.file.name).exists()
    assert media == settings.MEDIA_ROOT
