"""Handling an accepted application: correction, consultation, extension, fees.

One function per action (《政府信息公开条例》第三十条至第三十四条、第四十二条; 国办函〔2020〕109号):
keyword-only, ``actor`` first, atomic, checked by ``gongkai.law.workflow`` (a refusal raises
:class:`~gongkai.law.workflow.TransitionRefused` with the reason), an audit event in the same
transaction, and the due date recomputed from the stored basis afterwards.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from gongkai.accounts import rules
from gongkai.applications.models import Application, Consultation, Correction, Extension, FeeNotice
from gongkai.applications.services.common import (
    calendar_needed,
    delete_files_on_error,
    finish,
    lock,
    record_event,
    refuse,
    require_approver,
    require_handler,
    today,
    transition,
)
from gongkai.applications.services.intake import save_files
from gongkai.applications.services.letters import store_letter
from gongkai.applications.services.validation import check_attachments
from gongkai.holidays.services import load_calendar
from gongkai.law.clock import MAX_EXTENSION_DAYS, consultation_deadline, fee_payment_deadline
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


def assign_handler(*, actor: Any, application: Application, handler: Any) -> Application:
    """Make ``handler`` (a clerk, approver or head of the agency) the application's handler."""
    require_handler(actor, application.agency)
    if handler is not None and not rules.can_handle(handler, application.agency):
        raise ValidationError(
            {"handler": "承办人须为本机关公开工作人员 / the handler must be staff here"}
        )
    with delete_files_on_error(), transaction.atomic():
        application = lock(application)
        application.handler = handler
        application.save(update_fields=["handler", "updated_at"])
        record_event(
            application,
            actor=actor,
            action="assign",
            label="指定承办人",
            data={"handler": handler.pk if handler else None},
        )
    return application


def request_correction(
    *,
    actor: Any,
    application: Application,
    items: Sequence[str],
    requested_on: date | None = None,
    supplement_due: date | None = None,
) -> Application:
    """Ask the applicant, once, to correct the application (Art. 30); the clock stops.

    ``items`` are what to correct, one sentence each; ``supplement_due`` defaults to
    :data:`SUPPLEMENT_WORKING_DAYS` working days after ``requested_on``. The 补正告知书 is generated.
    """
    require_handler(actor, application.agency)
    items = [str(i).strip() for i in items if str(i).strip()]
    if not items:
        raise ValidationError({"items": "请逐项写明需要补正的事项 / list what needs correcting"})
    on = requested_on or today()
    calendar = load_calendar()
    with calendar_needed():
        due = supplement_due or calendar.add_working_days(on, SUPPLEMENT_WORKING_DAYS)
    if due <= on:
        raise ValidationError(
            {"supplement_due": "补正期限须晚于告知之日 / must be after the request"}
        )
    with delete_files_on_error(), transaction.atomic():
        application = lock(application)
        old, new = transition(
            application, action=Action.REQUEST_CORRECTION, on=on, calendar=calendar
        )
        Correction.objects.create(
            application=application, requested_on=on, items=items, supplement_due=due
        )
        letter = store_letter(
            application,
            actor=actor,
            key="correction",
            issued_on=on,
            context={"correction_items": items, "correction_due_on": due},
        )
        finish(
            application,
            actor=actor,
            action=Action.REQUEST_CORRECTION,
            old=old,
            new=new,
            calendar=calendar,
            data={"supplement_due": due.isoformat(), "letter": letter.pk},
            note="；".join(items),
        )
    return application


def record_supplement(
    *,
    actor: Any,
    application: Application,
    supplied_on: date | None = None,
    files: Iterable[tuple[str, Any]] = (),
    note: str = "",
) -> Application:
    """Record the corrected application; the 20 working days run again from ``supplied_on``."""
    require_handler(actor, application.agency)
    checked = check_attachments(files)
    on = supplied_on or today()
    calendar = load_calendar()
    with delete_files_on_error(), transaction.atomic():
        application = lock(application)
        old, new = transition(
            application, action=Action.RECORD_SUPPLEMENT, on=on, calendar=calendar
        )
        correction = application.correction
        if on < correction.requested_on:
            raise refuse(
                f"补正材料日期早于告知补正之日（{correction.requested_on}）",
                f"the supplement cannot precede the request ({correction.requested_on})",
                "correction.supplement_before_request",
            )
        correction.supplied_on = on
        correction.save(update_fields=["supplied_on"])
        save_files(application, checked)
        finish(
            application,
            actor=actor,
            action=Action.RECORD_SUPPLEMENT,
            old=old,
            new=new,
            calendar=calendar,
            data={"supplied_on": on.isoformat()},
            note=note,
        )
    return application


