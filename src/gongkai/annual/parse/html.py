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
from collections.abc import Iterator

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
_SKIP = frozenset({"script", "style", "noscript", "template", "head"})
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
    text = _XML_DECLARATION.sub("", text, count=1)
    try:
        root = etree.fromstring(text, _PARSER)
    except (etree.ParserError, ValueError):
        root = None
    reader = _Reader()
    if root is not None:
        reader.block(root)
        reader.flush()
    return reader.lines


class _Reader:
    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.buffer: list[str] = []

    def flush(self) -> None:
        if not self.buffer:
            return
        text = "".join(self.buffer)
        self.buffer = []
        for part in text.split("\n"):
            part = part.strip()
            if part:
                self.lines.append(Line(len(self.lines) + 1, text=part))

    def block(self, element: etree._Element) -> None:
        """Running text of ``element`` and everything in it (its tail is the caller's)."""
        tag = element.tag
        if not isinstance(tag, str) or tag in _SKIP:
            return
        if tag == "table":
            self.flush()
            self.table(element)
            return
        is_block = tag in _BLOCK
        if is_block:
            self.buffer.append("\n")
        if element.text:
            self.buffer.append(element.text)
        for child in element:
            self.block(child)
            if child.tail:
                self.buffer.append(child.tail)
        if is_block:
            self.buffer.append("\n")

    def table(self, table: etree._Element) -> None:
        rows: list[list[tuple[str, int, int]]] = []
        for row in _rows(table):
            cells = []
            for cell in row:
                if cell.tag not in ("td", "th"):
                    continue
                if len(cell):
                    parts: list[str] = []
                    self.cell(cell, parts)
                    text = _cell_text(parts)
                else:
                    text = _cell_text([cell.text]) if cell.text else ""
                cells.append((text, _span(cell.get("rowspan")), _span(cell.get("colspan"))))
            rows.append(cells)
        for grid_row in expand_grid(rows):
            if any(cell is not None for cell in grid_row):
                self.lines.append(Line(len(self.lines) + 1, cells=tuple(grid_row)))

    def cell(self, element: etree._Element, parts: list[str]) -> None:
        """Text of a cell; a table nested in it is emitted as rows of its own, first."""
        if element.text:
            parts.append(element.text)
        for child in element:
            tag = child.tag
            if isinstance(tag, str) and tag not in _SKIP:
                if tag == "table":
                    self.table(child)
                else:
                    block = tag in _BLOCK
                    if block:
                        parts.append("\n")
                    self.cell(child, parts)
                    if block:
                        parts.append("\n")
            if child.tail:
                parts.append(child.tail)


def _rows(table: etree._Element) -> Iterator[etree._Element]:
    """The ``<tr>`` of ``table`` (through thead/tbody/tfoot), not those of nested tables."""
    for child in table:
        tag = child.tag
        if tag == "tr":
            yield child
        elif isinstance(tag, str) and tag != "table" and tag not in ("td", "th"):
            yield from _rows(child)


def _span(value: str | None) -> int:
    if value is None:
        return 1
    try:
        return max(1, min(int(value or 1), 200))
    except ValueError:
        return 1


def _cell_text(parts: list[str]) -> str:
    text = "".join(parts)
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
