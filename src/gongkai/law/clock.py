"""The reply clock of 《政府信息公开条例》 Arts. 30–34, counted in working days.

The rules (docs/law/ogi-spec.md §0, §1.3):

- A period counts working days starting the day after the triggering day; the receipt day is
  day 0. The reply is due on the 20th working day after receipt (第三十三条).
- 补正 (第三十条): asked once, no later than the 7th working day after receipt. When the
  supplement arrives on day S the 20 working days run again from S. While it has not arrived
  the clock is stopped and there is no due date.
- Pauses: working days in (A, B] are not counted; overlapping pauses count once. Each
  :class:`Pause` carries its :class:`PauseKind`, and the explanation cites its own basis:

  - a consultation (征求意见) of a third party (第三十二条) or another agency (第三十四条), from
    day A (letter sent) to day B (answer received, or its 15 working days ran out): the time
    the 条例 itself excludes (第三十三条第三款);
  - a fee stop, from receipt of a 信息处理费 notice to payment (or the end of the 20 working days
    to pay): **local policy**, not the 条例 — an agency's own rule, on only where it says so
    (``GONGKAI_FEE_CLOCK_STOPS``; docs/adr/fee-clock-is-local-policy.md). Its explanation cites
    the agency's rule and 《政府信息公开信息处理费管理办法》, never 第三十三条第三款.
- Extension (第三十三条第二款): once, 1–20 working days, added to the count.

So the due day is the day on which the count of counted working days after the base day
(receipt, or S) reaches 20 + extension. Every day looked at is recorded as a :class:`Step`, so
the result can be explained line by line to an applicant or a court.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from gongkai.law.calendar import DAY_OFF, MAKEUP_WORKDAY, WEEKEND, WorkingCalendar

REPLY_WORKING_DAYS = 20  # 第三十三条第二款 (第一款 is the on-the-spot reply)
CORRECTION_WORKING_DAYS = 7  # 第三十条
CONSULTATION_WORKING_DAYS = 15  # 第三十二条、第三十四条
MAX_EXTENSION_DAYS = 20  # 第三十三条第二款
FEE_PAYMENT_WORKING_DAYS = 20  # 国办函〔2020〕109号

WEEKDAY_NAMES = "一二三四五六日"


# --- errors ---------------------------------------------------------------------------------


class ClockError(ValueError):
    """Input the clock cannot accept; ``zh`` and ``en`` hold the two halves of the message."""

    def __init__(self, zh: str, en: str) -> None:
        self.zh = zh
        self.en = en
        super().__init__(f"{zh} / {en}")


class ReceivedMissing(ClockError):
    def __init__(self) -> None:
        super().__init__("缺少收到申请的日期", "the date the application was received is missing")


class CorrectionBeforeReceipt(ClockError):
    def __init__(self, requested: date, received: date) -> None:
        super().__init__(
            f"要求补正的日期 {requested} 早于收到申请的日期 {received}",
            f"the correction was requested on {requested}, before the application was "
            f"received on {received}",
        )


class CorrectionTooLate(ClockError):
    def __init__(self, requested: date, deadline: date) -> None:
        super().__init__(
            f"要求补正的日期 {requested} 晚于收到申请后第7个工作日（{deadline}），"
            "不符合《政府信息公开条例》第三十条",
            f"the correction was requested on {requested}, after the 7th working day after "
            f"receipt ({deadline}), which Art. 30 does not allow",
        )


class SupplementBeforeRequest(ClockError):
    def __init__(self, supplied: date, requested: date) -> None:
        super().__init__(
            f"收到补正材料的日期 {supplied} 早于要求补正的日期 {requested}",
            f"the supplement is dated {supplied}, before the correction was requested on "
            f"{requested}",
        )


class CorrectionOnlyOnce(ClockError):
    def __init__(self) -> None:
        super().__init__(
            "补正只能要求一次（《政府信息公开条例》第三十条“一次性告知”）",
            "a correction may be requested only once (Art. 30)",
        )


class ExtensionOutOfRange(ClockError):
    def __init__(self, days: object) -> None:
        super().__init__(
            f"延长答复期限必须是1至20个工作日，收到的是 {days}（第三十三条第二款）",
            f"an extension must be 1 to 20 working days, got {days} (Art. 33 para. 2)",
        )


class PauseEndBeforeStart(ClockError):
    def __init__(self, pause: Pause) -> None:
        super().__init__(
            f"{pause.kind.noun_zh}的结束日 {pause.end} 早于开始日 {pause.start}",
            f"the {pause.kind.noun_en} ends on {pause.end}, before it starts on {pause.start}",
        )


class PauseBeforeReceipt(ClockError):
    def __init__(self, pause: Pause, received: date) -> None:
        super().__init__(
            f"{pause.kind.noun_zh}的开始日 {pause.start} 早于收到申请的日期 {received}",
            f"the {pause.kind.noun_en} starts on {pause.start}, before the application was "
            f"received on {received}",
        )


# --- inputs and result ----------------------------------------------------------------------


@dataclass(frozen=True)
class Correction:
    """A 补正 request (第三十条): when it was asked, and when the supplement arrived (or None)."""

    requested: date
    supplied: date | None = None


_FEE_RULES = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"


class PauseKind(StrEnum):
    """Why the clock stops, and on what basis: the 条例, or the agency's own rule."""

    CONSULTATION = "consultation"  # 征求意见, whom not said (第三十二条、第三十四条)
    THIRD_PARTY = "third_party"  # 征求第三方意见 (第三十二条)
    AGENCY = "agency"  # 征求其他机关意见 (第三十四条)
    FEE = "fee"  # 待缴纳信息处理费: local policy, not the 条例

    @property
    def statutory(self) -> bool:
        """Whether the 条例 itself excludes this time (第三十三条第三款): consultations only."""
        return self is not PauseKind.FEE

    @property
    def noun_zh(self) -> str:
        return "待缴费期间" if self is PauseKind.FEE else "征求意见"

    @property
    def noun_en(self) -> str:
        return "fee stop" if self is PauseKind.FEE else "consultation"

    def note(self, start: date, end: date) -> str:
        """Return the explanation of a day in this pause, citing its own basis."""
        if self is PauseKind.FEE:
            return (
                f"待缴纳信息处理费期间（{start} 收到收费通知，{end} 缴费或缴费期限届满），"
                f"依本机关规定不计入答复期限（收费依据{_FEE_RULES}）"
            )
        whom, article = {
            PauseKind.CONSULTATION: ("", "第三十三条第三款"),
            PauseKind.THIRD_PARTY: ("第三方", "第三十二条、第三十三条第三款"),
            PauseKind.AGENCY: ("其他机关", "第三十四条、第三十三条第三款"),
        }[self]
        return f"征求{whom}意见期间（{start} 发出，{end} 结束），不计入答复期限（{article}）"


