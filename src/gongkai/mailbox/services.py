"""Every change to a letter, one step each (:class:`gongkai.records.steps.Step`).

The mailbox's office sorts a letter (分类), assigns it to a handler or transfers it to the
department that must answer (转办, shown to the writer); that department drafts a reply
(拟稿), an approver of that department or of the mailbox's office approves it (审核) and it
is answered online; or the letter is really an application for disclosure, a petition
(信访) or a complaint and the writer is told where to go (告知其他渠道). With the writer's
consent an answered letter is published on the portal with personal data masked
(:mod:`gongkai.law.redaction`). Notices go out after the commit (:mod:`gongkai.mailbox.notify`).

Each function takes keyword-only arguments, the acting user first; bad input raises
ValidationError, a forbidden act PermissionDenied, and nothing changes.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from gongkai.accounts import rules
from gongkai.agencies.models import Agency
from gongkai.applications.models import Application
from gongkai.applications.services import register_application
from gongkai.holidays.services import load_calendar
from gongkai.law.calendar import MissingCalendarYear
from gongkai.law.redaction import redact
from gongkai.mailbox import notify
from gongkai.mailbox.intake import MAX_BODY, take_letter
from gongkai.mailbox.models import Category, Letter
from gongkai.records.steps import Step, StepTable

__all__ = [
    "STEPS",
    "approve_reply",
    "assign",
    "convert_to_application",
    "draft_reply",
    "mask_for_public",
    "publish",
    "redirect",
    "return_draft",
    "sort",
    "take_letter",
    "transfer",
    "unpublish",
]

STEPS = StepTable()
OPEN = (Letter.State.SUBMITTED, Letter.State.ASSIGNED, Letter.State.DRAFTED)


def _refuse(field: str, zh: str, en: str) -> ValidationError:
    return ValidationError({field: f"{zh} / {en}"})


def _plain(text: Any, field: str, label: str, *, limit: int = MAX_BODY) -> str:
    text = ("" if text is None else str(text)).strip()
    if not text:
        raise _refuse(field, f"请填写{label}", "this field is required")
    if len(text) > limit:
        raise _refuse(field, f"{label}不能超过{limit}字", f"at most {limit} characters")
    if "\x00" in text:
        raise _refuse(field, "不能含有空字符（NUL）", "must not contain NUL characters")
    return text


def _day(value: date | None, letter: Letter) -> date:
    on = value or timezone.localdate()
    if on > timezone.localdate():
        raise _refuse("on", "日期不能晚于今天", "the date cannot be in the future")
    if on < letter.received_on:
        raise _refuse("on", "答复日期不能早于受理日期", "the reply cannot precede the receipt")
    return on


class LetterStep(Step):
    """A step on a letter; who may take it is decided by :meth:`permitted` (the rules)."""

    fields = ("state", "agency", "handler")
    states: tuple[str, ...] = OPEN

    def permitted(self) -> bool:
        return rules.can_handle(self.actor, self.record.agency_id)

    def check(self) -> None:
        if not self.permitted():
            raise PermissionDenied(self.denied)

    def apply(self, letter: Letter) -> Any:
        if letter.state not in self.states:
            raise ValidationError(
                f"来信当前状态为「{letter.get_state_display()}」，不能{self.label} / "
                f"not possible while the letter is {letter.state}"
            )
        return self.change(letter)

    def change(self, letter: Letter) -> Any:
        raise NotImplementedError

    def tell_writer(self, letter: Letter, what: str) -> None:
        """Send the writer a notice (after the commit) on the channel they chose."""
        channel = letter.notify_by
        to = letter.email if channel == Letter.Notify.EMAIL else letter.phone
        if channel == Letter.Notify.NONE or not to:
            return
        status = reverse("mailbox:status", args=[letter.tracking_code])
        notice = notify.Notice(
            letter_id=letter.pk,
            channel=channel,
            to=to,
            subject=f"您的来信{what}（{letter.mailbox.name}）",
            text=f"您写给{letter.mailbox.name}的来信{what}。请凭查询码 "
            f"{letter.tracking_code_display} 查看：{status}",
        )
        self.notices.append(notice)

    def committed(self) -> None:
        for notice in getattr(self, "notices", ()):
            notify.send(notice)

    def run(self) -> Any:
        self.notices: list[notify.Notice] = []
        return super().run()


class SorterStep(LetterStep):
    """Taken by the mailbox's office or by the agency handling the letter now."""

    def permitted(self) -> bool:
        return rules.can_sort_letters(
            self.actor, self.record.mailbox.agency_id
        ) or rules.can_handle(self.actor, self.record.agency_id)


