"""Known answers for the reply clock (《政府信息公开条例》第三十条至第三十四条).

Each expected date was counted by hand on the hand-typed notices in notices/*.txt.
"""

import json
from datetime import date

import pytest

from gongkai.law import clock
from gongkai.law.arrangement import parse_arrangement
from gongkai.law.calendar import MissingCalendarYear, WorkingCalendar
from gongkai.law.clock import Correction, Pause, compute_due_date
from tests.law.hand_notices import NOTICES, build_calendar, hand_calendar

CAL = hand_calendar()
D = date.fromisoformat


def _c(text: str | None) -> Correction | None:
    if not text:
        return None
    requested, _, supplied = text.partition(":")
    return Correction(D(requested), D(supplied) if supplied else None)


def _p(texts: tuple[str, ...]) -> list[Pause]:
    return [Pause(D(a), D(b)) for a, b in (t.split(":") for t in texts)]


@pytest.mark.parametrize(
    ("received", "correction", "pauses", "extension", "due"),
    [
        # 2019 国庆: 09-29 (Sun) and 10-12 (Sat) count, 10-01..10-07 do not
        ("2019-09-20", None, (), 0, "2019-10-23"),
        # 2020 春节 with the COVID extension (off to 02-02; no make-up day on 02-01)
        ("2020-01-17", None, (), 0, "2020-02-21"),
        # a year boundary: 2021-01-01..03 off
        ("2020-12-20", None, (), 0, "2021-01-18"),
        # 2021 春节 with a correction asked on the 4th working day, supplied the next Monday
        ("2021-02-01", "2021-02-05:2021-02-08", (), 0, "2021-03-12"),
        # 2023 春节 (make-up weekend 01-28/29) and 国庆 (make-up weekend 10-07/08)
        ("2023-01-13", None, (), 0, "2023-02-15"),
        ("2023-09-22", None, (), 0, "2023-10-26"),
        # 2024 春节 (02-04 and 02-18 are make-up Sundays; 02-09 除夕 still a working day)
        ("2024-02-02", None, (), 0, "2024-03-06"),
        # 2024 国庆, plain and extended by 2 working days
        ("2024-09-20", None, (), 0, "2024-10-23"),
        ("2024-09-20", None, (), 2, "2024-10-25"),
        # 2025 春节 (除夕 01-28 off for the first time; make-up 01-26 and 02-08)
        ("2025-01-24", None, (), 0, "2025-02-27"),
        # 2025 国庆+中秋 (10-01..10-08 off; make-up 09-28 and 10-11)
        ("2025-09-26", None, (), 0, "2025-10-30"),
        # a consultation 03-10 -> 03-14 stops 4 working days; then 清明 04-04..06 is skipped
        ("2025-03-03", None, (), 0, "2025-03-31"),
        ("2025-03-03", None, ("2025-03-10:2025-03-14",), 0, "2025-04-07"),
        ("2025-03-03", None, ("2025-03-10:2025-03-14",), 5, "2025-04-14"),
        # two overlapping consultations count once: (03-10, 03-14] ∪ (03-12, 03-18] = (03-10, 03-18]
        (
            "2025-03-03",
            None,
            ("2025-03-10:2025-03-14", "2025-03-12:2025-03-18"),
            0,
            "2025-04-09",
        ),
    ],
)
def test_due_dates_from_the_notices(received, correction, pauses, extension, due) -> None:
    result = compute_due_date(
        CAL,
        received=D(received),
        correction=_c(correction),
        pauses=_p(pauses),
        extension_days=extension,
    )
    assert result.due == D(due)
    counted = [s for s in result.steps if s.kind == clock.COUNTED]
    assert len(counted) == 20 + extension
    assert counted[-1].date == D(due)
    assert result.steps[-1].kind == clock.DUE


def test_the_covid_extension_matters() -> None:
    """Under the original 2020 notice (off 01-24..01-30, 02-01 a working Saturday) the same
    receipt was due two days earlier: a calendar that missed 国办发明电〔2020〕1号 is wrong."""
    text = (NOTICES / "2020.txt").read_text("utf-8").replace(
        "放假 2020-01-24..2020-02-02", "放假 2020-01-24..2020-01-30"
    ) + "\n上班 2020-02-01 春节调休\n"
    original = build_calendar({2020: parse_arrangement(text, 2020)})
    assert compute_due_date(original, received=D("2020-01-17")).due == D("2020-02-19")


@pytest.mark.parametrize(
    ("received", "deadline"),
    [
        ("2019-09-25", "2019-10-10"),  # 09-29 (Sun) counts, the 国庆 week does not
        ("2020-01-20", "2020-02-06"),
        ("2025-01-24", "2025-02-10"),  # 01-26 (Sun) counts; 除夕..初七 do not; 02-08 (Sat) counts
    ],
)
def test_correction_deadline(received: str, deadline: str) -> None:
    assert clock.correction_deadline(CAL, D(received)) == D(deadline)


def test_correction_on_the_7th_working_day_is_allowed_and_after_it_is_not() -> None:
    ok = compute_due_date(CAL, received=D("2019-09-25"), correction=_c("2019-10-10:2019-10-11"))
    assert ok.base_day == D("2019-10-11")
    with pytest.raises(clock.CorrectionTooLate) as caught:
        compute_due_date(CAL, received=D("2019-09-25"), correction=_c("2019-10-11:2019-10-14"))
    assert "第7个工作日" in str(caught.value) and "7th working day" in str(caught.value)


