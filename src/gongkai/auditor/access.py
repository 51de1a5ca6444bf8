"""The batches and reports a user may see in the auditor: querysets over the rules.

Who may audit and who sees every batch is decided by :func:`gongkai.accounts.rules.audit_rights`
(any staff member audits; supervisors and system admins see all, a clerk only their uploads).
"""

from __future__ import annotations

from django.db.models import QuerySet

from gongkai.accounts import rules
from gongkai.auditor.models import AuditBatch, AuditedReport

__all__ = ["batches_for_user", "reports_for_user"]


def batches_for_user(user, *, sees_all: bool | None = None) -> QuerySet[AuditBatch]:
    """Return the batches ``user`` may see (lazy); pass ``sees_all`` if already known."""
    if not rules.is_active_user(user):
        return AuditBatch.objects.none()
    every = rules.sees_all_audits(user) if sees_all is None else sees_all
    return AuditBatch.objects.all() if every else AuditBatch.objects.filter(uploaded_by=user)


def reports_for_user(user, *, sees_all: bool | None = None) -> QuerySet[AuditedReport]:
    """Return the audited reports ``user`` may see (lazy); pass ``sees_all`` if already known."""
    if not rules.is_active_user(user):
        return AuditedReport.objects.none()
    every = rules.sees_all_audits(user) if sees_all is None else sees_all
    return AuditedReport.objects.all() if every else AuditedReport.objects.filter(uploaded_by=user)
