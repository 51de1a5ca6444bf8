"""The workbench queue: search, what each row says about its clock, and the XLSX export.

Nothing here decides a rule: the band comes from :func:`deadlines.deadline_band`, the working
days from the calendar, who sees full names from ``gongkai.accounts.rules`` (a handler of the
owning agency sees the applicant's name in full; everyone else, and every export, masked —
docs/security.md).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from gongkai.applications.models import Application, phone_hash
from gongkai.applications.services.deadlines import DeadlineBand, deadline_band, estimated
from gongkai.law.calendar import MissingCalendarYear, WorkingCalendar
from gongkai.law.workflow import OPEN_STATES, State

__all__ = [
    "IN_HAND_STATES",
    "QueueRow",
    "queue_rows",
    "queue_xlsx",
    "search_q",
    "summary_of",
]

#: The default queue: open cases, and answered ones until delivered (送达) and archived (归档).
IN_HAND_STATES = frozenset(OPEN_STATES | {State.REPLIED, State.DELIVERED})

SUMMARY_LENGTH = 60


def search_q(text: str) -> Q:
    """Filter on 编号, 查询码 (with or without its dashes), the applicant's name or phone.

    The one place a search over applicants' data is written (to follow any change in how
    those fields are stored).
    """
    text = (text or "").strip()
    if not text:
        return Q()
    code = text.replace("-", "").replace(" ", "").upper()
    q = Q(reference__icontains=text) | Q(applicant_name__icontains=text)
    if code:
        q |= Q(tracking_code__startswith=code)
    digits = "".join(c for c in text if c.isdigit())
    if digits and len(digits) == len(text.replace("-", "").replace(" ", "")):
        # Phones are encrypted at rest (gongkai.personaldata): a whole number is found through
        # its keyed hash, as typed and as bare digits; part of a number cannot be searched.
        q |= Q(phone_hash__in={phone_hash(text), phone_hash(digits)})
    return q


def summary_of(description: str, length: int = SUMMARY_LENGTH) -> str:
    """The request in one line, cut at ``length`` characters with 「…」."""
    line = " ".join((description or "").split())
    return line if len(line) <= length else line[: length - 1] + "…"


@dataclass
class QueueRow:
    """One line of the queue as the page and the export show it."""

    application: Application
    band: DeadlineBand | None
    band_label: str
    clock: str  # 「剩余 N 个工作日」, 「已超期 N 个工作日」, 「已等待 N 天」…
    name: str  # in full for a handler of the agency, else masked
    summary: str
    returned: tuple[str, ...] = ()  # the approver sent a draft or request back: the clerk acts
    extension_pending: bool = False  # 报请延期 waits for the approver


def _extension_pending(a: Application) -> bool:
    from django.core.exceptions import ObjectDoesNotExist

    try:
        return a.is_open and a.extension_request.pending
    except ObjectDoesNotExist:
        return False


def _returned(a: Application) -> tuple[str, ...]:
    """What the approver returned to the handler (shown on the queue until it is redone)."""
    from django.core.exceptions import ObjectDoesNotExist

    notes = []
    for related, label in (
        ("reply_draft", "答复草稿已退回"),
        ("extension_request", "延期申请已退回"),
    ):
        try:
            item = getattr(a, related)
        except ObjectDoesNotExist:
            continue
        if item is not None and not item.pending and a.is_open:
            notes.append(label)
    return tuple(notes)


def _working_days(calendar: WorkingCalendar, start: date, end: date) -> int:
    try:
        return calendar.working_days_between(start, end)
    except MissingCalendarYear as error:
        return estimated(calendar, error.year).working_days_between(start, end)


def _clock(a: Application, band: DeadlineBand | None, today: date, calendar) -> tuple[str, str]:
    """(label, clock text) of one application on ``today``; the text in the active language
    (the label is the Chinese of the law, translated where shown: ``applications.labels``)."""
    if band is None:
        return State(a.state).label_zh, ""
    if band is DeadlineBand.AWAITING:
        waited = (today - timezone.localtime(a.submitted_at).date()).days
        return band.label_zh, gettext("已等待 %(n)s 天") % {"n": waited}
    due = a.shown_due_on
    if band is DeadlineBand.STOPPED:
        return band.label_zh, gettext("暂停计时（待补正等）")
    if due is None:
        return band.label_zh, gettext("期限无法计算")
    provisional = gettext("（暂定）") if a.due_on is None else ""
    if due < today:
        late = _working_days(calendar, due, today)
        return band.label_zh, gettext("已超期 %(n)s 个工作日") % {"n": late} + provisional
    left = _working_days(calendar, today, due)
    if left == 0:
        return band.label_zh, gettext("今日到期") + provisional
    return band.label_zh, gettext("剩余 %(n)s 个工作日") % {"n": left} + provisional


def queue_rows(
    applications, *, today: date, calendar: WorkingCalendar, full_names_for: frozenset[int]
) -> list[QueueRow]:
    """Rows for ``applications``; names in full where the agency is in ``full_names_for``."""
    rows = []
    for a in applications:
        band = deadline_band(a, today, calendar)
        label, clock = _clock(a, band, today, calendar)
        name = a.applicant_name if a.agency_id in full_names_for else a.masked_name
        rows.append(
            QueueRow(
                a,
                band,
                label,
                clock,
                name,
                summary_of(a.description),
                _returned(a),
                _extension_pending(a),
            )
        )
    return rows


XLSX_HEADERS = [
    "编号",
    "申请人（已遮蔽）",
    "所需信息",
    "受理机关",
    "状态",
    "申请方式",
    "收到申请之日",
    "答复期限",
    "期限说明",
    "承办人",
]


def queue_xlsx(applications: QuerySet[Application], *, today: date, calendar) -> bytes:
    """The filtered queue as an Excel workbook; applicants' names masked and no 查询码 (the
    file leaves the system)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "依申请公开"
    sheet.append(XLSX_HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in queue_rows(applications, today=today, calendar=calendar, full_names_for=frozenset()):
        a = row.application
        due = a.shown_due_on
        sheet.append(
            [
                a.reference,
                row.name,
                " ".join(a.description.split()),
                a.agency.name,
                row.band_label if a.awaiting_confirmation else a.get_state_display(),
                a.get_channel_display(),
                a.received_on,
                due,
                row.clock,
                _handler_name(a.handler),
            ]
        )
    widths = [28, 14, 60, 24, 12, 12, 14, 14, 22, 12]
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    for cells in sheet.iter_rows(min_row=2):
        cells[2].alignment = Alignment(wrap_text=True, vertical="top")
        for cell in (cells[6], cells[7]):
            cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _handler_name(user: Any) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()
