"""The catalogue as an XLSX workbook, in the layout offices publish (docs/law/ogi-spec.md §5).

Row 1 is the title (merged across the table); rows 2-3 are the two-row header: 序号, 过程 (when
any entry has one), 公开内容（要素）… span both rows, while 公开事项, 公开渠道和载体, 公开对象,
公开方式 and 公开层级 are merged across their sub-columns. A channel cell holds ■ (mandatory),
□ (optional) or nothing; a tick column holds 「√」. Consecutive rows with the same 一级事项
share one merged cell. :func:`read_rows` reads that layout back — merged cells, columns in any
order, the 过程 column or not — and refuses the file with every bad cell (row and column)
rather than keep part of it. No Django here.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from gongkai.catalogue.columns import (
    CHANNEL_GROUP,
    CHANNELS,
    ITEM_COLUMNS,
    ITEM_GROUP,
    MARK_VALUES,
    MARKS,
    TEXT_COLUMNS,
    TICK,
    TICK_GROUPS,
    TICKS,
    Row,
    clean_text,
    problems,
)

HEADER_ROW = 2
FIRST_DATA_ROW = 4
SHEET_TITLE = "标准目录"


@dataclass(frozen=True)
class CellError:
    """A bad cell: its Excel row number, column letter and heading, and what is wrong."""

    row: int
    column: str
    heading: str
    message: str

    def __str__(self) -> str:
        where = f"第{self.row}行" if self.row else "文件"
        col = f"{self.column}列（{self.heading}）" if self.column else ""
        return f"{where}{col}：{self.message}"


class SheetError(ValueError):
    """The file was refused; ``errors`` lists every bad cell."""

    def __init__(self, errors: Sequence[CellError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(map(str, self.errors)))


def _layout(has_process: bool) -> list[tuple[str, str, str]]:
    """Return (group heading, sub-heading, key) per column; a single column's sub is ''."""
    cols: list[tuple[str, str, str]] = [("序号", "", "seq")]
    if has_process:
        cols.append(("过程", "", "process"))
    cols += [(ITEM_GROUP, heading, name) for name, heading, _r in ITEM_COLUMNS]
    cols += [(heading, "", name) for name, heading, _r in TEXT_COLUMNS]
    cols += [(CHANNEL_GROUP, label, f"channel:{code}") for code, label in CHANNELS]
    for group, subs in TICK_GROUPS:
        cols += [(group, label, name) for name, label in subs]
    return cols


def _put(cell, value: str) -> None:
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # text that starts with 「=」 stays text, never a formula