@STEPS.add
class Sort(SorterStep):
    action = "sort"
    label = "分类"
    fields = ("category",)
    states = (*OPEN, Letter.State.ANSWERED, Letter.State.REDIRECTED)

    def prepare(self) -> None:
        if self.params.get("category") not in Category.values:
            raise _refuse("category", "请选择来信类别", "choose a category")

    def change(self, letter: Letter) -> None:
        letter.category = self.params["category"]
        letter.save(update_fields=["category", "updated_at"])


@STEPS.add
class Assign(SorterStep):
    action = "assign"
    label = "分办"
    states = (Letter.State.SUBMITTED, Letter.State.ASSIGNED)

    def prepare(self) -> None:
        handler = self.params.get("handler")
        if handler is None or not rules.can_handle(handler, self.record.agency_id):
            raise _refuse(
                "handler",
                "承办人须为办理机关的工作人员",
                "the handler must work for the agency handling the letter",
            )

    def change(self, letter: Letter) -> None:
        letter.handler = self.params["handler"]
        letter.state = Letter.State.ASSIGNED
        letter.save(update_fields=["handler", "state", "updated_at"])


@STEPS.add
class Transfer(SorterStep):
    action = "transfer"
    label = "转办"
    states = (Letter.State.SUBMITTED, Letter.State.ASSIGNED)

    def prepare(self) -> None:
        to = self.params.get("to_agency")
        if not isinstance(to, Agency):
            raise _refuse("to_agency", "请选择转办机关", "choose the agency to transfer to")
        if to.pk == self.record.agency_id:
            raise _refuse("to_agency", "该信件已由此机关办理", "the letter is already there")

    def change(self, letter: Letter) -> None:
        to = self.params["to_agency"]
        self.data = {"from": letter.agency.name, "to": to.name}
        self.note = (self.params.get("note") or "").strip()[:500]
        letter.agency = to
        letter.handler = None
        letter.state = Letter.State.ASSIGNED
        letter.save(update_fields=["agency", "handler", "state", "updated_at"])
        self.tell_writer(letter, f"已转交{to.name}办理")

    def audit_label(self) -> str:
        return f"转交{self.params['to_agency'].name}办理"


@STEPS.add
class Draft(LetterStep):
    action = "draft_reply"
    label = "拟写答复"
    fields = ("state",)
    states = (Letter.State.SUBMITTED, Letter.State.ASSIGNED, Letter.State.DRAFTED)

    def prepare(self) -> None:
        self.text = _plain(self.params.get("text"), "text", "答复内容")

    def change(self, letter: Letter) -> None:
        letter.draft = self.text
        letter.drafted_by = self.actor
        letter.state = Letter.State.DRAFTED
        if letter.handler_id is None:
            letter.handler = self.actor
        letter.save(update_fields=["draft", "drafted_by", "state", "handler", "updated_at"])


class ApproverStep(LetterStep):
    def permitted(self) -> bool:
        return rules.can_approve_letter_reply(
            self.actor, self.record.agency_id, self.record.mailbox.agency_id
        )


@STEPS.add
class ReturnDraft(ApproverStep):
    action = "return_reply_draft"
    label = "退回答复草稿"
    fields = ("state",)
    states = (Letter.State.DRAFTED,)

    def change(self, letter: Letter) -> None:
        self.note = (self.params.get("reason") or "").strip()[:500]
        letter.state = Letter.State.ASSIGNED
        letter.save(update_fields=["state", "updated_at"])


def _timing(letter: Letter, on: date) -> tuple[int | None, bool | None]:
    """Working days from receipt to ``on``, and whether that is within the mailbox's limit."""
    try:
        days = load_calendar().working_days_between(letter.received_on, on)
    except MissingCalendarYear:
        return None, None
    return days, days <= letter.mailbox.reply_days


def _close(letter: Letter, *, on: date, text: str, channel: str) -> None:
    letter.reply = text
    letter.reply_agency_id = letter.agency_id
    letter.reply_channel = channel
    letter.answered_on = on
    letter.working_days, letter.on_time = _timing(letter, on)


