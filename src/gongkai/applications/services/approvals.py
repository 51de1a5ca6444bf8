"""Replies approved by the head of the disclosure office: 承办人拟稿 → 负责人审核签发.

A handler (clerk) drafts the reply: the disposition and what the letter says are stored with a
draft letter marked 草稿 (no 文号); the application's state and clock do not change. An
approver (《政府信息公开条例》第三十三条第二款's 政府信息公开工作机构负责人, ``rules.can_approve``)
approves it — the reply then runs as :func:`endings.reply` would (same checks, same letter) and
records who drafted and who approved — or returns it with a note. An approver may also reply
directly. With ``GONGKAI_REPLY_APPROVAL`` false handlers reply directly, as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.applications.models import Application, Reply, ReplyDraft
from gongkai.applications.services.common import (
    _missing_year_for,
    delete_files_on_error,
    facts_for,
    lock,
    record_event,
    refuse,
    require_handler,
    today,
)
from gongkai.applications.services.endings import answer, require_reply_approver
from gongkai.applications.services.letters import _jsonable, store_letter
from gongkai.holidays.services import load_calendar
from gongkai.law.dispositions import Disposition
from gongkai.law.workflow import Action, MissingFact, check_transition

__all__ = ["approve_reply", "draft_reply", "return_reply_draft"]


def _case_dates(application: Application, context: Mapping[str, Any]) -> dict[str, Any]:
    """The letter context with the correction's dates, which the case itself supplies."""
    ctx = dict(context)
    correction = getattr(application, "correction", None)
    if correction is not None:
        ctx.setdefault("correction_requested_on", correction.requested_on)
        if correction.supplied_on:
            ctx.setdefault("supplemented_on", correction.supplied_on)
    return ctx


def draft_reply(
    *,
    actor: Any,
    application: Application,
    disposition: Disposition | str,
    letter_context: Mapping[str, Any] | None = None,
) -> ReplyDraft:
    """Store a reply draft with its draft letter (草稿) for the approver; the clock runs on.

    The reply must be lawful today (the same workflow check as the reply itself), and the
    letter must compose, or nothing is saved. A new draft replaces an earlier one.
    """
    require_handler(actor, application.agency)
    try:
        disposition = Disposition(disposition)
    except ValueError:
        raise ValidationError({"disposition": f"未知的处理结果 {disposition!r}"}) from None
    on = today()
    calendar = load_calendar()
    written = {k: v for k, v in (letter_context or {}).items() if v not in (None, "")}
    with delete_files_on_error(), transaction.atomic():
        application = lock(application)
        try:
            check_transition(
                facts_for(application, on, calendar), Action.REPLY, disposition=disposition
            )
        except MissingFact:
            _missing_year_for(application, Action.REPLY, on, calendar)
            raise
        earlier = ReplyDraft.objects.filter(application=application).first()
        letter = store_letter(
            application,
            actor=actor,
            key="",
            context=_case_dates(application, written),
            disposition=disposition.value,
            issued_on=on,
            draft=True,
        )
        if earlier is not None:
            earlier.delete()
        draft = ReplyDraft.objects.create(
            application=application,
            disposition=disposition.value,
            letter_context=_jsonable(written),
            letter=letter,
            drafted_by=actor,
            drafted_on=on,
        )
        data = {"disposition": disposition.value, "letter": letter.pk}
        note = disposition.label_zh
        if earlier is not None:
            data["replaces"] = {"disposition": earlier.disposition, "status": earlier.status}
            if earlier.pending:
                note += "；替换此前未审批的答复草稿"
            else:
                note += "；按退回意见重新拟稿"
        record_event(
            application,
            actor=actor,
            action="draft_reply",
            label="拟写答复，待审批",
            data=data,
            note=note,
        )
    return draft


def _pending(application: Application) -> ReplyDraft:
    draft = ReplyDraft.objects.filter(application=application, status="pending").first()
    if draft is None:
        raise refuse(
            "没有待审批的答复草稿", "there is no reply draft awaiting approval", "reply.no_draft"
        )
    return draft


def approve_reply(*, actor: Any, application: Application, replied_on: date | None = None) -> Reply:
    """Approve the pending draft: reply with its disposition and letter context (Arts. 35–39).

    The reply is checked and its letter generated as :func:`endings.reply` does; the Reply row
    records the drafter and the approver. Only an approver (``rules.can_approve``).
    """
    require_reply_approver(actor, application.agency)
    with delete_files_on_error(), transaction.atomic():
        application = lock(application)
        draft = _pending(application)
        return answer(
            actor=actor,
            application=application,
            disposition=draft.disposition,
            replied_on=replied_on,
            letter_context=_case_dates(application, draft.letter_context),
            drafted_by=draft.drafted_by,
            approved_by=actor,
            approving_draft=True,
        )


def return_reply_draft(*, actor: Any, application: Application, note: str) -> ReplyDraft:
    """Send the pending draft back to the handler with the approver's note (退回重拟)."""
    require_reply_approver(actor, application.agency)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "请填写退回意见 / say why the draft is returned"})
    with transaction.atomic():
        application = lock(application)
        draft = _pending(application)
        draft.status = ReplyDraft.Status.RETURNED
        draft.returned_by = actor
        draft.return_note = note
        draft.save(update_fields=["status", "returned_by", "return_note"])
        record_event(
            application,
            actor=actor,
            action="return_reply_draft",
            label="退回答复草稿",
            data={"disposition": draft.disposition},
            note=note,
        )
    return draft