def write_rows(rows: Sequence[Row], *, title: str) -> bytes:
    """Return the XLSX file of ``rows`` under ``title`` in the published layout."""
    has_process = any(row.process for row in rows)
    cols = _layout(has_process)
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_TITLE
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center", horizontal="center")
    last = get_column_letter(len(cols))
    _put(sheet.cell(1, 1), title)
    sheet.cell(1, 1).font = Font(bold=True, size=14)
    sheet.cell(1, 1).alignment = Alignment(horizontal="center")
    sheet.merge_cells(f"A1:{last}1")
    index = 0
    while index < len(cols):
        group, sub, _key = cols[index]
        span = 1
        while index + span < len(cols) and sub and cols[index + span][0] == group:
            span += 1
        _put(sheet.cell(HEADER_ROW, index + 1), group)
        if sub:
            for offset in range(span):
                _put(sheet.cell(HEADER_ROW + 1, index + 1 + offset), cols[index + offset][1])
            if span > 1:
                sheet.merge_cells(
                    start_row=HEADER_ROW,
                    start_column=index + 1,
                    end_row=HEADER_ROW,
                    end_column=index + span,
                )
        else:
            sheet.merge_cells(
                start_row=HEADER_ROW,
                start_column=index + 1,
                end_row=HEADER_ROW + 1,
                end_column=index + 1,
            )
        index += span
    for r in (HEADER_ROW, HEADER_ROW + 1):
        for c in range(1, len(cols) + 1):
            sheet.cell(r, c).font = Font(bold=True)
            sheet.cell(r, c).alignment = wrap
            sheet.cell(r, c).border = border
    for offset, row in enumerate(rows):
        r = FIRST_DATA_ROW + offset
        for c, (_group, _sub, key) in enumerate(cols, start=1):
            cell = sheet.cell(r, c)
            cell.border = border
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            if key == "seq":
                cell.value = offset + 1
            elif key.startswith("channel:"):
                mark = MARKS.get(row.channels.get(key.split(":", 1)[1], ""), "")
                if mark:
                    _put(cell, mark)
                cell.alignment = wrap
            elif isinstance(getattr(row, key), bool):
                if getattr(row, key):
                    _put(cell, TICK)
                cell.alignment = wrap
            elif getattr(row, key):
                _put(cell, getattr(row, key))
    l1 = 1 + [key for _g, _s, key in cols].index("item_l1")
    start = 0
    for offset in range(1, len(rows) + 1):
        if offset == len(rows) or rows[offset].item_l1 != rows[start].item_l1:
            if offset - start > 1:
                sheet.merge_cells(
                    start_row=FIRST_DATA_ROW + start,
                    start_column=l1,
                    end_row=FIRST_DATA_ROW + offset - 1,
                    end_column=l1,
                )
            start = offset
    for c, (_group, _sub, key) in enumerate(cols, start=1):
        wide = key in {"content", "basis", "item_l2", "item_l1", "time_limit", "subject"}
        sheet.column_dimensions[get_column_letter(c)].width = 24 if wide else 6
    sheet.freeze_panes = sheet.cell(FIRST_DATA_ROW, 1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _filled(sheet) -> dict[tuple[int, int], object]:
    """Return every cell's value, with a merged range's value copied into all its cells."""
    values: dict[tuple[int, int], object] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is not None:
                values[(cell.row, cell.column)] = cell.value
    for merged in sheet.merged_cells.ranges:
        top = values.get((merged.min_row, merged.min_col))
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                if top is None:
                    values.pop((r, c), None)
                else:
                    values[(r, c)] = top
    return values


#: Other spellings of headings seen in published catalogues (docs/law/ogi-spec.md §5).
ALIASES = {"特定群众": "特定群体", "依申请公开": "依申请", "乡（镇）级": "乡级", "乡镇级": "乡级"}


def _heading(value: object) -> str:
    """Return a heading as :func:`_layout` spells it: no spaces or line breaks, full-width
    parentheses, and the aliases offices use."""
    text = "".join(clean_text(value).split()).replace("(", "（").replace(")", "）")
    return ALIASES.get(text, text)


def _columns(values, width: int, header: int) -> tuple[dict[str, int], list[CellError]]:
    """Map each known key to its column from the two header rows; report missing headings."""
    found: dict[str, int] = {}
    wanted = {(g, s): key for g, s, key in _layout(True)}
    for c in range(1, width + 1):
        group = _heading(values.get((header, c)))
        sub = _heading(values.get((header + 1, c)))
        key = wanted.get((group, "" if sub == group else sub))
        if key and key not in found:
            found[key] = c
    errors = []
    for (group, sub), key in wanted.items():
        if key not in found and key not in {"seq", "process"}:
            name = f"{group}/{sub}" if sub else group
            errors.append(
                CellError(header, "", "", f"表头缺少「{name}」列 / missing column {name}")
            )
    return found, errors


def _header_row(values, height: int) -> int | None:
    for r in range(1, min(height, 10) + 1):
        if any(_heading(v) == "序号" for (row, _c), v in values.items() if row == r):
            return r
    return None


def read_rows(data: bytes) -> list[Row]:
    """Return the entries of an XLSX catalogue, or raise :class:`SheetError` with every bad cell."""
    try:
        book = load_workbook(io.BytesIO(data), data_only=True)
    except Exception as error:  # noqa: BLE001 — a damaged file raises from zip, zlib, XML…
        raise SheetError(
            [CellError(0, "", "", f"不是有效的 XLSX 文件 / not an XLSX file ({error})")]
        ) from None
    # The catalogue is the first sheet with a header row (a file may open with a 说明 sheet).
    for sheet in book.worksheets:
        values = _filled(sheet)
        header = _header_row(values, sheet.max_row)
        if header is not None:
            break
    else:
        raise SheetError([CellError(0, "", "", "找不到表头（「序号」）/ no header row (序号)")])
    columns, errors = _columns(values, sheet.max_column, header)
    if errors:
        raise SheetError(errors)
    headings = {key: (g, s) for g, s, key in _layout(True)}
    rows: list[Row] = []
    seen: dict[tuple[str, str], int] = {}
    for r in range(header + 2, sheet.max_row + 1):
        cells = {key: values.get((r, c)) for key, c in columns.items() if key != "seq"}
        if all(clean_text(v) == "" for v in cells.values()):
            continue
        row, bad = _row(cells)
        for key, message in bad:
            c = columns.get(key, 0)
            g, s = headings.get(key, ("", ""))
            errors.append(CellError(r, get_column_letter(c) if c else "", s or g, message))
        if row is None:
            continue
        for key, message in problems(row):
            c = columns.get(key if key in columns else _first_channel(columns), 0)
            g, s = headings.get(key, (CHANNEL_GROUP, ""))
            errors.append(CellError(r, get_column_letter(c), s or g, message))
        if row.key in seen:
            c = columns["item_l2"]
            errors.append(
                CellError(
                    r,
                    get_column_letter(c),
                    "二级事项",
                    f"与第{seen[row.key]}行的公开事项重复 / same item as row {seen[row.key]}",
                )
            )
        seen.setdefault(row.key, r)
        rows.append(row)
    if errors:
        raise SheetError(errors)
    return rows


def _first_channel(columns: dict[str, int]) -> str:
    return next(key for key in columns if key.startswith("channel:"))


def _row(cells: dict[str, object]) -> tuple[Row | None, list[tuple[str, str]]]:
    bad: list[tuple[str, str]] = []
    text = {key: clean_text(value) for key, value in cells.items()}
    channels = {}
    flags = {}
    for key, value in text.items():
        if key.startswith("channel:") and value:
            if value not in MARK_VALUES:
                bad.append(
                    (
                        key,
                        f"应填 ■（必选）、□（可选）或留空，而不是「{value}」 / use ■, □ or nothing",
                    )
                )
            else:
                channels[key.split(":", 1)[1]] = MARK_VALUES[value]
    for _group, subs in TICK_GROUPS:
        for name, _label in subs:
            value = text.get(name, "")
            if value and value not in TICKS:
                bad.append(
                    (name, f"应填「√」或留空，而不是「{value}」 / tick with √ or leave empty")
                )
            flags[name] = bool(value) and value in TICKS
    row = Row(
        item_l1=text.get("item_l1", ""),
        item_l2=text.get("item_l2", ""),
        content=text.get("content", ""),
        basis=text.get("basis", ""),
        time_limit=text.get("time_limit", ""),
        subject=text.get("subject", ""),
        process=text.get("process", ""),
        channels=channels,
        **flags,
    )
    return row, bad
