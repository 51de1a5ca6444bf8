"""Read an HTML page (or HTML carried inside a script's string literal) into lines and rows.

The page is parsed by libxml2 (lxml), which repairs broken markup as browsers do and is an
order of magnitude faster than the standard library's ``html.parser`` on the large pages Word
exports. Text outside tables becomes lines (block elements and ``<br>`` break them); each table
row becomes one :class:`~gongkai.annual.parse.sources.Line` with its cells laid out on a grid
(rowspan/colspan expanded: a merged cell's text at its first position, ``None`` where it
covers). A table nested in a cell is emitted before the table around it.
"""

from __future__ import annotations

import re

from lxml import etree

from gongkai.annual.parse.lines import Line

_BLOCK = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "title",
        "section",
        "article",
        "header",
        "footer",
        "tr",
        "table",
        "blockquote",
        "pre",
        "dt",
        "dd",
        "hr",
    ]
)
_SKIP = ("script", "style", "noscript", "template", "head")
#: Tags of block elements, whose start and end break a line (tables and rows are read apart).
_BREAK_NAMES = "|".join(sorted(_BLOCK - {"table", "tr"}))
_BREAK_TAGS = re.compile(rf"<(?=/?(?:{_BREAK_NAMES})\b)", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_PARSER = etree.HTMLParser(recover=True, no_network=True, remove_comments=True, remove_pis=True)


def read_html(text: str) -> list[Line]:
    """Return the lines and table rows of an HTML page (the tables found in script literals
    too, when the page draws its report with JavaScript)."""
    lines = _read(text)
    if not any(line.cells for line in lines):
        literal = html_in_script(text)
        if literal is not None:
            return _read(literal)
    return lines


def _read(text: str) -> list[Line]:
    text = _XML_DECLARATION.sub("", text, count=1).replace("\ue000", "")  # our table marker
    text = _BREAK_TAGS.sub("\n<", text)
    try:
        root = etree.fromstring(text, _PARSER)
    except (etree.ParserError, ValueError):
        root = None
    if root is None:
        return []
    # Work in C as far as possible: a line break before every tag of a block element (in the
    # source, _BREAK_TAGS) ends a line where the element starts and ends; drop scripts and
    # styles, keeping the text after them; take text with itertext().
    etree.strip_elements(root, *_SKIP, with_tail=False)
    tables: list[list[Line]] = []
    for table in list(root.iter("table")):
        if next(table.iterancestors("table"), None) is not None:
            continue  # read with the table around it
        rows: list[Line] = []
        _table(table, rows)
        table.tail = f"\ue000{len(tables)}\ue000" + (table.tail or "")
        tables.append(rows)
    etree.strip_elements(root, "table", with_tail=False)
    lines: list[Line] = []
    for index, piece in enumerate("".join(root.itertext()).split("\ue000")):
        if index % 2:
            for row in tables[int(piece)]:
                lines.append(Line(len(lines) + 1, cells=row.cells))
            continue
        for part in piece.split("\n"):
            part = part.strip()
            if part:
                lines.append(Line(len(lines) + 1, text=part))
    return lines


def _table(table: etree._Element, out: list[Line]) -> None:
    """Rows of ``table``; a table nested in one of its cells is emitted first."""
    for nested in list(table.iter("table")):
        if nested is not table and next(nested.iterancestors("table")) is table:
            _table(nested, out)
            _remove(nested)
    rows: list[list[tuple[str, int, int]]] = []
    for row in table.iter("tr"):
        cells = []
        for cell in row:
            if cell.tag not in ("td", "th"):
                continue
            text = "".join(cell.itertext()) if len(cell) else (cell.text or "")
            cells.append((_cell_text(text), _span(cell.get("rowspan")), _span(cell.get("colspan"))))
        rows.append(cells)
    for grid_row in expand_grid(rows):
        if any(cell is not None for cell in grid_row):
            out.append(Line(0, cells=tuple(grid_row)))


def _remove(element: etree._Element) -> None:
    """Take ``element`` out of the tree, keeping the text after it."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail or ""
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(element)


def _span(value: str | None) -> int:
    if value is None:
        return 1
    try:
        return max(1, min(int(value or 1), 200))
    except ValueError:
        return 1


def _cell_text(text: str) -> str:
    if "\n" not in text:
        return text.strip()
    pieces = [piece.strip() for piece in text.split("\n")]
    return " ".join(piece for piece in pieces if piece)


def expand_grid(rows: list[list[tuple[str, int, int]]]) -> list[list[str | None]]:
    """Lay (text, rowspan, colspan) cells out on a grid: a merged cell's text at its first
    position, ``None`` at the others."""
    grid: dict[tuple[int, int], str | None] = {}
    width = 0
    height = len(rows)
    for r, row in enumerate(rows):
        c = 0
        for text, rowspan, colspan in row:
            while (r, c) in grid:
                c += 1
            for dr in range(min(rowspan, height - r)):
                for dc in range(colspan):
                    grid[(r + dr, c + dc)] = text if dr == dc == 0 else None
            c += colspan
            width = max(width, c)
    return [[grid.get((r, c)) for c in range(width)] for r in range(height)]


# --- HTML carried in a script: document.write("<table>…"), var html = '…' ------------------

_LITERAL = re.compile(
    r"""(["'])((?:\\.|(?!\1)[^\\\n])*?<(?:table|TABLE|tr|td)\b(?:\\.|(?!\1)[^\\\n])*)\1"""
)


def html_in_script(text: str) -> str | None:
    """The HTML of a page that carries its report inside JavaScript string literals.

    Some sites deliver the report as ``document.write("<table …>")`` or a variable holding
    escaped HTML (``\\"``, ``\\n``, ``\\/``, ``\\uXXXX``) after kilobytes of other script.
    Return the decoded literals that hold markup, joined in order, or ``None`` when no
    literal holds a table (the caller asks only when the page's own markup has none).
    """
    if "\\" not in text:
        return None
    found = [match.group(2) for match in _LITERAL.finditer(text) if "<" in match.group(2)]
    if not found:
        return None
    return "\n".join(_unescape(literal) for literal in found)


_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)", re.S)
_SIMPLE = {"n": "\n", "t": "\t", "r": "\r", "b": "", "f": "", "v": "", "0": ""}


def _unescape(literal: str) -> str:
    """Decode a JavaScript string literal's escapes (``\\"`` ``\\n`` ``\\/`` ``\\uXXXX`` …)."""

    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        if len(code) > 1:
            return chr(int(code[1:], 16))
        return _SIMPLE.get(code, code)

    return _ESCAPE.sub(one, literal)
