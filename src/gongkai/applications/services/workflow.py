"""Handling an accepted application: correction, consultation, extension, fees.

One step per action (《政府信息公开条例》第三十条至第三十四条、第四十二条; 国办函〔2020〕109号),
run through :class:`~gongkai.applications.services.steps.ApplicationStep`: checked by
``gongkai.law.workflow`` (a refusal raises :class:`~gongkai.law.workflow.TransitionRefused`
with the reason), an audit row in the same transaction, and the due date recomputed from the
stored basis afterwards. Each service function builds its step and runs it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q

from gongkai.accounts import rules
from gongkai.applications.models import (
    Application,
    Consultation,
    Correction,
    Extension,
    FeeNotice,
    id_number_hash,
)
from gongkai.applications.services.common import calendar_needed, record_event, refuse, today
from gongkai.applications.services.intake import save_files
from gongkai.applications.services.letters import store_letter
from gongkai.applications.services.steps import (
    APPROVER_DENIED,
    STEPS,
    ApplicationStep,
)
from gongkai.applications.services.validation import check_attachments
from gongkai.law.clock import (
    MAX_EXTENSION_DAYS,
    ExtensionOutOfRange,
    consultation_deadline,
    fee_payment_deadline,
)
from gongkai.law.fees import FeeMethod, fee_per_application, fee_per_pages, nth_in_month
from gongkai.law.workflow import Action

__all__ = [
    "SUPPLEMENT_WORKING_DAYS",
    "approve_extension",
    "assign_handler",
    "close_consultation",
    "issue_fee_notice",
    "issue_pending_extension_letter",
    "open_consultation",
    "record_payment",
    "record_supplement",
    "request_correction",
]

#: The period given to supplement (补正期限). Art. 30 sets none; 15 working days is common practice.
SUPPLEMENT_WORKING_DAYS = 15


def _lines(text: str | Sequence[str]) -> list[str]:
    items = text.splitlines() if isinstance(text, str) else text
    return [str(i).strip() for i in items if str(i).strip()]


class AssignHandler(ApplicationStep):
    """Make ``handler`` (a clerk, approver or head of the agency) the application's handler."""

    action = "assign"
    label = "指定承办人"

    def validate(self) -> None:
        handler = self.params["handler"]
        if handler is not None and not rules.can_handle(handler, self.record.agency_id):
            raise ValidationError(
                {"handler": "承办人须为本机关公开工作人员 / the handler must be staff here"}
            )

    def change(self, application: Application) -> Application:
        handler = self.params["handler"]
        application.handler = handler
        application.save(update_fields=["handler", "updated_at"])
        self.data = {"handler": handler.pk if handler else None}
        return application


def assign_handler(*, actor: Any, application: Application, handler: Any) -> Application:
    return AssignHandler(actor=actor, record=application, handler=handler).run()


@STEPS.add
class RequestCorrection(ApplicationStep):
    """Ask the applicant, once, to correct the application (Art. 30); the clock stops.

    ``items`` are what to correct, one sentence each; ``supplement_due`` defaults to
    :data:`SUPPLEMENT_WORKING_DAYS` working days after the request. The 补正告知书 is generated.
    """

    law = Action.REQUEST_CORRECTION

    def validate(self) -> None:
        self.items = _lines(self.params.get("items") or [])
        if not self.items:
            raise ValidationError(
                {"items": "请逐项写明需要补正的事项 / list what needs correcting"}
            )
        due = self.params.get("supplement_due")
        with calendar_needed():
            self.due = due or self.calendar.add_working_days(self.on, SUPPLEMENT_WORKING_DAYS)
        if self.due <= self.on:
            raise ValidationError(
                {"supplement_due": "补正期限须晚于告知之日 / must be after the request"}
            )

    def change(self, application: Application) -> Application:
        Correction.objects.create(
            application=application, requested_on=self.on, items=self.items, supplement_due=self.due
        )
        letter = store_letter(
            application,
            actor=self.actor,
            key="correction",
            issued_on=self.on,
            context={"correction_items": self.items, "correction_due_on": self.due},
        )
        self.data = {"supplement_due": self.due.isoformat(), "letter": letter.pk}
        self.note = "；".join(self.items)
        return application

    @classmethod
    def params_from(cls, application, data):
        return {
            "on": data.get("on"),
            "items": data.get("items", ""),
            "supplement_due": data.get("supplement_due"),
        }


def request_correction(
    *,
    actor: Any,
    application: Application,
    items: Sequence[str],
    requested_on: date | None = None,
    supplement_due: date | None = None,
) -> Application:
    return RequestCorrection(
        actor=actor,
        record=application,
        on=requested_on,
        items=items,
        supplement_due=supplement_due,
    ).run()


