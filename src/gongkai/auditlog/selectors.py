"""Reading the audit log across the permission boundary (docs/audit-log.md).

Who reads what, decided by :mod:`gongkai.accounts.rules`:

- the history of one record: whoever may see the record's agency (:func:`history_for`);
- the log as a whole (:func:`entries_for_user`): a system admin reads every row; anyone else
  the rows of the agencies they may see — own agencies, and for a supervisor (政务公开办) the
  whole subtree it supervises, the same reach as its workbench. Installation-wide rows (the
  holiday calendar, accounts and roles without an agency) are the system admin's only.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import QuerySet

from gongkai.accounts import rules
from gongkai.auditlog.models import AuditEntry

__all__ = ["entries_for_user", "history", "history_for"]


def history(obj: models.Model) -> QuerySet[AuditEntry]:
    """Return every audit row about ``obj``, oldest first (no permission check: for services)."""
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    return AuditEntry.objects.filter(content_type=content_type, object_id=obj.pk).order_by(
        "at", "pk"
    )


def history_for(user: Any, obj: models.Model) -> QuerySet[AuditEntry]:
    """Return the history of ``obj`` if ``user`` may see its agency; else PermissionDenied."""
    agency_id = obj.pk if obj._meta.label_lower == "agencies.agency" else obj.agency_id
    if not (rules.is_system_admin(user) or rules.can_view(user, agency_id)):
        raise PermissionDenied("无权查看该记录的操作日志 / you may not see this record's history")
    return history(obj).select_related("actor")


def entries_for_user(user: Any) -> QuerySet[AuditEntry]:
    """Return the audit rows ``user`` may read (lazy)."""
    if not rules.is_active_user(user):
        return AuditEntry.objects.none()
    if rules.is_system_admin(user):
        return AuditEntry.objects.all()
    return AuditEntry.objects.filter(agency__in=rules.visible_agencies(user))
