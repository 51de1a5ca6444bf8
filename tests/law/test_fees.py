"""信息处理费 under 国办函〔2020〕109号: known answers from its bands, and properties."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.law.fees import (
    FeeMethod,
    fee_for_month,
    fee_per_application,
    fee_per_pages,
    nth_in_month,
)

# 109号 Art. 4: 1–10 free; 11–30 100 元/件; then +100 元/件 per band of 10.
PER_APPLICATION = [
    (1, 0),
    (10, 0),
    (11, 100),
    (12, 100),
    (30, 100),
    (31, 200),
    (35, 200),
    (40, 200),
    (41, 300),
    (50, 300),
    (51, 400),
    (100, 800),
    (101, 900),
]


@pytest.mark.parametrize(("nth", "fee"), PER_APPLICATION)
def test_fee_per_application(nth: int, fee: int) -> None:
    assert fee_per_application(nth) == Decimal(fee)


# Totals for a month: the sum of each application's band (超额累进).
PER_MONTH = [
    (0, 0),
    (10, 0),
    (12, 200),  # 11th and 12th at 100
    (30, 2000),  # 20 × 100
    (35, 3000),  # 20 × 100 + 5 × 200
    (50, 7000),  # 20 × 100 + 10 × 200 + 10 × 300
]


@pytest.mark.parametrize(("count", "total"), PER_MONTH)
def test_fee_for_month(count: int, total: int) -> None:
    assert fee_for_month(count) == Decimal(total)


# 109号 Art. 5 (as restated in fee schedules, docs/law/ogi-spec.md §4): ≤30 free, 31–100 10,
# 101–200 20, 201+ 40 元/页, each rate only for the pages in its band.
PER_PAGES = [
    (0, 0),
    (30, 0),
    (31, 10),
    (45, 150),  # 15 × 10
    (100, 700),  # 70 × 10
    (101, 720),  # 700 + 1 × 20
    (150, 1700),  # 70 × 10 + 50 × 20
    (200, 2700),  # 700 + 100 × 20
    (201, 2740),  # 2700 + 1 × 40
    (250, 4700),  # 2700 + 50 × 40
]


@pytest.mark.parametrize(("pages", "fee"), PER_PAGES)
def test_fee_per_pages(pages: int, fee: int) -> None:
    assert fee_per_pages(pages) == Decimal(fee)


@given(st.integers(1, 2000))
def test_per_application_is_monotone_and_never_negative(n: int) -> None:
    assert fee_per_application(n) >= 0
    assert fee_per_application(n + 1) >= fee_per_application(n)
    if n <= 10:
        assert fee_per_application(n) == 0


@given(st.integers(0, 300))
def test_month_total_adds_the_next_application_fee(n: int) -> None:
    assert fee_for_month(n + 1) - fee_for_month(n) == fee_per_application(n + 1)
    assert fee_for_month(n) >= 0


@given(st.integers(0, 5000))
def test_per_pages_is_monotone_and_each_page_pays_its_band(pages: int) -> None:
    step = fee_per_pages(pages + 1) - fee_per_pages(pages)
    page = pages + 1
    band_rate = 0 if page <= 30 else 10 if page <= 100 else 20 if page <= 200 else 40
    assert step == band_rate
    assert fee_per_pages(pages) >= 0
    if pages <= 30:
        assert fee_per_pages(pages) == 0


@pytest.mark.parametrize("bad", [0, -1])
def test_nth_starts_at_one(bad: int) -> None:
    with pytest.raises(ValueError, match="当月申请序号不能小于 1"):
        fee_per_application(bad)


def test_negative_pages_and_non_integers_are_refused() -> None:
    with pytest.raises(ValueError, match="页数不能小于 0"):
        fee_per_pages(-5)
    with pytest.raises(TypeError, match="页数应为整数"):
        fee_per_pages(12.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        fee_for_month(True)  # type: ignore[arg-type]


def test_nth_in_month_counts_the_same_calendar_month_only() -> None:
    earlier = [date(2024, 2, 28), date(2024, 3, 1), date(2024, 3, 15), date(2023, 3, 20)]
    assert nth_in_month(earlier, date(2024, 3, 20)) == 3
    assert nth_in_month([], date(2024, 3, 20)) == 1


def test_method_labels() -> None:
    assert FeeMethod.PER_PAGE.label_zh == "按量计收"
    assert FeeMethod.PER_APPLICATION.label_zh == "按件计收"
