"""Who may audit, and whose audits they see: written once, used by views, exports and tests.

Any staff member (a role in some agency, or a superuser) may audit published reports: they are
public documents (《政府信息公开条例》第五十条). A clerk sees only the batches they uploaded;
supervisors (政务公开办, who supervise the reports: 条例第四十九条) and system admins see all.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from gongkai.accounts.models import Membership, Role
from gongkai.accounts.rules import is_active_user
from gongkai.auditor.models import AuditBatch, AuditedReport


@dataclass(frozen=True)
class AuditRights:
    may_audit: bool
    sees_all: bool


def audit_rights(user) -> AuditRights:
    """Return whether ``user`` may audit and whether they see every batch, in one query.

    Any staff role in some agency (or a superuser) may audit; a supervisor anywhere or a
    system admin (:func:`gongkai.accounts.rules.is_system_admin`) sees every batch.
    """
    if not is_active_user(user):
        return AuditRights(False, False)
    if user.is_superuser:
        return AuditRights(True, True)
    roles = set(Membership.objects.filter(user=user).values_list("role", flat=True))
    return AuditRights(bool(roles), bool(roles & {Role.SUPERVISOR, Role.ADMIN}))


def can_audit(user) -> bool:
    """Return whether ``user`` may upload reports to audit (any staff role, or a superuser)."""
    return audit_rights(user).may_audit


def sees_all_audits(user) -> bool:
    """Return whether ``user`` sees every batch (a supervisor anywhere, or a system admin)."""
    return audit_rights(user).sees_all


def batches_for_user(user, *, sees_all: bool | None = None) -> QuerySet[AuditBatch]:
    """Return the batches ``user`` may see (lazy)."""
    if not is_active_user(user):
        return AuditBatch.objects.none()
    every = sees_all_audits(user) if sees_all is None else sees_all
    return AuditBatch.objects.all() if every else AuditBatch.objects.filter(uploaded_by=user)


def reports_for_user(user, *, sees_all: bool | None = None) -> QuerySet[AuditedReport]:
    """Return the audited reports ``user`` may see (lazy)."""
    if not is_active_user(user):
        return AuditedReport.objects.none()
    every = sees_all_audits(user) if sees_all is None else sees_all
    return AuditedReport.objects.all() if every else AuditedReport.objects.filter(uploaded_by=user)