def open_consultation(
    *,
    actor: Any,
    application: Application,
    kind: str,
    party: str,
    info_summary: str = "",
    sent_on: date | None = None,
) -> Consultation:
    """Send a consultation to a third party (Art. 32) or another agency (Art. 34).

    Its 15 working days are not counted in the reply period (Art. 33(3)); the 征询函 is generated.
    """
    require_handler(actor, application.agency)
    if kind not in Consultation.Kind.values:
        raise ValidationError({"kind": f"征求意见类型无效：{kind} / unknown consultation kind"})
    party = (party or "").strip()
    if not party:
        raise ValidationError({"party": "请填写征求意见对象 / who is consulted is required"})
    on = sent_on or today()
    calendar = load_calendar()
    with delete_files_on_error(), transaction.atomic():
        application = lock(application)
        old, new = transition(
            application, action=Action.OPEN_CONSULTATION, on=on, calendar=calendar
        )
        summary = (info_summary or "").strip() or application.description
        with calendar_needed():
            deadline = consultation_deadline(calendar, on)
        consultation = Consultation.objects.create(
            application=application,
            kind=kind,
            party=party,
            info_summary=summary,
            sent_on=on,
            deadline=deadline,
        )
        if kind == Consultation.Kind.THIRD_PARTY:
            key, ctx = "third_party_consultation", {"third_party_name": party}
        else:
            key, ctx = "agency_consultation", {"consulted_agency": party}
        ctx.update(info_summary=summary, consultation_due_on=deadline)
        letter = store_letter(application, actor=actor, key=key, context=ctx, issued_on=on)
        finish(
            application,
            actor=actor,
            action=Action.OPEN_CONSULTATION,
            old=old,
            new=new,
            calendar=calendar,
            data={
                "consultation": consultation.pk,
                "deadline": deadline.isoformat(),
                "letter": letter.pk,
            },
            note=f"向{party}征求意见",
        )
    return consultation


def close_consultation(
    *,
    actor: Any,
    consultation: Consultation,
    closed_on: date | None = None,
    opinion: str = "",
) -> Consultation:
    """Record the answer to a consultation (or that its 15 working days ran out)."""
    application = consultation.application
    require_handler(actor, application.agency)
    on = closed_on or today()
    calendar = load_calendar()
    with delete_files_on_error(), transaction.atomic():
        application = lock(application)
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if consultation.closed_on is not None:
            raise refuse(
                "该征求意见已经结束", "this consultation is already closed", "consultation.closed"
            )
        if on < consultation.sent_on:
            raise refuse(
                f"结束日期早于发出之日（{consultation.sent_on}）",
                f"cannot close before it was sent ({consultation.sent_on})",
                "consultation.before_sent",
            )
        old, new = transition(
            application, action=Action.CLOSE_CONSULTATION, on=on, calendar=calendar
        )
        consultation.closed_on = on
        consultation.opinion = opinion
        consultation.save(update_fields=["closed_on", "opinion"])
        finish(
            application,
            actor=actor,
            action=Action.CLOSE_CONSULTATION,
            old=old,
            new=new,
            calendar=calendar,
            data={"consultation": consultation.pk},
            note=opinion or ("逾期未提出意见" if on > consultation.deadline else ""),
        )
    return consultation