@STEPS.add
class Approve(ApproverStep):
    action = "approve_reply"
    label = "审核通过并答复"
    fields = ("state", "answered_on", "reply_channel")
    states = (Letter.State.DRAFTED,)

    def prepare(self) -> None:
        edited = self.params.get("text")
        self.text = _plain(edited, "text", "答复内容") if edited else None
        self.on = _day(self.params.get("on"), self.record)
        self.channel = self.params.get("channel") or Letter.ReplyChannel.ONLINE
        if self.channel not in Letter.ReplyChannel.values:
            raise _refuse("channel", "答复方式无效", "unknown reply channel")

    def change(self, letter: Letter) -> None:
        _close(letter, on=self.on, text=self.text or letter.draft, channel=self.channel)
        letter.approved_by = self.actor
        letter.state = Letter.State.ANSWERED
        letter.save()
        self.data = {"working_days": letter.working_days, "on_time": letter.on_time}
        self.tell_writer(letter, "已答复")


@STEPS.add
class Redirect(SorterStep):
    action = "redirect"
    label = "告知其他渠道"
    fields = ("state", "answered_on", "redirect_kind")

    def prepare(self) -> None:
        if self.params.get("kind") not in Letter.Redirect.values:
            raise _refuse("kind", "请选择应转往的渠道", "choose where the writer should go")
        self.text = _plain(self.params.get("note"), "note", "告知内容")
        self.on = _day(self.params.get("on"), self.record)

    def change(self, letter: Letter) -> None:
        _close(letter, on=self.on, text=self.text, channel=Letter.ReplyChannel.ONLINE)
        letter.redirect_kind = self.params["kind"]
        letter.state = Letter.State.REDIRECTED
        letter.save()
        self.data = {"kind": letter.redirect_kind}
        self.tell_writer(letter, "已办结（请按告知的渠道办理）")


def mask_for_public(letter: Letter, text: str) -> str:
    """``text`` with the writer's name, phone, address and any ID or phone number masked."""
    return redact(
        text, names=[letter.writer_name], phones=[letter.phone], addresses=[letter.address]
    )


@STEPS.add
class Publish(LetterStep):
    action = "publish"
    label = "选登公开"
    fields = ("published",)
    states = (Letter.State.ANSWERED,)

    def permitted(self) -> bool:
        return rules.can_sort_letters(self.actor, self.record.mailbox.agency_id)

    def prepare(self) -> None:
        if not self.record.consent_to_publish:
            raise ValidationError(
                "来信人未同意公开，不能选登 / the writer did not consent to publication"
            )

    def change(self, letter: Letter) -> None:
        if letter.published:
            raise ValidationError("该来信已公开 / already published")
        letter.public_subject = mask_for_public(
            letter, self.params.get("subject") or letter.subject
        )[:100]
        letter.public_body = mask_for_public(letter, self.params.get("body") or letter.body)
        letter.public_reply = mask_for_public(letter, self.params.get("reply") or letter.reply)
        letter.published = True
        letter.published_at = timezone.now()
        letter.save()


@STEPS.add
class Unpublish(Publish):
    action = "unpublish"
    label = "撤销公开"

    def prepare(self) -> None:
        pass

    def change(self, letter: Letter) -> None:
        if not letter.published:
            raise ValidationError("该来信未公开 / not published")
        letter.published = False
        letter.published_at = None
        letter.save(update_fields=["published", "published_at", "updated_at"])


# --- the functions views, the API, the demo and tests call -----------------------------------


def sort(*, actor, letter: Letter, category: str) -> Letter:
    return Sort(actor=actor, record=letter, category=category).run()


def assign(*, actor, letter: Letter, handler) -> Letter:
    return Assign(actor=actor, record=letter, handler=handler).run()


def transfer(*, actor, letter: Letter, to_agency: Agency, note: str = "") -> Letter:
    return Transfer(actor=actor, record=letter, to_agency=to_agency, note=note).run()


def draft_reply(*, actor, letter: Letter, text: str) -> Letter:
    return Draft(actor=actor, record=letter, text=text).run()


def return_draft(*, actor, letter: Letter, reason: str = "") -> Letter:
    return ReturnDraft(actor=actor, record=letter, reason=reason).run()


