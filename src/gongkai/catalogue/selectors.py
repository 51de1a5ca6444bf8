"""Reads of the standard catalogue: the public tables, the XLSX export, the compliance view and
the assessment fact."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from gongkai.catalogue.columns import LEVELS
from gongkai.catalogue.limits import Limit, parse_limit
from gongkai.catalogue.models import Catalogue, Entry, Evidence
from gongkai.catalogue.sheet import write_rows
from gongkai.law.calendar import MissingCalendarYear, WorkingCalendar


def published_catalogues() -> QuerySet[Catalogue]:
    """Return the catalogues that have entries, with their agency, domain and entry count."""
    return (
        Catalogue.objects.select_related("agency", "domain")
        .annotate(entry_count=Count("entries"))
        .filter(entry_count__gt=0)
    )


def entries_of(catalogue: Catalogue, *, level: str = "") -> QuerySet[Entry]:
    """Return the entries of ``catalogue`` in order, those of ``level`` (county, township,
    village) only when given."""
    entries = catalogue.entries.all()
    field = {value: name for value, name, _label in LEVELS}.get(level)
    if field:
        entries = entries.filter(**{field: True})
    return entries


def export_catalogue(catalogue: Catalogue) -> bytes:
    """Return ``catalogue`` as an XLSX file in the published layout."""
    return write_rows([entry.as_row() for entry in catalogue.entries.all()], title=str(catalogue))


class Status(StrEnum):
    """Where an entry stands against its time limit."""

    OVERDUE = "overdue"  # the time limit has passed and nothing is published
    LATE = "late"  # published, after the time limit
    ON_TIME = "on_time"
    PENDING = "pending"  # within the time limit, not yet published
    NO_DATE = "no_date"  # no formation date recorded: nothing to count from
    MANUAL = "manual"  # the time limit is not a number of days (checked by a person)
    NO_CALENDAR = "no_calendar"  # the holiday arrangement of a year it needs is missing


STATUS_LABELS = {
    Status.OVERDUE: "逾期未公开",
    Status.LATE: "超期公开",
    Status.ON_TIME: "按时公开",
    Status.PENDING: "未到期",
    Status.NO_DATE: "未登记形成日期",
    Status.MANUAL: "时限需人工核对",
    Status.NO_CALENDAR: "缺少节假日安排",
}


@dataclass(frozen=True)
class Standing:
    """An entry against its time limit, with what the finding rests on."""

    entry: Entry
    status: Status
    limit: Limit | None
    due_on: date | None
    published_on: date | None

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def explanation(self) -> str:
        if self.status == Status.MANUAL:
            return f"「{self.entry.time_limit}」不是按日计算的时限，请人工核对"
        if self.status == Status.NO_DATE:
            return "尚未登记信息形成（变更）日期"
        if self.status == Status.NO_CALENDAR:
            return "节假日安排缺少所需年度，无法计算工作日"
        text = f"{self.entry.formed_on} 形成，{self.limit}内即 {self.due_on} 前公开"
        if self.published_on:
            return f"{text}；{self.published_on} 公开"
        return f"{text}；尚无公开佐证"


def due_date(formed_on: date, limit: Limit, calendar: WorkingCalendar) -> date:
    """Return the last day to publish (《政府信息公开条例》第二十六条 counts from the day after
    the information is formed or changed)."""
    if limit.working:
        return calendar.add_working_days(formed_on, limit.days)
    return formed_on + timedelta(days=limit.days)


def standing(entry: Entry, *, as_of: date, calendar: WorkingCalendar) -> Standing:
    """Return where ``entry`` stands on ``as_of`` (its ``evidence`` may be prefetched)."""
    limit = parse_limit(entry.time_limit)
    if limit is None:
        return Standing(entry, Status.MANUAL, None, None, None)
    if entry.formed_on is None:
        return Standing(entry, Status.NO_DATE, limit, None, None)
    try:
        due = due_date(entry.formed_on, limit, calendar)
    except MissingCalendarYear:
        return Standing(entry, Status.NO_CALENDAR, limit, None, None)
    days = (e.effective_published_on for e in entry.evidence.all())
    published = [day for day in days if entry.formed_on <= day <= as_of]
    first = min(published) if published else None
    if first is not None:
        return Standing(entry, Status.ON_TIME if first <= due else Status.LATE, limit, due, first)
    if as_of > due:
        return Standing(entry, Status.OVERDUE, limit, due, None)
    return Standing(entry, Status.PENDING, limit, due, None)


def standings(
    agency_ids: Iterable[int], *, as_of: date, calendar: WorkingCalendar
) -> list[Standing]:
    """Return every entry of the agencies' catalogues against its time limit (three queries)."""
    entries = (
        Entry.objects.filter(catalogue__agency_id__in=list(agency_ids))
        .select_related("catalogue__agency", "catalogue__domain")
        .prefetch_related(
            Prefetch(
                "evidence",
                queryset=Evidence.objects.select_related("publication").order_by("published_on"),
            )
        )
        .order_by("catalogue__agency__sort_order", "catalogue__domain__sort_order", "position")
    )
    return [standing(entry, as_of=as_of, calendar=calendar) for entry in entries]


def compliance_fact(*, agency: Any, year: int, calendar: WorkingCalendar | None = None) -> dict:
    """The assessment fact 「标准目录事项按时公开」: of the entries of ``agency``'s catalogues
    whose time limit ended in ``year``, the share published on time (as of 31 December).

    Returns ``{"ratio": float | None, "value": str, "explanation": str}`` (None: nothing due).
    """
    if calendar is None:
        from gongkai.holidays.services import load_calendar

        calendar = load_calendar()
    end = date(year, 12, 31)
    counted = [
        s
        for s in standings([agency.pk], as_of=end, calendar=calendar)
        if s.due_on is not None and s.due_on.year == year
    ]
    on_time = sum(1 for s in counted if s.status == Status.ON_TIME)
    overdue = sum(1 for s in counted if s.status == Status.OVERDUE)
    late = sum(1 for s in counted if s.status == Status.LATE)
    if not counted:
        return {"ratio": None, "value": "—", "explanation": f"{year}年无到期的目录事项"}
    return {
        "ratio": on_time / len(counted),
        "value": f"{on_time}/{len(counted)}",
        "explanation": (
            f"{year}年到期的目录事项{len(counted)}项：按时公开{on_time}项，超期公开{late}项，"
            f"逾期未公开{overdue}项"
        ),
    }


def narrative_figures(*, agency_ids: Iterable[int]) -> dict:
    """Return what an annual report's narrative says of the catalogues kept under
    ``agency_ids`` (the agencies and everything below them): ``{"domains": int, "agencies":
    int, "entries": int}`` — e.g. 「围绕……25个试点领域，涉及……14个县政府部门」."""
    from gongkai.agencies.tree import descendants

    catalogues = Catalogue.objects.filter(
        agency__in=descendants(list(agency_ids)), entries__isnull=False
    ).distinct()
    return {
        "domains": catalogues.values("domain_id").distinct().count(),
        "agencies": catalogues.values("agency_id").distinct().count(),
        "entries": Entry.objects.filter(catalogue__in=catalogues).count(),
    }
