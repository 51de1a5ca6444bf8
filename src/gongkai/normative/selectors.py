"""Reads: documents in force on a day, table 二 of the annual report, and the text's figures.

What each cell counts is written down in docs/normative.md. Every function here answers with
one grouped query (or two, for table 二: documents and 第二十条 figures), never a Python loop
over rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet, Sum

from gongkai.accounts import rules
from gongkai.annual.formats import get_format
from gongkai.normative.models import Article20Figure, NormativeDocument

__all__ = [
    "PROACTIVE_CELLS",
    "document_for_user",
    "documents_for_user",
    "history_of",
    "in_force",
    "in_force_q",
    "may_read",
    "narrative_figures",
    "readable_agencies",
    "table_two",
]

Kind = NormativeDocument.Kind
Item = Article20Figure.Item


def in_force_q(day: dt.date, prefix: str = "") -> Q:
    """The condition "in force on ``day``": published by then, not ended, not past its 有效期.

    A document abolished or expired on a day is no longer in force that day; one whose 有效期
    ends on a day is still in force on it.
    """
    p = prefix
    return (
        Q(**{f"{p}published_on__lte": day})
        & (Q(**{f"{p}ended_on__isnull": True}) | Q(**{f"{p}ended_on__gt": day}))
        & (Q(**{f"{p}expires_on__isnull": True}) | Q(**{f"{p}expires_on__gte": day}))
    )


def in_force(
    *, agency_ids: Iterable[int], on: dt.date, kind: str | None = None
) -> QuerySet[NormativeDocument]:
    """Return the documents of ``agency_ids`` in force on ``on`` (one lazy query)."""
    rows = NormativeDocument.objects.filter(in_force_q(on), agency_id__in=list(agency_ids))
    if kind:
        rows = rows.filter(kind=kind)
    return rows


def readable_agencies(user) -> QuerySet:
    """Return the agencies whose documents ``user`` may read: those they may see
    (``rules.visible_agencies``) and those they keep (``rules.normative_keeping_agencies``)."""
    from gongkai.agencies.models import Agency

    return Agency.objects.filter(
        Q(pk__in=rules.visible_agencies(user).values("pk"))
        | Q(pk__in=rules.normative_keeping_agencies(user).values("pk"))
    )


def may_read(user, agency_id: int) -> bool:
    """Return whether ``user`` may read the documents of ``agency_id``."""
    return rules.can_view(user, agency_id) or rules.can_keep_normative(user, agency_id)


def documents_for_user(user) -> QuerySet[NormativeDocument]:
    """Return the documents ``user`` may read (lazy)."""
    return NormativeDocument.objects.filter(agency__in=readable_agencies(user))


def document_for_user(user, pk: int) -> NormativeDocument:
    """Return document ``pk`` if ``user`` may read it; DoesNotExist or PermissionDenied."""
    document = NormativeDocument.objects.select_related("agency").get(pk=pk)
    if not may_read(user, document.agency_id):
        raise PermissionDenied("无权查看该文件 / you may not see this document")
    return document


def history_of(user, record) -> QuerySet:
    """Return ``record``'s audit rows for ``user``: through ``history_for`` (the platform's
    reading rule), or — for the office keeping the county government's documents, which the
    platform's rule does not let it see — the same rows once :func:`may_read` has said yes."""
    from gongkai.auditlog.selectors import history, history_for

    try:
        return history_for(user, record)
    except PermissionDenied:
        if not rules.can_keep_normative(user, record.agency_id):
            raise
        return history(record).select_related("actor")


