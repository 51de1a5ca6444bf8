"""Background task (django-tasks): the scheduled monitoring run."""

from __future__ import annotations

from datetime import date

from django_tasks import task


@task()
def run_monitoring(as_of: str | None = None) -> int:
    """Run every check (docs/monitoring.md) and return the number of findings.

    ``as_of`` is an ISO date (default: today in Asia/Shanghai).
    """
    from gongkai.accounts.rules import COMMAND_LINE
    from gongkai.monitoring.services import run_checks

    day = date.fromisoformat(as_of) if as_of else None
    return run_checks(actor=COMMAND_LINE, as_of=day).findings.count()
