"""Every change to the review and litigation register, one function each.

- :func:`register_case`: a 行政复议 or 行政诉讼 over an application's decision
  (《政府信息公开条例》第五十一条), with its case number, body and filing day;
- :func:`advance_stage`: the case moves on (审理中, 一审, 二审, 再审);
- :func:`close_case`: the body decided — 维持, 纠正 or 其他. A corrected decision means the
  case was handled wrongly: the case is flagged for follow-up, a row is written to the
  application's own history (so its handlers see it in 办理记录), and where the body ordered a
  new decision the new reply is put on the clock (``redo_days`` working days from the
  decision; the body's own time limit when it set one);
- :func:`complete_follow_up`: the office records what it did.

Keyword-only arguments, the acting user first; permission from ``accounts.rules``
(:func:`~gongkai.accounts.rules.can_keep_appeals`); bad input raises ValidationError and
nothing is saved.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai.accounts import rules
from gongkai.appeals.models import Case, Result, Route, Stage
from gongkai.applications.models import Application, Reply
from gongkai.auditlog.services import record as audit
from gongkai.holidays.services import load_calendar
from gongkai.law.calendar import MissingCalendarYear
from gongkai.records.steps import Step

__all__ = [
    "DEFAULT_REDO_DAYS",
    "advance_stage",
    "close_case",
    "complete_follow_up",
    "register_case",
]

#: Working days for a new reply ordered by a review or a court when the body set none: the
#: Regulations' own reply period (《政府信息公开条例》第三十三条, 20 working days).
DEFAULT_REDO_DAYS = 20
DENIED = "您无权登记该机关的复议、诉讼案件 / you may not keep this agency's cases"


def _error(field: str, zh: str, en: str) -> ValidationError:
    return ValidationError({field: f"{zh} / {en}"})


def _check_day(value: Any, field: str, label: str, *, not_before: date | None = None) -> date:
    if not isinstance(value, date):
        raise _error(field, f"请填写{label}", "a date is required")
    if value > timezone.localdate():
        raise _error(field, f"{label}不能晚于今天", "the date cannot be in the future")
    if not_before is not None and value < not_before:
        raise _error(field, f"{label}不能早于{not_before}", f"cannot be before {not_before}")
    return value


def _text(value: Any, field: str, label: str, limit: int) -> str:
    text = ("" if value is None else str(value)).strip()
    if not text:
        raise _error(field, f"请填写{label}", "this field is required")
    if len(text) > limit or "\x00" in text:
        raise _error(field, f"{label}不能超过{limit}个字", f"at most {limit} characters")
    return text


def register_case(
    *,
    actor: Any,
    application: Application,
    route: str,
    case_number: str,
    body: str,
    filed_on: date,
    decision: Reply | None = None,
    decision_note: str = "",
    after_review_of: Case | None = None,
) -> Case:
    """Enter a review or suit against the application's agency over its decision."""
    if not rules.can_keep_appeals(actor, application.agency_id):
        raise PermissionDenied(DENIED)
    errors: dict[str, str] = {}
    if route not in Route.values:
        errors["route"] = "请选择案件类型（行政复议或行政诉讼） / choose the kind of case"
    for name, value, label, limit in (
        ("case_number", case_number, "案号", 80),
        ("body", body, "复议机关或法院", 100),
    ):
        try:
            _text(value, name, label, limit)
        except ValidationError as error:
            errors.update({k: v[0] for k, v in error.message_dict.items()})
    submitted = timezone.localtime(application.submitted_at).date()
    try:
        _check_day(filed_on, "filed_on", "受理（立案）日期", not_before=submitted)
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
    if decision is not None and decision.application_id != application.pk:
        errors["decision"] = "所选答复不属于该申请 / the reply is not this application's"
    if decision is None and not (decision_note or "").strip():
        errors["decision_note"] = (
            "请选择被复议/诉讼的答复，或写明被复议/诉讼的行为（如逾期未答复） / "
            "name the reply or the act challenged"
        )
    if route == Route.LITIGATION_AFTER_REVIEW:
        if after_review_of is None or after_review_of.route != Route.REVIEW:
            errors["after_review_of"] = (
                "复议后起诉须选择此前的行政复议案件 / a suit after review needs the review"
            )
        elif after_review_of.application_id != application.pk:
            errors["after_review_of"] = (
                "该复议案件不涉及此申请 / that review is about another application"
            )
    elif after_review_of is not None:
        errors["after_review_of"] = (
            "只有复议后起诉的案件关联此前的复议 / only a suit after review names a review"
        )
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            case = Case.objects.create(
                agency_id=application.agency_id,
                application=application,
                decision=decision,
                decision_note=(decision_note or "").strip()[:200],
                route=route,
                after_review_of=after_review_of,
                case_number=case_number.strip(),
                body=body.strip(),
                filed_on=filed_on,
            )
            audit(
                actor=actor,
                action="register_case",
                obj=case,
                label=f"登记{case.get_route_display()}",
                after={"route": route, "filed_on": filed_on.isoformat(), "stage": case.stage},
                data={"application": application.reference, "case_number": case.case_number},
            )
    except IntegrityError:
        raise _error(
            "case_number", "该机关（法院）的此案号已登记", "this case number is already registered"
        ) from None
    return case