def approve_extension(
    *,
    actor: Any,
    application: Application,
    days: int,
    reason: str,
    approved_on: date | None = None,
) -> Extension:
    """Extend the reply period once, by 1–20 working days (Art. 33(2)); approvers only.

    Refused after the due date or a second time; the 延期答复告知书 is generated. When the
    extended due date falls in a year whose holiday arrangement is not loaded, the approval (a
    legal act already done) is still recorded: the due date stays 待补充节假日安排, the
    explanation names the missing year, and the letter is generated when that year is imported
    (:func:`issue_pending_extension_letter`, from the calendar-change hook).
    """
    require_approver(actor, application.agency)
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_EXTENSION_DAYS:
        raise ValidationError({"days": "延长期限须为1至20个工作日 / 1 to 20 working days"})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写延期理由 / the reason is required"})
    on = approved_on or today()
    calendar = load_calendar()
    with delete_files_on_error(), transaction.atomic():
        application = lock(application)
        old, new = transition(application, action=Action.EXTEND, on=on, calendar=calendar)
        previous = application.due_on
        extension = Extension.objects.create(
            application=application,
            days=days,
            approved_by=actor,
            approved_on=on,
            reason=reason,
            previous_due=previous,
        )
        event = finish(
            application,
            actor=actor,
            action=Action.EXTEND,
            old=old,
            new=new,
            calendar=calendar,
            data={"days": days},
            note=reason,
        )
        if application.due_on is None:  # a year is missing: the letter waits for it
            year = application.clock_basis.get("missing_year")
            event.data["letter_pending"] = True
            event.note = (
                f"{reason}（延长后的答复期限待补充{year}年节假日安排；"
                f"导入后自动计算并生成延期答复告知书）"
            )
            event.save(update_fields=["data", "note"])
            return extension
        letter = _extension_letter(application, extension, actor=actor, issued_on=on)
        event.data["letter"] = letter.pk
        event.save(update_fields=["data"])
    return extension


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
        same.filter(id_number=application.id_number)
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
    """Send a 信息处理费 notice (Art. 42; 109号): the amount is computed, never typed.

    ``received_on`` is the day the applicant receives the notice (default: the issue day); they
    have 20 working days from the next day to pay.
    """
    require_handler(actor, application.agency)
    try:
        method = FeeMethod(method)
    except ValueError:
        raise ValidationError({"method": "计收方式无效 / unknown fee method"}) from None
    if not (payment_method or "").strip():
        raise ValidationError({"payment_method": "请填写缴费方式 / how to pay is required"})
    on = issued_on or today()
    got = received_on or on
    calendar = load_calendar()
    with delete_files_on_error(), transaction.atomic():
        application = lock(application)
        old, new = transition(application, action=Action.ISSUE_FEE_NOTICE, on=on, calendar=calendar)
        amount, basis = _fee_amount(application, method, pages)
        if amount <= 0:
            raise ValidationError({"method": f"{basis}，不收费 / no fee is due"})
        with calendar_needed():
            due = fee_payment_deadline(calendar, got)
        notice = FeeNotice.objects.create(
            application=application,
            amount=amount,
            method=method.value,
            basis=basis,
            issued_on=on,
            received_on=got,
            due_on=due,
        )
        letter = store_letter(
            application,
            actor=actor,
            key="fee_notice",
            issued_on=on,
            context={
                "fee_amount": f"{amount:.0f}" if amount == amount.to_integral() else str(amount),
                "fee_method": method.label_zh,
                "fee_calculation": basis,
                "payment_method": payment_method.strip(),
                "fee_due_on": due,
            },
        )
        finish(
            application,
            actor=actor,
            action=Action.ISSUE_FEE_NOTICE,
            old=old,
            new=new,
            calendar=calendar,
            data={"amount": str(amount), "fee_due": due.isoformat(), "letter": letter.pk},
            note=basis,
        )
    return notice


def record_payment(
    *, actor: Any, application: Application, paid_on: date | None = None
) -> Application:
    """Record that the fee was paid; handling continues."""
    require_handler(actor, application.agency)
    on = paid_on or today()
    calendar = load_calendar()
    with delete_files_on_error(), transaction.atomic():
        application = lock(application)
        old, new = transition(application, action=Action.RECORD_PAYMENT, on=on, calendar=calendar)
        notice = application.fee_notice
        if on < notice.issued_on:
            raise refuse("缴费日期早于收费通知", "payment precedes the notice", "fee.before_notice")
        notice.paid_on = on
        notice.save(update_fields=["paid_on"])
        finish(
            application,
            actor=actor,
            action=Action.RECORD_PAYMENT,
            old=old,
            new=new,
            calendar=calendar,
            data={"paid_on": on.isoformat()},
        )
    return application
