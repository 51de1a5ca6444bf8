"""What every application step shares: facts for the workflow, the audit row, the clock's refusals."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from gongkai.accounts import rules
from gongkai.applications.models import Application, ReplyDraft
from gongkai.auditlog.models import AuditEntry
from gongkai.auditlog.services import record as audit
from gongkai.law.calendar import MissingCalendarYear, WorkingCalendar
from gongkai.law.clock import correction_deadline
from gongkai.law.workflow import (
    Action,
    Facts,
    MissingFact,
    State,
    TransitionRefused,
    allowed_actions,
    next_state,
)

logger = logging.getLogger("gongkai.applications")

__all__ = [
    "CalendarYearRefused",
    "calendar_needed",
    "facts_for",
    "mail_applicant",
    "missing_year_for",
    "record_event",
    "require_handler",
    "today",
    "transition",
    "withdraw_stale_draft",
]


class CalendarYearRefused(TransitionRefused):
    """An action needs a date in a year whose holiday arrangement is not loaded.

    Never guessed: the message names the year and the command that loads it (the core's
    :class:`~gongkai.law.calendar.MissingCalendarYear`); the API answers 409
    ``calendar.missing_year``, the workbench shows it on the action's form. Nothing is changed.
    """

    def __init__(self, error: MissingCalendarYear) -> None:
        super().__init__(error.zh, error.en, code="calendar.missing_year")
        self.year = error.year


@contextmanager
def calendar_needed() -> Iterator[None]:
    """Turn a :class:`MissingCalendarYear` raised inside into :class:`CalendarYearRefused`."""
    try:
        yield
    except MissingCalendarYear as error:
        raise CalendarYearRefused(error) from None


def today() -> date:
    """The local date (Asia/Shanghai), the default day of an action."""
    return timezone.localdate()


def require_handler(actor: Any, agency: Any) -> None:
    """Raise PermissionDenied unless ``actor`` handles ``agency``'s applications."""
    if not rules.can_handle(actor, agency):
        raise PermissionDenied(
            "您不是该机关的公开工作人员，不能办理其申请 / "
            "you do not handle this agency's applications"
        )


def facts_for(application: Application, on: date, calendar: WorkingCalendar | None = None) -> Facts:
    """Return what ``law.workflow`` needs to judge an action on day ``on``."""
    correction = getattr(application, "correction", None)
    extension = getattr(application, "extension", None)
    fee = getattr(application, "fee_notice", None)
    reply = getattr(application, "reply", None)
    c_deadline = None
    if application.received_on is not None and calendar is not None:
        try:
            c_deadline = correction_deadline(calendar, application.received_on)
        except MissingCalendarYear as error:
            c_deadline = _not_before(error.year, on)
    return Facts(
        state=State(application.state),
        action_date=on,
        received_on=application.received_on,
        correction_requested=correction is not None,
        extension_granted=extension is not None,
        fee_notice_issued=fee is not None,
        open_consultations=application.consultations.filter(closed_on=None).count(),
        due_date=application.due_on if application.due_on else _pending_due(application, on),
        correction_deadline=c_deadline,
        supplement_due=correction.supplement_due if correction else None,
        fee_due=fee.due_on if fee else None,
        replied_on=reply.replied_on if reply else None,
    )


def _not_before(year: int, on: date) -> date | None:
    """A deadline that needs ``year``'s calendar falls on or after 1 January of that year.

    The clock counts forward day by day and stops at the first unknown day, so the deadline
    is at least that day: an action taken before it is in time, whatever the year's
    arrangement. On or after it nothing is known (None: :func:`transition` refuses clearly).
    """
    first = date(year, 1, 1)
    return first if on < first else None


def _pending_due(application: Application, on: date) -> date | None:
    """The due date to judge an action by while it waits for a missing year (see above)."""
    year = (application.clock_basis or {}).get("missing_year")
    if application.received_on is None or not year:
        return None
    return _not_before(int(year), on)


def missing_year_for(application: Application, action: Action, on: date, calendar) -> None:
    """Raise :class:`CalendarYearRefused` when ``action`` needs a date the calendar lacks."""
    if application.received_on is None or calendar is None:
        return
    if action is Action.REQUEST_CORRECTION:
        with calendar_needed():
            correction_deadline(calendar, application.received_on)
    elif action in (Action.EXTEND, Action.ISSUE_FEE_NOTICE) and application.due_on is None:
        year = (application.clock_basis or {}).get("missing_year")
        if year and on >= date(int(year), 1, 1):
            raise CalendarYearRefused(MissingCalendarYear(int(year)))


