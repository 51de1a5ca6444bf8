"""Which RUNNING tasks are taken for lost (gongkai.worker.leases) and what a retried run skips
(gongkai.worker.effects), in one process: a lease that lapsed on another host, a live lease, a
worker without a lease, the last attempt, the caller's own task."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.mail import EmailMessage
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from gongkai.applications.tasks import send_deadline_reminders
from gongkai.worker import effects
from gongkai.worker.leases import recover_lost_tasks
from gongkai.worker.models import TaskEffect, WorkerBeat

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def lease(settings):
    settings.GONGKAI_TASK_LEASE_SECONDS = 60
    settings.GONGKAI_TASK_MAX_ATTEMPTS = 3


def claimed(*workers: str, started_ago: float = 0) -> DBTaskResult:
    """A queued task claimed once by each of ``workers`` (the last holds it)."""
    task = DBTaskResult.objects.get(pk=send_deadline_reminders.enqueue(today="2026-03-31").id)
    for worker in workers:
        task.claim(worker)
    DBTaskResult.objects.filter(pk=task.pk).update(
        started_at=timezone.now() - timedelta(seconds=started_ago)
    )
    return DBTaskResult.objects.get(pk=task.pk)


def beat(worker: str, ago: float, host: str = "another-host") -> None:
    at = timezone.now() - timedelta(seconds=ago)
    WorkerBeat.objects.create(worker_id=worker, host=host, pid=1, started_at=at, beat_at=at)


def status(task: DBTaskResult) -> str:
    return DBTaskResult.objects.get(pk=task.pk).status


def test_a_lapsed_lease_puts_the_task_back_and_a_live_one_does_not():
    lost, kept = claimed("gone", started_ago=300), claimed("alive", started_ago=300)
    beat("gone", ago=61)
    beat("alive", ago=10)
    recovered = recover_lost_tasks()
    assert [(r.task_id, r.attempts, r.queued) for r in recovered] == [(str(lost.pk), 1, True)]
    assert status(lost) == "READY" and status(kept) == "RUNNING"
    assert list(WorkerBeat.objects.values_list("worker_id", flat=True)) == ["alive"]
    # queued again, it is claimed like any other task, and its runs are counted
    assert DBTaskResult.objects.ready().get().pk == lost.pk


def test_a_worker_without_a_lease_gets_one_lease_from_its_claim():
    recent, old = claimed("plain", started_ago=30), claimed("plain", started_ago=61)
    recover_lost_tasks()
    assert status(recent) == "RUNNING" and status(old) == "READY"


def test_the_last_attempt_fails_the_task_instead_of_killing_another_worker():
    task = claimed("w1", "w2", "w3", started_ago=300)
    [recovered] = recover_lost_tasks()
    assert not recovered.queued
    row = DBTaskResult.objects.get(pk=task.pk)
    assert row.status == "FAILED" and row.finished_at is not None
    assert row.exception_class_path == "gongkai.worker.leases.WorkerLost"
    assert row.traceback.startswith("工作进程在执行任务时退出，已达 3 次")


def test_a_worker_never_takes_its_own_task_for_lost():
    task = claimed("me", started_ago=300)
    beat("me", ago=300)  # its lease could not be renewed (the database was busy)
    assert recover_lost_tasks(alive="me") == []
    assert status(task) == "RUNNING"


def test_a_process_gone_on_this_host_is_lost_at_once():
    import socket
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    task = claimed("dead", started_ago=1)
    at = timezone.now()
    WorkerBeat.objects.create(worker_id="dead", host=socket.gethostname(),
                              pid=int(done.stdout), started_at=at, beat_at=at)  # fmt: skip
    recover_lost_tasks()
    assert status(task) == "READY"


def test_once_skips_what_the_same_run_did_and_nothing_outside_a_worker():
    done: list[str] = []
    with effects.running("task-1"):
        assert effects.once("mail:a", lambda: done.append("a"))
    with effects.running("task-1"):  # the same task run again after its worker died
        assert not effects.once("mail:a", lambda: done.append("a again"))
        assert effects.once("mail:b", lambda: done.append("b"))
    with effects.running("task-2"):  # another run (tomorrow's digest) mails again
        assert effects.once("mail:a", lambda: done.append("a by task-2"))
    assert effects.once("mail:a", lambda: done.append("a from a command"))
    assert done == ["a", "b", "a by task-2", "a from a command"]
    effects.forget("task-1")
    assert list(TaskEffect.objects.values_list("task_id", "key")) == [("task-2", "mail:a")]


def test_an_effect_cut_between_doing_and_recording_is_done_again(caplog):
    done: list[str] = []
    with effects.running("task-1"):
        assert effects.once("mail:a", lambda: done.append("a"))
    assert TaskEffect.objects.get(task_id="task-1").done
    # the worker died after the action, before recording it: the ledger says "maybe done"
    TaskEffect.objects.filter(task_id="task-1").update(done=False)
    with effects.running("task-1"):
        assert effects.once("mail:a", lambda: done.append("a again"))
        assert not effects.once("mail:a", lambda: done.append("a a third time"))
    assert done == ["a", "a again"]
    assert "effect 'mail:a' may have happened already" in caplog.text


def test_a_mail_sent_again_by_a_retried_run_is_the_same_message(mailoutbox, settings):
    settings.DEFAULT_FROM_EMAIL = "政务公开 <gongkai@gov.example.cn>"

    def reminder() -> EmailMessage:
        return EmailMessage("待办提醒", "正文", None, ["clerk@example.com"])

    with effects.running("task-1"):
        assert effects.send_mail_once("reminder:clerk", reminder())
    TaskEffect.objects.filter(task_id="task-1").update(done=False)  # killed before the record
    with effects.running("task-1"):
        assert effects.send_mail_once("reminder:clerk", reminder())
    with effects.running("task-2"):  # another run, or another person: another message
        assert effects.send_mail_once("reminder:clerk", reminder())
        assert effects.send_mail_once("reminder:clerk2", reminder())
    assert effects.send_mail_once("reminder:clerk", reminder())  # outside a worker: as it is
    first, again, other_run, other_key, command = (m.message()["Message-ID"] for m in mailoutbox)
    assert first == again == effects.message_id("reminder:clerk", "task-1")
    assert len({first, other_run, other_key, command}) == 4
    assert first.startswith("<") and first.endswith(".task@gov.example.cn>")


def test_a_finished_tasks_records_are_dropped_by_the_next_worker():
    finished, running = claimed("w1"), claimed("w1")
    DBTaskResult.objects.filter(pk=finished.pk).update(status="SUCCESSFUL")
    for task in (finished, running, "not-a-task-id"):
        with effects.running(str(getattr(task, "pk", task))):
            effects.once("mail:a", lambda: None)
    # the worker died after finishing the first task, before forgetting its records
    assert effects.forget_finished() == 1
    left = TaskEffect.objects.order_by("task_id").values_list("task_id", flat=True)
    assert sorted(left) == sorted([str(running.pk), "not-a-task-id"])
