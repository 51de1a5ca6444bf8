"""A pause carries its kind, and the explanation cites that kind's basis: a consultation the
条例 (第三十三条第三款 with 第三十二条 or 第三十四条), a fee stop the agency's own rule — never
第三十三条第三款, which excludes consultation time only."""

from datetime import date

import pytest

from gongkai.law import clock
from gongkai.law.clock import Pause, PauseKind, compute_due_date
from tests.law.hand_notices import hand_calendar

CAL = hand_calendar()
D = date.fromisoformat
RECEIVED = D("2025-03-03")
SPAN = (D("2025-03-10"), D("2025-03-14"))


def paused_notes(*pauses: Pause) -> list[str]:
    result = compute_due_date(CAL, received=RECEIVED, pauses=pauses)
    return [step.note for step in result.steps if step.kind == clock.PAUSED]


def test_a_fee_stop_cites_the_fee_rule_and_not_article_33_3():
    notes = paused_notes(Pause(*SPAN, PauseKind.FEE))
    assert len(notes) == 4
    for note in notes:
        assert "信息处理费" in note and "本机关规定" in note
        assert "国办函〔2020〕109号" in note
        assert "第三十三条" not in note and "征求" not in note


@pytest.mark.parametrize(
    ("kind", "cited", "whom"),
    [
        (PauseKind.CONSULTATION, "（第三十三条第三款）", "征求意见期间"),
        (PauseKind.THIRD_PARTY, "（第三十二条、第三十三条第三款）", "征求第三方意见期间"),
        (PauseKind.AGENCY, "（第三十四条、第三十三条第三款）", "征求其他机关意见期间"),
    ],
)
def test_a_consultation_cites_article_33_3_and_its_own_article(kind, cited, whom):
    (note, *_rest) = paused_notes(Pause(*SPAN, kind))
    assert note.startswith(whom) and note.endswith(cited)
    assert "信息处理费" not in note


def test_the_kind_changes_the_explanation_not_the_due_date():
    dues = {
        kind: compute_due_date(CAL, received=RECEIVED, pauses=[Pause(*SPAN, kind)]).due
        for kind in PauseKind
    }
    assert len(set(dues.values())) == 1
    assert dues[PauseKind.FEE] > compute_due_date(CAL, received=RECEIVED).due


def test_where_a_fee_stop_and_a_consultation_overlap_the_statute_is_cited():
    notes = paused_notes(
        Pause(D("2025-03-05"), D("2025-03-12"), PauseKind.FEE),
        Pause(D("2025-03-10"), D("2025-03-14"), PauseKind.THIRD_PARTY),
    )
    by_basis = ["第三十二条" in n for n in notes]
    # 6, 7, 10 March: the fee stop alone; 11–14 March: the consultation (12 March in both)
    assert by_basis == [False, False, False, True, True, True, True]


def test_a_pause_kind_is_checked_and_the_json_says_it():
    with pytest.raises(ValueError):
        Pause(*SPAN, "holiday")
    assert Pause(*SPAN, "fee").kind is PauseKind.FEE
    result = compute_due_date(CAL, received=RECEIVED, pauses=[Pause(*SPAN, PauseKind.FEE)])
    assert result.to_dict()["pauses"][0]["kind"] == "fee"


def test_a_bad_fee_stop_is_named_as_such():
    with pytest.raises(clock.PauseEndBeforeStart) as error:
        compute_due_date(CAL, received=RECEIVED, pauses=[Pause(SPAN[1], SPAN[0], PauseKind.FEE)])
    assert error.value.zh.startswith("待缴费期间") and "fee stop" in error.value.en
