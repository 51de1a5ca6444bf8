"""A background worker killed (SIGKILL) in the middle of a task: another worker runs the task
again and its effect happens once. Real worker processes (``gongkai manage db_worker``) on a
SQLite file and on PostgreSQL, sending the deadline reminders to a real mail server
(gongkai.testing.smtp_sink) that holds the second mail until the first worker is dead — not yet
taken, or taken without the worker hearing so (SMTP's own window). No clock:
the lease is set far longer than the test, so the task is recovered because its worker's process
is gone (gongkai.worker.leases)."""

from __future__ import annotations

import json
import subprocess

import pytest

from gongkai.testing.smtp_sink import SmtpSink
from tests.installation import GONGKAI, fresh_installation, run_shell

SETUP = """
from datetime import date
from gongkai.testing import factories as f
office = f.agency("office", "城口县人民政府办公室", short_name="县政府办公室")
people = [f.staff(name, office, role) for name, role in
          (("clerk", "clerk"), ("clerk2", "clerk"), ("approver", "approver"))]
for user in people:
    user.email = f"{user.username}@example.com"
    user.save()
for day in (2, 5):  # overdue and due soon on 31 March 2026
    f.received_application(actor=people[0], agency_obj=office, received_on=date(2026, 3, day))
"""

ENQUEUE = """
from gongkai.applications.tasks import send_deadline_reminders
print(send_deadline_reminders.enqueue(today="2026-03-31").id)
"""

STATE = """
import json
from django_tasks_db.models import DBTaskResult
from gongkai.worker.models import TaskEffect, WorkerBeat
task = DBTaskResult.objects.get(pk="{task}")
print(json.dumps({{
    "status": task.status, "worker_ids": task.worker_ids, "return_value": task.return_value,
    "effects": TaskEffect.objects.count(), "leases": WorkerBeat.objects.count(),
}}))
"""

MAILED = ["approver@example.com", "clerk2@example.com", "clerk@example.com"]


def worker(env: dict[str, str], name: str) -> subprocess.Popen:
    """``gongkai manage db_worker --batch``: run what is queued (after recovering), then exit."""
    return subprocess.Popen(
        [*GONGKAI, "manage", "db_worker", "--batch", "--no-startup-delay", "--worker-id", name],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def state(env: dict[str, str], task: str) -> dict:
    return json.loads(run_shell(env, STATE.format(task=task)))


def killed_while_mailing(tmp_path, database: str, mail: SmtpSink) -> tuple[dict, str]:
    """Run the reminder task with a worker killed while ``mail`` holds the second mail, then
    with a second worker; return the task's state and the second worker's log."""
    with fresh_installation(tmp_path / "data", database) as env:
        env |= {
            "GONGKAI_EMAIL_HOST": "127.0.0.1",
            "GONGKAI_EMAIL_PORT": str(mail.port),
            "GONGKAI_TASK_LEASE_SECONDS": "3600",
        }
        run_shell(env, SETUP)
        task = run_shell(env, ENQUEUE).strip()

        first = worker(env, "first")
        while not mail.held.wait(0.2):  # the first mail accepted, the second being sent
            assert first.poll() is None, first.stderr.read() if first.stderr else ""
        taken = ["approver@example.com"] + (["clerk2@example.com"] if mail.keep_held else [])
        assert mail.recipients() == taken
        assert state(env, task)["status"] == "RUNNING"
        first.kill()
        first.wait()
        mail.release()
        assert state(env, task)["status"] == "RUNNING"  # what django-tasks-db alone leaves

        second = worker(env, "second")
        _, errors = second.communicate()
        assert second.returncode == 0, errors
        return state(env, task), errors


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_a_task_whose_worker_is_killed_runs_again_with_its_effect_once(tmp_path, database):
    with SmtpSink(hold_at=2) as mail:
        after, errors = killed_while_mailing(tmp_path, database, mail)

    assert after["status"] == "SUCCESSFUL", after
    assert after["worker_ids"] == ["first", "second"]
    assert after["return_value"] == 3
    # each person mailed exactly once: the first mail not again, the one cut off sent again
    assert mail.recipients() == MAILED
    assert "lost its worker first after attempt 1 of 3: queued again" in errors
    assert after["effects"] == 0 and after["leases"] == 0  # forgotten once finished; let go


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_a_mail_the_server_took_as_its_worker_died_comes_again_as_the_same_message(
    tmp_path, database
):
    """The one window SMTP leaves: the server has taken the second mail, the worker dies before
    it hears so. The retried run sends that mail again (the ledger says "maybe sent"), with
    the first copy's Message-ID, so the person has one message, delivered twice."""
    with SmtpSink(hold_at=2, keep_held=True) as mail:
        after, errors = killed_while_mailing(tmp_path, database, mail)

    assert after["status"] == "SUCCESSFUL", after
    assert mail.recipients() == sorted([*MAILED, "clerk2@example.com"])  # raw: clerk2's twice
    ids = mail.message_ids()
    assert all(ids.values()) and all(None not in found for found in ids.values())
    # one message per person: the repeat carries the first copy's Message-ID
    assert {person: len(set(found)) for person, found in ids.items()} == dict.fromkeys(MAILED, 1)
    assert len(set().union(*ids.values())) == 3
    assert "may have happened already" in errors
