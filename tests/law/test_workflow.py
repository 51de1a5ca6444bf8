"""The workflow allows only what the law allows, and says why it refuses (条例第三十至三十三条)."""

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.law.dispositions import Disposition
from gongkai.law.workflow import (
    OPEN_STATES,
    TRANSITIONS,
    Action,
    Facts,
    MissingFact,
    State,
    TransitionRefused,
    allowed_actions,
    check_transition,
    closing_disposition,
    next_state,
)

RECEIVED = date(2024, 3, 4)
ACCEPTED = Facts(
    state=State.ACCEPTED,
    action_date=date(2024, 3, 6),
    received_on=RECEIVED,
    due_date=date(2024, 4, 1),
    correction_deadline=date(2024, 3, 13),
)


def refused(facts: Facts, action: Action, **kw) -> TransitionRefused:
    with pytest.raises(TransitionRefused) as err:
        next_state(facts, action, **kw)
    assert err.value.reason_zh and err.value.reason_en
    assert str(err.value) == f"{err.value.reason_zh} / {err.value.reason_en}"
    return err.value


def test_every_state_and_action_is_labelled_in_chinese() -> None:
    assert State.REGISTERED.label_zh == "已登记/待确认"
    assert State.LAPSED.label_zh == "已终止"
    assert all(s.label_zh for s in State)
    assert set(TRANSITIONS) == set(Action)
    assert all(a.label_zh for a in Action)


def test_the_happy_path() -> None:
    """登记 → 受理 → 补正 → 补正后 → 征求意见 ×2 → 延期 → 收费 → 缴费 → 答复 → 送达 → 归档."""
    f = Facts(state=State.REGISTERED, action_date=RECEIVED)
    steps = [
        (Action.ACCEPT, {}, State.ACCEPTED),
        (Action.REQUEST_CORRECTION, {"correction_requested": True}, State.CORRECTION_REQUESTED),
        (Action.RECORD_SUPPLEMENT, {}, State.ACCEPTED),
        (Action.OPEN_CONSULTATION, {"open_consultations": 1}, State.CONSULTING),
        (Action.OPEN_CONSULTATION, {"open_consultations": 2}, State.CONSULTING),
        (Action.CLOSE_CONSULTATION, {"open_consultations": 1}, State.CONSULTING),
        (Action.EXTEND, {"extension_granted": True}, State.CONSULTING),
        (Action.CLOSE_CONSULTATION, {"open_consultations": 0}, State.ACCEPTED),
        (Action.ISSUE_FEE_NOTICE, {"fee_notice_issued": True}, State.FEE_PENDING),
        (Action.RECORD_PAYMENT, {}, State.ACCEPTED),
        (Action.REPLY, {"replied_on": RECEIVED}, State.REPLIED),
        (Action.DELIVER, {}, State.DELIVERED),
        (Action.ARCHIVE, {}, State.ARCHIVED),
    ]
    f = replace(f, received_on=RECEIVED, due_date=date(2024, 4, 1))
    f = replace(f, correction_deadline=date(2024, 3, 13))
    for action, after, expected in steps:
        state = next_state(f, action, disposition=Disposition.GRANTED)
        assert state is expected, action
        f = replace(f, state=state, **after)
    assert allowed_actions(f) == []


def test_reply_before_acceptance_is_refused() -> None:
    f = Facts(state=State.REGISTERED, action_date=RECEIVED)
    err = refused(f, Action.REPLY, disposition=Disposition.GRANTED)
    assert err.code == "reply.not_accepted"
    assert "尚未受理" in err.reason_zh


@pytest.mark.parametrize(
    ("state", "code"),
    [
        (State.CORRECTION_REQUESTED, "reply.awaiting_supplement"),
        (State.CONSULTING, "reply.consultation_open"),
        (State.FEE_PENDING, "reply.fee_pending"),
    ],
)
def test_reply_waits_for_supplement_consultation_and_fee(state: State, code: str) -> None:
    err = refused(replace(ACCEPTED, state=state), Action.REPLY, disposition=Disposition.GRANTED)
    assert err.code == code


def test_a_second_correction_is_refused() -> None:
    err = refused(replace(ACCEPTED, correction_requested=True), Action.REQUEST_CORRECTION)
    assert err.code == "correction.repeated"
    assert "第三十条" in err.reason_zh


