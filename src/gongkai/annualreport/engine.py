"""Compute an annual report from the records: the document of docs/spec/annual-report-json.md.

For an agency or a reporting unit (「县人民政府机关」 = the county government and its office) and
a year, in the format the year must use (国办公开办函〔2019〕60号 for 2019–2020, 〔2021〕30号 from
2021; docs/law/ogi-spec.md Appendix A):

- table 三 from the applications by grouped queries (one GROUP BY over applicant kind,
  disposition and whether the application was new this year and closed this year); the rows are
  those of :func:`gongkai.annual.engine.tally_applications`, so the arithmetic holds by
  construction (tests check the two agree on generated records);
- tables 二 and 四 and the figures of 总体情况 from the sources (:mod:`.sources`); a missing
  source leaves its cells ``null`` with a ``source.missing`` finding, never zeros;
- the findings of :func:`gongkai.annual.checks.check_report` (every rule of the spec, with last
  year's table 三 for ``cross_year.carry``), plus the figure check of :mod:`.figures`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Q, Value, When

from gongkai.agencies.models import Agency, ReportingUnit
from gongkai.annual.checks import check_report, findings_as_dicts
from gongkai.annual.document import Document, Finding, empty_document
from gongkai.annual.engine import SECTION_KEYS
from gongkai.annual.formats import (
    APPLICANT_COLUMN_KEYS,
    REVIEW_COLUMNS,
    REVIEW_GROUPS,
    format_for_year,
    get_format,
)
from gongkai.annualreport import figures as fig
from gongkai.annualreport.sources import (
    SOURCE_MISSING,
    SOURCE_NAMES,
    Sources,
    resolve,
    resolve_many,
)
from gongkai.applications.models import Application
from gongkai.applications.services.reporting import transfer_counting
from gongkai.law.dispositions import TransferCounting, row_for

__all__ = [
    "Computed",
    "Subject",
    "applications_behind",
    "compute",
    "compute_all",
    "find_subject",
    "reports_for_all",
    "table_three",
]

#: Agency kinds whose report is due by 31 March (governments); the rest by 31 January
#: (departments). 《政府信息公开条例》第四十九条 (docs/law/ogi-spec.md §1).
GOVERNMENT_KINDS = frozenset(
    {
        Agency.Kind.COUNTY_GOVERNMENT,
        Agency.Kind.GOVERNMENT_OFFICE,
        Agency.Kind.TOWNSHIP,
        Agency.Kind.STREET,
    }
)


#: Every cell of table 四 (the same in both formats).
REVIEW_CELLS = tuple(
    f"review_litigation.{group}.{col}" for group, _ in REVIEW_GROUPS for col, _ in REVIEW_COLUMNS
)


def deadline_for(kinds, year: int) -> date:
    """31 March of the next year when any of ``kinds`` is a government, else 31 January."""
    if set(kinds) & GOVERNMENT_KINDS:
        return date(year + 1, 3, 31)
    return date(year + 1, 1, 31)


@dataclass(frozen=True)
class Subject:
    """What a report is written for: one agency, or a reporting unit of several."""

    name: str
    agency_ids: tuple[int, ...]
    agency: Agency | None = None
    unit: ReportingUnit | None = None

    @classmethod
    def of(cls, target: Agency | ReportingUnit) -> Subject:
        if isinstance(target, ReportingUnit):
            ids = tuple(target.agencies.order_by("sort_order", "pk").values_list("pk", flat=True))
            return cls(name=target.name, agency_ids=ids, unit=target)
        return cls(name=target.name, agency_ids=(target.pk,), agency=target)

    @property
    def slug(self) -> str:
        return (self.unit or self.agency).slug  # type: ignore[union-attr]

    @property
    def owner_id(self) -> int:
        """The agency a report record belongs to (a unit's first agency)."""
        if not self.agency_ids:
            raise ValueError(f"年报主体「{self.name}」不包含任何机关 / the unit has no agency")
        return self.agency_ids[0]

    def deadline(self, year: int) -> date:
        """The day the report for ``year`` is due (Art. 49): 31 March for a government, else
        31 January of the next year."""
        if self.agency is not None:
            kinds = {self.agency.kind}
        else:
            kinds = set(
                Agency.objects.filter(pk__in=self.agency_ids).values_list("kind", flat=True)
            )
        return deadline_for(kinds, year)


def find_subject(text: str) -> Subject:
    """Find a reporting unit or an agency by slug, name or short name, else by the end of its
    name; ``LookupError`` if none or several match."""
    text = text.strip()
    for model, fields in (
        (ReportingUnit, ("slug", "name")),
        (Agency, ("slug", "name", "short_name")),
    ):
        for name in fields:
            found = list(model.objects.filter(**{name: text})[:2])
            if len(found) == 1:
                return Subject.of(found[0])
            if len(found) > 1:
                raise LookupError(
                    f"「{text}」对应多个机关，请用标识（slug） / several agencies match {text!r}"
                )
    # 「县人民政府机关」 for 「城口县人民政府机关」: a unique name that ends with the text.
    for model in (ReportingUnit, Agency):
        found = list(model.objects.filter(name__endswith=text)[:2]) if text else []
        if len(found) == 1:
            return Subject.of(found[0])
        if len(found) > 1:
            raise LookupError(
                f"「{text}」对应多个机关，请写全称或标识（slug） / several agencies match {text!r}"
            )
    raise LookupError(f"找不到机关或年报主体「{text}」 / no agency or reporting unit {text!r}")


# --- table 三 ---------------------------------------------------------------------------


def _counted(agency_ids, year: int):
    """The applications that count in ``year``'s table 三 (``agency_ids`` None: every agency)."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    qs = Application.objects.all()
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=list(agency_ids))
    return qs.exclude(received_on=None).filter(received_on__lte=end).exclude(closed_on__lt=start)


def _groups(agency_ids, year: int, *, by_agency: bool = False):
    """One GROUP BY: applicant kind, disposition, new this year or carried over, closed this
    year or carried forward (and the agency, for many reports at once)."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    fields = ["applicant_kind", "disposition", "is_new", "closed_in"]
    if by_agency:
        fields.insert(0, "agency_id")
    return (
        _counted(agency_ids, year)
        .annotate(
            is_new=Case(
                When(received_on__gte=start, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
            closed_in=Case(
                When(closed_on__lte=end, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .values(*fields)
        .annotate(n=Count("pk"))
        .values_list(*fields, "n")
        .order_by()
    )


@functools.cache
def _row_map(code: str, counting: str) -> dict[str, str]:
    """Disposition → table 三 row of format ``code`` (``law.dispositions.row_for``, once)."""
    return {
        d: row_for(d, code, transfer_counting=TransferCounting(counting))
        for d in Application.Disposition.values
    }


def _fill(groups, spec, *, skip: int = 0) -> dict[str, dict[str, int]]:
    """Table 三 from grouped counts ``(kind, disposition, is_new, closed_in, n)`` (the rules of
    gongkai.annual.engine.tally_applications); ``skip``: leading fields of each row to ignore
    (the agency, in the rows of many reports)."""
    rows = _row_map(spec.code, transfer_counting().value)
    table = {row: dict.fromkeys(APPLICANT_COLUMN_KEYS, 0) for row in spec.application_row_keys}
    new, old, forward = table["new_received"], table["carried_over"], table["carried_forward"]
    if skip:
        groups = [group[skip:] for group in groups]
    for col, disposition, is_new, closed_in, n in groups:
        if is_new:
            new[col] += n
        else:
            old[col] += n
        if closed_in:
            table[rows[disposition]][col] += n
        else:
            forward[col] += n
    outcomes = [table[row] for row in spec.outcome_row_keys]
    processed = table["total_processed"]
    for col in APPLICANT_COLUMN_KEYS:
        processed[col] = sum([cells[col] for cells in outcomes])
    for cells in table.values():
        cells["total"] = sum(cells.values())  # the six applicant columns, before "total"
    return table


def _fetch(qs) -> list[tuple]:
    """The rows of a grouped query as plain tuples, straight from the cursor."""
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def table_three(agency_ids, year: int, fmt: str | None = None) -> dict[str, dict[str, int]]:
    """Table 三 for ``year`` from one grouped query (the rules of gongkai.annual.engine)."""
    spec = get_format(fmt) if fmt else format_for_year(year)
    return _fill(_groups(agency_ids, year), spec)


def _figure_counts(year: int) -> dict[str, Count]:
    start, end = date(year, 1, 1), date(year, 12, 31)
    closed = Q(closed_on__gte=start, closed_on__lte=end)
    return {
        "applications_received": Count(
            "pk", filter=Q(received_on__gte=start, received_on__lte=end)
        ),
        "applications_closed": Count("pk", filter=closed),
        "applications_on_time": Count(
            "pk", filter=closed & Q(due_on__isnull=False, closed_on__lte=F("due_on"))
        ),
    }


def application_figures(agency_ids, year: int) -> dict[str, int]:
    """Applications received and closed in ``year``, and closed by their due day (one query)."""
    qs = Application.objects.filter(agency_id__in=list(agency_ids))
    return qs.aggregate(**_figure_counts(year))


def applications_behind(subject: Subject, year: int, path: str):
    """The applications that make up a cell of table 三 (``applications.<row>.<col>``), as a
    QuerySet; ``None`` for a cell of another table."""
    part, _, rest = path.partition(".")
    if part != "applications":
        return None
    row, _, col = rest.partition(".")
    spec = format_for_year(year)
    start, end = date(year, 1, 1), date(year, 12, 31)
    qs = _counted(subject.agency_ids, year)
    if col != "total":
        qs = qs.filter(applicant_kind=col)
    if row == "new_received":
        return qs.filter(received_on__gte=start)
    if row == "carried_over":
        return qs.filter(received_on__lt=start)
    if row == "carried_forward":
        return qs.filter(Q(closed_on=None) | Q(closed_on__gt=end))
    qs = qs.filter(closed_on__lte=end)
    if row == "total_processed":
        return qs
    counting = transfer_counting()
    wanted = [
        d
        for d in Application.Disposition.values
        if row_for(d, spec.code, transfer_counting=counting) == row
    ]
    return qs.filter(disposition__in=wanted)


# --- the whole report -------------------------------------------------------------------


@dataclass
class Computed:
    """A computed report: the document, the figures of 总体情况, and the sources it lacked."""

    document: Document
    figures: dict[str, Any]
    missing: list[str] = field(default_factory=list)

    @property
    def findings(self) -> list[dict[str, Any]]:
        return self.document["findings"]


def compute(subject: Subject, year: int, *, sections: dict[str, str] | None = None) -> Computed:
    """Compute ``subject``'s report for ``year`` from the records, with every finding.

    ``sections`` are the texts of 一、五、六 (``overview``, ``problems``, ``other``); without
    them the draft 总体情况 is written from the figures (:func:`figures.draft_overview`).
    """
    spec = format_for_year(year)
    return _assemble(
        subject,
        year,
        table=table_three(subject.agency_ids, year, spec.code),
        before=table_three(subject.agency_ids, year - 1),
        counts=application_figures(subject.agency_ids, year),
        sections=sections,
    )


def compute_all(
    subjects: list[Subject], year: int, *, every_agency: bool = False
) -> list[Computed]:
    """Compute many reports with a few grouped queries in all (not a few per report).

    Table 三 of this year and last, and the application figures: three queries grouped by
    agency. Each source with a ``_by_agency`` companion (:mod:`.sources`) is asked once for
    every single-agency subject; a unit's report calls the sources itself.
    ``every_agency``: the subjects cover the whole installation, so the queries need no list of
    agencies. Each report is the same as :func:`compute` gives (tests/annualreport).
    """
    spec = format_for_year(year)
    ids = None if every_agency else sorted({i for s in subjects for i in s.agency_ids})
    now: dict[int, list] = {}
    for row in _fetch(_groups(ids, year, by_agency=True)):
        now.setdefault(row[0], []).append(row)
    then: dict[int, list] = {}
    for row in _fetch(_groups(ids, year - 1, by_agency=True)):
        then.setdefault(row[0], []).append(row)
    qs = Application.objects.all() if ids is None else Application.objects.filter(agency_id__in=ids)
    counts = {
        row.pop("agency_id"): row
        for row in qs.values("agency_id").annotate(**_figure_counts(year)).order_by()
    }
    singles = sorted({s.agency_ids[0] for s in subjects if len(s.agency_ids) == 1})
    answered: dict[str, dict[int, dict[str, Any]]] = {}
    for name in SOURCE_NAMES:
        many = resolve_many(name)
        if many is None or resolve(name) is None or not singles:
            continue
        extra = {"fmt": spec.code} if name == "table_two" else {}
        answered[name] = many(agency_ids=None if every_agency else singles, year=year, **extra)
    zero = {"applications_received": 0, "applications_closed": 0, "applications_on_time": 0}
    out = []
    for subject in subjects:
        ids_ = subject.agency_ids
        if len(ids_) == 1:
            (only,) = ids_
            summed = dict(counts.get(only) or zero)
            table = _fill(now.get(only, ()), spec, skip=1)
            before = _carried_forward(then.get(only, ()))
            given = {name: rows[only] for name, rows in answered.items()}
        else:
            summed = {key: sum((counts.get(i) or zero)[key] for i in ids_) for key in zero}
            table = _fill([g for i in ids_ for g in now.get(i, ())], spec, skip=1)
            before = _carried_forward([g for i in ids_ for g in then.get(i, ())])
            given = {}
        out.append(
            _assemble(
                subject,
                year,
                table=table,
                before=before,
                counts=summed,
                sections=None,
                given=given,
            )
        )
    return out


def _carried_forward(groups) -> dict[str, dict[str, int]]:
    """Of last year's table 三 (grouped rows with the agency first), the one row this year's
    report is checked against: 结转下年度 (``cross_year.carry``, the only rule that reads it)."""
    row = dict.fromkeys(APPLICANT_COLUMN_KEYS, 0)
    for _agency, col, _disposition, _is_new, closed_in, n in groups:
        if not closed_in:
            row[col] += n
    row["total"] = sum(row.values())
    return {"carried_forward": row}


def reports_for_all(year: int) -> list[Computed]:
    """Every agency's own report for ``year``, computed from the records (agency order): the
    batch path of :func:`compute_all`, a few grouped queries in all."""
    subjects = [Subject.of(a) for a in Agency.objects.order_by("sort_order", "pk")]
    return compute_all(subjects, year, every_agency=True)


def _assemble(
    subject: Subject,
    year: int,
    *,
    table: dict[str, dict[str, int]],
    before: dict[str, dict[str, int]],
    counts: dict[str, int],
    sections: dict[str, str] | None,
    given: dict[str, dict[str, Any]] | None = None,
) -> Computed:
    spec = format_for_year(year)
    doc = empty_document(subject.name, year, spec.code, fill=None)
    sources = Sources(agency_ids=list(subject.agency_ids), year=year, given=given or {})
    doc["applications"] = table

    unread: set[str] = set()
    extra: list[Finding] = []
    proactive = sources.call("table_two", fmt=spec.code)
    if proactive is None:
        cells = [f"proactive.{row}.{col}" for row, col in spec.proactive_cells()]
        unread.update(cells)
        extra.append(_missing("table_two", "表二（主动公开政府信息情况）", cells))
    else:
        _merge(doc["proactive"], proactive, "proactive")
    review = sources.call("table_four")
    if review is None:
        cells = list(REVIEW_CELLS)
        unread.update(cells)
        extra.append(_missing("table_four", "表四（行政复议、行政诉讼情况）", cells))
    else:
        _merge(doc["review_litigation"], review, "review_litigation")
        for group in doc["review_litigation"].values():
            if group["total"] is None and all(
                group[c] is not None for c, _ in REVIEW_COLUMNS if c != "total"
            ):
                group["total"] = sum(group[c] for c, _ in REVIEW_COLUMNS if c != "total")

    figures = gather_figures(doc, counts, sources)
    if sections is None:
        sections = {"overview": fig.draft_overview(name=subject.name, year=year, figures=figures)}
    doc["sections"] = {key: sections.get(key, "") or "" for key in SECTION_KEYS}

    previous = {
        "year": year - 1,
        "format": format_for_year(year - 1).code,
        "applications": before,
    }
    found = check_report(doc, previous=previous, unreadable=unread)
    found += extra
    found += fig.check_figures(doc["sections"], figures)
    doc["findings"] = findings_as_dicts(found)
    return Computed(document=doc, figures=figures, missing=list(sources.missing))


def gather_figures(doc: Document, counts: dict[str, int], sources: Sources) -> dict[str, Any]:
    """Every figure 总体情况 states, from table 三, the other tables and the sources."""
    out: dict[str, Any] = dict(counts)
    # What the text says about applications must agree with table 三 (the auditor's check).
    out["applications_received"] = doc["applications"]["new_received"]["total"]
    out["applications_closed"] = doc["applications"]["total_processed"]["total"]
    rl = doc["review_litigation"]
    if rl["review"]["total"] is not None:
        out["review"] = rl["review"]["total"]
        out["litigation"] = (rl["litigation_direct"]["total"] or 0) + (
            rl["litigation_after_review"]["total"] or 0
        )
    for name in (
        "normative",
        "publications",
        "mailbox",
        "sites",
        "new_media",
        "visits",
        "trainings",
    ):
        got = sources.call(name)
        if got is not None:
            out.update(got)
    if out.get("letters_received") is not None and out.get("letters_answered") is not None:
        # 答复率 as the text writes it (a percent, one decimal), from the two counts the text
        # also states — whatever scale the mailbox source uses for its own rate.
        received, answered = out["letters_received"], out["letters_answered"]
        out["answer_rate"] = round(100 * answered / received, 1) if received else None
    return out


def _missing(source: str, what: str, cells: list[str]) -> Finding:
    return Finding(
        SOURCE_MISSING,
        "error",
        f"{what}的数据来源“{source}”未接入，相应单元格为空；接入后才能审核和发布 / "
        f"the source {source!r} is not connected: its cells are empty",
        tuple(cells),
    )


def _merge(target: dict[str, dict[str, Any]], given: dict[str, Any], part: str) -> None:
    for row, cols in given.items():
        if row not in target:
            raise ValueError(f"报告格式中没有 {part}.{row} 这一行 / no row {part}.{row}")
        for col, value in cols.items():
            if col not in target[row]:
                raise ValueError(
                    f"报告格式中没有 {part}.{row}.{col} 这一格 / no cell {part}.{row}.{col}"
                )
            target[row][col] = value
