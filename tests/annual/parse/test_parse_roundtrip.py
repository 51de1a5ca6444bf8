"""Property: any document, rendered in any layout, reads back exactly (cell layouts) or without
a single wrong number (text layouts where cell boundaries are lost) — and with a read floor:
a reader that gives up (every cell null) fails.

Where cell boundaries are lost, the reader leans on the tables' arithmetic: for a report that
adds up, no cell it reads is wrong; for one that does not, only cells it says it inferred
(``cell.inferred``) may be. A finding that a label was printed otherwise (``format.layout``)
excuses a null, never a wrong number."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.annual.document import empty_document, iter_cells, set_cell
from gongkai.annual.formats import APPLICANT_COLUMN_KEYS, MONEY_COLUMNS, get_format
from gongkai.annual.parse import parse_path, parse_text
from gongkai.annual.render import (
    to_crawler_text,
    to_html,
    to_layout_text,
    to_markdown,
    to_pipe_text,
)

AGENCIES = ["某县人民政府", "某市某区发展和改革局", "平潭综合实验区公安局", "某某镇人民政府"]


@st.composite
def documents(draw, digit_rows=0):
    """A report of any year; ``digit_rows`` rows (outside 四) are printed in single digits
    with no blank, which leaves one reading however the text is laid out."""
    year = draw(st.integers(2019, 2025))
    fmt = "2019" if year <= 2020 else "2021"
    doc = empty_document(draw(st.sampled_from(AGENCIES)), year, fmt)
    for path, _ in list(iter_cells(doc)):
        column = path.rsplit(".", 1)[-1]
        if draw(st.integers(0, 9)) == 0:
            value = None
        elif column in MONEY_COLUMNS and draw(st.booleans()):
            value = draw(st.integers(0, 10**6)) / 100
        else:
            value = draw(st.one_of(st.integers(0, 9), st.integers(0, 5000)))
        set_cell(doc, path, value)
    if digit_rows:
        rows: dict[str, list[str]] = {}
        for path, _ in iter_cells(doc):
            if not path.startswith("review_litigation."):
                rows.setdefault(path.rsplit(".", 1)[0], []).append(path)
        for row in draw(st.permutations(sorted(rows)))[:digit_rows]:
            for path in rows[row]:
                set_cell(doc, path, draw(st.integers(0, 9)))
    return doc


@st.composite
def consistent_documents(draw):
    """Documents whose tables add up: rows, columns, the balance and each 四 group."""
    doc = draw(documents())
    fmt = get_format(doc["format"])
    apps = doc["applications"]
    for col in APPLICANT_COLUMN_KEYS:
        processed = sum(apps[key][col] or 0 for key in fmt.outcome_row_keys)
        apps["total_processed"][col] = processed
        forward = draw(st.integers(0, 3))
        new = draw(st.integers(0, processed + forward))
        apps["carried_forward"][col], apps["new_received"][col] = forward, new
        apps["carried_over"][col] = processed + forward - new
    for row in apps.values():
        row["total"] = sum(row[col] or 0 for col in APPLICANT_COLUMN_KEYS)
    for row in doc["review_litigation"].values():
        row["total"] = sum(row[c] or 0 for c in ("upheld", "corrected", "other", "pending"))
    return doc


def _cells(doc):
    return dict(iter_cells(doc))


def _read_html(doc):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "r.html"
        path.write_text(to_html(doc), encoding="utf-8")
        return parse_path(path)


SETTINGS = settings(deadline=None, max_examples=40, suppress_health_check=[HealthCheck.too_slow])
#: The share of cells a text layout must read right: far from all (glued numbers up to 5 000
#: often have several readings that add up; a blank cell in column-aligned text loses its
#: column), but never nothing. Measured over 60 generated reports: crawler text 58–90%,
#: column-aligned text 57–100%; Hypothesis found a crawler report at 48%.
READ_FLOOR = {"crawler": 0.35, "layout": 0.45}
#: For reports that do not add up (the arithmetic cannot settle glued digits) and have blank
#: cells anywhere, little can be promised as a share: Hypothesis found crawler texts read at
#: 19.5% and then 9.6%. There the floor is carried by rows in single digits, which must be read
#: exactly (see below): every such report is generated with ``LOOSE_DIGIT_ROWS`` of them, so a
#: reader that gives up fails, whatever share its other rows leave.
LOOSE_FLOOR = {"crawler": 0.05, "layout": 0.1}
LOOSE_DIGIT_ROWS = 3


@SETTINGS
@given(documents(), st.sampled_from(["pipe", "markdown", "html"]))
def test_cell_layouts_read_back_exactly(doc, layout):
    if layout == "html":
        read = _read_html(doc)
    else:
        read = parse_text({"pipe": to_pipe_text, "markdown": to_markdown}[layout](doc))
    assert (read["agency"], read["year"], read["format"]) == (
        doc["agency"],
        doc["year"],
        doc["format"],
    )
    assert _cells(read) == _cells(doc)


def _text_layout(doc, layout):
    return parse_text({"crawler": to_crawler_text, "layout": to_layout_text}[layout](doc))


def _assert_no_wrong_number(doc, read, layout, excused=(), floors=READ_FLOOR):
    """Every cell read is right (unless a finding in ``excused`` names it); every null cell
    the document fills is named by a finding; at least ``floors[layout]`` of the cells are
    read right; and every row printed in single digits with no blank is read exactly (one
    digit per cell leaves one reading)."""
    said = {c for f in read["findings"] for c in f["cells"]}
    named = {c for f in read["findings"] if f["rule"] in excused for c in f["cells"]}
    got = _cells(read)
    want_cells = _cells(doc)
    for path, want in want_cells.items():
        have = got.get(path)
        if have is None:
            assert want is None or path in said, (path, "null without a finding")
        elif path not in named:
            assert have == want, (path, have, want)
    right = sum(1 for path, want in want_cells.items() if got.get(path) == want)
    floor = floors[layout]
    assert right >= floor * len(want_cells), f"read floor: {right} of {len(want_cells)}"
    rows: dict[str, list[str]] = {}
    for path in want_cells:
        if not path.startswith("review_litigation."):  # 四 is one run: its groups share it
            rows.setdefault(path.rsplit(".", 1)[0], []).append(path)
    for paths in rows.values():
        values = [want_cells[p] for p in paths]
        if all(isinstance(x, int) and 0 <= x <= 9 for x in values):
            assert [got.get(p) for p in paths] == values, (paths[0], "single digits not read")


@SETTINGS
@given(consistent_documents(), st.sampled_from(["crawler", "layout"]))
def test_text_layouts_of_reports_that_add_up_never_give_a_wrong_number(doc, layout):
    _assert_no_wrong_number(doc, _text_layout(doc, layout), layout)


@SETTINGS
@given(documents(digit_rows=LOOSE_DIGIT_ROWS), st.sampled_from(["crawler", "layout"]))
def test_text_layouts_of_any_report_say_which_cells_were_inferred(doc, layout):
    """A report that does not add up may lead the arithmetic astray: only there, and only in
    cells it names ``cell.inferred``, may a number read differ."""
    read = _text_layout(doc, layout)
    _assert_no_wrong_number(doc, read, layout, excused=("cell.inferred",), floors=LOOSE_FLOOR)
