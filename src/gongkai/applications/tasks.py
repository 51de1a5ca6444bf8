"""Background tasks (django-tasks): the daily deadline reminder digest."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django_tasks import task


@task()
def send_deadline_reminders(today: str | None = None) -> int:
    """E-mail handlers and approvers about applications due soon or overdue; return the count.

    ``today`` is an ISO date (default: today in Asia/Shanghai).
    """
    from gongkai.applications.services.reminders import send_deadline_reminders as send

    day = date.fromisoformat(today) if today else timezone.localdate()
    return len(send(today=day))
