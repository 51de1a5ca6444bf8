"""The life of an application as a state machine: only the transitions the law allows.

《政府信息公开条例》第四十五条 asks for a procedure of 「申请登记、审核、办理、答复、归档」; Arts.
30–33 and 国办函〔2020〕109号 add correction, consultation, extension and fees. The transitions
are data (:data:`TRANSITIONS`); :func:`check_transition` says why an action is refused, in
Chinese and English, and :func:`next_state` returns the state an allowed action leads to.

Dates come in as facts; nothing here counts working days (the clock does, in ``law.clock``)
or reads today's date. A Django service calls, per action::

    target = next_state(facts, Action.REQUEST_CORRECTION)   # raises TransitionRefused
    ending = closing_disposition(facts, action, disposition) # for actions that end it

Choices the statute leaves open, made here and documented:

- Consultations (Arts. 32, 34) may overlap; the application is 征求意见中 while at least one is
  open and a reply waits until all are closed (an unanswered consultation is closed as such,
  Art. 32: 「逾期未提出意见的，由行政机关依照本条例的规定决定是否公开」).
- A fee notice is issued only from 已受理, once, within the reply period; extension is allowed
  while 已受理, 征求意见中 or 待缴费.
- An application withdrawn or transferred before its receipt day was fixed (an online
  submission still 待确认) was never received: it has no ending in the agency's report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from gongkai.law.dispositions import Disposition

__all__ = [
    "TRANSITIONS",
    "Action",
    "Facts",
    "OPEN_STATES",
    "MissingFact",
    "State",
    "Transition",
    "TransitionRefused",
    "allowed_actions",
    "check_transition",
    "closing_disposition",
    "next_state",
]


class State(StrEnum):
    REGISTERED = "registered"
    ACCEPTED = "accepted"
    CORRECTION_REQUESTED = "correction_requested"
    CONSULTING = "consulting"
    FEE_PENDING = "fee_pending"
    REPLIED = "replied"
    DELIVERED = "delivered"
    ARCHIVED = "archived"
    WITHDRAWN = "withdrawn"
    TRANSFERRED = "transferred"
    LAPSED = "lapsed"

    @property
    def label_zh(self) -> str:
        return _STATE_LABELS[self]


_STATE_LABELS = {
    State.REGISTERED: "已登记/待确认",
    State.ACCEPTED: "已受理",
    State.CORRECTION_REQUESTED: "待补正",
    State.CONSULTING: "征求意见中",
    State.FEE_PENDING: "待缴费",
    State.REPLIED: "已答复",
    State.DELIVERED: "已送达",
    State.ARCHIVED: "已归档",
    State.WITHDRAWN: "已撤回",
    State.TRANSFERRED: "已转送",
    State.LAPSED: "已终止",
}

#: States in which the application is still being handled (counted as open on 31 December).
OPEN_STATES = frozenset(
    {
        State.REGISTERED,
        State.ACCEPTED,
        State.CORRECTION_REQUESTED,
        State.CONSULTING,
        State.FEE_PENDING,
    }
)


class Action(StrEnum):
    ACCEPT = "accept"
    REQUEST_CORRECTION = "request_correction"
    RECORD_SUPPLEMENT = "record_supplement"
    LAPSE_CORRECTION = "lapse_correction"
    OPEN_CONSULTATION = "open_consultation"
    CLOSE_CONSULTATION = "close_consultation"
    EXTEND = "extend"
    ISSUE_FEE_NOTICE = "issue_fee_notice"
    RECORD_PAYMENT = "record_payment"
    LAPSE_FEE = "lapse_fee"
    REPLY = "reply"
    DELIVER = "deliver"
    ARCHIVE = "archive"
    WITHDRAW = "withdraw"
    TRANSFER = "transfer"

    @property
    def label_zh(self) -> str:
        return TRANSITIONS[self].label_zh


@dataclass(frozen=True)
class Transition:
    """An action, the states it may start from, and where it leads (``None``: state unchanged)."""

    label_zh: str
    sources: frozenset[State]
    target: State | None


def _t(label: str, sources: set[State], target: State | None) -> Transition:
    return Transition(label, frozenset(sources), target)


S = State
_HANDLING = {S.ACCEPTED, S.CONSULTING, S.FEE_PENDING}

#: Every allowed transition. CLOSE_CONSULTATION leads back to 已受理 only when the last open
#: consultation closes; until then the application stays 征求意见中 (see :func:`next_state`).
TRANSITIONS: dict[Action, Transition] = {
    Action.ACCEPT: _t("确认收到并受理", {S.REGISTERED}, S.ACCEPTED),
    Action.REQUEST_CORRECTION: _t("一次性告知补正", {S.ACCEPTED}, S.CORRECTION_REQUESTED),
    Action.RECORD_SUPPLEMENT: _t("登记补正材料", {S.CORRECTION_REQUESTED}, S.ACCEPTED),
    Action.LAPSE_CORRECTION: _t("逾期未补正，终止办理", {S.CORRECTION_REQUESTED}, S.LAPSED),
    Action.OPEN_CONSULTATION: _t("发出征求意见函", {S.ACCEPTED, S.CONSULTING}, S.CONSULTING),
    Action.CLOSE_CONSULTATION: _t("征求意见结束", {S.CONSULTING}, S.ACCEPTED),
    Action.EXTEND: _t("延期答复", _HANDLING, None),
    Action.ISSUE_FEE_NOTICE: _t("发出收费通知", {S.ACCEPTED}, S.FEE_PENDING),
    Action.RECORD_PAYMENT: _t("登记缴费", {S.FEE_PENDING}, S.ACCEPTED),
    Action.LAPSE_FEE: _t("逾期未缴费，终止办理", {S.FEE_PENDING}, S.LAPSED),
    Action.REPLY: _t("答复", {S.ACCEPTED}, S.REPLIED),
    Action.DELIVER: _t("送达", {S.REPLIED}, S.DELIVERED),
    Action.ARCHIVE: _t("归档", {S.DELIVERED, S.WITHDRAWN, S.LAPSED, S.TRANSFERRED}, S.ARCHIVED),
    Action.WITHDRAW: _t("申请人撤回", set(OPEN_STATES), S.WITHDRAWN),
    Action.TRANSFER: _t("转送其他机关", {S.REGISTERED, S.ACCEPTED}, S.TRANSFERRED),
}


@dataclass(frozen=True)
class Facts:
    """What the workflow needs to know about an application to judge one action.

    ``due_date`` is the reply due date as the clock computed it; ``correction_deadline`` the 7th
    working day after receipt (Art. 30); ``supplement_due`` the deadline the applicant was given
    to supplement; ``fee_due`` the payment deadline (109号: 20 working days). ``action_date`` is
    the day the action is taken (or recorded as taken).
    """

    state: State
    action_date: date
    received_on: date | None = None
    correction_requested: bool = False
    extension_granted: bool = False
    fee_notice_issued: bool = False
    open_consultations: int = 0
    due_date: date | None = None
    correction_deadline: date | None = None
    supplement_due: date | None = None
    fee_due: date | None = None
    replied_on: date | None = None


class TransitionRefused(Exception):
    """An action the law (or the workflow) does not allow now; says why in Chinese and English."""

    def __init__(self, reason_zh: str, reason_en: str, *, code: str = "refused") -> None:
        self.reason_zh = reason_zh
        self.reason_en = reason_en
        self.code = code
        super().__init__(f"{reason_zh} / {reason_en}")


class MissingFact(ValueError):
    """The caller did not pass a fact the action needs (a programming error, not user input)."""

    def __init__(self, action: Action, fact: str) -> None:
        super().__init__(
            f"「{action.label_zh}」需要事实 {fact} / action {action.value} needs {fact}"
        )


def _need(facts: Facts, action: Action, name: str) -> date:
    value = getattr(facts, name)
    if value is None:
        raise MissingFact(action, name)
    return value


def check_transition(
    facts: Facts, action: Action | str, *, disposition: Disposition | str | None = None
) -> None:
    """Return None if ``action`` is allowed now; raise :class:`TransitionRefused` if not.

    ``disposition`` is required for :attr:`Action.REPLY` (the ending the reply carries).
    """
    action = Action(action)
    _check_state(facts, action)
    if facts.received_on is not None and facts.action_date < facts.received_on:
        raise TransitionRefused(
            f"办理日期 {facts.action_date} 早于收到申请之日 {facts.received_on}",
            f"the action date {facts.action_date} is before the receipt day {facts.received_on}",
            code="date.before_receipt",
        )
    guard = _GUARDS.get(action)
    if guard is not None:
        guard(facts, action, None if disposition is None else Disposition(disposition))


def next_state(
    facts: Facts, action: Action | str, *, disposition: Disposition | str | None = None
) -> State:
    """Check ``action`` (as :func:`check_transition`) and return the state it leads to."""
    action = Action(action)
    check_transition(facts, action, disposition=disposition)
    if action is Action.CLOSE_CONSULTATION and facts.open_consultations > 1:
        return State.CONSULTING
    target = TRANSITIONS[action].target
    return State(facts.state) if target is None else target


def closing_disposition(
    facts: Facts, action: Action | str, disposition: Disposition | str | None = None
) -> Disposition | None:
    """Return the disposition to record when ``action`` ends the application, else None.

    A reply carries the disposition chosen by the handler; a lapse, withdrawal or transfer has
    its own. An application withdrawn or transferred before it was received (``received_on`` is
    None) ends without a disposition: it never entered the agency's report.
    """
    action = Action(action)
    if action is Action.REPLY:
        return None if disposition is None else Disposition(disposition)
    if action is Action.LAPSE_CORRECTION:
        return Disposition.OVERDUE_CORRECTION
    if action is Action.LAPSE_FEE:
        return Disposition.OVERDUE_FEE
    if action in (Action.WITHDRAW, Action.TRANSFER) and facts.received_on is not None:
        return Disposition.WITHDRAWN if action is Action.WITHDRAW else Disposition.TRANSFERRED
    return None


def allowed_actions(facts: Facts) -> list[Action]:
    """Return the actions allowed now (REPLY judged without a disposition), in table order."""
    allowed = []
    for action in Action:
        try:
            check_transition(facts, action, disposition=Disposition.GRANTED)
        except (TransitionRefused, MissingFact):
            continue
        allowed.append(action)
    return allowed


# --- refusals -------------------------------------------------------------------------------

_WHY_NOT_REPLY = {
    State.REGISTERED: (
        "申请尚未受理（待确认收到），不能答复",
        "the application has not been accepted yet (receipt unconfirmed); it cannot be answered",
        "reply.not_accepted",
    ),
    State.CORRECTION_REQUESTED: (
        "正在等待申请人补正，不能答复；补正后或逾期终止后再办理",
        "waiting for the applicant's supplement; record it (or the lapse) first",
        "reply.awaiting_supplement",
    ),
    State.CONSULTING: (
        "尚有征求意见未结束，请先登记意见或结束征求意见（《政府信息公开条例》第三十二条）",
        "a consultation is still open; record its answer or close it first (Art. 32)",
        "reply.consultation_open",
    ),
    State.FEE_PENDING: (
        "信息处理费尚未缴纳，请先登记缴费或逾期终止",
        "the information processing fee is unpaid; record payment or the lapse first",
        "reply.fee_pending",
    ),
}


def _check_state(facts: Facts, action: Action) -> None:
    state = State(facts.state)
    if state in TRANSITIONS[action].sources:
        return
    if state is State.ARCHIVED:
        raise TransitionRefused(
            "申请已归档，不能再办理",
            "the application is archived; nothing more can be done",
            code="archived",
        )
    if action is Action.REPLY and state in _WHY_NOT_REPLY:
        zh, en, code = _WHY_NOT_REPLY[state]
        raise TransitionRefused(zh, en, code=code)
    raise TransitionRefused(
        f"申请处于「{state.label_zh}」状态，不能「{action.label_zh}」",
        f"an application in state {state.value} cannot take action {action.value}",
        code="state",
    )


def _guard_correction(facts: Facts, action: Action, _: Disposition | None) -> None:
    if facts.correction_requested:
        raise TransitionRefused(
            "已经要求过补正；补正只能一次性告知（《政府信息公开条例》第三十条）",
            "a correction was already requested; Art. 30 allows only one",
            code="correction.repeated",
        )
    deadline = _need(facts, action, "correction_deadline")
    if facts.action_date > deadline:
        raise TransitionRefused(
            f"要求补正应在收到申请之日起7个工作日内（最迟 {deadline}）提出"
            "（《政府信息公开条例》第三十条）",
            f"a correction must be requested within 7 working days of receipt (by {deadline}, "
            "Art. 30)",
            code="correction.too_late",
        )


def _guard_lapse_correction(facts: Facts, action: Action, _: Disposition | None) -> None:
    due = _need(facts, action, "supplement_due")
    if facts.action_date <= due:
        raise TransitionRefused(
            f"补正期限（{due}）尚未届满，不能视为放弃申请",
            f"the supplement deadline ({due}) has not passed; the application has not lapsed",
            code="correction.not_overdue",
        )


def _guard_close_consultation(facts: Facts, action: Action, _: Disposition | None) -> None:
    if facts.open_consultations < 1:
        raise TransitionRefused(
            "没有未结束的征求意见",
            "there is no open consultation to close",
            code="consultation.none",
        )


def _guard_extension(facts: Facts, action: Action, _: Disposition | None) -> None:
    if facts.extension_granted:
        raise TransitionRefused(
            "已经延期过一次，不能再次延期（《政府信息公开条例》第三十三条）",
            "the deadline was already extended once; Art. 33 allows one extension",
            code="extension.repeated",
        )
    due = _need(facts, action, "due_date")
    if facts.action_date > due:
        raise TransitionRefused(
            f"答复期限（{due}）已过，不能再延期（《政府信息公开条例》第三十三条）",
            f"the reply was due on {due}; an extension cannot be granted after the deadline "
            "(Art. 33)",
            code="extension.after_due",
        )


def _guard_fee_notice(facts: Facts, action: Action, _: Disposition | None) -> None:
    if facts.fee_notice_issued:
        raise TransitionRefused(
            "已经发出过收费通知", "a fee notice was already issued", code="fee.repeated"
        )
    due = _need(facts, action, "due_date")
    if facts.action_date > due:
        raise TransitionRefused(
            f"收费通知应在答复期限内（{due} 前）发出（国办函〔2020〕109号）",
            f"a fee notice must be issued within the reply period (by {due})",
            code="fee.after_due",
        )


def _guard_lapse_fee(facts: Facts, action: Action, _: Disposition | None) -> None:
    due = _need(facts, action, "fee_due")
    if facts.action_date <= due:
        raise TransitionRefused(
            f"缴费期限（{due}）尚未届满，不能视为放弃申请",
            f"the payment deadline ({due}) has not passed; the application has not lapsed",
            code="fee.not_overdue",
        )


def _guard_reply(facts: Facts, action: Action, disposition: Disposition | None) -> None:
    if disposition is None:
        raise TransitionRefused(
            "答复须选择处理结果", "a reply needs a disposition", code="reply.no_disposition"
        )
    if not disposition.info.is_reply:
        raise TransitionRefused(
            f"「{disposition.label_zh}」不是答复的处理结果",
            f"{disposition.value} does not end an application by a reply",
            code="reply.not_a_reply",
        )
    if disposition is Disposition.UNCLEAR and not facts.correction_requested:
        raise TransitionRefused(
            "未要求补正，不能以「补正后申请内容仍不明确」答复（《政府信息公开条例》第三十条）",
            "no correction was requested, so the reply cannot be 'still unclear after "
            "correction' (Art. 30)",
            code="reply.unclear_without_correction",
        )


def _guard_deliver(facts: Facts, action: Action, _: Disposition | None) -> None:
    if facts.replied_on is not None and facts.action_date < facts.replied_on:
        raise TransitionRefused(
            f"送达日期早于答复日期（{facts.replied_on}）",
            f"delivery cannot precede the reply ({facts.replied_on})",
            code="deliver.before_reply",
        )


_GUARDS = {
    Action.REQUEST_CORRECTION: _guard_correction,
    Action.LAPSE_CORRECTION: _guard_lapse_correction,
    Action.CLOSE_CONSULTATION: _guard_close_consultation,
    Action.EXTEND: _guard_extension,
    Action.ISSUE_FEE_NOTICE: _guard_fee_notice,
    Action.LAPSE_FEE: _guard_lapse_fee,
    Action.REPLY: _guard_reply,
    Action.DELIVER: _guard_deliver,
}
