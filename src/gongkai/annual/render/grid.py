"""The report's tables as grids of cells with row and column spans, as the official template
(国办公开办函〔2019〕60号, 〔2021〕30号) draws them; every renderer lays these out.

A row missing from the document (``perturb.drop_row``) is left out of the grid and the spans
around it shrink, the way a report that forgot a row prints.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from gongkai.annual.document import Document, Number
from gongkai.annual.formats import (
    APPLICANT_COLUMNS,
    G_OTHER,
    RESULTS_GROUP,
    REVIEW_COLUMNS,
    REVIEW_GROUPS,
    TABLE3_NOTE,
    TOTAL_COLUMN,
    Format,
    Row,
    get_format,
)

CellText = Callable[[Number], str]
#: The two （六） sub-rows a one-row （六） leaves out.
ONE_ROW_OTHER = frozenset({"other_overdue_correction", "other_overdue_fee"})


def format_value(value: Number) -> str:
    """Print a cell value as a report does: integers plainly, money as written, blank as ''."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


@dataclass
class Cell:
    """One table cell; ``path`` is the document path of a numeric cell, ``None`` for labels."""

    text: str
    rowspan: int = 1
    colspan: int = 1
    header: bool = False
    path: str | None = None


@dataclass
class Table:
    """A table in HTML order: each row lists only the cells that start in it."""

    part: str
    ncols: int
    rows: list[list[Cell]] = field(default_factory=list)

    def cells(self) -> Iterator[Cell]:
        for row in self.rows:
            yield from row

    def value_paths(self) -> list[str]:
        return [c.path for c in self.cells() if c.path]

    def positions(self) -> list[list[Cell | None]]:
        """Return the full grid: ``grid[r][c]`` is the cell starting there, ``None`` if covered."""
        height = len(self.rows)
        grid: list[list[Cell | None]] = [[None] * self.ncols for _ in range(height)]
        taken = [[False] * self.ncols for _ in range(height)]
        for r, row in enumerate(self.rows):
            c = 0
            for cell in row:
                while c < self.ncols and taken[r][c]:
                    c += 1
                if c >= self.ncols:
                    raise ValueError(f"row {r} of table {self.part} overflows")
                grid[r][c] = cell
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        taken[r + dr][c + dc] = True
                c += cell.colspan
        return grid


def report_title(doc: Document) -> str:
    return f"{doc.get('agency', '')}{doc.get('year', '')}年政府信息公开工作年度报告"


def build_tables(doc: Document, *, cell_text: CellText = format_value) -> dict[str, Table]:
    """Return the tables of sections 二, 三 and 四 present in ``doc``, keyed by document part."""
    fmt = get_format(doc["format"])
    tables: dict[str, Table] = {}
    if doc.get("proactive"):
        tables["proactive"] = _proactive(doc, fmt, cell_text)
    if doc.get("applications"):
        tables["applications"] = _applications(doc, fmt, cell_text)
    if doc.get("review_litigation"):
        tables["review_litigation"] = _review(doc, cell_text)
    return tables


def _value_cell(doc: Document, path: str, cell_text: CellText, colspan: int = 1) -> Cell:
    part, row, col = path.split(".", 2)
    value = doc[part][row].get(col)
    if getattr(cell_text, "wants_path", False):  # a printer that depends on the column
        return Cell(cell_text(value, path), colspan=colspan, path=path)  # type: ignore[call-arg]
    return Cell(cell_text(value), colspan=colspan, path=path)


def _proactive(doc: Document, fmt: Format, cell_text: CellText) -> Table:
    width = 1 + max(len(t.columns) for t in fmt.proactive)
    table = Table("proactive", width)
    for sub in fmt.proactive:
        rows = [r for r in sub.rows if r in doc["proactive"]]
        if not rows:
            continue
        table.rows.append([Cell(sub.caption, colspan=width, header=True)])
        spans = _spread(len(sub.columns), width - 1)
        table.rows.append(
            [Cell("信息内容", header=True)]
            + [Cell(col, colspan=s, header=True) for col, s in zip(sub.columns, spans, strict=True)]
        )
        for row in rows:
            table.rows.append(
                [Cell(row, header=True)]
                + [
                    _value_cell(doc, f"proactive.{row}.{col}", cell_text, s)
                    for col, s in zip(sub.columns, spans, strict=True)
                ]
            )
    return table


def _spread(n: int, width: int) -> list[int]:
    """Column spans of ``n`` cells over ``width`` grid columns: the last cell takes the rest."""
    return [1] * (n - 1) + [width - (n - 1)]


