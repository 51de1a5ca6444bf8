"""Due dates on the statutory clock (《政府信息公开条例》第三十条至第三十四条), and colour bands.

The due date is never edited by hand: :func:`refresh_due_date` builds the *clock basis* from the
application's rows (receipt day, the correction, consultations, the extension, a pending fee
when local policy stops the clock), stores it in ``Application.clock_basis`` and computes the
date with :func:`gongkai.law.clock.compute_due_date` on the database calendar. The stored basis
is enough to recompute the date later — which :func:`recompute_after_calendar_change` does for
every open application when the holiday arrangement of a year changes.

Choices made here:

- An open consultation pauses the clock provisionally up to its deadline (15 working days,
  Arts. 32, 34: the longest it can run); when it closes, the pause ends on the closing day.
- With ``GONGKAI_FEE_CLOCK_STOPS`` (default off) an unpaid fee notice pauses the clock from the
  day the applicant received it to the day of payment (provisionally, its payment deadline).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db import transaction

from gongkai.holidays.models import CalendarYear
from gongkai.holidays.services import load_calendar
from gongkai.law.calendar import MissingCalendarYear, WorkingCalendar
from gongkai.law.clock import Correction, DueDate, Pause, PauseKind, compute_due_date
from gongkai.law.statutory import with_provisional_years
from gongkai.law.workflow import OPEN_STATES

__all__ = [
    "DeadlineBand",
    "DUE_SOON_WORKING_DAYS",
    "clock_basis_for",
    "deadline_band",
    "due_from_basis",
    "estimated",
    "recompute_after_calendar_change",
    "refresh_due_date",
]

#: An application is 「即将到期」 when its due date is at most this many working days away.
DUE_SOON_WORKING_DAYS = 3


class DeadlineBand(StrEnum):
    """The workbench colour of an open application."""

    ON_TRACK = "on_track"  # 正常
    DUE_SOON = "due_soon"  # 3个工作日内到期
    OVERDUE = "overdue"  # 已超期未答复
    STOPPED = "stopped"  # 暂停计时: a real pause (待补正; a pause with no date yet)
    AWAITING = "awaiting"  # 待确认: an online submission not yet confirmed (Art. 31)
    UNDATED = "undated"  # 期限待定: a running case whose date cannot be computed

    @property
    def label_zh(self) -> str:
        return {
            "on_track": "正常",
            "due_soon": "即将到期",
            "overdue": "已超期",
            "stopped": "暂停计时",
            "awaiting": "待确认",
            "undated": "期限待定",
        }[self.value]


#: States whose clock is paused: a case in them with no due date is 「暂停计时」.
PAUSED_STATES = frozenset({"correction_requested", "consulting", "fee_pending"})


def deadline_band(application: Any, today: date, calendar: WorkingCalendar) -> DeadlineBand | None:
    """Return the colour band of ``application`` on ``today``; None once it is closed.

    Overdue: past the due date and not answered. Due soon: due today or within
    :data:`DUE_SOON_WORKING_DAYS` working days. Awaiting: an online submission not yet
    confirmed (no clock yet). Stopped: a real pause with no date (a correction pending).
    Undated: running, but no date can be computed. A provisional due date (a year's holidays not yet
    announced) bands like a final one. Pure: reads ``state`` and the due dates only.
    """
    if application.state not in OPEN_STATES:
        return None
    if application.state == "registered" and getattr(application, "received_on", None) is None:
        return DeadlineBand.AWAITING
    due = application.due_on or getattr(application, "provisional_due_on", None)
    if due is None:
        if application.state in PAUSED_STATES:
            return DeadlineBand.STOPPED
        return DeadlineBand.UNDATED
    if today > due:
        return DeadlineBand.OVERDUE
    try:
        left = calendar.working_days_between(today, due)
    except MissingCalendarYear as error:  # a provisional date, counted on the estimate
        left = estimated(calendar, error.year).working_days_between(today, due)
    return DeadlineBand.DUE_SOON if left <= DUE_SOON_WORKING_DAYS else DeadlineBand.ON_TRACK


def estimated(calendar: WorkingCalendar, year: int) -> WorkingCalendar:
    """Return ``calendar`` with ``year`` and the next estimated from the statute (for display)."""
    return with_provisional_years(calendar, range(year, year + 2))


# --- the basis ------------------------------------------------------------------------------


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def clock_basis_for(application: Any) -> dict[str, Any]:
    """Return what the due date is computed from, as JSON, read from the application's rows."""
    correction = getattr(application, "correction", None) if application.pk else None
    pauses = []
    if application.pk:
        for c in application.consultations.all():
            end = c.closed_on or c.deadline
            pauses.append(
                {
                    "start": _iso(c.sent_on),
                    "end": _iso(end),
                    "kind": c.kind,
                    "open": c.closed_on is None,
                }
            )
    fee = getattr(application, "fee_notice", None) if application.pk else None
    fee_stops = bool(getattr(settings, "GONGKAI_FEE_CLOCK_STOPS", False))
    if fee is not None and fee_stops and fee.lapsed_on is None:
        pauses.append(
            {
                "start": _iso(fee.received_on),
                "end": _iso(fee.paid_on or fee.due_on),
                "kind": "fee",
                "open": fee.paid_on is None,
            }
        )
    extension = getattr(application, "extension", None) if application.pk else None
    return {
        "received": _iso(application.received_on),
        "correction": None
        if correction is None
        else {"requested": _iso(correction.requested_on), "supplied": _iso(correction.supplied_on)},
        "pauses": pauses,
        "extension_days": extension.days if extension is not None else 0,
        "fee_clock_stops": fee_stops,
    }