@dataclass(frozen=True)
class Pause:
    """A stop of the clock: working days in (start, end] are not counted.

    ``kind`` says why (:class:`PauseKind`): a consultation (第三十二条、第三十四条, excluded by
    第三十三条第三款) unless said otherwise, or a fee stop under the agency's own rule.
    """

    start: date
    end: date
    kind: PauseKind = PauseKind.CONSULTATION

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", PauseKind(self.kind))


# Step kinds
RECEIVED = "received"
CORRECTION_REQUESTED = "correction_requested"
SUPPLEMENT_RECEIVED = "supplement_received"
STOPPED = "stopped"
COUNTED = "counted"
SKIPPED_DAY_OFF = "day_off"
SKIPPED_WEEKEND = "weekend"
PAUSED = "paused"
DUE = "due"


@dataclass(frozen=True)
class Step:
    """One line of the explanation: a day, what it was, and why (in Chinese)."""

    date: date
    kind: str
    note: str
    count: int | None = None  # the running count of counted working days, on COUNTED steps

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "kind": self.kind,
            "note": self.note,
            "count": self.count,
        }


@dataclass
class DueDate:
    """The result of :func:`compute_due_date`: the due day (None while stopped) and why."""

    due: date | None
    base_day: date
    received: date
    working_days: int
    extension_days: int = 0
    correction: Correction | None = None
    pauses: tuple[Pause, ...] = ()
    steps: list[Step] = field(default_factory=list)

    @property
    def stopped(self) -> bool:
        """True while a requested correction has not been supplied."""
        return self.due is None

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-able dict; dates are YYYY-MM-DD strings."""
        correction = None
        if self.correction is not None:
            supplied = self.correction.supplied
            correction = {
                "requested": self.correction.requested.isoformat(),
                "supplied": supplied.isoformat() if supplied else None,
            }
        return {
            "due": self.due.isoformat() if self.due else None,
            "stopped": self.stopped,
            "received": self.received.isoformat(),
            "base_day": self.base_day.isoformat(),
            "working_days": self.working_days,
            "extension_days": self.extension_days,
            "correction": correction,
            "pauses": [
                {"start": p.start.isoformat(), "end": p.end.isoformat(), "kind": p.kind.value}
                for p in self.pauses
            ],
            "steps": [step.to_dict() for step in self.steps],
        }

    def explain(self) -> str:
        """Return the explanation in plain Chinese, one line per step."""
        return "\n".join(f"{_day(step.date)}  {step.note}" for step in self.steps)


def _day(d: date) -> str:
    return f"{d.isoformat()}（星期{WEEKDAY_NAMES[d.weekday()]}）"


# --- the rules ------------------------------------------------------------------------------


def correction_deadline(calendar: WorkingCalendar, received: date) -> date:
    """Return the last day to ask for a 补正: the 7th working day after receipt (第三十条)."""
    return calendar.add_working_days(received, CORRECTION_WORKING_DAYS)


def consultation_deadline(calendar: WorkingCalendar, sent: date) -> date:
    """Return the day a consultation's 15 working days run out (第三十二条、第三十四条)."""
    return calendar.add_working_days(sent, CONSULTATION_WORKING_DAYS)