request_correction.__doc__ = RequestCorrection.__doc__


@STEPS.add
class RecordSupplement(ApplicationStep):
    """Record the corrected application; the 20 working days run again from ``supplied_on``."""

    law = Action.RECORD_SUPPLEMENT

    def validate(self) -> None:
        self.checked = check_attachments(self.params.get("files") or ())

    def change(self, application: Application) -> Application:
        correction = application.correction
        if self.on < correction.requested_on:
            raise refuse(
                f"补正材料日期早于告知补正之日（{correction.requested_on}）",
                f"the supplement cannot precede the request ({correction.requested_on})",
                "correction.supplement_before_request",
            )
        correction.supplied_on = self.on
        correction.save(update_fields=["supplied_on"])
        save_files(application, self.checked)
        self.data = {"supplied_on": self.on.isoformat()}
        self.note = self.params.get("note", "")
        return application

    @classmethod
    def params_from(cls, application, data):
        return {
            "on": data.get("on"),
            "files": [("supplement", f) for f in data.get("files") or []],
            "note": data.get("note", ""),
        }


def record_supplement(
    *,
    actor: Any,
    application: Application,
    supplied_on: date | None = None,
    files: Iterable[tuple[str, Any]] = (),
    note: str = "",
) -> Application:
    return RecordSupplement(
        actor=actor, record=application, on=supplied_on, files=list(files), note=note
    ).run()


record_supplement.__doc__ = RecordSupplement.__doc__


@STEPS.add
class OpenConsultation(ApplicationStep):
    """Send a consultation to a third party (Art. 32) or another agency (Art. 34).

    Its 15 working days are not counted in the reply period (Art. 33(3)); the 征询函 is generated.
    """

    law = Action.OPEN_CONSULTATION

    def validate(self) -> None:
        self.kind = self.params.get("kind", "")
        if self.kind not in Consultation.Kind.values:
            raise ValidationError(
                {"kind": f"征求意见类型无效：{self.kind} / unknown consultation kind"}
            )
        self.party = (self.params.get("party") or "").strip()
        if not self.party:
            raise ValidationError({"party": "请填写征求意见对象 / who is consulted is required"})

    def change(self, application: Application) -> Consultation:
        summary = (self.params.get("info_summary") or "").strip() or application.description
        with calendar_needed():
            deadline = consultation_deadline(self.calendar, self.on)
        consultation = Consultation.objects.create(
            application=application,
            kind=self.kind,
            party=self.party,
            info_summary=summary,
            sent_on=self.on,
            deadline=deadline,
        )
        if self.kind == Consultation.Kind.THIRD_PARTY:
            key, ctx = "third_party_consultation", {"third_party_name": self.party}
        else:
            key, ctx = "agency_consultation", {"consulted_agency": self.party}
        ctx.update(info_summary=summary, consultation_due_on=deadline)
        letter = store_letter(
            application, actor=self.actor, key=key, context=ctx, issued_on=self.on
        )
        self.data = {
            "consultation": consultation.pk,
            "deadline": deadline.isoformat(),
            "letter": letter.pk,
        }
        self.note = f"向{self.party}征求意见"
        return consultation

    @classmethod
    def params_from(cls, application, data):
        return {
            "on": data.get("on"),
            "kind": data.get("kind", ""),
            "party": data.get("party", ""),
            "info_summary": data.get("info_summary", ""),
        }


def open_consultation(
    *,
    actor: Any,
    application: Application,
    kind: str,
    party: str,
    info_summary: str = "",
    sent_on: date | None = None,
) -> Consultation:
    return OpenConsultation(
        actor=actor,
        record=application,
        on=sent_on,
        kind=kind,
        party=party,
        info_summary=info_summary,
    ).run()


open_consultation.__doc__ = OpenConsultation.__doc__


@STEPS.add
class CloseConsultation(ApplicationStep):
    """Record the answer to a consultation (or that its 15 working days ran out)."""

    law = Action.CLOSE_CONSULTATION

    def change(self, application: Application) -> Consultation:
        consultation = Consultation.objects.select_for_update().get(
            pk=self.params["consultation"].pk
        )
        if consultation.application_id != application.pk:
            raise ValidationError({"consultation": "请选择未结束的征求意见 / choose an open one"})
        if consultation.closed_on is not None:
            raise refuse(
                "该征求意见已经结束", "this consultation is already closed", "consultation.closed"
            )
        if self.on < consultation.sent_on:
            raise refuse(
                f"结束日期早于发出之日（{consultation.sent_on}）",
                f"cannot close before it was sent ({consultation.sent_on})",
                "consultation.before_sent",
            )
        opinion = self.params.get("opinion", "")
        consultation.closed_on = self.on
        consultation.opinion = opinion
        consultation.save(update_fields=["closed_on", "opinion"])
        self.data = {"consultation": consultation.pk}
        self.note = opinion or ("逾期未提出意见" if self.on > consultation.deadline else "")
        return consultation

    @classmethod
    def params_from(cls, application, data):
        consultation = data.get("consultation")
        if not isinstance(consultation, Consultation):
            consultation = application.consultations.filter(closed_on=None, pk=consultation).first()
        if consultation is None or consultation.application_id != application.pk:
            raise ValidationError({"consultation": "请选择未结束的征求意见 / choose an open one"})
        return {
            "on": data.get("on"),
            "consultation": consultation,
            "opinion": data.get("opinion", ""),
        }


