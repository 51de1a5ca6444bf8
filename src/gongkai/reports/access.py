"""Who may audit, and whose audits they see: written once, used by views, exports and tests.

Any staff member (a role in some agency, or a superuser) may audit published reports: they are
public documents (《政府信息公开条例》第五十条). A clerk sees only the batches they uploaded;
supervisors (政务公开办, who supervise the reports: 条例第四十九条) and system admins see all.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from gongkai.accounts import rules
from gongkai.accounts.models import Membership, Role
from gongkai.reports.models import AuditBatch, AuditedReport


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


@dataclass(frozen=True)
class AuditRights:
    may_audit: bool
    sees_all: bool


def audit_rights(user) -> AuditRights:
    """Return :func:`can_audit` and :func:`sees_all_audits` together, in one query."""
    if not _active(user):
        return AuditRights(False, False)
    if user.is_superuser:
        return AuditRights(True, True)
    roles = set(Membership.objects.filter(user=user).values_list("role", flat=True))
    return AuditRights(bool(roles), bool(roles & {Role.SUPERVISOR, Role.ADMIN}))


def can_audit(user) -> bool:
    """Return whether ``user`` may upload reports to audit (any staff role, or a superuser)."""
    if not _active(user):
        return False
    return bool(user.is_superuser) or Membership.objects.filter(user=user).exists()


def sees_all_audits(user) -> bool:
    """Return whether ``user`` sees every batch (a supervisor anywhere, or a system admin)."""
    if not _active(user):
        return False
    if rules.is_system_admin(user):
        return True
    return Membership.objects.filter(user=user, role=Role.SUPERVISOR).exists()


def batches_for_user(user, *, sees_all: bool | None = None) -> QuerySet[AuditBatch]:
    """Return the batches ``user`` may see (lazy)."""
    if not _active(user):
        return AuditBatch.objects.none()
    every = sees_all_audits(user) if sees_all is None else sees_all
    return AuditBatch.objects.all() if every else AuditBatch.objects.filter(uploaded_by=user)


def reports_for_user(user, *, sees_all: bool | None = None) -> QuerySet[AuditedReport]:
    """Return the audited reports ``user`` may see (lazy)."""
    if not _active(user):
        return AuditedReport.objects.none()
    every = sees_all_audits(user) if sees_all is None else sees_all
    return AuditedReport.objects.all() if every else AuditedReport.objects.filter(uploaded_by=user)
