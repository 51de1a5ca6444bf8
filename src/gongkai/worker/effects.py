"""Effects a task has once, even when it is run again after its worker died.

The worker (``gongkai manage db_worker``, gongkai.worker.leases) runs each task inside
:func:`running`, naming the task result. Inside, :func:`once` does an action only if that task
run has not recorded it yet, and records it as soon as it is done (its own committed row, so a
kill right after leaves the record). A task that a worker's death interrupts is run again from
the start: its database work was rolled back with the dead transaction, and what it had already
done outside the database (a mail handed to the mail server) is skipped.

The one window left is between the action and its record (a few milliseconds): a kill exactly
there repeats that one action. Outside a worker (a command, a test calling the task) there is
no run to remember and the action just happens.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import IntegrityError, transaction

__all__ = ["current_task", "forget", "once", "running"]

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


def once(key: str, action: Callable[[], object]) -> bool:
    """Do ``action`` unless this task run already did ``key``; return whether it was done now.

    ``action`` must not run inside a transaction that a kill would roll back while its effect
    stays (sending a mail inside ``atomic()``): the record is committed at once.
    """
    from gongkai.worker.models import TaskEffect

    task = current_task()
    if task is None:
        action()
        return True
    key = key[:255]
    if TaskEffect.objects.filter(task_id=task, key=key).exists():
        return False
    action()
    try:
        with transaction.atomic():
            TaskEffect.objects.create(task_id=task, key=key)
    except IntegrityError:  # two runs of one task at once (a lease lapsed under a live worker)
        pass
    return True


def forget(task_id: str) -> None:
    """Drop the records of a finished task run (nothing will run it again)."""
    from gongkai.worker.models import TaskEffect

    TaskEffect.objects.filter(task_id=str(task_id)).delete()