def close_consultation(
    *,
    actor: Any,
    consultation: Consultation,
    closed_on: date | None = None,
    opinion: str = "",
) -> Consultation:
    return CloseConsultation(
        actor=actor,
        record=consultation.application,
        on=closed_on,
        consultation=consultation,
        opinion=opinion,
    ).run()


close_consultation.__doc__ = CloseConsultation.__doc__


@STEPS.add
class ApproveExtension(ApplicationStep):
    """Extend the reply period once, by 1–20 working days (Art. 33(2)); approvers only.

    Refused after the due date or a second time; the 延期答复告知书 is generated. When the
    extended due date falls in a year whose holiday arrangement is not loaded, the approval (a
    legal act already done) is still recorded: the due date stays 待补充节假日安排, the
    explanation names the missing year, and the letter is generated when that year is imported
    (:func:`issue_pending_extension_letter`, from the calendar-change hook).
    """

    law = Action.EXTEND
    allowed = staticmethod(rules.can_approve)
    denied = APPROVER_DENIED

    def validate(self) -> None:
        days = self.params.get("days")
        if (
            isinstance(days, bool)
            or not isinstance(days, int)
            or not 1 <= days <= MAX_EXTENSION_DAYS
        ):
            raise ValidationError({"days": str(ExtensionOutOfRange(days))})
        self.reason = (self.params.get("reason") or "").strip()
        if not self.reason:
            raise ValidationError({"reason": "请填写延期理由 / the reason is required"})

    def change(self, application: Application) -> Extension:
        self.extension = Extension.objects.create(
            application=application,
            days=self.params["days"],
            approved_by=self.actor,
            approved_on=self.on,
            reason=self.reason,
            previous_due=application.due_on,
        )
        self.data = {"days": self.params["days"]}
        self.note = self.reason
        return self.extension

    def settle(self, application: Application) -> None:
        if application.due_on is None:  # a year is missing: the letter waits for it
            year = application.clock_basis.get("missing_year")
            self.data["letter_pending"] = True
            self.note = (
                f"{self.reason}（延长后的答复期限待补充{year}年节假日安排；"
                f"导入后自动计算并生成延期答复告知书）"
            )
            return
        letter = _extension_letter(application, self.extension, actor=self.actor, issued_on=self.on)
        self.data["letter"] = letter.pk

    @classmethod
    def params_from(cls, application, data):
        return {"on": data.get("on"), "days": data.get("days"), "reason": data.get("reason", "")}


def approve_extension(
    *,
    actor: Any,
    application: Application,
    days: int,
    reason: str,
    approved_on: date | None = None,
) -> Extension:
    return ApproveExtension(
        actor=actor, record=application, on=approved_on, days=days, reason=reason
    ).run()


approve_extension.__doc__ = ApproveExtension.__doc__


def _extension_letter(application, extension, *, actor, issued_on, previous=None):
    return store_letter(
        application,
        actor=actor,
        key="extension",
        issued_on=issued_on,
        context={
            "original_due_on": previous or extension.previous_due,
            "extended_due_on": application.due_on,
            "extension_reason": extension.reason,
        },
    )


def issue_pending_extension_letter(application: Application, *, actor: Any, calendar) -> bool:
    """Generate the 延期答复告知书 held back for a missing year, once the due date is known.

    Called by the calendar-change hook inside its transaction; returns whether a letter was
    generated (with the original due date, now computable too, stored on the extension).
    """
    from gongkai.applications.services.deadlines import due_from_basis

    extension = getattr(application, "extension", None)
    if extension is None or application.due_on is None:
        return False
    if application.letters.filter(key="extension").exists():
        return False
    if extension.previous_due is None:
        basis = dict(application.clock_basis, extension_days=0)
        original = due_from_basis(basis, calendar)
        extension.previous_due = original.due if original is not None else None
        extension.save(update_fields=["previous_due"])
    letter = _extension_letter(application, extension, actor=actor, issued_on=today())
    record_event(
        application,
        actor=actor,
        action="letter",
        label="生成延期答复告知书",
        data={"letter": letter.pk},
        note=f"节假日安排已导入，延长后的答复期限为{application.due_on}",
    )
    return True


