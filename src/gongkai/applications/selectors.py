"""Reads that cross a permission boundary: one function per question, rules written once.

Staff see the applications of the agencies :func:`gongkai.accounts.rules.visible_agencies`
gives them (their own, plus the subtree a supervisor oversees). Full personal data is for
the owning agency's handlers and supervisors (:func:`may_see_personal_data`); everyone else
gets the masked properties of :class:`~gongkai.applications.models.Application`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Coalesce

from gongkai.accounts import rules
from gongkai.applications.models import Application
from gongkai.auditlog.services import record

__all__ = [
    "application_for_user",
    "applications_for_user",
    "may_see_personal_data",
    "reveal_personal_data",
]


def applications_for_user(user: Any) -> QuerySet[Application]:
    """Return the applications ``user`` may see, with agency and handler joined (one query).

    Ordered by due date (a provisional one where the final one waits for a year's holidays),
    no due date last on every database (SQLite sorts NULL first unless
    told), then by pk, as the workbench lists them; filter further as needed.
    """
    return (
        Application.objects.filter(agency__in=rules.visible_agencies(user))
        .select_related("agency", "handler", "reply_draft")
        .order_by(Coalesce("due_on", "provisional_due_on").asc(nulls_last=True), "pk")
    )


def application_for_user(user: Any, pk: int) -> Application:
    """Return application ``pk`` if ``user`` may see it; raise PermissionDenied otherwise.

    A missing application raises ``Application.DoesNotExist`` (the view answers 404).
    """
    application = Application.objects.select_related("agency", "handler").get(pk=pk)
    if not rules.can_view(user, application.agency_id):
        raise PermissionDenied("您无权查看该申请 / you may not see this application")
    return application


def may_see_personal_data(user: Any, application: Application) -> bool:
    """Return whether ``user`` may see the applicant's ID number, phone and address in full.

    Handlers of the owning agency and supervisors above it may; nobody else (docs/security.md).
    """
    return rules.can_handle(user, application.agency_id) or rules.can_supervise(
        user, application.agency_id
    )


#: The audit-log action of a full view of an applicant's personal data (docs/security.md).
VIEWED = "personal_data.viewed"


def reveal_personal_data(user: Any, application: Application, *, what: str) -> bool:
    """Return :func:`may_see_personal_data`; when True, record the full view in the audit log.

    Call it where a page, download or API response is about to show the applicant's data in
    full: ``what`` says which (``detail``, ``attachment:<id>``, ``letter:<id>``, ``api``), so
    the log answers who saw whose data, when and how (个人信息保护法; docs/security.md).
    """
    if not may_see_personal_data(user, application):
        return False
    with transaction.atomic():
        record(
            actor=user,
            action=VIEWED,
            obj=application,
            label="查看申请人个人信息",
            data={"what": what},
        )
    return True
