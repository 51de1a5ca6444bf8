"""More layouts real reports come in, for the reader's round-trip tests.

- :func:`to_script_html` — the report's HTML carried in a JavaScript string literal
  (``\\"``, ``\\n``, ``\\/``, ``\\uXXXX``) after kilobytes of other script, blanks as ``&nbsp;``;
- :func:`to_cell_lines` — a table copied one cell per line with nothing else on the line: a
  number broken over two lines, labels one character per line, Windows line endings;
- :func:`merge_identical_lines` — text saved by a tool that keeps one of consecutive identical
  lines (a row 3/0/0/0/0/0/3 stored as 3, 0, 3);
- :func:`to_proactive_variant` — Markdown whose table 二 has fewer columns than the template,
  or columns named by year (「2019年项目数量」);
- :func:`signed_cell_text` and :func:`unit_cell_text` — cell printers: signed changes
  (``+1``, ``－2``, ``减少1``), full-width digits, thousands separators, money with its unit.
"""

from __future__ import annotations

import copy
import json
import random
from decimal import Decimal

from gongkai.annual.document import Document, Number
from gongkai.annual.formats import MONEY_COLUMNS, get_format
from gongkai.annual.render.grid import CellText, format_value, report_blocks
from gongkai.annual.render.html import to_html
from gongkai.annual.render.text import markdown_table

_FULLWIDTH = str.maketrans("0123456789+-", "０１２３４５６７８９＋－")


def to_script_html(doc: Document, *, filler_kb: int = 8, cell_text: CellText = format_value) -> str:
    """A page whose report is HTML inside a script's string literal (``innerHTML = "…"``)."""
    html = to_html(doc, cell_text=cell_text, standalone=False)
    html = html.replace("<td></td>", "<td>&nbsp;</td>").replace("<td ", "<td class='c' ", 1)
    literal = json.dumps(html, ensure_ascii=True).replace("</", "<\\/")
    filler = "\n".join(
        f'var menu{i} = {{"title": "栏目{i}", "url": "\\/col\\/{i}.html", "n": {i * 7}}};'
        for i in range(filler_kb * 1024 // 60)
    )
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>政府信息公开</title>\n'
        f'<script>\n{filler}\n</script></head>\n<body><div id="content"></div>\n<script>\n'
        f"var content = {literal};\n"
        'document.getElementById("content").innerHTML = content;\n</script>\n</body></html>\n'
    )


def to_cell_lines(
    doc: Document,
    *,
    split_numbers: bool = True,
    split_labels: bool = True,
    crlf: bool = True,
    cell_text: CellText = format_value,
) -> str:
    """Every table cell on a line of its own; blank cells as empty lines. With
    ``split_numbers``, every number of three digits or more is broken after its first digit
    (``162`` → ``1`` then ``62``); with ``split_labels`` short labels print one character per
    line; with ``crlf`` lines end in ``\\r\\n``."""
    lines: list[str] = []
    for block in report_blocks(doc, cell_text=cell_text):
        if block.table is None:
            lines.append(block.text)
            continue
        for cell in block.table.cells():
            text = cell.text
            if split_numbers and cell.path and text.isdigit() and len(text) >= 3:
                lines += [text[0], text[1:]]
            elif split_labels and not cell.path and 2 <= len(text) <= 8:
                lines += list(text)
            else:
                lines.append(text)
    return ("\r\n" if crlf else "\n").join(lines) + "\n"


def merge_identical_lines(text: str) -> str:
    """Keep one line of each run of identical consecutive lines."""
    out: list[str] = []
    for line in text.split("\n"):
        if not out or line != out[-1]:
            out.append(line)
    merged = "\n".join(out)
    if merged == text:
        raise ValueError("没有相同的相邻行 / no identical consecutive lines to merge")
    return merged


def to_proactive_variant(
    doc: Document, *, drop: tuple[str, ...] = (), by_year: bool = False
) -> str:
    """Markdown of the report whose table 二 leaves out the columns ``drop`` and, with
    ``by_year``, names columns by year (「2019年项目数量」 for 上一年项目数量 in a 2020 report,
    「2020年新制作数量」 for 本年新制作数量)."""
    fmt = get_format(doc["format"])
    if drop and not any(c in t.columns for t in fmt.proactive for c in drop):
        raise ValueError(f"表二没有这些列 / table 二 has no columns {drop}")
    year = int(doc.get("year") or 0)
    out: list[str] = []
    for block in report_blocks(doc):
        if block.kind == "title":
            out.append(f"# {block.text}")
        elif block.kind == "heading":
            out.append(f"## {block.text}")
        elif block.table is None:
            out.append(block.text)
        elif block.table.part != "proactive":
            out.append(markdown_table(block.table))
        else:
            for table in fmt.proactive:
                columns = [c for c in table.columns if c not in drop]
                names = [_year_name(c, year) if by_year else c for c in columns]
                rows = ["| 信息内容 | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]
                for row in table.rows:
                    values = [format_value(doc["proactive"][row][c]) for c in columns]
                    rows.append(f"| {row} | " + " | ".join(values) + " |")
                out += [table.caption, "\n".join(rows)]
    return "\n\n".join(out) + "\n"


def _year_name(column: str, year: int) -> str:
    if column.startswith("上一年"):
        return f"{year - 1}年" + column[3:]
    if column.startswith("本年") and not column.startswith("本年增"):
        return f"{year}年" + column[2:]
    return column


def signed_cell_text(seed: int = 0) -> CellText:
    """A printer for table 二's 本年增/减: ``+3``, ``-2``, ``＋３``, ``－２``, ``增加3``,
    ``减少2`` at random; other cells print as usual."""
    rng = random.Random(seed)

    def text(value: Number, path: str = "") -> str:
        if not path.endswith("本年增/减") or not isinstance(value, int) or value == 0:
            return format_value(value)
        style = rng.randrange(3)
        if style == 0:
            return f"{value:+d}"
        if style == 1:
            return f"{value:+d}".translate(_FULLWIDTH)
        return f"增加{value}" if value > 0 else f"减少{-value}"

    text.wants_path = True  # type: ignore[attr-defined]
    return text


def signed_changes(doc: Document, seed: int = 0) -> Document:
    """A copy of a 2019-format ``doc`` whose 本年增/减 cells are non-zero, some negative."""
    if doc.get("format") != "2019":
        raise ValueError("只有 2019 格式有「本年增/减」/ only the 2019 format has 本年增/减")
    rng = random.Random(seed)
    changed = copy.deepcopy(doc)
    for cols in changed["proactive"].values():
        if "本年增/减" in cols:
            cols["本年增/减"] = rng.choice([-12, -2, -1, 1, 3, 40])
    return changed


def unit_cell_text(unit: str = "万元") -> CellText:
    """A printer that writes decimals with the unit after them (「96171.6万元」) and large
    integers with thousands separators."""

    def text(value: Number) -> str:
        if isinstance(value, float | Decimal):
            return f"{format_value(value)}{unit}"
        if isinstance(value, int) and value >= 1000:
            return f"{value:,}"
        return format_value(value)

    return text


def money_paths(doc: Document) -> list[str]:
    """The money cells of table 二 (their values may be decimals)."""
    return [
        f"proactive.{row}.{col}"
        for row, cols in (doc.get("proactive") or {}).items()
        for col in cols
        if col in MONEY_COLUMNS
    ]
