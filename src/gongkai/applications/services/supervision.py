"""The supervisor's overview (政务公开办) and 督办, the urging note to an agency about a case.

Per agency the supervisor sees: open cases, those due within 3 working days, overdue ones,
replies this year, the share answered by the due date, and the average working days from
receipt to reply. 督办 is a step on the case (audited, on its timeline) that the agency's
workbench lists until the case is answered. Who may do it: ``rules.can_supervise``.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from gongkai.accounts import rules
from gongkai.applications.models import Application
from gongkai.applications.services.deadlines import DeadlineBand, deadline_band, estimated
from gongkai.applications.services.notify import tell_handlers
from gongkai.applications.services.steps import STEPS, ApplicationStep
from gongkai.auditlog.models import AuditEntry
from gongkai.law.calendar import MissingCalendarYear, WorkingCalendar
from gongkai.law.workflow import OPEN_STATES

__all__ = ["AgencyFigures", "overview", "overview_xlsx", "urge", "urgings_for"]

SUPERVISOR_DENIED = "只有政务公开办可以督办 / only a supervisor may urge an agency"
MAX_NOTE = 500


@STEPS.add
class Urge(ApplicationStep):
    """督办: a supervisor's urging note to the agency about this case (recorded, shown)."""

    action = "urge"
    label = "督办"
    allowed = staticmethod(rules.can_supervise)
    denied = SUPERVISOR_DENIED

    def validate(self) -> None:
        self.note = (self.params.get("note") or "").strip()
        if not self.note:
            raise ValidationError({"note": "请填写督办意见 / write the urging note"})
        if len(self.note) > MAX_NOTE:
            raise ValidationError(
                {"note": f"不能超过{MAX_NOTE}个字 / at most {MAX_NOTE} characters"}
            )

    def change(self, application: Application) -> Application:
        self.data = {"due_on": application.due_on.isoformat() if application.due_on else None}
        tell_handlers(application, f"督办意见：{self.note}", actor=self.actor)
        return application


def urge(*, actor: Any, application: Application, note: str) -> Application:
    return Urge(actor=actor, record=application, note=note).run()


urge.__doc__ = Urge.__doc__


def urgings_for(agency_ids, *, since_days: int = 90) -> list[AuditEntry]:
    """The 督办 notes on open cases of ``agency_ids`` (the agency's workbench), newest first.

    One query: each row's ``object_id`` is the case, its ``object_repr`` the case's number.
    """
    from django.contrib.contenttypes.models import ContentType

    since = timezone.localdate() - timedelta(days=since_days)
    open_cases = Application.objects.filter(
        agency_id__in=list(agency_ids), state__in=[s.value for s in OPEN_STATES]
    ).values("pk")
    return list(
        AuditEntry.objects.filter(
            action="urge",
            content_type=ContentType.objects.get_for_model(Application),
            object_id__in=open_cases,
            at__date__gte=since,
        )
        .select_related("actor")
        .order_by("-at", "-pk")[:200]
    )


@dataclass
class AgencyFigures:
    """One row of the overview."""

    agency: Any
    open: int = 0
    due_soon: int = 0
    overdue: int = 0
    answered: int = 0
    on_time: int = 0
    working_days: list[int] = field(default_factory=list)

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.answered if self.answered else None

    @property
    def on_time_label(self) -> str:
        rate = self.on_time_rate
        if rate is None:
            return ""
        return f"{rate * 100:.1f}%{gettext('（')}{self.on_time}/{self.answered}{gettext('）')}"

    @property
    def average_working_days(self) -> float | None:
        return sum(self.working_days) / len(self.working_days) if self.working_days else None


def _working_days(calendar: WorkingCalendar, start: date, end: date) -> int:
    try:
        return calendar.working_days_between(start, end)
    except MissingCalendarYear as error:
        return estimated(calendar, error.year).working_days_between(start, end)


def overview(
    user: Any, *, today: date, calendar: WorkingCalendar, agencies: QuerySet | None = None
) -> list[AgencyFigures]:
    """The figures of every agency ``user`` may see (or of ``agencies``), busiest first.

    Answered this year: replies dated in ``today``'s year; on time: replied on or before the
    due date then in force; working days: from the receipt day to the reply, as the calendar
    counts them (pauses for 补正 and consultations included).
    """
    agencies = agencies if agencies is not None else rules.visible_agencies(user)
    rows = {a.pk: AgencyFigures(a) for a in agencies.order_by("sort_order", "pk")}
    open_cases = Application.objects.filter(
        agency_id__in=list(rows), state__in=[s.value for s in OPEN_STATES]
    ).only("agency_id", "state", "due_on", "provisional_due_on")
    for a in open_cases:
        figures = rows[a.agency_id]
        figures.open += 1
        band = deadline_band(a, today, calendar)
        figures.due_soon += band is DeadlineBand.DUE_SOON
        figures.overdue += band is DeadlineBand.OVERDUE
    answered = Application.objects.filter(
        agency_id__in=list(rows), reply__replied_on__year=today.year
    ).values_list("agency_id", "received_on", "due_on", "reply__replied_on")
    for agency_id, received_on, due_on, replied_on in answered:
        figures = rows[agency_id]
        figures.answered += 1
        figures.on_time += due_on is None or replied_on <= due_on
        if received_on is not None:
            figures.working_days.append(_working_days(calendar, received_on, replied_on))
    return sorted(rows.values(), key=lambda r: (-r.overdue, -r.due_soon, -r.open))


HEADERS = [
    "机关",
    "办理中",
    "3个工作日内到期",
    "已超期",
    "本年已答复",
    "按期答复率",
    "平均答复用时（工作日）",
]


def overview_xlsx(rows: list[AgencyFigures], *, today: date) -> bytes:
    """The overview as an Excel workbook (no personal data: counts only)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = f"{today.year}年办理情况"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for r in rows:
        sheet.append(
            [
                r.agency.name,
                r.open,
                r.due_soon,
                r.overdue,
                r.answered,
                r.on_time_rate,
                round(r.average_working_days, 1) if r.average_working_days is not None else None,
            ]
        )
    for cells in sheet.iter_rows(min_row=2):
        cells[5].number_format = "0.0%"
    for column, width in zip("ABCDEFG", (30, 10, 16, 10, 12, 12, 22), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