def _applications(doc: Document, fmt: Format, cell_text: CellText) -> Table:
    apps = doc["applications"]
    columns = (*APPLICANT_COLUMNS, TOTAL_COLUMN)
    table = Table("applications", 3 + len(columns))
    table.rows.append(
        [
            Cell(TABLE3_NOTE, rowspan=3, colspan=3, header=True),
            Cell("申请人情况", colspan=7, header=True),
        ]
    )
    table.rows.append(
        [
            Cell("自然人", rowspan=2, header=True),
            Cell("法人或其他组织", colspan=5, header=True),
            Cell("总计", rowspan=2, header=True),
        ]
    )
    table.rows.append([Cell(label, header=True) for _, label in APPLICANT_COLUMNS[1:]])

    def values(key: str) -> list[Cell]:
        return [_value_cell(doc, f"applications.{key}.{col}", cell_text) for col, _ in columns]

    rows = [r for r in fmt.application_rows if r.key in apps]
    if ONE_ROW_OTHER.isdisjoint(apps) and "other_other" in apps:
        # A 2021 report printing （六） as one row (perturb.one_row_other; 004/005 of the corpus).
        rows = [Row(r.key, G_OTHER, RESULTS_GROUP) if r.key == "other_other" else r for r in rows]
    results = [r for r in rows if r.group]
    sub_groups = Counter(r.group for r in results if r.group != RESULTS_GROUP)
    opened: set[str] = set()
    for r in rows:
        lead: list[Cell] = []
        if not r.group:
            table.rows.append([Cell(r.label, colspan=3, header=True), *values(r.key)])
            continue
        if r is results[0]:
            lead.append(Cell(RESULTS_GROUP, rowspan=len(results), header=True))
        if r.group == RESULTS_GROUP:
            lead.append(Cell(r.label, colspan=2, header=True))
        else:
            if r.group not in opened:
                opened.add(r.group)
                lead.append(Cell(r.group, rowspan=sub_groups[r.group], header=True))
            lead.append(Cell(r.label, header=True))
        table.rows.append([*lead, *values(r.key)])
    return table


def _review(doc: Document, cell_text: CellText) -> Table:
    table = Table("review_litigation", 15)
    table.rows.append(
        [Cell("行政复议", colspan=5, header=True), Cell("行政诉讼", colspan=10, header=True)]
    )
    table.rows.append(
        [Cell(label, rowspan=2, header=True) for _, label in REVIEW_COLUMNS]
        + [Cell(label.split("/")[1], colspan=5, header=True) for _, label in REVIEW_GROUPS[1:]]
    )
    table.rows.append(
        [Cell(label, header=True) for _ in REVIEW_GROUPS[1:] for _, label in REVIEW_COLUMNS]
    )
    values: list[Cell] = []
    for group, _ in REVIEW_GROUPS:
        if group not in doc["review_litigation"]:
            values += [Cell("") for _ in REVIEW_COLUMNS]
            continue
        values += [
            _value_cell(doc, f"review_litigation.{group}.{col}", cell_text)
            for col, _ in REVIEW_COLUMNS
        ]
    table.rows.append(values)
    return table


#: Where the free text of ``doc["sections"]`` goes: after which of the six headings.
SECTION_TEXT = {0: "overview", 4: "problems", 5: "other"}
#: Which table follows which heading.
SECTION_TABLE = {1: "proactive", 2: "applications", 3: "review_litigation"}


@dataclass(frozen=True)
class Block:
    """One piece of a rendered report, in reading order."""

    kind: str  # "title" | "heading" | "paragraph" | "table"
    text: str = ""
    table: Table | None = None


def report_blocks(doc: Document, *, cell_text: CellText = format_value) -> list[Block]:
    """Return the whole report in reading order: title, the six headings, text and tables."""
    fmt = get_format(doc["format"])
    tables = build_tables(doc, cell_text=cell_text)
    sections = doc.get("sections") or {}
    blocks = [Block("title", report_title(doc))]
    for i, heading in enumerate(fmt.sections):
        blocks.append(Block("heading", heading))
        text = sections.get(SECTION_TEXT.get(i, ""), "") or ""
        blocks += [Block("paragraph", line.strip()) for line in text.splitlines() if line.strip()]
        if SECTION_TABLE.get(i) in tables:
            blocks.append(Block("table", table=tables[SECTION_TABLE[i]]))
    return blocks
