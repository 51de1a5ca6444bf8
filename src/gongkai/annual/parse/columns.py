"""Settle glued rows of table 三 that their own row total leaves ambiguous, by the columns.

Every column of 三 obeys the template's 勾稽关系: （七）总计 = the sum of the outcome rows, and
一 + 二 = 三 + 四 (the balance). When a few rows each have several readings that add up within
the row, the combination that also makes every column add up is taken — if it is the only one.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from itertools import product

from gongkai.annual.formats import APPLICATION_COLUMN_KEYS

Value = int | float | None
_MAX_COMBINATIONS = 5000


def resolve_by_columns(
    rows: Mapping[str, Mapping[str, Value]],
    pools: Mapping[str, Sequence[tuple[Value, ...]]],
    *,
    outcome_keys: Sequence[str],
    unreadable: Collection[str],
) -> dict[str, tuple[Value, ...]] | None:
    """Return the one choice of a reading per ambiguous row under which every column adds up.

    ``rows`` are the rows read so far (ambiguous ones included, their cells unknown),
    ``pools`` each ambiguous row's readings, ``unreadable`` the cell paths not read at all (a
    column with one of those is not checked). ``None`` when no choice or several remain.
    """
    keys = list(pools)
    count = 1
    for key in keys:
        count *= len(pools[key])
        if count > _MAX_COMBINATIONS:
            return None
    found: dict[str, tuple[Value, ...]] | None = None
    for choice in product(*(pools[key] for key in keys)):
        chosen = dict(zip(keys, choice, strict=True))
        if _columns_add_up(rows, chosen, outcome_keys, unreadable):
            if found is not None:
                return None
            found = chosen
    return found


def _columns_add_up(
    rows: Mapping[str, Mapping[str, Value]],
    chosen: Mapping[str, tuple[Value, ...]],
    outcome_keys: Sequence[str],
    unreadable: Collection[str],
) -> bool:
    def cell(key: str, index: int) -> float | None:
        if key in chosen:
            return chosen[key][index] or 0
        if key not in rows or f"applications.{key}.{APPLICATION_COLUMN_KEYS[index]}" in unreadable:
            return None
        return rows[key].get(APPLICATION_COLUMN_KEYS[index]) or 0

    for index in range(len(APPLICATION_COLUMN_KEYS)):
        outcomes = [cell(key, index) for key in outcome_keys if key in rows or key in chosen]
        known = [value for value in outcomes if value is not None]
        total = cell("total_processed", index)
        if total is not None and len(known) == len(outcomes) and abs(sum(known) - total) > 1e-6:
            return False
        new, carried, processed, forward = (
            cell(k, index)
            for k in ("new_received", "carried_over", "total_processed", "carried_forward")
        )
        if (
            new is not None
            and carried is not None
            and processed is not None
            and forward is not None
            and abs(new + carried - processed - forward) > 1e-6
        ):
            return False
    return True
