"""Read a scanned PDF (pages that are images, no text layer) with Tesseract OCR.

Each page is rendered at 300 dpi with PDFium and read by the ``tesseract`` program with its
Simplified Chinese data (``chi_sim``; Debian/Ubuntu: ``apt-get install tesseract-ocr
tesseract-ocr-chi-sim``). Its words, with their boxes, are laid out like a PDF's text
(:func:`.pdf.layout_lines`), so the same reader reads them. OCR misreads digits, so every cell
read this way is reported ``cell.inferred`` unless the table's own arithmetic confirms it (the
row adds up, and so does its column or group).
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from gongkai.annual.checks import CELL_INFERRED, make_finding
from gongkai.annual.document import iter_cells
from gongkai.annual.formats import APPLICATION_COLUMN_KEYS, get_format
from gongkai.annual.parse.pdf import Glyph

if TYPE_CHECKING:
    from PIL import Image

    from gongkai.annual.parse import Parsed

DPI = 300
LANGUAGE = "chi_sim"
TIMEOUT = 120  # seconds per page


class OcrUnavailable(Exception):
    """Tesseract or its Simplified Chinese data is not installed."""


def ocr_available() -> str | None:
    """Return why OCR cannot run here, or ``None`` when it can."""
    program = shutil.which("tesseract")
    if program is None:
        return "tesseract 未安装 / tesseract is not installed"
    try:
        found = subprocess.run(
            [program, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError) as error:
        return f"tesseract 无法运行 / tesseract does not run: {error}"
    if LANGUAGE not in found.stdout.split():
        return f"缺少 {LANGUAGE} 语言数据 / the {LANGUAGE} language data is not installed"
    return None


def ocr_pages(path: Path, count: int) -> list[list[Glyph]]:
    """OCR every page of the PDF at ``path``: each page's words as glyphs, in points."""
    reason = ocr_available()
    if reason is not None:
        raise OcrUnavailable(reason)
    import pypdfium2 as pdfium

    scale = DPI / 72
    pdf = pdfium.PdfDocument(str(path))
    try:
        with tempfile.TemporaryDirectory(prefix="gongkai-ocr-") as tmp:
            images = []
            for index in range(min(count, len(pdf))):
                image = pdf[index].render(scale=scale, grayscale=True).to_pil().convert("L")
                png = Path(tmp) / f"page{index}.png"
                remove_rules(image).save(png)
                images.append(png)
            # Tesseract runs as a program: its pages can be read side by side.
            with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
                return list(pool.map(lambda png: _words(png, scale), images))
    finally:
        pdf.close()


_DARK = bytes(1 if value < 160 else 0 for value in range(256))
#: Dark runs longer than any character: a horizontal rule, a vertical one (cells are short).
_RULES = (re.compile(rb"\x01{%d,}" % int(DPI * 0.5)), re.compile(rb"\x01{%d,}" % int(DPI * 0.2)))


def remove_rules(image: Image.Image) -> Image.Image:
    """Whiten a table's rules (dark runs longer than any character), so OCR reads the cells
    as text in columns instead of misreading the lines as characters."""
    from PIL import Image

    def clean(img: Image.Image, rule: re.Pattern[bytes]) -> Image.Image:
        width = img.width
        data = bytearray(img.tobytes())
        dark = bytes(data).translate(_DARK)
        for top in range(0, len(dark), width):
            row = dark[top : top + width]
            for match in rule.finditer(row):
                # a rule is a few pixels thick: clear the run and its neighbours above/below
                for offset in (-2 * width, -width, 0, width, 2 * width):
                    start = top + offset + match.start()
                    if start >= 0 and start + len(match.group()) <= len(data):
                        data[start : start + len(match.group())] = b"\xff" * len(match.group())
        return Image.frombytes("L", img.size, bytes(data))

    image = clean(image, _RULES[0])
    return clean(image.transpose(Image.Transpose.TRANSPOSE), _RULES[1]).transpose(
        Image.Transpose.TRANSPOSE
    )


_DEBRIS = re.compile(r"[|丨_\[\]()（）]+")
_ZERO_LIKE = re.compile(r"[oO。〇]")


def _words(png: Path, scale: float) -> list[Glyph]:
    result = subprocess.run(
        ["tesseract", str(png), "stdout", "-l", LANGUAGE, "--psm", "6", "tsv"],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    if result.returncode != 0:
        raise OcrUnavailable(result.stderr.strip()[:200] or "tesseract failed")
    glyphs: list[Glyph] = []
    for row in csv.DictReader(io.StringIO(result.stdout), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        if _DEBRIS.fullmatch(text):
            continue  # what is left of a rule
        if _ZERO_LIKE.fullmatch(text):
            text = "0"  # OCR reads a lone 0 as o, O or 。 (the cell is reported inferred)
        left, top, width = int(row["left"]), int(row["top"]), int(row["width"])
        glyphs.append(Glyph(text, left / scale, (left + width) / scale, top / scale))
    return glyphs


def confirmed_cells(doc: dict) -> set[str]:
    """Cells the table's arithmetic confirms: a row of 三 that adds up, in a column that adds up
    (outcome rows to （七）总计, and 一 + 二 = 三 + 四); a group of 四 that adds up."""
    fmt = get_format(doc["format"])
    apps = doc.get("applications") or {}
    out: set[str] = set()

    def value(row: str, col: str) -> float | None:
        return (apps.get(row) or {}).get(col)

    rows_ok = set()
    for row in fmt.application_row_keys:
        cells = [value(row, col) for col in APPLICATION_COLUMN_KEYS]
        if all(v is not None for v in cells) and sum(cells[:-1]) == cells[-1]:  # type: ignore[arg-type]
            rows_ok.add(row)
    outcomes = fmt.outcome_row_keys
    for col in APPLICATION_COLUMN_KEYS:
        parts = [value(row, col) for row in outcomes]
        total = value("total_processed", col)
        if all(v is not None for v in parts) and total == sum(parts):  # type: ignore[arg-type]
            out.update(
                f"applications.{row}.{col}"
                for row in (*outcomes, "total_processed")
                if row in rows_ok
            )
        head = [value(row, col) for row in ("new_received", "carried_over", "carried_forward")]
        if total is not None and all(v is not None for v in head):
            new, old, forward = head
            if new + old == total + forward:  # type: ignore[operator]
                out.update(
                    f"applications.{row}.{col}"
                    for row in ("new_received", "carried_over", "carried_forward")
                    if row in rows_ok
                )
    for group, cols in (doc.get("review_litigation") or {}).items():
        values = [cols.get(c) for c in ("upheld", "corrected", "other", "pending", "total")]
        if all(v is not None for v in values) and sum(values[:4]) == values[4]:
            out.update(f"review_litigation.{group}.{c}" for c in cols)
    return out


def mark_ocr_cells(parsed: Parsed) -> None:
    """Add one ``cell.inferred`` finding naming every OCR cell the arithmetic does not confirm."""
    confirmed = confirmed_cells(parsed.doc)
    doubtful = [
        path
        for path, value in iter_cells(parsed.doc)
        if value is not None and path not in confirmed and path not in parsed.unreadable
    ]
    if doubtful:
        parsed.findings.append(
            make_finding(
                CELL_INFERRED,
                f"扫描件经 OCR 识别，{len(doubtful)}个单元格未经表格合计关系核实，请对照原件"
                " / read by OCR from a scan; these cells are not confirmed by the table's sums",
                doubtful,
            )
        )
