"""Fuzz tests: arbitrary and mutated inputs never crash the reader (only ``ReportUnreadable``),
and glued digits are never misread — nor left unread where only one reading adds up (a read
floor, so a reader that gives up cannot pass). Speed is measured in benchmarks/, not here."""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.annual.document import iter_cells
from gongkai.annual.parse import ReportUnreadable, parse_path, parse_text
from gongkai.annual.parse.digits import read_row
from tests.annual.parse.parse_corpus import corpus_files

TEXTS = {
    raw.name: raw.read_text(encoding="utf-8")
    for raw, _ in corpus_files()
    if raw.suffix in (".txt", ".html", ".md")
}
FUZZ = settings(deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow])


def _check_shape(doc: dict) -> None:
    assert doc["format"] in ("2019", "2021")
    assert isinstance(doc["findings"], list)
    for path, value in iter_cells(doc):
        assert value is None or isinstance(value, int | float), (path, value)
    for finding in doc["findings"]:
        assert finding["severity"] in ("error", "warning")
        assert finding["message"]


def _parse_or_unreadable(text: str) -> dict | None:
    try:
        doc = parse_text(text)
    except ReportUnreadable:
        return None
    _check_shape(doc)
    return doc


@FUZZ
@given(st.text())
def test_arbitrary_text(text):
    _parse_or_unreadable(text)


@FUZZ
@given(
    st.lists(
        st.sampled_from(
            [
                "三、收到和处理政府信息公开申请情况",
                "（七）总计",
                "1.属于国家秘密",
                "行政复议",
                "结果维持",
                "0",
                "12",
                " ",
                "\n",
                "|",
                "二、主动公开政府信息情况",
                "规章",
                "2.",
                "四、政府信息公开行政复议、行政诉讼情况",
                "五、存在的主要问题",
                "<td>",
                "</tr>",
                "2023年政府信息公开工作年度报告",
                "-",
                ".",
                "、",
                "９",
            ]
        ),
        max_size=80,
    )
)
def test_report_shaped_noise(pieces):
    _parse_or_unreadable("".join(pieces))


_EDIT = st.tuples(
    st.sampled_from(["delete", "insert", "digit"]),
    st.floats(min_value=0, max_value=1, allow_nan=False),
    st.integers(min_value=1, max_value=40),
    st.text(alphabet="0123456789 |\n、.（）一二三四总计其他", max_size=6),
)


def _mutate(text: str, edits) -> str:
    for kind, where, size, insert in edits:
        at = int(where * len(text))
        if kind == "delete":
            text = text[:at] + text[at + size :]
        elif kind == "insert":
            text = text[:at] + insert + text[at:]
        else:
            digits = [i for i in range(at, min(len(text), at + 400)) if text[i].isdigit()]
            if digits:
                i = digits[size % len(digits)]
                text = text[:i] + str((int(text[i]) + size) % 10) + text[i + 1 :]
    return text


@FUZZ
@given(st.sampled_from(sorted(TEXTS)), st.lists(_EDIT, min_size=1, max_size=12))
def test_mutated_corpus_reports(name, edits):
    text = _mutate(TEXTS[name], edits)
    if name.endswith(".html"):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "r.html"
            path.write_text(text, encoding="utf-8")
            with contextlib.suppress(ReportUnreadable):
                _check_shape(parse_path(path))
    else:
        _parse_or_unreadable(text)


def _read_count(doc: dict) -> int:
    return sum(1 for _, value in iter_cells(doc) if value is not None)


_ORIGINAL_READS = {}


@settings(deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(sorted(name for name in TEXTS if not name.endswith(".html"))),
    st.lists(st.tuples(st.floats(0, 1, allow_nan=False), st.integers(1, 40)), max_size=6),
)
def test_changed_digits_still_read(name, changes):
    """The read floor of fuzzing: a report whose digits are changed (its layout intact) is still
    read — at least half as many cells as the report itself, even where its sums now fail."""
    if name not in _ORIGINAL_READS:
        _ORIGINAL_READS[name] = _read_count(parse_text(TEXTS[name]))
    text = _mutate(TEXTS[name], [("digit", where, size, "") for where, size in changes])
    doc = _parse_or_unreadable(text)
    assert doc is not None
    assert _read_count(doc) * 2 >= _ORIGINAL_READS[name]


@FUZZ
@given(st.binary(max_size=3000), st.sampled_from([".txt", ".html", ".pdf", ".docx", ".md"]))
def test_arbitrary_bytes_as_any_kind_of_file(data, suffix):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"report{suffix}"
        path.write_bytes(data)
        with contextlib.suppress(ReportUnreadable):
            _check_shape(parse_path(path))


_COUNT = st.integers(min_value=0, max_value=120)


def _readings_that_add_up(tokens: list[str], n: int, groups) -> set[tuple[int, ...]]:
    """Every way to cut ``tokens`` into ``n`` cells (no cell across a space, no leading zero)
    whose groups add up — an oracle written apart from the reader: a plain depth-first search,
    each group checked as soon as its total cell is cut."""
    totals = {total: parts for parts, total in groups}
    text = " ".join(tokens)
    out: set[tuple[int, ...]] = set()

    def walk(at: int, acc: tuple[int, ...]) -> None:
        if len(acc) == n:
            if at == len(text):
                out.add(acc)
            return
        if at < len(text) and text[at] == " ":
            at += 1
        for end in range(at + 1, len(text) + 1):
            piece = text[at:end]
            if " " in piece or (piece.startswith("0") and piece != "0"):
                break
            if len(text) - end < n - len(acc) - 1:
                break  # too few digits left for the cells still to cut
            value = int(piece)
            index = len(acc)
            if index in totals and sum(acc[p] for p in totals[index]) != value:
                continue
            walk(end, (*acc, value))

    walk(0, ())
    return out


_T3 = [(tuple(range(6)), 6)]
_T4 = [((0, 1, 2, 3), 4), ((5, 6, 7, 8), 9), ((10, 11, 12, 13), 14)]


@settings(deadline=None, max_examples=300)
@given(st.lists(_COUNT, min_size=6, max_size=6), st.lists(st.booleans(), min_size=7, max_size=7))
def test_glued_row_of_table_three_is_never_misread(applicants, spaces):
    """Glue a consistent row (spaces at random between cells): every cell read is right, and
    where only one reading adds up (the oracle), the reader finds it: giving up fails."""
    row = [*applicants, sum(applicants)]
    text = "".join(str(v) + (" " if gap else "") for v, gap in zip(row, spaces, strict=True))
    reading = read_row(text.split(), 7, _T3)
    for got, want in zip(reading.values, row, strict=True):
        assert got is None or got == want
    if len(_readings_that_add_up(text.split(), 7, _T3)) == 1:
        assert reading.values == row
    if all(v < 10 for v in row):
        assert reading.values == row  # one digit per cell: nothing to infer


@settings(deadline=None, max_examples=80)
@given(st.lists(st.lists(st.integers(0, 30), min_size=4, max_size=4), min_size=3, max_size=3))
def test_glued_table_four_is_never_misread(groups):
    row = [v for group in groups for v in (*group, sum(group))]
    tokens = ["".join(map(str, row))]
    reading = read_row(tokens, 15, _T4)
    for got, want in zip(reading.values, row, strict=True):
        assert got is None or got == want
    if len(_readings_that_add_up(tokens, 15, _T4)) == 1:
        assert reading.values == row  # the read floor: the only reading that adds up
