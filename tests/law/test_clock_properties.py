"""Properties of the reply clock that must hold for every input (Hypothesis).

They run on the hand-typed 2023–2025 notices (and, for one property, on generated calendars),
with receipts early enough that every computation stays inside the covered years.
"""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.law import clock
from gongkai.law.calendar import WorkingCalendar
from gongkai.law.clock import Pause, compute_due_date
from tests.law.hand_notices import hand_calendar

CAL = hand_calendar((2023, 2024, 2025))

# No timing in unit tests: Hypothesis' per-example deadline is switched off.
untimed = settings(deadline=None)

receipts = st.dates(min_value=date(2023, 1, 1), max_value=date(2025, 6, 30))
extensions = st.integers(min_value=1, max_value=20)


@st.composite
def pauses_after(draw, received: date, count: int = 3) -> list[Pause]:
    result = []
    for _ in range(draw(st.integers(0, count))):
        start = received + timedelta(days=draw(st.integers(0, 50)))
        result.append(Pause(start, start + timedelta(days=draw(st.integers(0, 25)))))
    return result


def _due(received: date, **kwargs) -> date:
    return compute_due_date(CAL, received=received, **kwargs).due


@untimed
@given(receipts, receipts)
def test_a_later_receipt_never_gives_an_earlier_due_date(a: date, b: date) -> None:
    first, second = sorted((a, b))
    assert _due(first) <= _due(second)


@untimed
@given(receipts, st.integers(0, 20))
def test_a_later_receipt_never_gives_an_earlier_due_date_with_an_extension(
    received: date, extension: int
) -> None:
    assert _due(received, extension_days=extension) <= _due(
        received + timedelta(days=1), extension_days=extension
    )


@untimed
@given(receipts, extensions)
def test_an_extension_of_n_adds_exactly_n_working_days(received: date, n: int) -> None:
    plain, extended = _due(received), _due(received, extension_days=n)
    assert CAL.working_days_between(plain, extended) == n
    assert CAL.is_working_day(extended)


@untimed
@given(st.data(), receipts, extensions)
def test_an_extension_adds_n_counted_days_even_with_pauses(data, received: date, n: int) -> None:
    pauses = data.draw(pauses_after(received))
    plain = compute_due_date(CAL, received=received, pauses=pauses)
    extended = compute_due_date(CAL, received=received, pauses=pauses, extension_days=n)
    added = [s for s in extended.steps if s.kind == clock.COUNTED and s.date > plain.due]
    assert len(added) == n and added[-1].date == extended.due


@untimed
@given(receipts, st.integers(0, 60), st.integers(0, 10), extensions)
def test_a_pause_with_no_working_day_inside_changes_nothing(
    received: date, offset: int, length: int, n: int
) -> None:
    start = received + timedelta(days=offset)
    end = start
    # stretch the pause over non-working days only (a weekend, a holiday), up to `length`
    while length and not CAL.is_working_day(end + timedelta(days=1)):
        end += timedelta(days=1)
        length -= 1
    assert CAL.working_days_between(start, end) == 0
    pause = [Pause(start, end)]
    assert _due(received, pauses=pause) == _due(received)
    assert _due(received, pauses=pause, extension_days=n) == _due(received, extension_days=n)


def _union(pauses: list[Pause]) -> list[Pause]:
    merged: list[Pause] = []
    for p in sorted(pauses, key=lambda p: p.start):
        if merged and p.start <= merged[-1].end:
            merged[-1] = Pause(merged[-1].start, max(merged[-1].end, p.end))
        else:
            merged.append(p)
    return merged


@untimed
@given(st.data(), receipts)
def test_overlapping_pauses_equal_their_union(data, received: date) -> None:
    first = data.draw(pauses_after(received, 1).filter(bool))[0]
    start = first.start + timedelta(days=data.draw(st.integers(0, (first.end - first.start).days)))
    second = Pause(start, start + timedelta(days=data.draw(st.integers(0, 25))))
    others = data.draw(pauses_after(received))
    pauses = [first, second, *others]
    assert _due(received, pauses=pauses) == _due(received, pauses=_union(pauses))
    assert _due(received, pauses=[first, second]) == _due(
        received, pauses=[Pause(first.start, max(first.end, second.end))]
    )


@untimed
@given(st.data(), receipts)
def test_pauses_delay_by_exactly_the_working_days_they_cover(data, received: date) -> None:
    pauses = data.draw(pauses_after(received))
    result = compute_due_date(CAL, received=received, pauses=pauses)
    paused = {s.date for s in result.steps if s.kind == clock.PAUSED}
    assert CAL.working_days_between(received, result.due) == 20 + len(paused)
    assert all(any(p.start < d <= p.end for p in pauses) for d in paused)


# Generated calendars: the properties do not depend on the particular notices.
@st.composite
def calendars(draw) -> WorkingCalendar:
    days = [date(2030, 1, 1) + timedelta(days=i) for i in range(365 * 2)]
    off = draw(st.sets(st.sampled_from(days), max_size=60))
    weekends = [d for d in days if d.weekday() >= 5 and d not in off]
    work = draw(st.sets(st.sampled_from(weekends), max_size=15))
    return WorkingCalendar(off, work, [2030, 2031])


@settings(max_examples=50, deadline=None)
@given(calendars(), st.dates(date(2030, 1, 1), date(2031, 6, 30)), st.integers(0, 20))
def test_due_is_the_nth_working_day_on_any_calendar(cal, received: date, n: int) -> None:
    result = compute_due_date(cal, received=received, extension_days=n)
    assert result.due == cal.add_working_days(received, 20 + n)
    assert cal.working_days_between(received, result.due) == 20 + n
