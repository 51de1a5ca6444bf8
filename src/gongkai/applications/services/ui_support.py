"""What the workbench, the portal and the API need beyond the action services.

Nothing here decides a rule: allowed actions come from ``gongkai.law.workflow``, permissions
from ``gongkai.accounts.rules``, colour bands from :func:`deadlines.deadline_band` (the queue's
database filter :func:`band_q` is tested to agree with it), and every change is one call to
the services in :func:`perform`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet

from gongkai.accounts import rules
from gongkai.applications.models import Application
from gongkai.applications.services.common import calendar_needed, facts_for
from gongkai.applications.services.deadlines import (
    DUE_SOON_WORKING_DAYS,
    PAUSED_STATES,
    DeadlineBand,
    estimated,
)
from gongkai.applications.services.steps import STEPS
from gongkai.auditlog.models import AuditEntry
from gongkai.law.calendar import MissingCalendarYear, WorkingCalendar
from gongkai.law.dispositions import DISPOSITIONS, Disposition
from gongkai.law.workflow import OPEN_STATES, Action, State, allowed_actions
from gongkai.letters.catalog import LETTERS

__all__ = [
    "ACTION_LABELS",
    "PUBLIC_EVENTS",
    "available_actions",
    "band_counts",
    "band_q",
    "legal_date",
    "perform",
    "public_events",
    "public_state_label",
    "reply_choices",
]

#: What the buttons say; ``accept`` reads 「确认收到并受理」 for a submission awaiting confirmation.
ACTION_LABELS = {a.value: a.label_zh for a in Action}
#: Reply approval (承办人拟稿 → 负责人审核签发, ``services.approvals``): not workflow transitions.
REPLY_APPROVAL_ACTIONS = {
    "draft_reply": "拟写答复（报负责人审批）",
    "approve_reply": "批准答复",
    "return_reply_draft": "退回答复草稿",
}
ACTION_LABELS.update(REPLY_APPROVAL_ACTIONS)
#: 报请延期 (``services.extension_requests``): a handler asks, the approver decides.
EXTENSION_REQUEST_ACTIONS = {
    "request_extension": "报请延期（报负责人审批）",
    "approve_extension_request": "批准延期",
    "return_extension_request": "退回延期申请",
}
ACTION_LABELS.update(EXTENSION_REQUEST_ACTIONS)

#: Events an applicant may see on the status page (labels only: never notes, parties or data).
PUBLIC_EVENTS = {
    "submit": "网上提交申请",
    "register": "申请已登记",
    "transfer_in": "由其他机关转来",
    "accept": "确认收到并受理",
    "request_correction": "告知补正",
    "record_supplement": "收到补正材料",
    "lapse_correction": "逾期未补正，终止办理",
    "open_consultation": "征求意见",
    "close_consultation": "征求意见结束",
    "extend": "延期答复",
    "issue_fee_notice": "发出收费通知",
    "record_payment": "已缴费",
    "lapse_fee": "逾期未缴费，终止办理",
    "reply": "已答复",
    "deliver": "已送达",
    "archive": "已归档",
    "withdraw": "申请已撤回",
    "transfer": "已转送其他机关",
    "applicant_supplement": "申请人提交补正材料",
}


def public_state_label(application: Application) -> str:
    if application.awaiting_confirmation:
        return "待确认"
    return State(application.state).label_zh


def legal_date(event: AuditEntry) -> date | None:
    """The step's legal date (the day the clerk entered; the receipt day of a registration),
    or None for an event that has none; the time it was recorded is ``event.at``."""
    data = event.data or {}
    value = data.get("on") or data.get("received_on")
    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def public_events(application: Application) -> list[dict[str, Any]]:
    """The status page's timeline: legal date, time recorded and public label, oldest first."""
    rows = application.events.filter(action__in=PUBLIC_EVENTS).only("at", "action", "data")
    return [{"at": e.at, "on": legal_date(e), "label": PUBLIC_EVENTS[e.action]} for e in rows]


def available_actions(
    user: Any, application: Application, *, today: date, calendar: WorkingCalendar
) -> list[str]:
    """The actions ``user`` may take on ``application`` today, in workflow order.

    The workflow says what the law allows now; the rules say who: handlers of the owning
    agency act, and only approvers extend (《政府信息公开条例》第三十三条第二款).
    """
    if not rules.can_handle(user, application.agency_id):
        return []
    allowed = allowed_actions(facts_for(application, today, calendar))
    needs_approver = Action.EXTEND in allowed or Action.REPLY in allowed
    approver = needs_approver and rules.can_approve(user, application.agency_id)
    names = []
    for a in allowed:
        if a is Action.EXTEND:
            names += _extension_actions(application, approver)
            continue
        if a is Action.REPLY:
            names += _reply_actions(application, approver)
            continue
        names.append(a.value)
    return names


