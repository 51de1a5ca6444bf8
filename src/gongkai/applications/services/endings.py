"""How an application ends: reply, lapse, withdrawal, transfer; then delivery and archive.

Every ending records the disposition and the closing day (``closed_on``) the annual report
counts (《政府信息公开条例》第五十条; ``gongkai.annual.engine``): the day of the action that
ended it, not the delivery. A submission withdrawn or transferred while still 待确认 was never
received and gets no disposition.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from gongkai.accounts import rules
from gongkai.agencies.models import Agency
from gongkai.applications.models import Application, Delivery, Reply, ReplyDraft
from gongkai.applications.services.common import (
    delete_files_on_error,
    facts_for,
    finish,
    lock,
    mail_applicant,
    refuse,
    require_handler,
    today,
    transition,
)
from gongkai.applications.services.letters import store_letter
from gongkai.holidays.services import load_calendar
from gongkai.law.applicants import Channel
from gongkai.law.dispositions import Disposition
from gongkai.law.workflow import Action, closing_disposition

__all__ = [
    "archive",
    "lapse_correction",
    "lapse_fee",
    "record_delivery",
    "reply",
    "transfer",
    "withdraw",
]


def _close(application: Application, facts, action: Action, on: date, disposition=None) -> str:
    ending = closing_disposition(facts, action, disposition)
    if ending is not None:
        application.disposition = ending.value
        application.closed_on = on
    return ending.value if ending is not None else ""


def reply(
    *,
    actor: Any,
    application: Application,
    disposition: Disposition | str,
    replied_on: date | None = None,
    letter_context: Mapping[str, Any] | None = None,
) -> Reply:
    """Answer the application with ``disposition`` (Arts. 35–39) and generate the reply letter.

    ``letter_context`` holds what the handler writes (see ``gongkai.letters.catalog``: e.g.
    ``provision_method`` for 予以公开, ``reasons`` for 不予公开). The letter is composed before
    anything is written, so a missing variable raises ValidationError under ``letter``.

    With ``GONGKAI_REPLY_APPROVAL`` (the default) only an approver replies directly (drafting and
    approving in one step); a clerk drafts (``approvals.draft_reply``). Otherwise any handler.
    """
    if reply_approval_required():
        require_reply_approver(actor, application.agency)
        approved_by = actor
    else:
        require_handler(actor, application.agency)
        approved_by = actor if rules.can_approve(actor, application.agency_id) else None
    return answer(
        actor=actor,
        application=application,
        disposition=disposition,
        replied_on=replied_on,
        letter_context=letter_context,
        drafted_by=actor,
        approved_by=approved_by,
    )


def reply_approval_required() -> bool:
    """Whether a clerk's reply needs the approver's sign-off (setting GONGKAI_REPLY_APPROVAL)."""
    return bool(getattr(settings, "GONGKAI_REPLY_APPROVAL", True))


def require_reply_approver(actor: Any, agency: Any) -> None:
    """Raise PermissionDenied, saying why, unless ``actor`` may approve replies for ``agency``."""
    if not rules.can_approve(actor, agency):
        raise PermissionDenied(
            "答复须经政府信息公开工作机构负责人审核签发：请提交答复草稿，由负责人批准 / "
            "a reply must be approved by the head of the disclosure office: submit a draft"
        )


def answer(
    *,
    actor: Any,
    application: Application,
    disposition: Disposition | str,
    replied_on: date | None,
    letter_context: Mapping[str, Any] | None,
    drafted_by: Any,
    approved_by: Any,
    approving_draft: bool = False,
) -> Reply:
    """The reply itself, permissions already checked (:func:`reply`, ``approvals``)."""
    try:
        disposition = Disposition(disposition)
    except ValueError:
        raise ValidationError({"disposition": f"未知的处理结果 {disposition!r}"}) from None
    on = replied_on or today()
    calendar = load_calendar()
    with delete_files_on_error(), transaction.atomic():
        application = lock(application)
        facts = facts_for(application, on, calendar)
        old, new = transition(
            application, action=Action.REPLY, on=on, calendar=calendar, disposition=disposition
        )
        _close(application, facts, Action.REPLY, on, disposition)
        letter = store_letter(
            application,
            actor=actor,
            key="",
            context=letter_context,
            disposition=disposition.value,
            issued_on=on,
        )
        row = Reply.objects.create(
            application=application,
            disposition=disposition.value,
            replied_on=on,
            replied_by=actor,
            letter=letter,
            drafted_by=drafted_by if getattr(drafted_by, "is_authenticated", False) else None,
            approved_by=approved_by,
        )
        superseded = ReplyDraft.objects.filter(application=application).delete()[0]
        late = application.due_on is not None and on > application.due_on
        data = {"disposition": disposition.value, "letter": letter.pk, "late": late}
        if approved_by is not None:
            data["approved_by"] = approved_by.pk
        if superseded:
            data["draft"] = "approved" if approving_draft else "superseded"
        finish(
            application,
            actor=actor,
            action=Action.REPLY,
            old=old,
            new=new,
            calendar=calendar,
            extra_fields=("disposition", "closed_on"),
            data=data,
            note=disposition.label_zh,
        )
        mail_applicant(
            application,
            f"政府信息公开申请已答复（查询码 {application.tracking_code_display}）",
            f"{application.agency.name}已于 {on} 答复您的申请（{letter.number}），"
            "请凭查询码查看或等待送达。",
        )
    return row


def _lapse(
    actor: Any, application: Application, action: Action, on: date | None, letter_key: str, context
) -> Application:
    require_handler(actor, application.agency)
    on = on or today()
    calendar = load_calendar()
    with delete_files_on_error(), transaction.atomic():
        application = lock(application)
        facts = facts_for(application, on, calendar)
        old, new = transition(application, action=action, on=on, calendar=calendar)
        ending = _close(application, facts, action, on)
        if action is Action.LAPSE_CORRECTION:
            application.correction.lapsed_on = on
            application.correction.save(update_fields=["lapsed_on"])
        else:
            application.fee_notice.lapsed_on = on
            application.fee_notice.save(update_fields=["lapsed_on"])
        letter = store_letter(
            application, actor=actor, key=letter_key, context=context(application), issued_on=on
        )
        finish(
            application,
            actor=actor,
            action=action,
            old=old,
            new=new,
            calendar=calendar,
            extra_fields=("disposition", "closed_on"),
            data={"disposition": ending, "letter": letter.pk},
        )
    return application


def lapse_correction(
    *, actor: Any, application: Application, on: date | None = None
) -> Application:
    """End an application whose correction was not supplied in time: 视为放弃申请 (Art. 30)."""
    return _lapse(
        actor,
        application,
        Action.LAPSE_CORRECTION,
        on,
        "notice_overdue_correction",
        lambda a: {
            "correction_requested_on": a.correction.requested_on,
            "correction_due_on": a.correction.supplement_due,
        },
    )


def lapse_fee(*, actor: Any, application: Application, on: date | None = None) -> Application:
    """End an application whose fee was not paid in time: 视为放弃申请 (109号)."""
    return _lapse(
        actor,
        application,
        Action.LAPSE_FEE,
        on,
        "notice_overdue_fee",
        lambda a: {"fee_notice_on": a.fee_notice.received_on, "fee_due_on": a.fee_notice.due_on},
    )


def record_delivery(
    *,
    actor: Any,
    application: Application,
    method: str,
    delivered_on: date | None = None,
    note: str = "",
) -> Delivery:
    """Record 送达 of the reply: how and when it reached the applicant."""
    require_handler(actor, application.agency)
    if method not in Delivery.Method.values:
        raise ValidationError({"method": f"送达方式无效：{method} / unknown delivery method"})
    on = delivered_on or today()
    calendar = load_calendar()
    with delete_files_on_error(), transaction.atomic():
        application = lock(application)
        old, new = transition(application, action=Action.DELIVER, on=on, calendar=calendar)
        delivery = Delivery.objects.create(
            application=application, method=method, delivered_on=on, note=note[:200]
        )
        finish(
            application,
            actor=actor,
            action=Action.DELIVER,
            old=old,
            new=new,
            calendar=calendar,
            data={"method": method, "delivered_on": on.isoformat()},
            note=note,
        )
    return delivery


def archive(*, actor: Any, application: Application, on: date | None = None) -> Application:
    """File the finished application (归档, Art. 45)."""
    require_handler(actor, application.agency)
    on = on or today()
    calendar = load_calendar()
    with delete_files_on_error(), transaction.atomic():
        application = lock(application)
        old, new = transition(application, action=Action.ARCHIVE, on=on, calendar=calendar)
        finish(application, actor=actor, action=Action.ARCHIVE, old=old, new=new, calendar=calendar)
    return application


def withdraw(
    *, actor: Any, application: Application, on: date | None = None, note: str = ""
) -> Application:
    """Record that the applicant withdrew the application (counted as 其他处理 if received)."""
    require_handler(actor, application.agency)
    on = on or today()
    calendar = load_calendar()
    with delete_files_on_error(), transaction.atomic():
        application = lock(application)
        facts = facts_for(application, on, calendar)
        old, new = transition(application, action=Action.WITHDRAW, on=on, calendar=calendar)
        ending = _close(application, facts, Action.WITHDRAW, on)
        letter = None
        if application.received_on is not None:  # confirm the withdrawal in writing
            letter = store_letter(
                application,
                actor=actor,
                key="notice_withdrawn",
                context={"withdrawn_on": on},
                issued_on=on,
            )
        finish(
            application,
            actor=actor,
            action=Action.WITHDRAW,
            old=old,
            new=new,
            calendar=calendar,
            extra_fields=("disposition", "closed_on"),
            data={"disposition": ending, "letter": letter.pk if letter else None},
            note=note,
        )
    return application


def transfer(
    *,
    actor: Any,
    application: Application,
    to_agency: Agency,
    on: date | None = None,
    note: str = "",
) -> Application:
    """Transfer the application to another agency on the platform; return the new application.

    The receiving agency gets its own application (待确认, linked by ``transferred_from``) and
    counts it as received on the day it confirms (docs/adr/application-transfers-in-table-3.md).
    """
    from gongkai.applications.services.intake import _create
    from gongkai.applications.services.validation import APPLICANT_FIELDS

    require_handler(actor, application.agency)
    if to_agency.pk == application.agency_id:
        raise ValidationError(
            {"to_agency": "不能转送给本机关 / cannot transfer to the same agency"}
        )
    on = on or today()
    calendar = load_calendar()
    with delete_files_on_error(), transaction.atomic():
        application = lock(application)
        if application.transfers.exists():
            raise refuse(
                "该申请已经转送过", "the application was already transferred", "transfer.repeated"
            )
        facts = facts_for(application, on, calendar)
        old, new = transition(application, action=Action.TRANSFER, on=on, calendar=calendar)
        ending = _close(application, facts, Action.TRANSFER, on)
        application.transfer_agency = to_agency
        letter = None
        if application.received_on is not None:  # tell the applicant where it went
            letter = store_letter(
                application,
                actor=actor,
                key="notice_transferred",
                issued_on=on,
                context={"target_agency": to_agency.name, "transferred_on": on},
            )
        finish(
            application,
            actor=actor,
            action=Action.TRANSFER,
            old=old,
            new=new,
            calendar=calendar,
            extra_fields=("disposition", "closed_on", "transfer_agency"),
            data={
                "disposition": ending,
                "to_agency": to_agency.pk,
                "letter": letter.pk if letter else None,
            },
            note=note,
        )
        received = _create(
            actor=actor,
            agency=to_agency,
            channel=Channel(application.channel),
            clean={name: getattr(application, name) for name in APPLICANT_FIELDS},
            files=[],
            submitted_at=application.submitted_at,
            received_on=None,
            idempotency_key=f"transfer-{application.pk}",
            event="transfer_in",
            label=f"由{application.agency.name}转来",
        )
        received.transferred_from = application
        received.save(update_fields=["transferred_from", "updated_at"])
        for attachment in application.attachments.all():
            attachment.pk = None
            attachment.application = received
            attachment.save()
    return received