def due_from_basis(basis: dict[str, Any], calendar: WorkingCalendar) -> DueDate | None:
    """Compute the due date from a stored basis; None when the application is not received."""
    received = _day(basis.get("received"))
    if received is None:
        return None
    c = basis.get("correction")
    correction = Correction(_day(c["requested"]), _day(c.get("supplied"))) if c else None
    pauses = [
        Pause(_day(p["start"]), _day(p["end"]), PauseKind(p.get("kind") or "consultation"))
        for p in basis.get("pauses", [])
    ]
    return compute_due_date(
        calendar,
        received=received,
        correction=correction,
        pauses=pauses,
        extension_days=int(basis.get("extension_days") or 0),
    )


def _calendar_versions() -> dict[int, str]:
    """Return each loaded year's source and last change (one query), to stamp the basis."""
    rows = CalendarYear.objects.values_list("year", "source", "updated_at")
    return {y: f"{source} {updated:%Y-%m-%dT%H:%M:%S}" for y, source, updated in rows}


def _explain(result: DueDate | None, basis: dict[str, Any]) -> str:
    if result is None:
        return "尚未确认收到申请，答复期限尚未开始计算（《政府信息公开条例》第三十一条）。"
    text = result.explain()
    if any(p.get("kind") == "fee" for p in basis.get("pauses", [])):
        text += "\n（按本机关规定，待缴纳信息处理费期间不计入答复期限。）"
    if any(p.get("open") for p in basis.get("pauses", [])):
        text += "\n（尚有征求意见或缴费未结束：暂按其截止日计算，结束后重新计算。）"
    return text


def refresh_due_date(application: Any, *, calendar: WorkingCalendar | None = None) -> bool:
    """Recompute ``application``'s due date from its rows and save it; return whether it moved.

    Call inside the service's transaction, after the rows are written.
    """
    calendar = calendar or load_calendar()
    basis = clock_basis_for(application)
    return _apply(application, basis, calendar)


