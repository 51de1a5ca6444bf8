"""A staff member uploads hostile reports to the auditor while a citizen submits an
application: the submission commits while the upload is in the middle of its parse (the parse
holds no transaction, so no database lock), and every hostile report ends refused with a
message, Chinese first. Real processes on a SQLite file and on PostgreSQL; no clock: the
upload is held inside its parse until the submission has committed."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.annual.parse import crafted
from tests.installation import fresh_installation, run_shell

SETUP = """
from gongkai.agencies.models import Agency
from gongkai.testing import factories as f
office = Agency.objects.create(slug="office", name="城口县人民政府办公室")
f.staff("clerk", office, "clerk")
"""

UPLOADER = """
import json, os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "gongkai.settings"
import django
django.setup()
from django.core.files.base import ContentFile
from django.db import connection
from gongkai.accounts.models import User
from gongkai.auditor import services

real = services.read_file_bounded
in_transaction = []

def held(path, limits=None):
    in_transaction.append(connection.in_atomic_block)
    if len(in_transaction) == 1:  # hold the first parse until the citizen has submitted
        print("parsing", flush=True)
        sys.stdin.readline()
    return real(path, limits)

services.read_file_bounded = held
files = [ContentFile(open(p, "rb").read(), name=os.path.basename(p)) for p in sys.argv[1:]]
outcome = services.upload_reports(actor=User.objects.get(username="clerk"), files=files)
reports = outcome.batch.reports.order_by("pk")
print(json.dumps({
    "in_transaction": in_transaction,
    "reports": [[r.original_name, r.status, r.reason] for r in reports],
}, ensure_ascii=False), flush=True)
"""

CITIZEN = """
from gongkai.agencies.models import Agency
from gongkai.applications import services
from gongkai.testing import factories as f
app = services.submit_online(agency=Agency.objects.get(slug="office"), data=f.person_data())
print(app.pk)
"""

COUNT = """
from gongkai.applications.models import Application
print(Application.objects.count())
"""


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_a_citizen_submits_while_hostile_reports_are_parsed(tmp_path, database):
    hostile = crafted.all_crafted(tmp_path)
    with fresh_installation(tmp_path / "data", database) as env:
        run_shell(env, SETUP)
        uploader = subprocess.Popen(
            [sys.executable, "-c", UPLOADER, *map(str, hostile)],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert uploader.stdout.readline().strip() == "parsing"
            # The upload is inside its parse now. The citizen's submission commits at once
            # (with the old code it waited for the upload's write lock, then failed).
            submitted = run_shell(env, CITIZEN).strip()
            assert submitted.isdigit()
            assert run_shell(env, COUNT).strip() == "1"
            assert uploader.poll() is None  # the parse is still going on
            uploader.stdin.write("go\n")
            uploader.stdin.flush()
            result = json.loads(uploader.stdout.readline())
        finally:
            uploader.stdin.close()
            uploader.wait()
    assert uploader.returncode == 0
    assert result["in_transaction"] == [False] * len(hostile)
    reasons = {name: (status, reason) for name, status, reason in result["reports"]}
    assert set(reasons) == {path.name for path in hostile}
    assert {status for status, _ in reasons.values()} == {"unreadable"}
    assert "共 2000 页，超过 500 页" in reasons["两千页.pdf"][1]
    assert "压缩炸弹" in reasons["压缩炸弹.docx"][1]
    assert "内存超过" in reasons["压缩流.pdf"][1] or "时限" in reasons["压缩流.pdf"][1]
    for _status, reason in reasons.values():  # Chinese first, then English
        chinese, _, english = reason.partition(" / ")
        assert any("\u4e00" <= ch <= "\u9fff" for ch in chinese) and english.isascii()