def test_consultation_and_fee_deadlines() -> None:
    assert clock.consultation_deadline(CAL, D("2025-09-26")) == D("2025-10-23")
    assert clock.fee_payment_deadline(CAL, D("2024-09-27")) == D("2024-10-30")


def test_correction_requested_but_not_supplied_stops_the_clock() -> None:
    result = compute_due_date(CAL, received=D("2024-09-20"), correction=_c("2024-09-23"))
    assert result.due is None and result.stopped
    assert result.steps[-1].kind == clock.STOPPED
    assert "停止计算" in result.steps[-1].note
    assert result.to_dict()["due"] is None


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"received": None}, clock.ReceivedMissing),
        (
            {"received": D("2024-09-20"), "correction": _c("2024-09-24:2024-09-23")},
            clock.SupplementBeforeRequest,
        ),
        (
            {"received": D("2024-09-20"), "correction": _c("2024-09-19:2024-09-23")},
            clock.CorrectionBeforeReceipt,
        ),
        (
            {
                "received": D("2024-09-20"),
                "correction": [_c("2024-09-23:2024-09-24"), _c("2024-09-25:2024-09-26")],
            },
            clock.CorrectionOnlyOnce,
        ),
        ({"received": D("2024-09-20"), "extension_days": 21}, clock.ExtensionOutOfRange),
        ({"received": D("2024-09-20"), "extension_days": -1}, clock.ExtensionOutOfRange),
        ({"received": D("2024-09-20"), "extension_days": True}, clock.ExtensionOutOfRange),
        (
            {"received": D("2024-09-20"), "pauses": _p(("2024-09-25:2024-09-24",))},
            clock.PauseEndBeforeStart,
        ),
        (
            {"received": D("2024-09-20"), "pauses": _p(("2024-09-19:2024-09-24",))},
            clock.PauseBeforeReceipt,
        ),
    ],
)
def test_bad_input_raises_a_bilingual_clock_error(kwargs, error) -> None:
    with pytest.raises(error) as caught:
        compute_due_date(CAL, **kwargs)
    assert isinstance(caught.value, clock.ClockError) and isinstance(caught.value, ValueError)
    zh, en = str(caught.value).split(" / ", 1)
    assert zh == caught.value.zh and en == caught.value.en
    assert any("\u4e00" <= ch <= "\u9fff" for ch in zh)
    assert en.isascii()


def test_extension_of_20_is_allowed() -> None:
    result = compute_due_date(CAL, received=D("2024-09-20"), extension_days=20)
    assert CAL.working_days_between(D("2024-10-23"), result.due) == 20


def test_a_year_without_data_fails_with_the_clear_error() -> None:
    with pytest.raises(MissingCalendarYear) as caught:
        compute_due_date(CAL, received=D("2025-12-15"))
    assert caught.value.year == 2026
    plain = WorkingCalendar([], [], [2027])
    with pytest.raises(MissingCalendarYear):
        compute_due_date(plain, received=D("2027-12-20"))


def test_steps_explain_every_day() -> None:
    result = compute_due_date(CAL, received=D("2019-09-20"))
    by_day = {s.date: s for s in result.steps if s.kind != clock.DUE}
    # every day from receipt to the due date is explained once
    assert sorted(by_day) == [
        date.fromordinal(n)
        for n in range(D("2019-09-20").toordinal(), D("2019-10-23").toordinal() + 1)
    ]
    assert by_day[D("2019-09-20")].kind == clock.RECEIVED
    assert by_day[D("2019-09-21")].kind == clock.SKIPPED_WEEKEND
    assert by_day[D("2019-09-29")].kind == clock.COUNTED
    assert "调休上班" in by_day[D("2019-09-29")].note and "国庆节" in by_day[D("2019-09-29")].note
    assert by_day[D("2019-10-01")].kind == clock.SKIPPED_DAY_OFF
    assert "国庆节" in by_day[D("2019-10-01")].note
    assert by_day[D("2019-10-23")].count == 20
    lines = result.explain().splitlines()
    assert len(lines) == len(result.steps)
    assert lines[0].startswith("2019-09-20（星期五）")
    assert "2019-10-23" in lines[-1] and "第20个工作日" in lines[-1]


def test_paused_days_are_marked() -> None:
    result = compute_due_date(CAL, received=D("2025-03-03"), pauses=_p(("2025-03-10:2025-03-14",)))
    paused = [s.date for s in result.steps if s.kind == clock.PAUSED]
    assert paused == [D("2025-03-11"), D("2025-03-12"), D("2025-03-13"), D("2025-03-14")]
    assert "征求意见" in result.explain()


def test_to_dict_is_json() -> None:
    result = compute_due_date(
        CAL,
        received=D("2021-02-01"),
        correction=_c("2021-02-05:2021-02-08"),
        pauses=_p(("2021-02-22:2021-02-23",)),
        extension_days=3,
    )
    data = json.loads(json.dumps(result.to_dict(), ensure_ascii=False))
    assert data["due"] == result.due.isoformat()
    assert data["base_day"] == "2021-02-08"
    assert data["correction"] == {"requested": "2021-02-05", "supplied": "2021-02-08"}
    assert data["pauses"] == [{"start": "2021-02-22", "end": "2021-02-23", "kind": "consultation"}]
    assert data["working_days"] == 23
    assert data["steps"][0] == {
        "date": "2021-02-01",
        "kind": "received",
        "note": "收到政府信息公开申请（第0日）",
        "count": None,
    }
    assert {s["kind"] for s in data["steps"]} >= {
        "received",
        "correction_requested",
        "supplement_received",
        "counted",
        "day_off",
        "weekend",
        "paused",
        "due",
    }
