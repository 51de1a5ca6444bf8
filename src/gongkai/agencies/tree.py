"""Subtree and ancestor queries on the agency tree, one SQL query each.

A recursive common table expression works the same on SQLite and PostgreSQL, and the result is
an ordinary QuerySet, so it composes (``.filter``, ``.values``, ``__in`` subqueries) and list
pages never walk the tree one query per level or per agency.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models import Model, QuerySet
from django.db.models.expressions import RawSQL

from gongkai.agencies.models import Agency

Seeds = Agency | int | Iterable[Agency | int] | QuerySet


def _seed_sql(seeds: Seeds) -> tuple[str, tuple]:
    """Return SQL selecting the seed agency ids, and its parameters."""
    if isinstance(seeds, QuerySet):
        # A QuerySet of agencies, or any QuerySet already reduced to one column of agency ids
        # (``Membership.objects.filter(...).values("agency_id")``).
        if not seeds.query.values_select:
            if seeds.model is not Agency:
                raise TypeError(
                    "pass agencies, or a QuerySet of agency ids via .values('agency_id')"
                )
            seeds = seeds.values("pk")
        sql, params = seeds.order_by().query.sql_with_params()
        return sql, tuple(params)
    if isinstance(seeds, Model | int):
        seeds = [seeds]
    ids = sorted({seed.pk if isinstance(seed, Model) else int(seed) for seed in seeds})
    table = connection.ops.quote_name(Agency._meta.db_table)
    if not ids:
        return f"SELECT id FROM {table} WHERE 1 = 0", ()
    return f"SELECT id FROM {table} WHERE id IN ({', '.join(['%s'] * len(ids))})", tuple(ids)


def _walk(seeds: Seeds, *, down: bool) -> RawSQL:
    table = connection.ops.quote_name(Agency._meta.db_table)
    seed_sql, params = _seed_sql(seeds)
    join = "a.parent_id = t.id" if down else "a.id = t.parent_id"
    # UNION (not UNION ALL) drops rows already seen, so even a corrupted tree with a cycle ends.
    sql = (
        f"WITH RECURSIVE gongkai_tree(id, parent_id) AS ("
        f" SELECT a.id, a.parent_id FROM {table} a WHERE a.id IN ({seed_sql})"
        f" UNION SELECT a.id, a.parent_id FROM {table} a JOIN gongkai_tree t ON {join}"
        f") SELECT id FROM gongkai_tree"
    )
    return RawSQL(sql, params)


def descendants(seeds: Seeds, *, include_self: bool = True) -> QuerySet[Agency]:
    """Return the agencies in the subtrees under ``seeds`` (agencies, ids or a QuerySet)."""
    return _reached(seeds, down=True, include_self=include_self)


def ancestors(seeds: Seeds, *, include_self: bool = True) -> QuerySet[Agency]:
    """Return the agencies above ``seeds`` up to the root (with the seeds themselves by default)."""
    return _reached(seeds, down=False, include_self=include_self)


def _reached(seeds: Seeds, *, down: bool, include_self: bool) -> QuerySet[Agency]:
    queryset = Agency.objects.filter(pk__in=_walk(seeds, down=down))
    if not include_self:
        queryset = queryset.exclude(pk__in=RawSQL(*_seed_sql(seeds)))
    return queryset