def _year_range(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _document_count_columns(start, end) -> dict[str, Count]:
    """The four counts of a kind of document over ``start``–``end`` (one agency or many)."""
    return {
        "made": Count("pk", filter=Q(signed_on__range=(start, end))),
        "published": Count("pk", filter=Q(published_on__range=(start, end))),
        "abolished": Count(
            "pk", filter=Q(state=NormativeDocument.State.ABOLISHED, ended_on__range=(start, end))
        ),
        "in_force": Count("pk", filter=in_force_q(end)),
    }


def _document_counts(agency_ids: list[int], year: int) -> dict[str, dict[str, int]]:
    """Per kind: made (成文), published (公布), abolished (废止) in ``year``; in force on 31 Dec."""
    start, end = _year_range(year)
    rows = (
        NormativeDocument.objects.filter(agency_id__in=agency_ids)
        .values("kind")
        .annotate(**_document_count_columns(start, end))
        .order_by()
    )
    counts = {kind: {"made": 0, "published": 0, "abolished": 0, "in_force": 0} for kind in Kind}
    counts.update({row.pop("kind"): row for row in rows})
    return counts


def _money(value: Decimal | None) -> Decimal | None:
    """A 万元 amount as printed: no trailing zeros, integral amounts without a point."""
    if value is None:
        return None
    value = value.normalize()
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def _figure_sums(agency_ids: list[int], year: int) -> dict[str, dict[str, Any]]:
    """Per 第二十条 item: the sums of each column over the agencies (None: nobody entered it)."""
    rows = (
        Article20Figure.objects.filter(agency_id__in=agency_ids, year=year)
        .values("item")
        .annotate(
            prior_items=Sum("prior_items"),
            change=Sum("change"),
            decisions=Sum("decisions"),
            projects=Sum("projects"),
            amount=Sum("amount"),
        )
        .order_by()
    )
    sums: dict[str, dict[str, Any]] = {item: {} for item in Item}
    for row in rows:
        item = row.pop("item")
        row["amount"] = _money(row["amount"])
        sums[item] = row
    return sums


_NORMATIVE_ROWS = {
    "2019": {"规章": Kind.REGULATION, "规范性文件": Kind.NORMATIVE},
    "2021": {"规章": Kind.REGULATION, "行政规范性文件": Kind.NORMATIVE},
}

#: Every cell of table 二, by format: (row, column) -> (source, key). ``documents``: a count of
#: :func:`_document_counts`; ``figures``: a column of the item's :class:`Article20Figure` sums.
PROACTIVE_CELLS: dict[str, dict[tuple[str, str], tuple[str, str, str]]] = {
    "2019": {
        **{
            (row, column): ("documents", kind, key)
            for row, kind in _NORMATIVE_ROWS["2019"].items()
            for column, key in (
                ("本年新制作数量", "made"),
                ("本年新公开数量", "published"),
                ("对外公开总数量", "in_force"),
            )
        },
        **{
            (item.label, column): ("figures", item, key)
            for item in (Item.LICENSING, Item.OTHER_SERVICES, Item.PENALTY, Item.ENFORCEMENT)
            for column, key in (
                ("上一年项目数量", "prior_items"),
                ("本年增/减", "change"),
                ("处理决定数量", "decisions"),
            )
        },
        ("行政事业性收费", "上一年项目数量"): ("figures", Item.FEES, "prior_items"),
        ("行政事业性收费", "本年增/减"): ("figures", Item.FEES, "change"),
        ("政府集中采购", "采购项目数量"): ("figures", Item.PROCUREMENT, "projects"),
        ("政府集中采购", "采购总金额"): ("figures", Item.PROCUREMENT, "amount"),
    },
    "2021": {
        **{
            (row, column): ("documents", kind, key)
            for row, kind in _NORMATIVE_ROWS["2021"].items()
            for column, key in (
                ("本年制发件数", "published"),
                ("本年废止件数", "abolished"),
                ("现行有效件数", "in_force"),
            )
        },
        **{
            (item.label, "本年处理决定数量"): ("figures", item, "decisions")
            for item in (Item.LICENSING, Item.PENALTY, Item.ENFORCEMENT)
        },
        ("行政事业性收费", "本年收费金额（单位：万元）"): ("figures", Item.FEES, "amount"),
    },
}


def table_two(*, agency_ids: Iterable[int], year: int, fmt: str) -> dict[str, dict[str, Any]]:
    """Return the ``proactive`` section of docs/spec/annual-report-json.md for format ``fmt``.

    Rows and columns are the template's labels verbatim (docs/law/ogi-spec.md §2.2, §3.2 and
    Appendix A, through :mod:`gongkai.annual.formats`). Document counts are computed from the
    records; a 第二十条 cell is the sum of the agencies' entered figures, or ``None`` when none
    of them entered that item for the year (a blank, never a guessed 0). Two queries.
    """
    spec = get_format(fmt)
    cells = PROACTIVE_CELLS[spec.code]
    ids = list(agency_ids)
    documents = _document_counts(ids, year)
    figures = _figure_sums(ids, year)
    sources = {"documents": documents, "figures": figures}
    section: dict[str, dict[str, Any]] = {}
    for table in spec.proactive:
        for row in table.rows:
            section[row] = {}
            for column in table.columns:
                source, group, key = cells[(row, column)]
                section[row][column] = sources[source][group].get(key)
    return section


def narrative_figures(*, agency_ids: Iterable[int], year: int) -> dict[str, int]:
    """Return the figures the report's text quotes about normative documents (one query).

    ``normative_made``: 行政规范性文件 published in ``year``; ``normative_abolished``: abolished
    in it; ``abolish_batches``: the distinct decisions that abolished them (a cleanup batch is
    one decision); ``normative_in_force``: in force on 31 December; ``regulations_made``: 规章
    published in the year.
    """
    start, end = _year_range(year)
    published = Q(published_on__range=(start, end))
    abolished = Q(
        kind=Kind.NORMATIVE,
        state=NormativeDocument.State.ABOLISHED,
        ended_on__range=(start, end),
    )
    figures = NormativeDocument.objects.filter(agency_id__in=list(agency_ids)).aggregate(
        normative_made=Count("pk", filter=published & Q(kind=Kind.NORMATIVE)),
        normative_abolished=Count("pk", filter=abolished),
        abolish_batches=Count("end_ref", filter=abolished, distinct=True),
        normative_in_force=Count("pk", filter=in_force_q(end) & Q(kind=Kind.NORMATIVE)),
        regulations_made=Count("pk", filter=published & Q(kind=Kind.REGULATION)),
    )
    return {key: int(value or 0) for key, value in figures.items()}


# --- many agencies at once (the annual report's batch path) ------------------------------


def _ids_or_all(agency_ids: Iterable[int] | None) -> list[int]:
    from gongkai.agencies.models import Agency

    if agency_ids is None:
        return list(Agency.objects.values_list("pk", flat=True))
    return list(agency_ids)


def table_two_by_agency(
    *, agency_ids: Iterable[int] | None, year: int, fmt: str
) -> dict[int, dict[str, dict[str, Any]]]:
    """:func:`table_two` of each agency alone, for every agency of ``agency_ids`` (None: every
    agency, with no filter in the queries). Two grouped queries in all, whatever the number."""
    spec = get_format(fmt)
    cells = PROACTIVE_CELLS[spec.code]
    ids = _ids_or_all(agency_ids)
    start, end = _year_range(year)
    docs = NormativeDocument.objects.all()
    figs = Article20Figure.objects.filter(year=year)
    if agency_ids is not None:
        docs, figs = docs.filter(agency_id__in=ids), figs.filter(agency_id__in=ids)
    documents: dict[int, dict[str, dict[str, int]]] = {}
    for row in (
        docs.values("agency_id", "kind").annotate(**_document_count_columns(start, end)).order_by()
    ):
        agency_id, kind = row.pop("agency_id"), row.pop("kind")
        documents.setdefault(agency_id, {})[kind] = row
    sums: dict[int, dict[str, dict[str, Any]]] = {}
    for row in (
        figs.values("agency_id", "item")
        .annotate(
            prior_items=Sum("prior_items"),
            change=Sum("change"),
            decisions=Sum("decisions"),
            projects=Sum("projects"),
            amount=Sum("amount"),
        )
        .order_by()
    ):
        agency_id, item = row.pop("agency_id"), row.pop("item")
        row["amount"] = _money(row["amount"])
        sums.setdefault(agency_id, {})[item] = row
    zero = {"made": 0, "published": 0, "abolished": 0, "in_force": 0}
    kinds, items = list(Kind), list(Item)
    out: dict[int, dict[str, dict[str, Any]]] = {}
    for agency_id in ids:
        counts = documents.get(agency_id, {})
        own = sums.get(agency_id, {})
        sources: dict[str, Any] = {
            "documents": {kind: counts.get(kind, zero) for kind in kinds},
            "figures": {item: own.get(item, {}) for item in items},
        }
        section: dict[str, dict[str, Any]] = {}
        for table in spec.proactive:
            for row_label in table.rows:
                section[row_label] = {}
                for column in table.columns:
                    source, group, key = cells[(row_label, column)]
                    section[row_label][column] = sources[source][group].get(key)
        out[agency_id] = section
    return out


def narrative_figures_by_agency(
    *, agency_ids: Iterable[int] | None, year: int
) -> dict[int, dict[str, int]]:
    """:func:`narrative_figures` of each agency alone, for every agency of ``agency_ids`` (None:
    every agency). One grouped query."""
    ids = _ids_or_all(agency_ids)
    start, end = _year_range(year)
    published = Q(published_on__range=(start, end))
    abolished = Q(
        kind=Kind.NORMATIVE,
        state=NormativeDocument.State.ABOLISHED,
        ended_on__range=(start, end),
    )
    docs = NormativeDocument.objects.all()
    if agency_ids is not None:
        docs = docs.filter(agency_id__in=ids)
    rows = {
        row.pop("agency_id"): {key: int(value or 0) for key, value in row.items()}
        for row in docs.values("agency_id")
        .annotate(
            normative_made=Count("pk", filter=published & Q(kind=Kind.NORMATIVE)),
            normative_abolished=Count("pk", filter=abolished),
            abolish_batches=Count("end_ref", filter=abolished, distinct=True),
            normative_in_force=Count("pk", filter=in_force_q(end) & Q(kind=Kind.NORMATIVE)),
            regulations_made=Count("pk", filter=published & Q(kind=Kind.REGULATION)),
        )
        .order_by()
    }
    zero = dict.fromkeys(
        (
            "normative_made",
            "normative_abolished",
            "abolish_batches",
            "normative_in_force",
            "regulations_made",
        ),
        0,
    )
    return {agency_id: rows.get(agency_id, dict(zero)) for agency_id in ids}
