"""A report as PDF-to-Markdown converters and OCR tools write it.

Such tools rebuild a table from what they see on the page, and get it wrong in ways real
reports show: the table is cut into small tables, one per group of rows, under generic column
headers (「数据1」…「数据6」); one block's headers are shifted by a column; empty placeholder
tables appear; a row loses its label, which floats on a line of its own just above; header
words are split across cells; the page footer (「— 3 —」「第3页」) lands inside a table; a group
label is merged into the first row's label cell; long labels are cut short; and tables carry
their own numbers (「表一」「表二」「表三」). Each trait can be switched on alone (``traits=``),
so a test can tell which one a reader fails on.
"""

from __future__ import annotations

from collections.abc import Iterable

from gongkai.annual.document import Document
from gongkai.annual.render.grid import Block, Cell, CellText, Table, format_value, report_blocks

TRAITS = frozenset(
    {
        "split",  # one small table per group of rows
        "generic",  # headers 数据1…数据N instead of the template's
        "shifted",  # one block's header row is shifted by a column
        "placeholder",  # empty tables between blocks
        "floating",  # some rows lose their label, printed on the line above
        "footer",  # page footers inside tables
        "merged",  # a group label merged into its first row's label cell
        "truncated",  # labels cut to TRUNCATE characters
        "numbered",  # 表一/表二/表三 captions
        "split_header",  # header words split across cells
    }
)
TRUNCATE = 12
_NUMERALS = "一二三四五六七八九十"


def to_converter_markdown(
    doc: Document, *, traits: Iterable[str] = TRAITS, cell_text: CellText = format_value
) -> str:
    """Render ``doc`` as a converter's Markdown with the given ``traits`` (default: all)."""
    traits = frozenset(traits)
    unknown = traits - TRAITS
    if unknown:
        raise ValueError(f"未知的特征 / unknown traits: {sorted(unknown)}")
    out: list[str] = []
    tables = 0
    for block in report_blocks(doc, cell_text=cell_text):
        if block.kind == "title":
            out.append(f"# {block.text}")
        elif block.kind == "heading":
            out.append(f"## {block.text}")
        elif block.table is None:
            out.append(block.text)
        else:
            if "numbered" in traits:
                out.append(f"表{_NUMERALS[tables]}")
            tables += 1
            out += _table(block, traits, page=tables + 1)
    return "\n\n".join(out) + "\n"


def _table(block: Block, traits: frozenset[str], page: int) -> list[str]:
    table = block.table
    assert table is not None
    grid = table.positions()
    header_rows = _header_count(table)
    header = [[_text(cell) for cell in row] for row in grid[:header_rows]]
    body = [(row, [_text(cell) for cell in row]) for row in grid[header_rows:]]
    groups = _groups(table, body) if "split" in traits else [body]
    pieces: list[str] = []
    for index, group in enumerate(groups):
        rows = [texts for _, texts in group]
        if "merged" in traits:
            rows = _merge_group_labels(rows)
        if "truncated" in traits:
            rows = [
                [_cut(text) if i < _label_columns(row) else text for i, text in enumerate(row)]
                for row in rows
            ]
        head = _head(header, table.ncols, traits, shifted=index == 1 and "shifted" in traits)
        floating: list[str] = []
        if "floating" in traits and index % 2 == 1 and rows:
            first = rows[0]
            labels = [text for text in first[: _label_columns(first)] if text]
            if labels:
                floating = [labels[-1]]
                rows[0] = [""] * _label_columns(first) + first[_label_columns(first) :]
        lines = [*head, *(_md(row) for row in rows)]
        if "footer" in traits and index == len(groups) // 2 and len(lines) > 3:
            lines.insert(len(lines) - 1, _md([f"— {page} —"] + [""] * (table.ncols - 1)))
        pieces += [*floating, "\n".join(lines)]
        if "placeholder" in traits and index == 0:
            pieces.append(_md([""] * 3) + "\n|---|---|---|\n" + _md([""] * 3))
        if "footer" in traits and index == 0 and len(groups) > 1:
            pieces.append(f"第{page}页")
    return pieces


def _header_count(table: Table) -> int:
    """Rows before the first row with a value (the template's header rows)."""
    for index, row in enumerate(table.rows):
        if any(cell.path for cell in row):
            return index
    return len(table.rows)


def _groups(table: Table, body: list) -> list[list]:
    """Cut the body at every row that starts a group (a caption row, or a new group label)."""
    groups: list[list] = [[]]
    for row, texts in body:
        starts = not any(cell and cell.path for cell in row) or (
            table.part == "applications" and row[0] is not None and groups[-1]
        )
        starts = starts or (
            table.part == "applications" and row[1] is not None and row[1].rowspan > 1
        )
        if starts and groups[-1]:
            groups.append([])
        groups[-1].append((row, texts))
    return [group for group in groups if group]


def _head(header: list[list[str]], ncols: int, traits: frozenset[str], shifted: bool) -> list[str]:
    if "generic" in traits:
        names = ["项目"] + [f"数据{i}" for i in range(1, ncols)]
    else:
        names = [
            " ".join(dict.fromkeys(t for t in column if t)) for column in zip(*header, strict=True)
        ]
        names = names or [""] * ncols
    if "split_header" in traits:
        names = [name[: len(name) // 2] if len(name) > 3 else name for name in names]
    if shifted:
        names = ["", *names[:-1]]
    return [_md(names), "|" + "---|" * ncols]


def _label_columns(row: list[str]) -> int:
    """How many leading cells of a body row are labels (not values)."""
    count = 0
    for text in row:
        if text and not _is_value(text):
            count += 1
        elif text:
            break
        else:
            count += 1
    return min(count, max(1, len(row) - 1))


def _is_value(text: str) -> bool:
    return text.replace(".", "", 1).replace(",", "").lstrip("-").isdigit()


def _merge_group_labels(rows: list[list[str]]) -> list[list[str]]:
    """「（三）不予公开」 and 「1.属于国家秘密」 in one cell, the group's own cell left empty."""
    out = []
    for row in rows:
        row = list(row)
        labels = [i for i in range(_label_columns(row)) if row[i]]
        if len(labels) >= 2:
            first, last = labels[-2], labels[-1]
            row[last] = f"{row[first]} {row[last]}"
            row[first] = ""
        out.append(row)
    return out


def _cut(text: str) -> str:
    return text[:TRUNCATE] if len(text) > TRUNCATE else text


def _text(cell: Cell | None) -> str:
    return cell.text.replace("|", "\\|") if cell else ""


def _md(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"