def fee_payment_deadline(calendar: WorkingCalendar, notice_received: date) -> date:
    """Return the last day to pay 信息处理费: 20 working days from the day after receipt of the
    fee notice (国办函〔2020〕109号, 「收到收费通知次日起20个工作日内」)."""
    return calendar.add_working_days(notice_received, FEE_PAYMENT_WORKING_DAYS)


def _single_correction(correction: Any) -> Correction | None:
    if correction is None or isinstance(correction, Correction):
        return correction
    if isinstance(correction, Sequence) and not isinstance(correction, str):
        if len(correction) > 1:
            raise CorrectionOnlyOnce()
        return _single_correction(correction[0]) if correction else None
    raise TypeError(f"correction must be a Correction or None, not {type(correction).__name__}")


def _check_extension(extension_days: Any) -> int:
    if isinstance(extension_days, bool) or not isinstance(extension_days, int):
        raise ExtensionOutOfRange(extension_days)
    if extension_days != 0 and not 1 <= extension_days <= MAX_EXTENSION_DAYS:
        raise ExtensionOutOfRange(extension_days)
    return extension_days


def compute_due_date(
    calendar: WorkingCalendar,
    *,
    received: date | None,
    correction: Correction | None = None,
    pauses: Iterable[Pause] = (),
    extension_days: int = 0,
) -> DueDate:
    """Compute when the reply is due, and record every day that went into it.

    《政府信息公开条例》第三十条、第三十二条至第三十四条; see the module docstring.
    """
    if received is None:
        raise ReceivedMissing()
    extension_days = _check_extension(extension_days)
    correction = _single_correction(correction)
    pauses = tuple(pauses)
    for given in pauses:
        if given.end < given.start:
            raise PauseEndBeforeStart(given)
        if given.start < received:
            raise PauseBeforeReceipt(given, received)

    target = REPLY_WORKING_DAYS + extension_days
    steps = [Step(received, RECEIVED, "收到政府信息公开申请（第0日）")]
    base = received
    if correction is not None:
        if correction.requested < received:
            raise CorrectionBeforeReceipt(correction.requested, received)
        deadline = correction_deadline(calendar, received)
        if correction.requested > deadline:
            raise CorrectionTooLate(correction.requested, deadline)
        nth = calendar.working_days_between(received, correction.requested)
        steps.append(
            Step(
                correction.requested,
                CORRECTION_REQUESTED,
                f"一次性告知申请人补正（收到申请后第{nth}个工作日，不晚于第7个工作日 "
                f"{deadline}，第三十条）",
            )
        )
        if correction.supplied is None:
            steps.append(
                Step(
                    correction.requested,
                    STOPPED,
                    "尚未收到补正材料：答复期限停止计算，收到补正材料后自次日起重新计算20个工作日",
                )
            )
            return DueDate(
                None, received, received, target, extension_days, correction, pauses, steps
            )
        if correction.supplied < correction.requested:
            raise SupplementBeforeRequest(correction.supplied, correction.requested)
        base = correction.supplied
        steps.append(
            Step(
                base,
                SUPPLEMENT_RECEIVED,
                "收到补正后的申请：答复期限自次日起重新计算（第三十条），此日为第0日",
            )
        )

    by_basis = sorted(pauses, key=lambda p: not p.kind.statutory)
    counted = 0
    due = base
    for day in calendar.days_after(base):
        kind = calendar.kind_of(day)
        name = calendar.name_of(day)
        if kind == DAY_OFF:
            steps.append(Step(day, SKIPPED_DAY_OFF, f"法定节假日放假{_named(name)}，不计"))
            continue
        if kind == WEEKEND:
            steps.append(Step(day, SKIPPED_WEEKEND, "周末休息日，不计"))
            continue
        # where a consultation and a fee stop overlap, the 条例's own ground is the one cited
        pause = next((p for p in by_basis if p.start < day <= p.end), None)
        if pause is not None:
            steps.append(Step(day, PAUSED, pause.kind.note(pause.start, pause.end)))
            continue
        counted += 1
        note = f"第{counted}个工作日"
        if kind == MAKEUP_WORKDAY:
            note += f"（调休上班日{'：' + name if name else ''}，计入）"
        if counted > REPLY_WORKING_DAYS:
            note += f"（延长期限第{counted - REPLY_WORKING_DAYS}日）"
        steps.append(Step(day, COUNTED, note, counted))
        if counted == target:
            due = day
            break

    summary = f"答复期限届满：{due.isoformat()}，即自{_which_base(base, received)}次日起第{target}个工作日"
    if extension_days:
        summary += f"（20个工作日另延长{extension_days}个工作日，第三十三条第二款）"
    else:
        summary += "（第三十三条）"
    steps.append(Step(due, DUE, summary, counted))
    return DueDate(due, base, received, target, extension_days, correction, pauses, steps)


def _named(name: str) -> str:
    return f"（{name}）" if name else ""


def _which_base(base: date, received: date) -> str:
    if base == received:
        return f"收到申请之日（{base}）"
    return f"收到补正材料之日（{base}）"
