"""Turn lines and table rows into one stream of label text and runs of numbers.

Labels are matched on :attr:`Stream.compact` (all text, folded, without spaces), so a label
broken over lines, split by a page break or by its own numbers (PDF text) is still one string.
Each :class:`Run` remembers where it sits in that compact text, which is how a row's numbers
are found: the first run after its label and before the next label.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from gongkai.annual.parse.lines import Line
from gongkai.annual.parse.normalize import (
    clean_folded,
    columns_folded,
    fold_all,
    is_footer,
    key_folded,
)

_RUN = re.compile(r"(?:[-+]?\d+(?:\.\d+)?(?:万元|元)?[ \t]*)+")
_DIGIT = re.compile(r"\d")
_YEAR = re.compile(r"(?:19|20)\d\d")
_LONE_ENUMERATOR = re.compile(r"\s*[1-9]\s*")
#: Generic column headers converters write (「数据1」…「数据6」, 「列3」).
_GENERIC_HEADER = re.compile(r"(?:数据|列|栏|字段|column|col)\s*\d{1,2}", re.I)
_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")
#: A change printed in words (「减少2」「增加3」): the sign it stands for.
_CHANGE_WORDS = re.compile(r"(减少|增加)(?=\s*\d)")
_UNIT = re.compile(r"(万元|元)")
_BLANK_CELL = frozenset({"", "-", "—", "--", "——", "/", "\\", "－", "–", "空"})
#: A cell holding one number, possibly with its unit or counter (「26件」「7730.28万元」).
_NUMERIC_CELL = re.compile(r"([-+]?)(\d+(?:\.\d+)?)\s*(万元|元|件|条|个|项|起|次|宗)?")
_ENUMERATOR = re.compile(r"[.、](?![\d\s])")


@dataclass
class Run:
    """Consecutive numbers with no text between them; ``None`` tokens are known-blank cells."""

    tokens: list[str | None]
    reliable: bool  # cell boundaries known (table cells), so no splitting or blank guessing
    line: int
    pos: int = 0  # offset in Stream.compact of the text just before this run
    unit: str | None = None
    #: (start, end) character columns of each token, for a run within one line of text.
    cols: list[tuple[int, int]] | None = None
    #: Whitespace (or a line break) right before / after the run: room for a blank cell.
    open_start: bool = False
    open_end: bool = False
    #: Numbers printed inside a table cell that also holds text: the cell's edges are known,
    #: so no blank cell can hide in its spaces.
    in_cell: bool = False
    #: Built from lines that each hold one number (a table copied one cell per line): a
    #: number broken over two lines is two tokens here.
    per_line: bool = False
    #: Rows of a table with several cells whose numbers this run holds: more than one means
    #: blank cells beyond the row's width are not the padding of one row's merged cells.
    wide_rows: int = 0

    @property
    def has_numbers(self) -> bool:
        return self.tokens.count(None) != len(self.tokens)


@dataclass
class Stream:
    compact: str = ""
    runs: list[Run] = field(default_factory=list)
    #: (offset in compact, source line number) for every text piece, in order.
    marks: list[tuple[int, int]] = field(default_factory=list)
    #: Original text lines (folded), for the report's free-text sections.
    text: list[str] = field(default_factory=list)
    #: Lines of running text folded but with their spacing kept (column positions), by number.
    spaced: dict[int, str] = field(default_factory=dict)

    #: Offsets of :attr:`marks` and positions of :attr:`runs`, for bisection (set by the builder).
    mark_offsets: list[int] = field(default_factory=list)
    run_positions: list[int] = field(default_factory=list)

    def line_at(self, pos: int) -> int:
        """Return the source line number of the compact text at ``pos``."""
        index = bisect_right(self.mark_offsets, pos) - 1
        return self.marks[index][1] if index >= 0 else 1

    def runs_between(self, start: int, end: int) -> list[Run]:
        """Runs after the text at ``start`` and no later than ``end``."""
        positions = self.run_positions
        return self.runs[bisect_right(positions, start) : bisect_right(positions, end)]


class _Builder:
    def __init__(self) -> None:
        self.stream = Stream()
        self.parts: list[str] = []
        self.length = 0
        self.open_run: Run | None = None
        self.last_line_tokens = 0

    def add_text(self, text: str, line: int) -> None:
        key = key_folded(text)
        if not key:
            return
        self.open_run = None
        self.stream.marks.append((self.length, line))
        self.parts.append(key)
        self.length += len(key)

    def add_numbers(
        self,
        tokens: list[str | None],
        reliable: bool,
        line: int,
        unit: str | None = None,
        cols: list[tuple[int, int]] | None = None,
        open_start: bool = False,
        open_end: bool = False,
    ) -> None:
        run = self.open_run
        # Table cells continue a run across rows (a web table copied one cell per line); text
        # does only when each line holds a single number (pdftotext's raw mode), never when a
        # line holds a whole row (PDF layout text: the next line is another row).
        if (
            run is not None
            and run.reliable == reliable
            and (reliable or (len(tokens) == 1 and self.last_line_tokens == 1))
        ):
            self.last_line_tokens = len(tokens)
            run.per_line = run.per_line or not reliable
            run.tokens.extend(tokens)
            run.unit = run.unit or unit
            run.cols = None  # spread over lines: columns no longer comparable
            run.open_end = open_end
            return
        run = Run(list(tokens), reliable, line, self.length, unit, cols, open_start, open_end)
        self.stream.runs.append(run)
        self.open_run = run
        self.last_line_tokens = len(tokens)

    def add_line(self, text: str, line: int, in_cell: bool = False) -> None:
        """Split a line of running text into text pieces and unreliable runs of numbers."""
        if not _DIGIT.search(text):
            self.add_text(text, line)
            return
        if "减少" in text or "增加" in text:
            text = _CHANGE_WORDS.sub(lambda m: ("-" if m.group() == "减少" else "+").rjust(2), text)
        pos = 0
        for match in _RUN.finditer(text):
            start, end = match.span()
            raw = match.group()
            if text.startswith("年", end) and _YEAR.fullmatch(raw.strip()):
                continue  # a year (「2019年项目数量」), not a cell: it stays in the text
            if _ENUMERATOR.match(text, end) and not raw.endswith((" ", "\t")):
                # 「…00000002.其他法律…」: the last digit numbers the next label.
                raw, end = raw[:-1], end - 1
            self.add_text(text[pos:start], line)
            units = _UNIT.findall(raw) if "元" in raw else None
            segment = _UNIT.sub(lambda m: " " * len(m.group()), raw) if units else raw
            found = list(_NUMBER.finditer(segment))
            if found:
                numbers: list[str | None] = [m.group().lstrip("+") for m in found]
                cols = [(start + m.start(), start + m.end()) for m in found]
                self.add_numbers(
                    numbers,
                    False,
                    line,
                    units[-1] if units else None,
                    cols,
                    open_start=start == 0 or text[start - 1].isspace(),
                    open_end=end == len(text) or raw[-1:].isspace(),
                )
                if in_cell and self.open_run is not None:
                    self.open_run.in_cell = True
            pos = end
        self.add_text(text[pos:], line)

    def add_cell(self, text: str, line: int) -> bool:
        """A row of one cell (:meth:`add_row` for one cell); False for a page footer."""
        if text in _BLANK_CELL:
            self.add_numbers([None], True, line)
        else:
            match = _NUMERIC_CELL.fullmatch(text)
            if match is None:
                if is_footer(text):
                    return False
                self.add_row([text], line)
                return True
            sign, digits, unit = match.groups()
            number = "-" + digits if sign == "-" else digits
            self.add_numbers([number], True, line, unit if unit in ("万元", "元") else None)
        if self.open_run is not None and not self.open_run.reliable:
            self.open_run = None
        return True

    def add_row(self, texts: list[str | None], line: int) -> None:
        before = self.open_run
        count = len(before.tokens) if before is not None else 0
        kinds: list[re.Match[str] | str | None] = []
        last_label = -1
        for index, text in enumerate(texts):
            if text is not None and is_footer(text):
                # a page footer a converter put in the table: no value, no label
                kinds.append(None)
                texts = [*texts[:index], None, *texts[index + 1 :]]
                continue
            if text is None or text in _BLANK_CELL:
                kinds.append(text)
                continue
            if text.startswith(("减少", "增加")):
                text = _CHANGE_WORDS.sub(lambda m: "-" if m.group() == "减少" else "+", text)
                texts[index] = text
            match = _NUMERIC_CELL.fullmatch(text)
            kinds.append(match)
            if match is None:
                last_label = index
        for index, kind in enumerate(kinds):
            if kind is None:
                text = texts[index]
                if text is not None and _GENERIC_HEADER.fullmatch(text):
                    self.add_text(text.rstrip("0123456789"), line)  # 「数据3」: no value
                elif text is not None:
                    self.add_line(text, line, in_cell=True)  # a label
                # else: covered by a merged cell
            elif isinstance(kind, str):
                if index > last_label:  # blanks left of a label only pad the label columns
                    self.add_numbers([None], True, line)
            else:
                sign, digits, unit = kind.groups()
                number = "-" + digits if sign == "-" else digits
                self.add_numbers([number], True, line, unit if unit in ("万元", "元") else None)
        run = self.open_run
        gave = run is not None and (run is not before or len(run.tokens) > count)
        if len(texts) > 1 and run is not None and run.reliable and gave:
            run.wide_rows += 1  # this row of several cells gave the run numbers
        self.open_run = self.open_run if self.open_run and self.open_run.reliable else None

    def finish(self) -> Stream:
        stream = self.stream
        stream.compact = "".join(self.parts)
        stream.mark_offsets = [offset for offset, _ in stream.marks]
        stream.run_positions = [run.pos for run in stream.runs]
        return stream


def build_stream(lines: list[Line]) -> Stream:
    """Return the stream of ``lines`` (text lines and table rows, in order)."""
    pieces: list[str] = []
    for line in lines:
        if line.cells is None:
            pieces.append(line.text)
        else:
            pieces += (cell for cell in line.cells if cell is not None)
    folded = iter(fold_all(pieces))
    builder = _Builder()
    text_lines = builder.stream.text
    pending_enumerator: tuple[str, int] | None = None
    next_is_dot = {
        line.number
        for line in lines
        if line.cells is None and line.text.lstrip()[:1] in (".", "、", "．")
    }
    for line in lines:
        cells = line.cells
        if cells is not None:
            if len(cells) == 1:  # a table copied one cell per line: the common case, quickly
                text = "" if cells[0] is None else clean_folded(next(folded))
                if not builder.add_cell(text, line.number):
                    text = ""  # a page footer
                text_lines.append(text)
                continue
            texts = [None if cell is None else clean_folded(next(folded)) for cell in cells]
            filled = [text for text in texts if text]
            if filled and all(is_footer(text) for text in filled):
                text_lines.append("")  # a page footer a converter made a table row of
                continue
            builder.add_row(texts, line.number)
            text_lines.append(" ".join(filled))
            continue
        raw = next(folded)
        if is_footer(raw):
            text_lines.append("")
            continue
        if pending_enumerator is not None:
            # 「2」 then 「.重复申请」: a label printed one character per line keeps its number
            if _ENUMERATOR.match(raw.lstrip()):
                raw = pending_enumerator[0] + raw.lstrip()
            else:
                builder.add_line(pending_enumerator[0], pending_enumerator[1])
            pending_enumerator = None
        elif _LONE_ENUMERATOR.fullmatch(raw) and line.number + 1 in next_is_dot:
            pending_enumerator = (raw.strip(), line.number)
            text_lines.append(raw.strip())
            continue
        text = clean_folded(raw)
        text_lines.append(text)
        if text:
            spaced = columns_folded(raw)
            builder.stream.spaced[line.number] = spaced
            builder.add_line(spaced, line.number)
    return builder.finish()