def test_correction_after_the_7th_working_day_is_refused() -> None:
    on_deadline = replace(ACCEPTED, action_date=date(2024, 3, 13))
    assert next_state(on_deadline, Action.REQUEST_CORRECTION) is State.CORRECTION_REQUESTED
    err = refused(replace(ACCEPTED, action_date=date(2024, 3, 14)), Action.REQUEST_CORRECTION)
    assert err.code == "correction.too_late"
    assert "2024-03-13" in err.reason_zh


def test_a_second_extension_is_refused() -> None:
    err = refused(replace(ACCEPTED, extension_granted=True), Action.EXTEND)
    assert err.code == "extension.repeated"


def test_extension_after_the_due_date_is_refused() -> None:
    assert next_state(replace(ACCEPTED, action_date=date(2024, 4, 1)), Action.EXTEND) is (
        State.ACCEPTED
    )
    err = refused(replace(ACCEPTED, action_date=date(2024, 4, 2)), Action.EXTEND)
    assert err.code == "extension.after_due"
    assert "2024-04-01" in err.reason_zh and "第三十三条" in err.reason_zh


@pytest.mark.parametrize("action", list(Action))
def test_nothing_is_allowed_after_archiving(action: Action) -> None:
    err = refused(replace(ACCEPTED, state=State.ARCHIVED), action, disposition=Disposition.GRANTED)
    assert err.code == "archived"


def test_lapse_only_after_the_supplement_deadline() -> None:
    waiting = replace(
        ACCEPTED,
        state=State.CORRECTION_REQUESTED,
        correction_requested=True,
        supplement_due=date(2024, 3, 20),
        action_date=date(2024, 3, 20),
    )
    assert refused(waiting, Action.LAPSE_CORRECTION).code == "correction.not_overdue"
    late = replace(waiting, action_date=date(2024, 3, 21))
    assert next_state(late, Action.LAPSE_CORRECTION) is State.LAPSED
    assert closing_disposition(late, Action.LAPSE_CORRECTION) is Disposition.OVERDUE_CORRECTION


def test_lapse_only_after_the_payment_deadline() -> None:
    pending = replace(
        ACCEPTED, state=State.FEE_PENDING, fee_notice_issued=True, fee_due=date(2024, 4, 15)
    )
    assert refused(replace(pending, action_date=date(2024, 4, 15)), Action.LAPSE_FEE).code == (
        "fee.not_overdue"
    )
    late = replace(pending, action_date=date(2024, 4, 16))
    assert next_state(late, Action.LAPSE_FEE) is State.LAPSED
    assert closing_disposition(late, Action.LAPSE_FEE) is Disposition.OVERDUE_FEE


def test_fee_notice_once_and_within_the_reply_period() -> None:
    assert refused(replace(ACCEPTED, fee_notice_issued=True), Action.ISSUE_FEE_NOTICE).code == (
        "fee.repeated"
    )
    late = replace(ACCEPTED, action_date=date(2024, 4, 2))
    assert refused(late, Action.ISSUE_FEE_NOTICE).code == "fee.after_due"


def test_closing_a_consultation_needs_one_open() -> None:
    f = replace(ACCEPTED, state=State.CONSULTING, open_consultations=0)
    assert refused(f, Action.CLOSE_CONSULTATION).code == "consultation.none"


def test_a_reply_needs_a_reply_disposition() -> None:
    assert refused(ACCEPTED, Action.REPLY).code == "reply.no_disposition"
    err = refused(ACCEPTED, Action.REPLY, disposition=Disposition.WITHDRAWN)
    assert err.code == "reply.not_a_reply"


def test_still_unclear_needs_a_correction_first() -> None:
    err = refused(ACCEPTED, Action.REPLY, disposition=Disposition.UNCLEAR)
    assert err.code == "reply.unclear_without_correction"
    after = replace(ACCEPTED, correction_requested=True)
    assert next_state(after, Action.REPLY, disposition="unclear") is State.REPLIED
    assert closing_disposition(after, Action.REPLY, "unclear") is Disposition.UNCLEAR


def test_delivery_not_before_the_reply() -> None:
    f = replace(ACCEPTED, state=State.REPLIED, replied_on=date(2024, 3, 20))
    assert refused(replace(f, action_date=date(2024, 3, 19)), Action.DELIVER).code == (
        "deliver.before_reply"
    )
    assert next_state(replace(f, action_date=date(2024, 3, 20)), Action.DELIVER) is (
        State.DELIVERED
    )


