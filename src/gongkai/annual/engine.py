"""The report engine: table 三 straight from the application records, no second data entry.

《政府信息公开条例》第五十条第（二）项 (收到和处理政府信息公开申请的情况) in the layout of
国办公开办函〔2019〕60号 / 〔2021〕30号. For report year Y, per applicant column:

- 一、本年新收: received in Y;
- 二、上年结转: received before 1 January Y and not closed before it;
- 三、本年度办理结果: closed in Y, in the row of its disposition (``law.dispositions``);
- 四、结转下年度: received on or before 31 December Y and not closed by then.

Every application counted in 一 or 二 is either closed in Y or still open on 31 December, so
一 + 二 = 三（七） + 四 holds by construction, and year Y's 四 is year Y+1's 二.

A record is an application the agency *received* (its Art. 31 receipt day is fixed); a
submission withdrawn or transferred while still 待确认 is not a record. ``closed_on`` is the day
of the action that ended it (reply, lapse, withdrawal, transfer), not the delivery.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from gongkai.annual.checks import check_document, findings_as_dicts
from gongkai.annual.document import Document, empty_document
from gongkai.annual.formats import (
    APPLICANT_COLUMN_KEYS,
    REVIEW_COLUMNS,
    format_for_year,
    get_format,
)
from gongkai.law.applicants import ApplicantKind
from gongkai.law.dispositions import Disposition, TransferCounting, row_for

__all__ = ["SECTION_KEYS", "ApplicationRecord", "build_document", "tally_applications"]

SECTION_KEYS = ("overview", "problems", "other")


@dataclass(frozen=True)
class ApplicationRecord:
    """What the report needs of one application: who, when received, when and how it ended."""

    applicant_kind: ApplicantKind
    received_on: date
    closed_on: date | None = None
    disposition: Disposition | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "applicant_kind", ApplicantKind(self.applicant_kind))
        if self.disposition is not None:
            object.__setattr__(self, "disposition", Disposition(self.disposition))
        if (self.closed_on is None) != (self.disposition is None):
            raise ValueError(
                "办结日期与处理结果须同时填写或同时为空 / closed_on and disposition go together"
            )
        if self.closed_on is not None and self.closed_on < self.received_on:
            raise ValueError(
                f"办结日期 {self.closed_on} 早于收到申请日期 {self.received_on} / "
                f"closed_on {self.closed_on} is before received_on {self.received_on}"
            )


def tally_applications(
    records: Iterable[ApplicationRecord],
    *,
    year: int,
    fmt: str | None = None,
    transfer_counting: TransferCounting = TransferCounting.OTHER,
) -> dict[str, dict[str, int]]:
    """Return the ``applications`` part of the report for ``year``: every row and column, ints.

    ``fmt`` defaults to the format the year must use (60号 up to 2020, 30号 from 2021).
    """
    spec = get_format(fmt) if fmt is not None else format_for_year(year)
    start, end = date(year, 1, 1), date(year, 12, 31)
    table = {row: dict.fromkeys(APPLICANT_COLUMN_KEYS, 0) for row in spec.application_row_keys}
    for record in records:
        col = record.applicant_kind.value
        if record.received_on > end:
            continue
        if record.closed_on is not None and record.closed_on < start:
            continue
        if record.received_on >= start:
            table["new_received"][col] += 1
        else:
            table["carried_over"][col] += 1
        if record.closed_on is not None and record.closed_on <= end:
            assert record.disposition is not None  # __post_init__ guarantees it
            row = row_for(record.disposition, spec.code, transfer_counting=transfer_counting)
            table[row][col] += 1
        else:
            table["carried_forward"][col] += 1
    for col in APPLICANT_COLUMN_KEYS:
        table["total_processed"][col] = sum(table[row][col] for row in spec.outcome_row_keys)
    for cells in table.values():
        cells["total"] = sum(cells[col] for col in APPLICANT_COLUMN_KEYS)
    return table


def build_document(
    *,
    agency: str,
    year: int,
    records: Iterable[ApplicationRecord],
    proactive: Mapping[str, Mapping[str, Any]] | None = None,
    review_litigation: Mapping[str, Mapping[str, Any]] | None = None,
    sections: Mapping[str, str] | None = None,
    fmt: str | None = None,
    transfer_counting: TransferCounting = TransferCounting.OTHER,
    previous: Document | None = None,
) -> Document:
    """Return the report document (``gongkai.annual-report/1``) for ``agency`` and ``year``.

    Table 三 comes from ``records``; sections 二 and 四 from ``proactive`` and
    ``review_litigation`` (cells not given are 0; a 四 group given without its 总计 gets the sum
    of its four result cells). Unknown rows or columns raise ``ValueError``. ``findings`` holds
    what ``annual.checks.check_document`` finds (with ``previous``, last year's document, also
    ``cross_year.carry``): table 三 always passes; given cells of 二 and 四 may not.
    """
    code = fmt or format_for_year(year).code
    doc = empty_document(agency, year, code, fill=0)
    doc["applications"] = tally_applications(
        records, year=year, fmt=code, transfer_counting=transfer_counting
    )
    if proactive:
        _merge(doc["proactive"], proactive, "proactive")
    if review_litigation:
        _merge(doc["review_litigation"], review_litigation, "review_litigation")
        for group, given in review_litigation.items():
            if "total" not in given:
                cells = doc["review_litigation"][group]
                cells["total"] = sum(cells[c] for c, _ in REVIEW_COLUMNS if c != "total")
    if sections:
        unknown = set(sections) - set(SECTION_KEYS)
        if unknown:
            raise ValueError(
                f"未知的报告部分 {sorted(unknown)}（应为 {SECTION_KEYS}） / unknown sections"
            )
        doc["sections"] = dict(sections)
    doc["findings"] = findings_as_dicts(check_document(doc, previous=previous))
    return doc


def _merge(target: dict[str, dict[str, Any]], given: Mapping[str, Mapping[str, Any]], part: str):
    for row, cols in given.items():
        if row not in target:
            raise ValueError(f"报告格式中没有 {part}.{row} 这一行 / no row {part}.{row}")
        for col, value in cols.items():
            if col not in target[row]:
                raise ValueError(
                    f"报告格式中没有 {part}.{row}.{col} 这一格 / no cell {part}.{row}.{col}"
                )
            target[row][col] = value
