"""PDF reports: text read through PDFium, and scanned PDFs (no text layer) read by OCR.

The OCR tests need Tesseract with its Simplified Chinese data (``apt-get install tesseract-ocr
tesseract-ocr-chi-sim``); without it they are skipped with that message. A scan is made here
from a generated report: printed to PDF by WeasyPrint, every page rendered to a picture, and
the pictures saved as a PDF with no text at all.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.annual.document import iter_cells
from gongkai.annual.parse import ReportUnreadable, parse_path
from gongkai.annual.parse.ocr import ocr_available
from gongkai.annual.render import to_html
from tests.annual.parse.parse_corpus import corpus_files, is_extraction, load

EXPECTED = {raw.name.split(".")[0]: path for raw, path in corpus_files() if not is_extraction(raw)}


def _expected(name: str) -> dict:
    doc = load(EXPECTED[name])
    doc.pop("about_this_file", None)
    return doc


def _scan(doc: dict, path: Path, dpi: int = 200) -> Path:
    """A PDF of pictures of the report's pages: what a scanner makes of the printed report."""
    weasyprint = pytest.importorskip("weasyprint")
    import pypdfium2 as pdfium

    printed = path.with_suffix(".printed.pdf")
    weasyprint.HTML(string=to_html(doc)).write_pdf(printed)
    pdf = pdfium.PdfDocument(str(printed))
    pages = [pdf[i].render(scale=dpi / 72).to_pil().convert("L") for i in range(len(pdf))]
    pdf.close()
    pages[0].save(path, save_all=True, append_images=pages[1:], resolution=dpi)
    return path


def test_a_scan_without_ocr_says_what_to_install(tmp_path, monkeypatch):
    scan = _scan(_expected("012-pingtan-gaj-2022"), tmp_path / "scan.pdf")
    monkeypatch.setenv("PATH", str(tmp_path))  # no tesseract on this PATH
    with pytest.raises(ReportUnreadable) as raised:
        parse_path(scan)
    message = str(raised.value)
    assert "扫描件" in message and "scan" in message
    assert "tesseract-ocr-chi-sim" in message


@pytest.mark.parametrize("name", ["013-pingtan-hzs-2020", "012-pingtan-gaj-2022"])
def test_a_scan_is_read_by_ocr_and_every_unconfirmed_cell_is_inferred(name, tmp_path):
    """Both formats (2019: 013, 2021: 012). OCR misreads: a cell is trusted only where the
    table's sums confirm it; any other cell read is named by ``cell.inferred``, and no cell
    read outside a finding is wrong. At least 40% of the cells must come out right (measured:
    47% and more on these pages at 200 dpi; OCR misreads rules and small digits)."""
    reason = ocr_available()
    if reason is not None:
        pytest.skip(f"{reason}; install with: apt-get install tesseract-ocr tesseract-ocr-chi-sim")
    expected = _expected(name)
    doc = parse_path(_scan(expected, tmp_path / "scan.pdf"))
    assert doc["format"] == expected["format"]
    inferred = [
        f for f in doc["findings"] if f["rule"] == "cell.inferred" and "OCR" in f["message"]
    ]
    assert inferred, "OCR cells must be reported as inferred"
    named = {
        c
        for f in doc["findings"]
        if f["rule"] in ("cell.inferred", "cell.unreadable", "format.layout")
        for c in f["cells"]
    }
    got, want = dict(iter_cells(doc)), dict(iter_cells(expected))
    silent = {p: (got.get(p), v) for p, v in want.items() if got.get(p) is not None}
    silent = {p: pair for p, pair in silent.items() if pair[0] != pair[1] and p not in named}
    assert silent == {}
    right = sum(1 for p, v in want.items() if got.get(p) == v)
    assert right >= 0.4 * len(want), f"only {right} of {len(want)} cells read right"
