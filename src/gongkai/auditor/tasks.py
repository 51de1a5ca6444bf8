"""Background tasks (django-tasks): reading a big upload of published reports."""

from __future__ import annotations

from django_tasks import task


@task()
def audit_uploaded_batch(batch_id: int) -> int:
    """Read and check every pending report of the batch; return how many were read."""
    from gongkai.auditor.services import audit_batch

    return audit_batch(batch_id=batch_id)
