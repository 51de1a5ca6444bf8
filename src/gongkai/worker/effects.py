"""Effects a task has once, even when it is run again after its worker died.

The worker (``gongkai manage db_worker``, gongkai.worker.leases) runs each task inside
:func:`running`, naming the task result. Inside, :func:`once` does an action only if that task
run has not done it yet. The ledger (:class:`~gongkai.worker.models.TaskEffect`) holds one row
per action and run, committed at each step, so it tells three cases apart after a kill:

- no row: the action was not started; the retried run does it;
- a row not ``done`` (*maybe done*): the intent was recorded, then the worker died before
  recording the outcome — the action may or may not have happened (a mail the server accepted
  while its 250 was on the way). The retried run does it again, and logs a warning;
- a ``done`` row: the action happened; the retried run skips it.

So an action is never lost, and is repeated only when a kill falls between the action and the
record of its outcome (one UPDATE by primary key). That window cannot be closed for SMTP: the
server commits a message when it answers 250, and no mail protocol lets a client ask later
whether it did. Mails therefore go through :func:`send_mail_once`, which gives a message a
``Message-ID`` derived from the task run and the key: a repeat is the *same* message, which
mail clients and servers that drop duplicates by Message-ID show once (docs/security.md says
what "once" promises). Outside a worker (a command, a test calling the task) there is no run to
remember and the action just happens.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone

__all__ = [
    "current_task",
    "forget",
    "forget_finished",
    "message_id",
    "once",
    "running",
    "send_mail_once",
]

logger = logging.getLogger("gongkai.worker")

_task: ContextVar[str | None] = ContextVar("gongkai_worker_task", default=None)


def current_task() -> str | None:
    """The id of the task result being run by this worker, or None outside a worker."""
    return _task.get()


@contextmanager
def running(task_id: str) -> Iterator[None]:
    """Mark the code inside as the run of task result ``task_id``."""
    token = _task.set(str(task_id))
    try:
        yield
    finally:
        _task.reset(token)


def _intent(task: str, key: str):
    """The ledger row of ``key`` in run ``task``: the existing one, or a new one not done."""
    from gongkai.worker.models import TaskEffect

    effect = TaskEffect.objects.filter(task_id=task, key=key).first()
    if effect is not None:
        return effect, False
    try:
        with transaction.atomic():
            return TaskEffect.objects.create(task_id=task, key=key, done=False), True
    except IntegrityError:  # two runs of one task at once (a lease lapsed under a live worker)
        return TaskEffect.objects.get(task_id=task, key=key), False


def once(key: str, action: Callable[[], object]) -> bool:
    """Do ``action`` unless this task run already did ``key``; return whether it was done now.

    ``action`` must not run inside a transaction that a kill would roll back while its effect
    stays (sending a mail inside ``atomic()``): the ledger's rows are committed at once.
    """
    from gongkai.worker.models import TaskEffect

    task = current_task()
    if task is None:
        action()
        return True
    key = key[:255]
    effect, new = _intent(task, key)
    if effect.done:
        return False
    if not new:
        logger.warning(
            "task %s: effect %r may have happened already (its worker died between doing it "
            "and recording it): doing it again",
            task,
            key,
        )
    action()
    TaskEffect.objects.filter(pk=effect.pk).update(done=True, done_at=timezone.now())
    return True


def message_id(key: str, task: str | None = None) -> str:
    """The Message-ID of the mail ``key`` of task run ``task`` (default: the current run).

    The same for every attempt of the run, different for another run or key, and the same on
    every worker host (the domain is the sender's, not the host's name)."""
    task = task if task is not None else current_task()
    digest = hashlib.sha256(f"{task}\0{key}".encode()).hexdigest()[:40]
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "gongkai"
    return f"<{digest}.task@{domain}>"


def send_mail_once(key: str, message: EmailMessage) -> bool:
    """Send ``message`` once per task run (:func:`once`), as the same message every attempt.

    Inside a worker the message carries :func:`message_id`, so a repeat after a kill in the
    window above has the Message-ID of the first send. Outside a worker it is sent as it is.
    """
    if current_task() is not None:
        message.extra_headers["Message-ID"] = message_id(key[:255])
    return once(key, message.send)


def forget(task_id: str) -> None:
    """Drop the records of a finished task run (nothing will run it again)."""
    from gongkai.worker.models import TaskEffect

    TaskEffect.objects.filter(task_id=str(task_id)).delete()


def forget_finished() -> int:
    """Drop the records of every task run that has finished (its worker died after finishing
    it, before :func:`forget`); return how many rows went."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from gongkai.worker.models import TaskEffect

    tasks = []
    for task in TaskEffect.objects.values_list("task_id", flat=True).distinct():
        try:
            tasks.append(uuid.UUID(task))
        except ValueError:  # not a task result's id (written outside the worker's tasks)
            continue
    if not tasks:
        return 0
    finished = DBTaskResult.objects.filter(
        pk__in=tasks,
        status__in=(TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED),
    ).values_list("pk", flat=True)
    done = {str(pk) for pk in finished}
    return TaskEffect.objects.filter(task_id__in=done).delete()[0] if done else 0
