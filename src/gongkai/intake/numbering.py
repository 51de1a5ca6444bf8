"""Reference numbers: the n-th of a series, per agency and year (依申〔2026〕3号, 公开〔2026〕7号)."""

from __future__ import annotations

from collections.abc import Callable

from django.db import IntegrityError, transaction

from gongkai.auditlog.chain import hold_head
from gongkai.intake.models import Counter

__all__ = ["next_number"]


def next_number(
    *, agency_id: int, series: str, year: int, start_after: Callable[[], int] = lambda: 0
) -> int:
    """Take the next number of ``series`` for the agency and year (call inside the change's
    transaction: a rolled-back change gives its number back).

    ``start_after`` gives the last number already used when the series has no counter yet
    (records made before counters existed); it is called once per series and year.
    """
    lookup = {"agency_id": agency_id, "series": series, "year": year}
    with transaction.atomic():
        # Every numbered change writes an audit row: take the audit chain's head first, so
        # locks are always taken head, then counter (a transfer numbers the new application
        # after its audit row; a submission numbers before its own) and never deadlock.
        hold_head()
        counter = Counter.objects.select_for_update().filter(**lookup).first()
        if counter is None:
            try:
                with transaction.atomic():
                    counter = Counter.objects.create(**lookup, last=start_after() or 0)
            except IntegrityError:  # another transaction created it first: wait for its lock
                counter = Counter.objects.select_for_update().get(**lookup)
        counter.last += 1
        counter.save(update_fields=["last"])
        return counter.last
