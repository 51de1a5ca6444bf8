"""Leases for django-tasks' database worker: a task whose worker died is run again.

django-tasks-db (0.13) marks a task RUNNING when a worker claims it and nothing ever looks at
it again: a worker killed in the middle (SIGKILL, a power cut, the out-of-memory killer) leaves
the task RUNNING for ever. Here every worker holds a lease (a :class:`WorkerBeat` row) that a
thread renews every quarter of ``GONGKAI_TASK_LEASE_SECONDS``; every worker, when it starts and
at each renewal, looks for RUNNING tasks whose worker has lost its lease — lapsed, never taken,
or held by a process that no longer exists on this host — and puts them back in the queue, up
to ``GONGKAI_TASK_MAX_ATTEMPTS`` runs in all; a task that has killed its worker that many
times is marked failed (:class:`WorkerLost`) instead of killing the next one.

Each put-back is one conditional UPDATE (still RUNNING, still the same claim), so two workers
recovering at once, or a worker finishing just then, cannot both win. What a task did before
its worker died is the task's business: its database work was rolled back with the worker's
transaction; effects outside the database go through :func:`gongkai.worker.effects.once`.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from gongkai.worker import effects
from gongkai.worker.models import WorkerBeat

__all__ = ["LeasedWorker", "Recovered", "WorkerLost", "recover_lost_tasks"]

logger = logging.getLogger("gongkai.worker")


class WorkerLost(Exception):
    """The task's worker died while running it, too many times (the failed task's exception)."""


@dataclass(frozen=True)
class Recovered:
    task_id: str
    task_path: str
    attempts: int
    queued: bool  # False: failed for good (attempts reached GONGKAI_TASK_MAX_ATTEMPTS)


def lease_seconds() -> float:
    return float(settings.GONGKAI_TASK_LEASE_SECONDS)


def _process_gone(beat: WorkerBeat) -> bool:
    """Whether the worker's process is known to be gone (only on this host)."""
    if beat.host != socket.gethostname():
        return False
    try:
        os.kill(beat.pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # a process of another user holds that number: not ours, gone
        return True
    return False


def recover_lost_tasks(*, alive: str = "") -> list[Recovered]:
    """Queue again (or fail, after the last attempt) every RUNNING task whose worker has lost
    its lease; ``alive`` is the caller's own worker id, never taken for dead. Return them."""
    now = timezone.now()
    cutoff = now - timedelta(seconds=lease_seconds())
    beats = {beat.worker_id: beat for beat in WorkerBeat.objects.all()}
    dead = {
        worker_id
        for worker_id, beat in beats.items()
        if worker_id != alive and (beat.beat_at < cutoff or _process_gone(beat))
    }
    limit = int(settings.GONGKAI_TASK_MAX_ATTEMPTS)
    recovered: list[Recovered] = []
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).only(
        "id", "task_path", "worker_ids", "started_at"
    )
    for task in running:
        worker = task.worker_ids[-1] if task.worker_ids else ""
        if worker == alive:
            continue
        if worker in beats and worker not in dead:
            continue
        if worker not in beats and task.started_at and task.started_at >= cutoff:
            continue  # a worker without a lease yet (or not ours): give it one lease's time
        attempts = len(task.worker_ids)
        claim = DBTaskResult.objects.filter(
            pk=task.pk, status=TaskResultStatus.RUNNING, started_at=task.started_at
        )
        if attempts >= limit:
            changed = claim.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                return_value=None,
                exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                traceback=(
                    f"工作进程在执行任务时退出，已达 {attempts} 次，不再重试 / the worker died "
                    f"while running the task {attempts} time(s); not retried again\n"
                ),
            )
        else:
            changed = claim.update(status=TaskResultStatus.READY, started_at=None)
        if changed:
            queued = attempts < limit
            recovered.append(Recovered(str(task.pk), task.task_path, attempts, queued))
            logger.warning(
                "task %s (%s) lost its worker %s after attempt %d of %d: %s",
                task.pk,
                task.task_path,
                worker or "?",
                attempts,
                limit,
                "queued again" if queued else "failed",
            )
    if dead:
        WorkerBeat.objects.filter(worker_id__in=dead).delete()
    return recovered


class LeasedWorker(Worker):
    """django-tasks-db's worker, holding a lease while it lives and recovering lost tasks."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._stop = threading.Event()
        self._beating: threading.Thread | None = None

    def _take_lease(self) -> None:
        now = timezone.now()
        WorkerBeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "host": socket.gethostname()[:255],
                "pid": os.getpid(),
                "started_at": now,
                "beat_at": now,
            },
        )

    def _beat(self) -> None:
        every = max(lease_seconds() / 4, 0.05)
        try:
            while not self._stop.wait(every):
                try:
                    renewed = WorkerBeat.objects.filter(worker_id=self.worker_id).update(
                        beat_at=timezone.now()
                    )
                    if not renewed:  # taken for dead while the database was out of reach
                        self._take_lease()
                    recover_lost_tasks(alive=self.worker_id)
                except Exception:  # the database is busy or gone: try at the next beat
                    logger.exception("worker %s could not renew its lease", self.worker_id)
                    connection.close()
        finally:
            connection.close()

    def run(self) -> None:
        self._take_lease()  # before the first claim: a task is never RUNNING without a lease
        self._beating = threading.Thread(target=self._beat, name="lease", daemon=True)
        self._beating.start()
        try:
            recover_lost_tasks(alive=self.worker_id)
            effects.forget_finished()  # a worker killed between finishing a task and forgetting
            super().run()
        finally:
            self._stop.set()
            self._beating.join()
            WorkerBeat.objects.filter(worker_id=self.worker_id).delete()

    def run_task(self, db_task_result: DBTaskResult) -> None:
        with effects.running(str(db_task_result.pk)):
            super().run_task(db_task_result)
        finished = (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED)
        if DBTaskResult.objects.filter(pk=db_task_result.pk, status__in=finished).exists():
            effects.forget(str(db_task_result.pk))
