"""The scorecard of a scheme: every assessed agency against every item, explained, and as XLSX."""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font

from gongkai.assessment.facts import measure
from gongkai.assessment.models import Item, Scheme
from gongkai.assessment.scoring import Cell, score, total


@dataclass(frozen=True)
class Line:
    """One assessed agency's row of the scorecard."""

    agency: Any
    cells: list[Cell]
    points: Decimal
    maximum: Decimal

    @property
    def share(self) -> Decimal | None:
        """得分率 in percent (None when no item counts)."""
        if not self.maximum:
            return None
        return (self.points / self.maximum * 100).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class Scorecard:
    scheme: Scheme
    items: list[Item]
    lines: list[Line]


def scorecard(scheme: Scheme) -> Scorecard:
    """Measure every item for every assessed agency (live: the facts as they stand now)."""
    items = list(scheme.items.all())
    lines = []
    for agency in scheme.assessed.order_by("sort_order", "name"):
        cells = []
        for item in items:
            found = measure(item.fact, agency=agency, year=scheme.year)
            cells.append(
                score(
                    weight=item.weight,
                    ratio=found.ratio,
                    value=found.value,
                    fact=found.explanation,
                    no_data=item.when_no_data,
                )
            )
        points, maximum = total(cells)
        lines.append(Line(agency, cells, points, maximum))
    lines.sort(key=lambda line: (-(line.share or 0), -line.points, line.agency.sort_order))
    return Scorecard(scheme, items, lines)


def export_scorecard(card: Scorecard) -> bytes:
    """Return the scorecard as XLSX: sheet 「得分」 (each cell's explanation as its comment) and
    sheet 「计分说明」 (one row per agency and item)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "得分"
    head = ["机关", *(f"{i.label}（{i.weight}分）" for i in card.items), "得分", "满分"]
    sheet.append([card.scheme.title])
    sheet.append(head)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True)
    for line in card.lines:
        sheet.append(
            [
                line.agency.name,
                *(float(c.points) if c.points is not None else "不计" for c in line.cells),
                float(line.points),
                float(line.maximum),
            ]
        )
        row = sheet.max_row
        for column, c in enumerate(line.cells, start=2):
            sheet.cell(row, column).comment = Comment(c.explanation, "gongkai")
    sheet.column_dimensions["A"].width = 30
    notes = book.create_sheet("计分说明")
    notes.append(["机关", "考核项目", "分值", "数据", "得分", "说明"])
    for line in card.lines:
        for item, c in zip(card.items, line.cells, strict=True):
            notes.append(
                [
                    line.agency.name,
                    item.label,
                    float(item.weight),
                    c.value,
                    float(c.points) if c.points is not None else "不计",
                    c.explanation,
                ]
            )
    for ws in book.worksheets:  # text that starts with 「=」 stays text, never a formula
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