@STEPS.add
class RedirectToApplication(SorterStep):
    """The letter became an application (registered by :func:`convert_to_application`): it is
    closed as redirected to 政府信息公开申请, linked to the application, and the writer told."""

    action = "redirect_to_application"
    label = "转为政府信息公开申请"
    fields = ("state", "answered_on", "redirect_kind", "application")

    def prepare(self) -> None:
        self.application = self.params["application"]
        self.on = _day(self.params.get("on"), self.record)
        note = self.params.get("note") or (
            f"您的来信属于政府信息公开申请，已按申请登记（编号{self.application.reference or self.application.tracking_code}），"
            "由受理机关依照《政府信息公开条例》办理并答复。"
        )
        self.text = _plain(note, "note", "告知内容")

    def change(self, letter: Letter) -> None:
        _close(letter, on=self.on, text=self.text, channel=Letter.ReplyChannel.ONLINE)
        letter.redirect_kind = Letter.Redirect.APPLICATION
        letter.application = self.application
        letter.state = Letter.State.REDIRECTED
        letter.save()
        self.data = {"application": self.application.pk}
        self.tell_writer(letter, "已转为政府信息公开申请")


def application_data(letter: Letter) -> dict[str, str]:
    """The applicant data a letter already gives (to prefill the registration form): the clerk
    completes what Art. 29 needs that a letter does not ask (ID, the information wanted...)."""
    return {
        "applicant_kind": "natural_person",
        "applicant_name": letter.writer_name,
        "phone": letter.phone,
        "email": letter.email,
        "address": letter.address,
        "description": f"{letter.subject}\n{letter.body}"[:2000],
        "delivery_method": "email" if letter.email else "",
    }


def convert_to_application(
    *,
    actor,
    letter: Letter,
    agency: Agency,
    channel: str,
    data: dict[str, Any],
    received_on: date | None = None,
    files: Any = (),
    accept: bool = True,
    note: str = "",
    idempotency_key: str = "",
) -> Application:
    """Register ``letter`` as an application (through the applications services' staff
    registration, :func:`gongkai.applications.services.register_application`) and close the
    letter as redirected, linked to it — both audited, in one transaction: if either is
    refused, neither happens."""
    if letter.state not in OPEN:
        raise _refuse(
            "state",
            f"该来信{letter.get_state_display()}，不能再转为申请",
            "the letter is closed",
        )
    step = RedirectToApplication(actor=actor, record=letter, application=None, note="-")
    step.check()  # the letter's sorter or handler, before anything is registered
    with transaction.atomic():
        application = register_application(
            actor=actor,
            agency=agency,
            channel=channel,
            data=data,
            received_on=received_on,
            files=files,
            accept=accept,
            idempotency_key=idempotency_key,
        )
        RedirectToApplication(
            actor=actor, record=letter, application=application, note=note, on=None
        ).run()
    return application


def approve_reply(
    *, actor, letter: Letter, text: str | None = None, on: date | None = None, channel: str = ""
) -> Letter:
    return Approve(actor=actor, record=letter, text=text, on=on, channel=channel).run()


def redirect(*, actor, letter: Letter, kind: str, note: str, on: date | None = None) -> Letter:
    return Redirect(actor=actor, record=letter, kind=kind, note=note, on=on).run()


def publish(*, actor, letter: Letter, subject: str = "", body: str = "", reply: str = "") -> Letter:
    return Publish(actor=actor, record=letter, subject=subject, body=body, reply=reply).run()


def unpublish(*, actor, letter: Letter) -> Letter:
    return Unpublish(actor=actor, record=letter).run()


# --- configuring mailboxes (the back office) -------------------------------------------------

MAILBOX_FIELDS = ("agency", "slug", "name", "kind", "reply_days", "remind_days", "active")


def save_mailbox(*, actor, mailbox) -> Any:
    """Create or change a mailbox (system admins: the back office, or the command line)."""
    from django.db import transaction

    from gongkai.auditlog.services import record as audit
    from gongkai.auditlog.services import snapshot

    if not rules.may_administer(actor):
        raise PermissionDenied(
            "只有系统管理员可以设置信箱 / only system admins configure mailboxes"
        )
    if not 1 <= mailbox.reply_days <= 60:
        raise _refuse("reply_days", "答复期限应为1至60个工作日", "1 to 60 working days")
    with transaction.atomic():
        before = {}
        if mailbox.pk:
            old = type(mailbox).objects.filter(pk=mailbox.pk).first()
            before = snapshot(old, MAILBOX_FIELDS) if old else {}
        created = mailbox.pk is None
        mailbox.save()
        audit(
            actor=actor,
            action="create_mailbox" if created else "change_mailbox",
            obj=mailbox,
            label="设置信箱",
            before=before,
            after=snapshot(mailbox, MAILBOX_FIELDS),
        )
    return mailbox