def record_event(
    application: Application,
    *,
    actor: Any,
    action: str,
    label: str = "",
    from_state: str = "",
    to_state: str = "",
    data: dict[str, Any] | None = None,
    note: str = "",
) -> AuditEntry:
    """Write one audit row (call inside the transaction that made the change)."""
    return audit(
        actor=actor,
        action=action,
        obj=application,
        label=label,
        before={"state": from_state} if from_state else None,
        after={"state": to_state} if to_state else None,
        data=data,
        note=note,
    )


def transition(
    application: Application,
    *,
    action: Action,
    on: date,
    calendar: WorkingCalendar,
    disposition: str | None = None,
) -> tuple[State, State]:
    """Check ``action`` against the workflow and move the state (not saved); return (old, new).

    Raise :class:`TransitionRefused` with the reason when the law does not allow it.
    """
    if on > today():
        raise TransitionRefused(
            f"办理日期 {on} 晚于今天，不能预先登记",
            f"the action date {on} is in the future; record it when it happens",
            code="date.future",
        )
    facts = facts_for(application, on, calendar)
    try:
        target = next_state(facts, action, disposition=disposition)
    except MissingFact:
        missing_year_for(application, Action(action), on, calendar)
        raise
    old = State(application.state)
    application.state = target.value
    return old, target


#: Workflow steps after which a pending reply draft still stands: acceptance (no draft exists
#: before it), an extension (more time, same facts: 第三十三条第二款) and the reply itself (which
#: replaces the draft). Every other step changes what the reply may say or whether it may be
#: given at all (补正, 征求意见, 收费, 撤回, 转送, 终止…).
_DRAFT_SURVIVES = frozenset({Action.ACCEPT, Action.EXTEND, Action.REPLY})


def withdraw_stale_draft(
    application: Application, *, actor: Any, action: Action | str
) -> ReplyDraft | None:
    """Send back a pending reply draft the workflow step ``action`` has made stale; return it.

    Called by :func:`finish` for every workflow step, inside its transaction: the draft is
    returned (退回) with an automatic note naming the step, and an audit row says so; the handler
    drafts again when the reply is due. Nothing happens for the steps in ``_DRAFT_SURVIVES``
    or when no draft is pending.
    """
    if action in Action._value2member_map_ and Action(action) in _DRAFT_SURVIVES:
        return None
    draft = ReplyDraft.objects.filter(
        application=application, status=ReplyDraft.Status.PENDING
    ).first()
    if draft is None:
        return None
    step = Action(action).label_zh if action in Action._value2member_map_ else str(action)
    note = f"案件情况已变化（{step}），答复草稿作废，请重新拟稿"
    draft.status = ReplyDraft.Status.RETURNED
    draft.returned_by = None
    draft.return_note = note
    draft.save(update_fields=["status", "returned_by", "return_note"])
    record_event(
        application,
        actor=actor,
        action="supersede_reply_draft",
        label="答复草稿作废",
        data={"disposition": draft.disposition, "because": str(action)},
        note=note,
    )
    return draft


def mail_applicant(application: Application, subject: str, body: str) -> None:
    """E-mail the applicant after the transaction commits (never inside it; failures logged)."""
    address = application.email
    if not address:
        return

    def send() -> None:
        try:
            send_mail(subject, body, None, [address])
        except Exception as error:  # a mail server outage must not undo or break the work
            # the server's message (and a traceback's) may name the applicant's address
            logger.error(
                "could not e-mail the applicant of %r: %s", application, type(error).__name__
            )

    transaction.on_commit(send)


def refuse(zh: str, en: str, code: str) -> TransitionRefused:
    """Build a refusal for a precondition the core workflow does not know about."""
    return TransitionRefused(zh, en, code=code)


def allowed_actions_for(application: Application, on: date | None = None) -> list[Action]:
    """Return the workflow actions allowed on ``on`` (default today), for showing buttons.

    Permissions are not checked here (use ``gongkai.accounts.rules``); confirming receipt of a
    submission still 待确认 is :func:`~gongkai.applications.services.intake.confirm_receipt`.
    """
    from gongkai.holidays.services import load_calendar

    return allowed_actions(facts_for(application, on or today(), load_calendar()))