def _fee_amount(
    application: Application, method: FeeMethod, pages: int | None
) -> tuple[Decimal, str]:
    if method is FeeMethod.PER_PAGE:
        if pages is None:
            raise ValidationError({"pages": "按量计收须填写页数 / the page count is required"})
        return fee_per_pages(pages), f"本申请共{pages}页，按量计收（国办函〔2020〕109号第五条）"
    same = Application.objects.filter(agency=application.agency).exclude(pk=application.pk)
    same = (
        same.filter(id_number_hash=id_number_hash(application.id_number))
        if application.id_number
        else same.filter(credit_code=application.credit_code)
    )
    received = application.received_on
    earlier = (
        same.exclude(received_on=None)
        .filter(Q(received_on__lt=received) | Q(received_on=received, pk__lt=application.pk))
        .values_list("received_on", flat=True)
    )
    nth = nth_in_month(list(earlier), application.received_on)
    return fee_per_application(nth), f"本月第{nth}件申请，按件计收（国办函〔2020〕109号第四条）"


@STEPS.add
class IssueFeeNotice(ApplicationStep):
    """Send a 信息处理费 notice (Art. 42; 109号): the amount is computed, never typed.

    ``received_on`` is the day the applicant receives the notice (default: the issue day); they
    have 20 working days from the next day to pay.
    """

    law = Action.ISSUE_FEE_NOTICE

    def validate(self) -> None:
        try:
            self.method = FeeMethod(self.params.get("method"))
        except ValueError:
            raise ValidationError({"method": "计收方式无效 / unknown fee method"}) from None
        self.payment_method = (self.params.get("payment_method") or "").strip()
        if not self.payment_method:
            raise ValidationError({"payment_method": "请填写缴费方式 / how to pay is required"})

    def change(self, application: Application) -> FeeNotice:
        amount, basis = _fee_amount(application, self.method, self.params.get("pages"))
        if amount <= 0:
            raise ValidationError({"method": f"{basis}，不收费 / no fee is due"})
        got = self.params.get("received_on") or self.on
        with calendar_needed():
            due = fee_payment_deadline(self.calendar, got)
        notice = FeeNotice.objects.create(
            application=application,
            amount=amount,
            method=self.method.value,
            basis=basis,
            issued_on=self.on,
            received_on=got,
            due_on=due,
        )
        letter = store_letter(
            application,
            actor=self.actor,
            key="fee_notice",
            issued_on=self.on,
            context={
                "fee_amount": f"{amount:.0f}" if amount == amount.to_integral() else str(amount),
                "fee_method": self.method.label_zh,
                "fee_calculation": basis,
                "payment_method": self.payment_method,
                "fee_due_on": due,
            },
        )
        self.data = {"amount": str(amount), "fee_due": due.isoformat(), "letter": letter.pk}
        self.note = basis
        return notice

    @classmethod
    def params_from(cls, application, data):
        return {
            "on": data.get("on"),
            "method": data.get("method", ""),
            "payment_method": data.get("payment_method", ""),
            "pages": data.get("pages"),
            "received_on": data.get("received_on"),
        }


def issue_fee_notice(
    *,
    actor: Any,
    application: Application,
    method: FeeMethod | str,
    payment_method: str,
    pages: int | None = None,
    issued_on: date | None = None,
    received_on: date | None = None,
) -> FeeNotice:
    return IssueFeeNotice(
        actor=actor,
        record=application,
        on=issued_on,
        method=method,
        payment_method=payment_method,
        pages=pages,
        received_on=received_on,
    ).run()


issue_fee_notice.__doc__ = IssueFeeNotice.__doc__


@STEPS.add
class RecordPayment(ApplicationStep):
    """Record that the fee was paid; handling continues."""

    law = Action.RECORD_PAYMENT

    def change(self, application: Application) -> Application:
        notice = application.fee_notice
        if self.on < notice.issued_on:
            raise refuse("缴费日期早于收费通知", "payment precedes the notice", "fee.before_notice")
        notice.paid_on = self.on
        notice.save(update_fields=["paid_on"])
        self.data = {"paid_on": self.on.isoformat()}
        return application


def record_payment(
    *, actor: Any, application: Application, paid_on: date | None = None
) -> Application:
    return RecordPayment(actor=actor, record=application, on=paid_on).run()


record_payment.__doc__ = RecordPayment.__doc__
