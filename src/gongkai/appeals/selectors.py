"""Reads of the review and litigation register: staff lists and table 四 of the annual report.

How :func:`table_four` counts (docs/adr/review-litigation-counting.md): a case belongs to the
year it was filed in (受理/立案, ``filed_on``), in its group of table 四 (docs/law/ogi-spec.md
§2.4: 行政复议; 行政诉讼 未经复议直接起诉 and 复议后起诉), with its result *as it stood on 31
December*: a case decided later, or not yet, is 尚未审结. So a year's table never changes
once the year is over, whatever happens to its open cases afterwards.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import models
from django.db.models import CharField, Count, F, Q, QuerySet, Value, When

from gongkai.accounts import rules
from gongkai.appeals.models import Case, Result, Route

__all__ = ["COLUMNS", "GROUPS", "cases_for_user", "open_follow_ups", "table_four"]

#: The groups of ``review_litigation`` in table order (docs/spec/annual-report-json.md).
GROUPS = (Route.REVIEW, Route.LITIGATION_DIRECT, Route.LITIGATION_AFTER_REVIEW)
#: The columns of each group in table order.
COLUMNS = ("upheld", "corrected", "other", "pending", "total")


def table_four(*, agency_ids, year: int) -> dict[str, dict[str, int]]:
    """Return the ``review_litigation`` section of the annual report for the cases against
    ``agency_ids`` filed in ``year`` (see the module docstring). One grouped query.

    Every group has all five columns, and ``total`` is the sum of the other four.
    """
    year_end = date(year, 12, 31)
    rows = (
        Case.objects.filter(agency_id__in=list(agency_ids), filed_on__year=year)
        .annotate(
            at_year_end=models.Case(
                When(closed_on__isnull=False, closed_on__lte=year_end, then=F("result")),
                default=Value(Result.PENDING),
                output_field=CharField(),
            )
        )
        .values("route", "at_year_end")
        .annotate(n=Count("pk"))
        .order_by()
    )
    table = {group.value: dict.fromkeys(COLUMNS, 0) for group in GROUPS}
    for row in rows:
        table[row["route"]][row["at_year_end"]] += row["n"]
    for cells in table.values():
        cells["total"] = cells["upheld"] + cells["corrected"] + cells["other"] + cells["pending"]
    return table


def cases_for_user(user: Any) -> QuerySet[Case]:
    """The cases ``user`` may see (against the agencies the rules let them see)."""
    return (
        Case.objects.filter(agency__in=rules.visible_agencies(user))
        .select_related("agency", "application", "after_review_of")
        .order_by("-filed_on", "-pk")
    )


def open_follow_ups(user: Any) -> QuerySet[Case]:
    """Corrected cases not yet followed up, against agencies ``user`` handles (the workbench)."""
    return Case.objects.filter(
        Q(agency__in=rules.handled_agencies(user)),
        follow_up_required=True,
        follow_up_done_on__isnull=True,
    ).select_related("application")


def table_four_by_agency(*, agency_ids, year: int) -> dict[int, dict[str, dict[str, int]]]:
    """:func:`table_four` of each agency alone, for every agency of ``agency_ids`` (None: every
    agency, with no filter in the query). One grouped query in all."""
    from gongkai.agencies.models import Agency

    year_end = date(year, 12, 31)
    cases = Case.objects.filter(filed_on__year=year)
    if agency_ids is None:
        ids = list(Agency.objects.values_list("pk", flat=True))
    else:
        ids = list(agency_ids)
        cases = cases.filter(agency_id__in=ids)
    rows = (
        cases.annotate(
            at_year_end=models.Case(
                When(closed_on__isnull=False, closed_on__lte=year_end, then=F("result")),
                default=Value(Result.PENDING),
                output_field=CharField(),
            )
        )
        .values("agency_id", "route", "at_year_end")
        .annotate(n=Count("pk"))
        .order_by()
    )
    out = {i: {group.value: dict.fromkeys(COLUMNS, 0) for group in GROUPS} for i in ids}
    for row in rows:
        if row["agency_id"] in out:
            out[row["agency_id"]][row["route"]][row["at_year_end"]] += row["n"]
    for table in out.values():
        for cells in table.values():
            cells["total"] = (
                cells["upheld"] + cells["corrected"] + cells["other"] + cells["pending"]
            )
    return out
