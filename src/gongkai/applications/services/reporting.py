"""Table 三 of the annual report straight from the applications (《政府信息公开条例》第五十条).

:func:`application_records` turns an agency's (or reporting unit's) applications into the
core's :class:`~gongkai.annual.engine.ApplicationRecord` list; :func:`applications_table`
tallies them with the core engine. An application still open on 31 December is carried over
and counted in the next year's 上年结转 by the engine, with no second data entry.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings

from gongkai.agencies.models import Agency, ReportingUnit
from gongkai.annual.engine import ApplicationRecord, build_document, tally_applications
from gongkai.applications.models import Application
from gongkai.law.dispositions import TransferCounting

__all__ = ["application_records", "applications_table", "annual_document", "transfer_counting"]


def transfer_counting() -> TransferCounting:
    """The installation's choice for counting transfers (``GONGKAI_TRANSFER_COUNTING``)."""
    value = getattr(settings, "GONGKAI_TRANSFER_COUNTING", "other") or "other"
    try:
        return TransferCounting(value)
    except ValueError:
        raise ValueError(
            f"GONGKAI_TRANSFER_COUNTING 应为 other 或 not_responsible，实际为 {value!r} / "
            f"GONGKAI_TRANSFER_COUNTING must be other or not_responsible, got {value!r}"
        ) from None


def _agency_ids(agency_or_unit: Agency | ReportingUnit) -> list[int]:
    if isinstance(agency_or_unit, ReportingUnit):
        return list(agency_or_unit.agencies.values_list("pk", flat=True))
    return [agency_or_unit.pk]


def application_records(
    agency_or_unit: Agency | ReportingUnit, year: int
) -> list[ApplicationRecord]:
    """Return the records that count in ``year``'s table 三 for an agency or a reporting unit.

    Only applications the agency received (Art. 31 day fixed) count; those closed before the
    year or received after it are left out (the engine would skip them anyway).
    """
    rows = (
        Application.objects.filter(agency_id__in=_agency_ids(agency_or_unit))
        .exclude(received_on=None)
        .filter(received_on__lte=date(year, 12, 31))
        .exclude(closed_on__lt=date(year, 1, 1))
        .values_list("applicant_kind", "received_on", "closed_on", "disposition")
        .order_by("received_on", "pk")
    )
    return [
        ApplicationRecord(kind, received, closed, disposition or None)
        for kind, received, closed, disposition in rows
    ]


def applications_table(
    unit: Agency | ReportingUnit, year: int, *, fmt: str | None = None
) -> dict[str, dict[str, int]]:
    """Return the ``applications`` part (table 三) of ``unit``'s report for ``year``.

    ``fmt`` defaults to the format the year must use (2019 format up to 2020, 2021 after).
    """
    return tally_applications(
        application_records(unit, year), year=year, fmt=fmt, transfer_counting=transfer_counting()
    )


def annual_document(unit: Agency | ReportingUnit, year: int, **kwargs: Any) -> dict[str, Any]:
    """Return a report document for ``unit`` and ``year`` with table 三 filled from the records.

    Other parts (``proactive``, ``review_litigation``, ``sections``, ``previous``) are passed to
    :func:`gongkai.annual.engine.build_document`.
    """
    return build_document(
        agency=unit.name,
        year=year,
        records=application_records(unit, year),
        transfer_counting=transfer_counting(),
        **kwargs,
    )
