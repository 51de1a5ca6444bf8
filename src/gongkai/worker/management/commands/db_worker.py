"""``db_worker``: django-tasks-db's worker with leases (gongkai.worker.leases).

This app comes before ``django_tasks_db`` in INSTALLED_APPS, so ``gongkai manage db_worker``
is this command: the same options, and a task whose worker died is run again.
"""

from __future__ import annotations

from django_tasks_db.management.commands import db_worker

from gongkai.worker.leases import LeasedWorker


class Command(db_worker.Command):
    help = "后台任务工作进程（带租约：工作进程中途退出的任务会重新执行） / background worker with leases"

    def handle(self, **options) -> None:
        original = db_worker.Worker
        db_worker.Worker = LeasedWorker  # the parent's handle builds the worker by this name
        try:
            super().handle(**options)
        finally:
            db_worker.Worker = original
