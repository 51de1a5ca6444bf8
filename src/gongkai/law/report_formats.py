"""The two formats of the annual report (政府信息公开工作年度报告), by the notice that set them.

- ``"2019"``: 国办公开办函〔2019〕60号, for the reports on 2019 and 2020;
- ``"2021"``: 国办公开办函〔2021〕30号, for the reports on 2021 onward.

The formats themselves, as data, are in :mod:`gongkai.annual.formats`; the law needs only to
know which codes exist, to name the row of table 三 an ending counts under
(:mod:`gongkai.law.dispositions`).
"""

from __future__ import annotations

__all__ = ["FORMATS", "check_format_code"]

FORMATS = ("2019", "2021")


def check_format_code(code: str) -> str:
    """Return ``code`` if it names a report format; else raise ValueError (Chinese / English)."""
    if code not in FORMATS:
        raise ValueError(
            f"未知的年报格式 {code!r}（应为 2019 或 2021）/ unknown report format {code!r}"
        )
    return code