def _apply(
    application: Any,
    basis: dict[str, Any],
    calendar: WorkingCalendar,
    versions: dict[int, str] | None = None,
) -> bool:
    provisional = None
    try:
        result = due_from_basis(basis, calendar)
    except MissingCalendarYear as error:
        # Never decide on a guessed holiday arrangement: no due date until the year is
        # imported (the import's change hook then recomputes this application). Meanwhile the
        # office and the applicant see an estimate from the statute, marked as such.
        result = None
        basis["missing_year"] = error.year
        provisional = _provisional_due(basis, calendar, error.year)
        explanation = _explain_missing(error, provisional)
    else:
        explanation = _explain(result, basis)
    due = result.due if result is not None else None
    if result is not None:
        last = due or result.received
        versions = versions if versions is not None else _calendar_versions()
        years = range(result.received.year, last.year + 1)
        basis["calendar"] = {str(y): versions[y] for y in years if y in versions}
    moved = due != application.due_on
    application.due_on = due
    application.provisional_due_on = provisional
    application.clock_basis = basis
    application.clock_explanation = explanation
    application.save(
        update_fields=[
            "due_on",
            "provisional_due_on",
            "clock_basis",
            "clock_explanation",
            "updated_at",
        ]
    )
    return moved


def _provisional_due(basis: dict[str, Any], calendar: WorkingCalendar, year: int) -> date | None:
    """Estimate the due date with the statutory holidays of the missing years, or None."""
    try:
        result = due_from_basis(basis, estimated(calendar, year))
    except MissingCalendarYear:
        return None
    return result.due if result is not None else None


def _explain_missing(error: MissingCalendarYear, provisional: date | None) -> str:
    text = f"答复期限待补充节假日安排，暂无法确定：{error.zh}"
    if provisional is not None:
        text += (
            f"\n暂定答复期限：{provisional.isoformat()}（按《全国年节及纪念日放假办法》规定的"
            f"节日和周末推算，未计调休；{error.year}年节假日安排导入后重新计算，以重新计算的"
            "日期为准）。"
        )
    return text


def recompute_after_calendar_change(years: set[int], actor: Any) -> list[str]:
    """Calendar-change hook: recompute every open application whose period touches ``years``.

    Runs inside the transaction that changed the calendar; a moved due date is logged as an
    event 「因节假日安排变更，答复期限由…改为…」. An application whose period now needs a year
    that is no longer loaded keeps its date and gets an event saying so. Return what was done,
    for the person who changed the calendar: how many applications were recomputed (how many
    provisional dates became final) and each letter issued.
    """
    from gongkai.applications.models import Application
    from gongkai.applications.services.common import record_event

    if not years:
        return []
    recomputed = settled = 0
    letters: list[str] = []
    calendar = load_calendar()
    versions = _calendar_versions()
    first, last = date(min(years), 1, 1), date(max(years), 12, 31)
    candidates = (
        Application.objects.filter(state__in=[s.value for s in OPEN_STATES])
        .exclude(received_on=None)
        .filter(received_on__lte=last)
        .exclude(due_on__lt=first)
        .select_related("correction", "extension", "fee_notice")
        .prefetch_related("consultations")
    )
    with transaction.atomic():
        for application in candidates.select_for_update(of=("self",)):
            old = application.due_on
            moved = _apply(application, clock_basis_for(application), calendar, versions)
            if moved and old is None:
                from gongkai.applications.services.workflow import issue_pending_extension_letter

                if issue_pending_extension_letter(application, actor=actor, calendar=calendar):
                    letter = application.letters.filter(key="extension").last()
                    letters.append(
                        f"已生成延期答复告知书：{application.reference}"
                        f"（{letter.number if letter is not None and letter.number else '无文号'}，"
                        f"答复期限{_iso(application.due_on)}）"
                    )
            if moved:
                recomputed += 1
                settled += old is None and application.due_on is not None
                record_event(
                    application,
                    actor=actor,
                    action="recompute",
                    label="答复期限重新计算",
                    data={
                        "old_due": _iso(old),
                        "new_due": _iso(application.due_on),
                        "years": sorted(years),
                    },
                    note=f"因节假日安排变更，答复期限由{_iso(old) or '（未定）'}"
                    f"改为{_iso(application.due_on) or '（未定）'}",
                )
    summary = [f"重新计算了{recomputed}件办理中申请的答复期限"]
    if settled:
        summary[0] += f"（其中{settled}件由暂定期限改为确定期限）"
    return summary + letters
