"""Read a report file into lines of text and rows of table cells.

Every format comes out as one list of :class:`Line`: a line of running text, or one row of a
table with its cells (rowspan/colspan expanded in the grid; the positions a merged cell covers
are ``None`` and carry no value of their own). Encodings are detected from the BOM, then
UTF-8, then GB18030 (a superset of GBK), then charset-normalizer.
"""

from __future__ import annotations

import re
from pathlib import Path

from gongkai.annual.parse.html import read_html
from gongkai.annual.parse.lines import Line

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".text"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})
_OLD_BINARY = frozenset({".doc", ".wps", ".xls", ".et"})
KNOWN_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | {".docx", ".pdf"}


__all__ = ["Line", "SourceError", "decode", "read_html", "read_path", "read_plain"]


class SourceError(Exception):
    """The file cannot be read at all (wrong kind, broken, undecodable)."""


def decode(data: bytes) -> str:
    """Decode report bytes: BOM, UTF-8, GB18030/GBK, UTF-16 heuristics, charset-normalizer."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    utf16 = _utf16_without_bom(data)
    if utf16:
        return data.decode(utf16, errors="replace")
    if b"\x00" in data[:4096]:
        raise SourceError("文件是二进制内容，不是文本 / the file is binary, not text")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise SourceError("无法识别文件编码 / cannot detect the text encoding")
    return str(best)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a BOM: the ASCII in the text (digits, newlines) leaves NULs on one side."""
    sample = data[:8192]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd >= len(sample) // 50 and even <= odd // 4:
        return "utf-16-le"
    if even >= len(sample) // 50 and odd <= even // 4:
        return "utf-16-be"
    return None


def read_path(path: Path) -> list[Line]:
    """Return the lines of the report at ``path`` (by its extension; text when unknown)."""
    suffix = path.suffix.lower()
    if suffix in _OLD_BINARY:
        raise SourceError(
            f"不支持旧的 {suffix} 格式，请另存为 .docx 或 PDF / old {suffix} files are not "
            "supported: save as .docx or PDF"
        )
    try:
        if suffix == ".pdf":
            return read_pdf(path)
        if suffix == ".docx":
            return read_docx(path)
        data = path.read_bytes()
    except SourceError:
        raise
    except OSError as error:
        raise SourceError(f"无法读取文件 / cannot read the file: {error}") from error
    except Exception as error:  # a broken PDF or .docx raises whatever its library raises
        raise SourceError(
            f"文件已损坏或格式不符 / broken or not a {suffix} file: {error}"
        ) from error
    text = decode(data)
    if suffix in HTML_SUFFIXES or (suffix not in TEXT_SUFFIXES and _looks_like_html(text)):
        return read_html(text)
    return read_plain(text)


def _looks_like_html(text: str) -> bool:
    head = text[:2000].lower()
    return "<html" in head or "<table" in head or "<!doctype html" in head


# --- plain text and Markdown -----------------------------------------------------------------

_MD_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def read_plain(text: str) -> list[Line]:
    """Lines of plain text; lines with ``|`` (Markdown, copied web tables) or tabs become rows."""
    lines: list[Line] = []
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    for number, raw in enumerate(text.split("\n"), 1):
        if "|" not in raw:
            if "--" in raw and _MD_RULE.match(raw):
                pass
            elif "\t" in raw and "\t" in raw.strip():
                # a table copied from Word or a spreadsheet: tab-separated cells
                lines.append(Line(number, cells=tuple(cell.strip() for cell in raw.split("\t"))))
            else:
                lines.append(Line(number, text=raw))
            continue
        head, _, rest = raw.partition("|")
        if not raw.startswith("|") and not rest.replace("|", "").strip():
            # A web table copied one cell per line (the seed): 「2 |」; 「 |」 is a blank cell;
            # further bars pad a row the grid has more columns for (「第二十条第(一)项 | |||」).
            lines.append(Line(number, cells=(head.strip(),)))
            continue
        if _MD_RULE.match(raw):
            continue
        cells = [cell.strip() for cell in raw.split("|")]
        if raw.lstrip().startswith("|"):  # Markdown: every cell between bars counts
            cells = cells[1:-1] if raw.rstrip().endswith("|") else cells[1:]
        else:  # 「a | b | c」: cells between bars; a trailing bar ends the row
            while cells and not cells[-1]:
                cells.pop()
        if cells:
            lines.append(Line(number, cells=tuple(cells)))
    return _without_empty_tables(lines)


def _without_empty_tables(lines: list[Line]) -> list[Line]:
    """Drop tables with no text in any cell: placeholders converters leave, which would
    otherwise pad the numbers of the row before them with blank cells."""
    out: list[Line] = []
    block: list[Line] = []
    for line in [*lines, Line(0, text="")]:
        if line.cells is not None:
            block.append(line)
            continue
        if block and any(cell for row in block for cell in row.cells or ()):
            out += block
        block = []
        if line.number:
            out.append(line)
    return out


# --- Word (.docx) ---------------------------------------------------------------------------


def read_docx(path: Path) -> list[Line]:
    """Paragraphs and tables of a .docx in document order (merged cells once, then ``None``)."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(path))
    lines: list[Line] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = Paragraph(child, document).text
            if text.strip():
                lines.append(Line(len(lines) + 1, text=text))
        elif tag == "tbl":
            seen: set = set()  # the <w:tc> elements themselves, kept alive (ids get reused)
            for row in Table(child, document).rows:
                cells: list[str | None] = []
                for cell in row.cells:
                    if cell._tc in seen:
                        cells.append(None)
                        continue
                    seen.add(cell._tc)
                    cells.append(
                        " ".join(p.text.strip() for p in cell.paragraphs if p.text.strip())
                    )
                if any(cell is not None for cell in cells):
                    lines.append(Line(len(lines) + 1, cells=tuple(cells)))
    return lines


# --- PDF ----------------------------------------------------------------------------------------


def read_pdf(path: Path) -> list[Line]:
    """Column-aligned text lines of every page (see :mod:`.pdf`; OCR for a scan)."""
    from gongkai.annual.parse.pdf import PdfError, read_pdf_lines

    try:
        return read_pdf_lines(path)[0]
    except PdfError as error:
        raise SourceError(str(error)) from error