def _reply_actions(application: Application, approver: bool) -> list[str]:
    """A clerk drafts when replies need approval; an approver replies, approves or returns."""
    from gongkai.applications.services.endings import reply_approval_required

    if not approver:
        return ["draft_reply"] if reply_approval_required() else [Action.REPLY.value]
    if application.awaiting_reply_approval:  # one way to answer: the draft, approved or not
        return ["approve_reply", "return_reply_draft"]
    return [Action.REPLY.value]


def _extension_actions(application: Application, approver: bool) -> list[str]:
    """A clerk asks (报请延期); an approver extends, or answers a pending request."""
    request = _extension_request(application)
    if not approver:
        return [] if request is not None and request.pending else ["request_extension"]
    if request is not None and request.pending:
        return ["approve_extension_request", "return_extension_request"]
    return [Action.EXTEND.value]


def _extension_request(application: Application):
    from gongkai.applications.models import ExtensionRequest

    try:
        return application.extension_request
    except ExtensionRequest.DoesNotExist:
        return None


def reply_choices() -> list[dict[str, Any]]:
    """The dispositions a reply may carry, with their Chinese labels, articles and letter."""
    rows = []
    for disposition, info in DISPOSITIONS.items():
        if not info.is_reply:
            continue
        spec = LETTERS[info.letter]
        rows.append(
            {
                "value": disposition.value,
                "label": info.label_zh,
                "articles": "、".join(info.articles) or "（无具体条款）",
                "letter": spec.name_zh,
                "needs": [v for v in spec.required if v not in _FROM_CASE],
                "optional": [v for v in spec.optional if v not in _FROM_CASE],
            }
        )
    return rows


#: Letter variables the case supplies itself (services.letters.base_context and the correction).
_FROM_CASE = {
    "applicant_name",
    "applicant_is_org",
    "received_on",
    "channel",
    "request_summary",
    "correction_requested_on",
    "supplemented_on",
    "ground",
}


# --- colour bands in the database -----------------------------------------------------------


def band_q(band: str, today: date, calendar: WorkingCalendar) -> Q:
    """Return the filter of open applications in ``band`` on ``today`` (as deadline_band).

    Due soon is ``working_days_between(today, due) <= 3``, i.e. due before the 4th working day
    after today.
    """
    open_q = Q(state__in=[s.value for s in OPEN_STATES])
    try:
        fourth = calendar.add_working_days(today, DUE_SOON_WORKING_DAYS + 1)
    except MissingCalendarYear as error:
        # Late in December the 4th working day is in a year not loaded yet; provisional due
        # dates are banded on the statute's estimate, as deadline_band does.
        fourth = estimated(calendar, error.year).add_working_days(today, DUE_SOON_WORKING_DAYS + 1)
    band = DeadlineBand(band)
    awaiting = Q(state="registered", received_on__isnull=True)
    undated = Q(due_on__isnull=True, provisional_due_on__isnull=True)
    if band is DeadlineBand.AWAITING:
        return open_q & awaiting
    if band is DeadlineBand.STOPPED:
        return open_q & ~awaiting & undated & Q(state__in=sorted(PAUSED_STATES))
    if band is DeadlineBand.UNDATED:
        return open_q & ~awaiting & undated & ~Q(state__in=sorted(PAUSED_STATES))
    open_q &= ~awaiting
    if band is DeadlineBand.OVERDUE:
        return open_q & _shown_due(lt=today)
    if band is DeadlineBand.DUE_SOON:
        return open_q & _shown_due(gte=today) & _shown_due(lt=fourth)
    return open_q & _shown_due(gte=fourth)


def _shown_due(**lookup: date) -> Q:
    """Filter on the shown due date: the final one, else the provisional estimate."""
    ((op, value),) = lookup.items()
    return Q(**{f"due_on__{op}": value}) | Q(
        due_on__isnull=True, **{f"provisional_due_on__{op}": value}
    )


def band_counts(
    queryset: QuerySet[Application], today: date, calendar: WorkingCalendar
) -> dict[str, int]:
    """Count the open applications of ``queryset`` per band, in one query."""
    aggregates = {b.value: Count("pk", filter=band_q(b, today, calendar)) for b in DeadlineBand}
    return queryset.aggregate(**aggregates)


# --- actions --------------------------------------------------------------------------------


def perform(*, actor: Any, application: Application, action: str, data: Mapping[str, Any]):
    """Run ``action`` with the cleaned ``data`` through its service; return what it returns.

    Raise TransitionRefused, PermissionDenied or ValidationError as the service does; a date
    that needs a year without holiday data raises ``CalendarYearRefused`` (a TransitionRefused
    with code ``calendar.missing_year``), never a guess.
    """
    with calendar_needed():
        return _perform(actor, application, action, data)


def _perform(actor: Any, application: Application, action: str, data: Mapping[str, Any]):
    step = STEPS.get(action)
    params = step.params_from(application, data)
    return step(actor=actor, record=application, **params).run()


def disposition_label(value: str) -> str:
    return Disposition(value).label_zh if value else ""


def latest_events(application: Application) -> QuerySet[AuditEntry]:
    return application.events.select_related("actor").order_by("at", "pk")
