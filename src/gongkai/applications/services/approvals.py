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

from gongkai.accounts import rules
from gongkai.applications.models import Application, Reply, ReplyDraft
from gongkai.applications.services.common import (
    facts_for,
    missing_year_for,
    refuse,
)
from gongkai.applications.services.endings import (
    REPLY_APPROVER_DENIED,
    Answer,
    case_letter_context,
    require_reply_approver,
)
from gongkai.applications.services.letters import store_letter
from gongkai.applications.services.notify import tell_approvers, tell_user
from gongkai.applications.services.steps import STEPS, ApplicationStep
from gongkai.auditlog.services import jsonable
from gongkai.law.dispositions import Disposition
from gongkai.law.workflow import Action, MissingFact, check_transition

__all__ = ["approve_reply", "draft_reply", "return_reply_draft"]


def _disposition(value: Any) -> Disposition:
    try:
        return Disposition(value)
    except ValueError:
        raise ValidationError({"disposition": f"未知的处理结果 {value!r}"}) from None


@STEPS.add
class DraftReply(ApplicationStep):
    """Store a reply draft with its draft letter (草稿) for the approver; the clock runs on.

    The reply must be lawful today (the same workflow check as the reply itself), and the
    letter must compose, or nothing is saved. A new draft replaces an earlier one.
    """

    action = "draft_reply"
    label = "拟写答复，待审批"

    def validate(self) -> None:
        self.chosen = _disposition(self.params.get("disposition"))
        written = self.params.get("letter_context") or {}
        self.written = {k: v for k, v in written.items() if v not in (None, "")}

    def change(self, application: Application) -> ReplyDraft:
        try:
            check_transition(
                facts_for(application, self.on, self.calendar),
                Action.REPLY,
                disposition=self.chosen,
            )
        except MissingFact:
            missing_year_for(application, Action.REPLY, self.on, self.calendar)
            raise
        earlier = ReplyDraft.objects.filter(application=application).first()
        letter = store_letter(
            application,
            actor=self.actor,
            key="",
            context=case_letter_context(application, self.written),
            disposition=self.chosen.value,
            issued_on=self.on,
            draft=True,
        )
        if earlier is not None:
            earlier.delete()
        draft = ReplyDraft.objects.create(
            application=application,
            disposition=self.chosen.value,
            letter_context=jsonable(self.written),
            letter=letter,
            drafted_by=self.actor,
            drafted_on=self.on,
        )
        self.data = {"disposition": self.chosen.value, "letter": letter.pk}
        self.note = self.chosen.label_zh
        tell_approvers(application, f"答复草稿待审批：{self.chosen.label_zh}", actor=self.actor)
        if earlier is not None:
            self.data["replaces"] = {"disposition": earlier.disposition, "status": earlier.status}
            self.note += "；替换此前未审批的答复草稿" if earlier.pending else "；按退回意见重新拟稿"
        return draft

    @classmethod
    def params_from(cls, application, data):
        return {
            "disposition": data.get("disposition", ""),
            "letter_context": data.get("letter") or {},
        }


def draft_reply(
    *,
    actor: Any,
    application: Application,
    disposition: Disposition | str,
    letter_context: Mapping[str, Any] | None = None,
) -> ReplyDraft:
    return DraftReply(
        actor=actor, record=application, disposition=disposition, letter_context=letter_context
    ).run()


draft_reply.__doc__ = DraftReply.__doc__


def _pending(application: Application) -> ReplyDraft:
    draft = ReplyDraft.objects.filter(application=application, status="pending").first()
    if draft is None:
        raise refuse(
            "没有待审批的答复草稿", "there is no reply draft awaiting approval", "reply.no_draft"
        )
    return draft


@STEPS.add
class ApproveReply(Answer):
    """Approve the pending draft: reply with its disposition and letter context (Arts. 35–39).

    The reply is checked and its letter generated as :class:`endings.Answer` does; the Reply
    row records the drafter and the approver. Only an approver (``rules.can_approve``).
    """

    name = "approve_reply"  # the act is the reply itself: logged as "reply"
    approves_draft = True

    def check(self) -> None:
        require_reply_approver(self.actor, self.record.agency_id)

    def validate(self) -> None:
        self.chosen = _disposition(_pending(self.record).disposition)

    def apply(self, application: Application) -> Reply:
        draft = _pending(application)  # under the lock, the draft as it stands
        self.chosen = _disposition(draft.disposition)
        self.drafted_by = draft.drafted_by
        self.approved_by = self.actor
        tell_user(draft.drafted_by, application, "答复草稿已批准，答复已作出", actor=self.actor)
        self.written = draft.letter_context
        return super().apply(application)

    def letter_context(self, application: Application) -> Mapping[str, Any]:
        return case_letter_context(application, self.written)

    @classmethod
    def params_from(cls, application, data):
        return {"on": data.get("on")}


def approve_reply(*, actor: Any, application: Application, replied_on: date | None = None) -> Reply:
    return ApproveReply(actor=actor, record=application, on=replied_on).run()


approve_reply.__doc__ = ApproveReply.__doc__


@STEPS.add
class ReturnReplyDraft(ApplicationStep):
    """Send the pending draft back to the handler with the approver's note (退回重拟)."""

    action = "return_reply_draft"
    label = "退回答复草稿"
    allowed = staticmethod(rules.can_approve)
    denied = REPLY_APPROVER_DENIED

    def validate(self) -> None:
        self.note = (self.params.get("note") or "").strip()
        if not self.note:
            raise ValidationError({"note": "请填写退回意见 / say why the draft is returned"})

    def change(self, application: Application) -> ReplyDraft:
        draft = _pending(application)
        draft.status = ReplyDraft.Status.RETURNED
        draft.returned_by = self.actor
        draft.return_note = self.note
        draft.save(update_fields=["status", "returned_by", "return_note"])
        self.data = {"disposition": draft.disposition}
        tell_user(draft.drafted_by, application, f"答复草稿已退回：{self.note}", actor=self.actor)
        return draft

    @classmethod
    def params_from(cls, application, data):
        return {"note": data.get("note", "")}


def return_reply_draft(*, actor: Any, application: Application, note: str) -> ReplyDraft:
    return ReturnReplyDraft(actor=actor, record=application, note=note).run()


return_reply_draft.__doc__ = ReturnReplyDraft.__doc__
