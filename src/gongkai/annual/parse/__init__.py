"""The auditor's reader: any published annual report (web page, text, Word, PDF) → the document.

``parse_path(path)`` and ``parse_text(text)`` return a document in the shape of
docs/spec/annual-report-json.md with ``findings`` filled: what the reader itself noticed
(unreadable cells, label drift, inferred splits), then
:func:`gongkai.annual.checks.check_report` (the table checks and ``narrative.mismatch``) — the
same checks as the report engine.
A file that cannot be read at all raises :class:`ReportUnreadable`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from gongkai.annual.checks import SECTION_MISSING, check_report, make_finding
from gongkai.annual.document import Document, Finding
from gongkai.annual.formats import SCHEMA, get_format
from gongkai.annual.parse.identify import (
    expand_agency,
    guess_year,
    identify_format,
    identify_title,
)
from gongkai.annual.parse.sources import (
    KNOWN_SUFFIXES,
    Line,
    SourceError,
    read_path,
    read_plain,
)
from gongkai.annual.parse.stream import Stream, build_stream
from gongkai.annual.parse.tables import find_headings, read_tables

__all__ = [
    "KNOWN_SUFFIXES",
    "Parsed",
    "ReportUnreadable",
    "finish",
    "parse_path",
    "parse_text",
    "read_file",
    "read_lines",
]


class ReportUnreadable(Exception):
    """The input cannot be read as a report at all (message: Chinese / English)."""


@dataclass
class Parsed:
    """A report as read, before the checks: the document and what the reader could not read."""

    doc: Document
    findings: list[Finding] = field(default_factory=list)
    unreadable: frozenset[str] = frozenset()
    absent: frozenset[str] = frozenset()


def read_file(path: str | Path) -> Parsed:
    """Read the report at ``path`` (no checks yet; see :func:`finish`)."""
    path = Path(path)
    try:
        if path.suffix.lower() == ".pdf":
            return _read_pdf(path)
        lines = read_path(path)
    except SourceError as error:
        raise ReportUnreadable(f"{path.name}: {error}") from error
    return read_lines(lines, name=path.name)


def _read_pdf(path: Path) -> Parsed:
    """Read a PDF's text (or, for a scan, its OCR text: every cell then ``cell.inferred``
    unless the table's arithmetic confirms it, see :mod:`.ocr`)."""
    from gongkai.annual.parse.ocr import mark_ocr_cells
    from gongkai.annual.parse.pdf import PdfError, read_pdf_lines

    try:
        lines, scanned = read_pdf_lines(path)
    except PdfError as error:
        raise SourceError(str(error)) from error
    except Exception as error:  # a broken PDF raises whatever PDFium raises
        raise SourceError(f"PDF 已损坏 / broken PDF: {error}") from error
    parsed = read_lines(lines, name=path.name)
    if scanned:
        mark_ocr_cells(parsed)
    return parsed


def read_lines(lines: list[Line], *, name: str = "") -> Parsed:
    """Read a report from its lines and table rows (see :mod:`.sources`)."""
    stream = build_stream(lines)
    if not stream.compact and not stream.runs:
        raise ReportUnreadable(f"{name or '输入'}: 内容为空 / the input is empty")
    agency, year = identify_title(stream.text)
    body = "\n".join(stream.text)
    if year is None:
        year = guess_year(body)
    agency = expand_agency(agency, "".join(body.split()))
    headings = find_headings(stream.compact)
    start = headings.get("二", (0, 0))[0]
    end = headings.get("五", (len(stream.compact), 0))[0]
    fmt = get_format(identify_format(stream.compact[start:end], year))
    tables = read_tables(stream, fmt, year)
    if tables.rows_found < 5:
        raise ReportUnreadable(
            f"{name or '输入'}: 找不到年度报告的任何表格（二、三、四）"
            " / no table of an annual report (二, 三, 四) was found"
        )
    doc: Document = {
        "schema": SCHEMA,
        "agency": agency,
        "year": year,
        "format": fmt.code,
        "proactive": tables.proactive,
        "applications": tables.applications,
        "review_litigation": tables.review_litigation,
    }
    if tables.units:
        doc["units"] = dict(tables.units)
    doc["sections"] = _sections(stream)
    findings = [*_missing_sections(headings, fmt.sections), *tables.findings]
    return Parsed(doc, findings, frozenset(tables.unreadable), frozenset(tables.absent))


def _missing_sections(headings: dict, labels: tuple[str, ...]) -> list[Finding]:
    """One ``section.missing`` finding per heading 一–六 the report does not have (条例第五十条)."""
    return [
        make_finding(SECTION_MISSING, f"报告缺少「{label}」部分 / section {label[0]} is missing")
        for key, label in zip("一二三四五六", labels, strict=True)
        if key not in headings
    ]


def finish(parsed: Parsed, *, previous: Document | None = None) -> Document:
    """Return the document with ``findings``: the reader's, then the checks' (one code path)."""
    doc = dict(parsed.doc)
    findings = list(parsed.findings)
    findings += check_report(
        doc, previous=previous, unreadable=parsed.unreadable, absent=parsed.absent
    )
    doc["findings"] = [finding.to_dict() for finding in findings]
    return doc


def parse_path(path: str | Path, *, previous: Document | None = None) -> Document:
    """Read and check the report at ``path``; raise :class:`ReportUnreadable` if impossible."""
    return finish(read_file(path), previous=previous)


def parse_text(text: str, *, name: str = "", previous: Document | None = None) -> Document:
    """Read and check a report given as text (plain, pipe or Markdown tables)."""
    if "<table" in text[:200000].lower() or "<html" in text[:2000].lower():
        from gongkai.annual.parse.sources import read_html

        lines = read_html(text)
    else:
        lines = read_plain(text)
    return finish(read_lines(lines, name=name), previous=previous)


_SECTION_TEXT = {
    "overview": (r"一\s*[、.]\s*总\s*体\s*情\s*况", r"二\s*[、.]\s*主\s*动\s*公\s*开"),
    "problems": (r"五\s*[、.][^。\n]{0,16}?问\s*题[^。\n]{0,12}?情\s*况", r"六\s*[、.]\s*其\s*他"),
    "other": (r"六\s*[、.]\s*其\s*他\s*需\s*要\s*报\s*告\s*的\s*事\s*项", None),
}


def _sections(stream: Stream) -> dict[str, str]:
    text = "\n".join(line for line in stream.text if line)
    out: dict[str, str] = {}
    cursor = 0
    for key, (head, tail) in _SECTION_TEXT.items():
        match = re.search(head, text[cursor:])
        if not match:
            continue
        begin = cursor + match.end()
        stop = re.search(tail, text[begin:]) if tail else None
        finish_at = begin + stop.start() if stop else len(text)
        out[key] = text[begin:finish_at].strip()
        cursor = begin
    return out
