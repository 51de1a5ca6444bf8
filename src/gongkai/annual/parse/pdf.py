"""Read a PDF report into column-aligned lines of text (PDFium through pypdfium2).

Each character's box comes from PDFium (C++, the engine of Chromium's viewer), which reads a
page in a few milliseconds where pdfminer's pure-Python layout analysis took 50–80 ms
(docs/adr/pdf-text-from-pdfium.md). Characters are grouped into lines by their top (3 pt
tolerance) and into words by their gaps (3 pt), and each word is placed at the column its left
edge falls in (7.25 pt per character), with at least one space between words — the layout
``pdftotext -layout`` and pdfplumber print, which :mod:`.columns_text` reads blank cells from.

A PDF without any text (a scan) is read by OCR when Tesseract and its Simplified Chinese data
are installed (:mod:`.ocr`); otherwise it is refused with a message that says so.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from pathlib import Path

from gongkai.annual.parse.lines import Line

X_DENSITY = 7.25  # points per character column
X_TOLERANCE = 3.0  # a larger gap between characters starts a new word
Y_TOLERANCE = 3.0
OCR_X_TOLERANCE = 6.0  # characters whose tops differ by less sit on one line


class PdfError(Exception):
    """The PDF cannot be opened (broken, encrypted) or has no text to read."""


@dataclass(frozen=True, slots=True)
class Glyph:
    """A character, or an OCR word, with its box in points from the page's top left corner."""

    text: str
    x0: float
    x1: float
    top: float


def pdf_pages(path: Path) -> tuple[list[list[Glyph]], int]:
    """Return every page's glyphs (empty for a page without a text layer) and the page count."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as error:
        raise PdfError(f"PDF 已损坏或已加密 / broken or encrypted PDF: {error}") from error
    pages: list[list[Glyph]] = []
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            height = page.get_height()
            glyphs: list[Glyph] = []
            handle = textpage.raw
            x, y = ctypes.c_double(), ctypes.c_double()
            for i in range(textpage.count_chars()):
                if raw.FPDFText_IsGenerated(handle, i):
                    continue
                code = raw.FPDFText_GetUnicode(handle, i)
                if not code:
                    continue
                char = chr(code)
                left, _, right, _ = textpage.get_charbox(i, loose=True)
                raw.FPDFText_GetCharOrigin(handle, i, x, y)
                if char.isspace():
                    char = " "
                glyphs.append(Glyph(char, left, right, height - y.value))
            pages.append(glyphs)
            textpage.close()
            page.close()
    finally:
        pdf.close()
    return pages, len(pages)


def layout_lines(glyphs: list[Glyph], *, x_tolerance: float = X_TOLERANCE) -> list[str]:
    """Lay a page's glyphs out as column-aligned lines of text."""
    lines: list[str] = []
    for row in _cluster_lines(glyphs):
        text = ""
        for word_x0, word in _words(row, x_tolerance):
            column = round(word_x0 / X_DENSITY)
            text += " " * max(min(1, len(text)), column - len(text)) + word
        if text.strip():
            lines.append(text)
    return lines


def _cluster_lines(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """Group glyphs into lines: sorted by top, a new line where a top is more than the
    tolerance below the previous one."""
    rows: list[list[Glyph]] = []
    last = None
    for glyph in sorted(glyphs, key=lambda g: g.top):
        if last is None or glyph.top - last > Y_TOLERANCE:
            rows.append([])
        rows[-1].append(glyph)
        last = glyph.top
    return rows


def _words(row: list[Glyph], x_tolerance: float) -> list[tuple[float, str]]:
    """Words of a line, left to right: split at spaces and at gaps wider than the tolerance."""
    words: list[tuple[float, str]] = []
    start = 0.0
    current = ""
    right = None
    for glyph in sorted(row, key=lambda g: g.x0):
        if glyph.text == " ":
            if current:
                words.append((start, current))
            current, right = "", None
            continue
        if current and right is not None and glyph.x0 - right > x_tolerance:
            words.append((start, current))
            current = ""
        if not current:
            start = glyph.x0
        current += glyph.text
        right = glyph.x1
    if current:
        words.append((start, current))
    return words


def read_pdf_lines(path: Path) -> tuple[list[Line], bool]:
    """Return the column-aligned lines of every page, and whether they came from OCR.

    Raise :class:`PdfError` for a PDF without text that cannot be read by OCR here.
    """
    pages, count = pdf_pages(path)
    lines: list[Line] = []
    for glyphs in pages:
        for text in layout_lines(glyphs):
            lines.append(Line(len(lines) + 1, text=text))
    if lines:
        return lines, False
    from gongkai.annual.parse.ocr import OcrUnavailable, ocr_pages

    try:
        scanned = ocr_pages(path, count)
    except OcrUnavailable as error:
        raise PdfError(
            "PDF 中没有文字层（扫描件），需要 OCR 才能读取：请安装 Tesseract 及其简体中文数据"
            "（Debian/Ubuntu：apt-get install tesseract-ocr tesseract-ocr-chi-sim）"
            f" / the PDF has no text layer (a scan); install Tesseract with its Simplified "
            f"Chinese data to read it by OCR ({error})"
        ) from error
    for glyphs in scanned:
        # OCR cuts Chinese text into "words" at random, a few points apart: join them.
        for text in layout_lines(glyphs, x_tolerance=OCR_X_TOLERANCE):
            lines.append(Line(len(lines) + 1, text=text))
    if not lines:
        raise PdfError("OCR 未能从扫描件中识别出文字 / OCR found no text in the scanned PDF")
    return lines, True