class CaseStep(Step):
    fields = ("stage", "result", "closed_on")

    def check(self) -> None:
        if not rules.can_keep_appeals(self.actor, self.record.agency_id):
            raise PermissionDenied(DENIED)


class AdvanceStage(CaseStep):
    action = "advance_stage"
    label = "案件阶段变更"

    def prepare(self) -> None:
        stage = self.params.get("stage")
        if stage not in Stage.values or stage == Stage.CLOSED:
            raise _error(
                "stage", "请选择阶段（审结请登记结果）", "choose a stage; close with a result"
            )
        if not self.record.is_open:
            raise _error("stage", "案件已审结", "the case is closed")

    def apply(self, case: Case) -> None:
        case.stage = self.params["stage"]
        case.save(update_fields=["stage", "updated_at"])


class Close(CaseStep):
    action = "close_case"
    label = "登记审结结果"

    def prepare(self) -> None:
        result = self.params.get("result")
        if result not in (Result.UPHELD, Result.CORRECTED, Result.OTHER):
            raise _error(
                "result", "请选择结果：维持、纠正或其他", "choose upheld, corrected or other"
            )
        self.on = _check_day(
            self.params.get("closed_on"), "closed_on", "审结日期", not_before=self.record.filed_on
        )
        if not self.record.is_open:
            raise _error("result", "案件已审结", "the case is already closed")
        days = self.params.get("redo_days")
        if days is not None and not (isinstance(days, int) and 1 <= days <= 60):
            raise _error("redo_days", "重新答复期限应为1至60个工作日", "1 to 60 working days")

    def apply(self, case: Case) -> None:
        case.result = self.params["result"]
        case.closed_on = self.on
        case.stage = Stage.CLOSED
        case.result_note = (self.params.get("note") or "").strip()[:2000]
        if case.result == Result.CORRECTED:
            case.follow_up_required = True
            if self.params.get("new_decision_ordered"):
                days = self.params.get("redo_days") or DEFAULT_REDO_DAYS
                try:
                    case.follow_up_due = load_calendar().add_working_days(self.on, days)
                except MissingCalendarYear:
                    case.follow_up_due = None
        case.save()
        self.data = {"follow_up_due": case.follow_up_due and case.follow_up_due.isoformat()}

    def follow_up(self, case: Case) -> None:
        if case.result != Result.CORRECTED:
            return
        due = f"，应于{case.follow_up_due}前重新答复" if case.follow_up_due else ""
        audit(  # in the application's own history (办理记录), where its handlers look
            actor=self.actor,
            action="appeal_corrected",
            obj=case.application,
            label=f"{case.get_route_display()}结果纠正，需整改",
            data={"case": case.pk, "case_number": case.case_number},
            note=f"{case.body}（{case.case_number}）于{case.closed_on}纠正{due}。",
        )


class CompleteFollowUp(CaseStep):
    action = "complete_follow_up"
    label = "整改完成"
    fields = ("follow_up_done_on",)

    def prepare(self) -> None:
        if not self.record.follow_up_required or self.record.follow_up_done_on:
            raise _error("follow_up", "该案件没有待整改事项", "nothing to follow up")
        self.on = _check_day(
            self.params.get("on"), "on", "整改完成日期", not_before=self.record.closed_on
        )
        self.text = _text(self.params.get("note"), "note", "整改说明", 2000)

    def apply(self, case: Case) -> None:
        case.follow_up_done_on = self.on
        case.follow_up_note = self.text
        case.save(update_fields=["follow_up_done_on", "follow_up_note", "updated_at"])


def advance_stage(*, actor: Any, case: Case, stage: str) -> Case:
    return AdvanceStage(actor=actor, record=case, stage=stage).run()


def close_case(
    *,
    actor: Any,
    case: Case,
    result: str,
    closed_on: date,
    note: str = "",
    new_decision_ordered: bool = False,
    redo_days: int | None = None,
) -> Case:
    """Record the body's decision (see the module docstring for a corrected one)."""
    return Close(
        actor=actor,
        record=case,
        result=result,
        closed_on=closed_on,
        note=note,
        new_decision_ordered=new_decision_ordered,
        redo_days=redo_days,
    ).run()


def complete_follow_up(*, actor: Any, case: Case, on: date, note: str) -> Case:
    return CompleteFollowUp(actor=actor, record=case, on=on, note=note).run()
