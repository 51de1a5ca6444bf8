"""信息处理费: 《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）.

《政府信息公开条例》第四十二条: providing information is free, but an agency may charge a
信息处理费 when the number or frequency of applications is clearly beyond a reasonable range.
109号 Art. 3: per application (按件计收) **or** per quantity (按量计收), never both for one
application, both excess-progressive (超额累进: each band's rate applies only to the part in it).

- Art. 4, per application: the same applicant's applications in one calendar month (自然月);
  1–10 free, 11–30 100 元/件, then each band of 10 raises the rate by 100 元/件.
- Art. 5, per page of one application: ≤30 free, 31–100 10 元/页, 101–200 20 元/页, 201+ 40 元/页.

Whether the reply clock stops while a fee notice is unpaid is **not found** in the retrieved
text of 109号: it is local policy, the setting ``GONGKAI_FEE_CLOCK_STOPS``, off by default; a fee
stop is then a :class:`gongkai.law.clock.Pause` of kind ``fee``, explained by the agency's rule
(docs/adr/fee-clock-is-local-policy.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from enum import StrEnum

__all__ = [
    "FREE_APPLICATIONS_PER_MONTH",
    "FREE_PAGES",
    "FeeMethod",
    "PAYMENT_WORKING_DAYS",
    "fee_for_month",
    "fee_per_application",
    "fee_per_pages",
    "nth_in_month",
]

FREE_APPLICATIONS_PER_MONTH = 10
FREE_PAGES = 30
#: Days to pay, from the day after the notice is received (四川 restating 109号:
#: docs/law/ogi-spec.md §4).
PAYMENT_WORKING_DAYS = 20

#: (first page of the band, 元 per page), ascending; pages below the first band are free.
PAGE_BANDS: tuple[tuple[int, Decimal], ...] = (
    (31, Decimal(10)),
    (101, Decimal(20)),
    (201, Decimal(40)),
)


def _count(value: int, name_zh: str, name_en: str, *, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name_zh}应为整数 / {name_en} must be an integer, got {value!r}")
    if value < minimum:
        raise ValueError(
            f"{name_zh}不能小于 {minimum}（实为 {value}） / {name_en} must be at least {minimum}, "
            f"got {value}"
        )
    return value


def fee_per_application(nth_in_month: int) -> Decimal:
    """Return the fee in 元 for the applicant's ``nth_in_month`` application this month (109号 Art. 4).

    1–10: 0; 11–30: 100; 31–40: 200; 41–50: 300; … (+100 元 per band of 10).
    """
    n = _count(nth_in_month, "当月申请序号", "nth_in_month", minimum=1)
    if n <= FREE_APPLICATIONS_PER_MONTH:
        return Decimal(0)
    if n <= 30:
        return Decimal(100)
    band = (n - 30 + 9) // 10  # 31–40 → 1, 41–50 → 2, …
    return Decimal(100 * (1 + band))


def fee_for_month(count: int) -> Decimal:
    """Return the total fee in 元 for ``count`` applications by one applicant in one month."""
    n = _count(count, "当月申请件数", "count", minimum=0)
    return sum((fee_per_application(i) for i in range(1, n + 1)), Decimal(0))


def fee_per_pages(pages: int) -> Decimal:
    """Return the fee in 元 for one application of ``pages`` pages (109号 Art. 5, progressive).

    Examples: 45 pages → 15 × 10 = 150; 150 pages → 70 × 10 + 50 × 20 = 1700.
    """
    n = _count(pages, "页数", "pages", minimum=0)
    total = Decimal(0)
    for i, (first, rate) in enumerate(PAGE_BANDS):
        last = PAGE_BANDS[i + 1][0] - 1 if i + 1 < len(PAGE_BANDS) else n
        if n >= first:
            total += rate * (min(n, last) - first + 1)
    return total


def nth_in_month(earlier: Iterable[date], received: date) -> int:
    """Return the rank of an application received on ``received`` in its calendar month.

    ``earlier`` are the receipt days of the same applicant's applications received before this
    one (any months; only the same 自然月 counts, 109号 Art. 4).
    """
    same_month = sum(1 for d in earlier if (d.year, d.month) == (received.year, received.month))
    return same_month + 1


class FeeMethod(StrEnum):
    PER_APPLICATION = "per_application"  # 按件计收
    PER_PAGE = "per_page"  # 按量计收

    @property
    def label_zh(self) -> str:
        return "按件计收" if self is FeeMethod.PER_APPLICATION else "按量计收"
