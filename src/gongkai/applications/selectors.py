"""Reads that cross a permission boundary: one function per question, rules written once.

Staff see the applications of the agencies :func:`gongkai.accounts.rules.visible_agencies`
gives them (their own, plus the subtree a supervisor oversees). Full personal data is for
the owning agency's handlers and supervisors (:func:`may_see_personal_data`); everyone else
gets the masked properties of :class:`~gongkai.applications.models.Application`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import F, QuerySet
from django.utils import timezone

from gongkai.accounts import rules
from gongkai.applications.models import Application

__all__ = [
    "PublicStatus",
    "application_for_user",
    "applications_for_user",
    "may_see_personal_data",
    "public_status",
]


def applications_for_user(user: Any) -> QuerySet[Application]:
    """Return the applications ``user`` may see, with agency and handler joined (one query).

    Ordered by due date, no due date last on every database (SQLite sorts NULL first unless
    told), then by pk, as the workbench lists them; filter further as needed.
    """
    return (
        Application.objects.filter(agency__in=rules.visible_agencies(user))
        .select_related("agency", "handler", "reply_draft")
        .order_by(F("due_on").asc(nulls_last=True), "pk")
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

    Handlers of the owning agency and supervisors above it may; nobody else (issue 3).
    """
    return rules.can_handle(user, application.agency_id) or rules.can_supervise(
        user, application.agency_id
    )


@dataclass(frozen=True)
class PublicStatus:
    """What the applicant's status page shows, looked up by 查询码: no personal data at all."""

    reference: str
    tracking_code: str
    agency_name: str
    channel_label: str
    state: str
    state_label: str
    submitted_on: date
    received_on: date | None
    due_on: date | None
    closed_on: date | None
    disposition_label: str
    reply_letter: Any  # the GeneratedLetter of the reply, or None
    steps: list[tuple[date, str]]  # (day, what happened), oldest first


#: Events shown to the applicant (internal ones such as assignments and notes are not).
PUBLIC_ACTIONS = {
    "submit": "提交申请",
    "register": "登记申请",
    "transfer_in": "收到转送的申请",
    "accept": "确认收到并受理",
    "request_correction": "告知补正",
    "record_supplement": "收到补正材料",
    "lapse_correction": "逾期未补正，终止办理",
    "open_consultation": "征求意见（不计入答复期限）",
    "close_consultation": "征求意见结束",
    "extend": "延期答复",
    "issue_fee_notice": "发出收费通知",
    "record_payment": "已缴费",
    "lapse_fee": "逾期未缴费，终止办理",
    "reply": "已答复",
    "deliver": "已送达",
    "archive": "已归档",
    "withdraw": "已撤回",
    "transfer": "已转送其他机关",
    "recompute": "答复期限因节假日安排变更重新计算",
}


def public_status(tracking_code: str) -> PublicStatus | None:
    """Return the public status of the application with this 查询码 (as typed), or None."""
    from gongkai.applications.services.intake import find_by_tracking_code

    application = find_by_tracking_code(tracking_code)
    if application is None:
        return None
    reply = getattr(application, "reply", None)
    steps = [
        (timezone.localtime(at).date(), PUBLIC_ACTIONS[action])
        for at, action in application.events.filter(action__in=PUBLIC_ACTIONS).values_list(
            "at", "action"
        )
    ]
    return PublicStatus(
        reference=application.reference,
        tracking_code=application.tracking_code_display,
        agency_name=application.agency.name,
        channel_label=application.get_channel_display(),
        state=application.state,
        state_label=application.get_state_display(),
        submitted_on=timezone.localtime(application.submitted_at).date(),
        received_on=application.received_on,
        due_on=application.due_on,
        closed_on=application.closed_on,
        disposition_label=application.get_disposition_display() if application.disposition else "",
        reply_letter=reply.letter if reply is not None else None,
        steps=steps,
    )