def test_withdraw_and_transfer_count_only_once_received() -> None:
    unconfirmed = Facts(state=State.REGISTERED, action_date=RECEIVED)
    assert next_state(unconfirmed, Action.TRANSFER) is State.TRANSFERRED
    assert closing_disposition(unconfirmed, Action.TRANSFER) is None
    assert closing_disposition(unconfirmed, Action.WITHDRAW) is None
    assert closing_disposition(ACCEPTED, Action.TRANSFER) is Disposition.TRANSFERRED
    assert closing_disposition(ACCEPTED, Action.WITHDRAW) is Disposition.WITHDRAWN
    assert closing_disposition(ACCEPTED, Action.EXTEND) is None


def test_no_withdrawal_after_the_reply() -> None:
    err = refused(replace(ACCEPTED, state=State.REPLIED), Action.WITHDRAW)
    assert err.code == "state"
    assert "已答复" in err.reason_zh and "申请人撤回" in err.reason_zh


def test_missing_facts_are_a_programming_error_not_a_refusal() -> None:
    with pytest.raises(MissingFact, match="correction_deadline"):
        check_transition(replace(ACCEPTED, correction_deadline=None), Action.REQUEST_CORRECTION)
    with pytest.raises(MissingFact, match="due_date"):
        check_transition(replace(ACCEPTED, due_date=None), Action.EXTEND)


def test_allowed_actions_for_a_fresh_acceptance() -> None:
    assert allowed_actions(ACCEPTED) == [
        Action.REQUEST_CORRECTION,
        Action.OPEN_CONSULTATION,
        Action.EXTEND,
        Action.ISSUE_FEE_NOTICE,
        Action.REPLY,
        Action.WITHDRAW,
        Action.TRANSFER,
    ]


def test_open_states_end_only_by_the_ending_actions() -> None:
    ending = {
        Action.REPLY,
        Action.LAPSE_CORRECTION,
        Action.LAPSE_FEE,
        Action.WITHDRAW,
        Action.TRANSFER,
    }
    for action, transition in TRANSITIONS.items():
        leaves_open = transition.sources & OPEN_STATES and transition.target not in OPEN_STATES
        assert bool(leaves_open and transition.target is not None) == (action in ending), action


facts_strategy = st.builds(
    Facts,
    state=st.sampled_from(list(State)),
    action_date=st.dates(date(2024, 1, 1), date(2024, 12, 31)),
    received_on=st.none() | st.just(RECEIVED),
    correction_requested=st.booleans(),
    extension_granted=st.booleans(),
    fee_notice_issued=st.booleans(),
    open_consultations=st.integers(0, 3),
    due_date=st.dates(date(2024, 1, 1), date(2024, 12, 31)),
    correction_deadline=st.dates(date(2024, 1, 1), date(2024, 12, 31)),
    supplement_due=st.dates(date(2024, 1, 1), date(2024, 12, 31)),
    fee_due=st.dates(date(2024, 1, 1), date(2024, 12, 31)),
    replied_on=st.none() | st.dates(date(2024, 1, 1), date(2024, 12, 31)),
)


@given(facts_strategy, st.sampled_from(list(Action)), st.sampled_from(list(Disposition)))
def test_any_action_is_either_allowed_by_the_table_or_refused_with_reasons(
    facts: Facts, action: Action, disposition: Disposition
) -> None:
    try:
        target = next_state(facts, action, disposition=disposition)
    except TransitionRefused as err:
        assert err.reason_zh and err.reason_en and err.code
        return
    transition = TRANSITIONS[action]
    assert facts.state in transition.sources
    assert target in (transition.target, facts.state, State.CONSULTING)
    if action is Action.EXTEND:
        assert not facts.extension_granted and facts.action_date <= facts.due_date
    if action is Action.REQUEST_CORRECTION:
        assert not facts.correction_requested
        assert facts.action_date <= facts.correction_deadline


def test_no_action_dated_before_the_receipt_day() -> None:
    err = refused(replace(ACCEPTED, action_date=date(2024, 3, 1)), Action.OPEN_CONSULTATION)
    assert err.code == "date.before_receipt"


def test_plain_strings_from_the_database_are_accepted() -> None:
    f = replace(ACCEPTED, state="accepted")  # type: ignore[arg-type]
    assert next_state(f, "extend") is State.ACCEPTED
    assert next_state(f, "reply", disposition="granted") is State.REPLIED
