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

from gongkai.accounts import rules
from gongkai.agencies.models import Agency
from gongkai.applications.models import Application, Delivery, Reply, ReplyDraft
from gongkai.applications.services.common import mail_applicant, refuse
from gongkai.applications.services.letters import store_letter
from gongkai.applications.services.steps import HANDLER_DENIED, STEPS, ApplicationStep
from gongkai.law.dispositions import Disposition
from gongkai.law.workflow import Action

__all__ = [
    "archive",
    "lapse_correction",
    "lapse_fee",
    "record_delivery",
    "reply",
    "transfer",
    "withdraw",
]

REPLY_APPROVER_DENIED = (
    "答复须经政府信息公开工作机构负责人审核签发：请提交答复草稿，由负责人批准 / "
    "a reply must be approved by the head of the disclosure office: submit a draft"
)


def case_letter_context(application: Application, written: Mapping[str, Any]) -> dict[str, Any]:
    """The reply letter's context: what the handler wrote, with the dates the case supplies
    itself (the correction's request and supplement)."""
    ctx = dict(written)
    correction = getattr(application, "correction", None)
    if correction is not None:
        ctx.setdefault("correction_requested_on", correction.requested_on)
        if correction.supplied_on:
            ctx.setdefault("supplemented_on", correction.supplied_on)
    return ctx


def reply_approval_required() -> bool:
    """Whether a clerk's reply needs the approver's sign-off (setting GONGKAI_REPLY_APPROVAL)."""
    return bool(getattr(settings, "GONGKAI_REPLY_APPROVAL", True))


def require_reply_approver(actor: Any, agency: Any) -> None:
    """Raise PermissionDenied, saying why, unless ``actor`` may approve replies for ``agency``."""
    if not rules.can_approve(actor, agency):
        raise PermissionDenied(REPLY_APPROVER_DENIED)


@STEPS.add
class Answer(ApplicationStep):
    """Answer the application with ``disposition`` (Arts. 35–39) and generate the reply letter.

    ``letter_context`` holds what the handler writes (see ``gongkai.letters.catalog``: e.g.
    ``provision_method`` for 予以公开, ``reasons`` for 不予公开). A missing variable raises
    ValidationError under ``letter`` and nothing is written.

    With ``GONGKAI_REPLY_APPROVAL`` (the default) only an approver replies directly (drafting and
    approving in one step); a clerk drafts (``approvals.draft_reply``). Otherwise any handler.
    """

    law = Action.REPLY
    ends_case = True
    #: Set by the approval of a clerk's draft (``approvals.ApproveReply``).
    approves_draft = False

    def check(self) -> None:
        if reply_approval_required():
            require_reply_approver(self.actor, self.record.agency_id)
        elif not rules.can_handle(self.actor, self.record.agency_id):
            raise PermissionDenied(HANDLER_DENIED)

    def validate(self) -> None:
        try:
            self.chosen = Disposition(self.params.get("disposition"))
        except ValueError:
            raise ValidationError(
                {"disposition": f"未知的处理结果 {self.params.get('disposition')!r}"}
            ) from None
        self.drafted_by = self.params.get("drafted_by", self.actor)
        approved_by = self.params.get("approved_by", "decide")
        if approved_by == "decide":
            approved_by = (
                self.actor if rules.can_approve(self.actor, self.record.agency_id) else None
            )
        self.approved_by = approved_by

    def disposition(self) -> Disposition:
        return self.chosen

    def letter_context(self, application: Application) -> Mapping[str, Any]:
        return self.params.get("letter_context") or {}

    def change(self, application: Application) -> Reply:
        letter = store_letter(
            application,
            actor=self.actor,
            key="",
            context=self.letter_context(application),
            disposition=self.chosen.value,
            issued_on=self.on,
        )
        row = Reply.objects.create(
            application=application,
            disposition=self.chosen.value,
            replied_on=self.on,
            replied_by=self.actor,
            letter=letter,
            drafted_by=self.drafted_by
            if getattr(self.drafted_by, "is_authenticated", False)
            else None,
            approved_by=self.approved_by,
        )
        superseded = ReplyDraft.objects.filter(application=application).delete()[0]
        late = application.due_on is not None and self.on > application.due_on
        self.data.update(letter=letter.pk, late=late, disposition=self.chosen.value)
        if self.approved_by is not None:
            self.data["approved_by"] = self.approved_by.pk
        if superseded:
            self.data["draft"] = "approved" if self.approves_draft else "superseded"
        self.note = self.chosen.label_zh
        mail_applicant(
            application,
            f"政府信息公开申请已答复（查询码 {application.tracking_code_display}）",
            f"{application.agency.name}已于 {self.on} 答复您的申请（{letter.number}），"
            "请凭查询码查看或等待送达。",
        )
        return row

    @classmethod
    def params_from(cls, application, data):
        written = {k: v for k, v in (data.get("letter") or {}).items() if v not in (None, "")}
        return {
            "on": data.get("on"),
            "disposition": data.get("disposition", ""),
            "letter_context": case_letter_context(application, written),
        }


def reply(
    *,
    actor: Any,
    application: Application,
    disposition: Disposition | str,
    replied_on: date | None = None,
    letter_context: Mapping[str, Any] | None = None,
) -> Reply:
    return Answer(
        actor=actor,
        record=application,
        on=replied_on,
        disposition=disposition,
        letter_context=letter_context,
    ).run()


reply.__doc__ = Answer.__doc__


class Lapse(ApplicationStep):
    """End an application whose correction or fee did not come in time: 视为放弃申请."""

    ends_case = True
    letter_key = ""

    def letter_context(self, application: Application) -> dict[str, Any]:
        raise NotImplementedError

    def mark(self, application: Application) -> None:
        raise NotImplementedError

    def change(self, application: Application) -> Application:
        self.mark(application)
        letter = store_letter(
            application,
            actor=self.actor,
            key=self.letter_key,
            context=self.letter_context(application),
            issued_on=self.on,
        )
        self.data["letter"] = letter.pk
        return application


@STEPS.add
class LapseCorrection(Lapse):
    """End an application whose correction was not supplied in time: 视为放弃申请 (Art. 30)."""

    law = Action.LAPSE_CORRECTION
    letter_key = "notice_overdue_correction"

    def mark(self, application: Application) -> None:
        application.correction.lapsed_on = self.on
        application.correction.save(update_fields=["lapsed_on"])

    def letter_context(self, application: Application) -> dict[str, Any]:
        return {
            "correction_requested_on": application.correction.requested_on,
            "correction_due_on": application.correction.supplement_due,
        }


def lapse_correction(
    *, actor: Any, application: Application, on: date | None = None
) -> Application:
    return LapseCorrection(actor=actor, record=application, on=on).run()


lapse_correction.__doc__ = LapseCorrection.__doc__


@STEPS.add
class LapseFee(Lapse):
    """End an application whose fee was not paid in time: 视为放弃申请 (109号)."""

    law = Action.LAPSE_FEE
    letter_key = "notice_overdue_fee"

    def mark(self, application: Application) -> None:
        application.fee_notice.lapsed_on = self.on
        application.fee_notice.save(update_fields=["lapsed_on"])

    def letter_context(self, application: Application) -> dict[str, Any]:
        return {
            "fee_notice_on": application.fee_notice.received_on,
            "fee_due_on": application.fee_notice.due_on,
        }


def lapse_fee(*, actor: Any, application: Application, on: date | None = None) -> Application:
    return LapseFee(actor=actor, record=application, on=on).run()


lapse_fee.__doc__ = LapseFee.__doc__


@STEPS.add
class RecordDelivery(ApplicationStep):
    """Record 送达 of the reply: how and when it reached the applicant."""

    law = Action.DELIVER

    def validate(self) -> None:
        method = self.params.get("method", "")
        if method not in Delivery.Method.values:
            raise ValidationError({"method": f"送达方式无效：{method} / unknown delivery method"})

    def change(self, application: Application) -> Delivery:
        method, note = self.params["method"], self.params.get("note", "")
        delivery = Delivery.objects.create(
            application=application, method=method, delivered_on=self.on, note=note[:200]
        )
        self.data = {"method": method, "delivered_on": self.on.isoformat()}
        self.note = note
        return delivery

    @classmethod
    def params_from(cls, application, data):
        return {
            "on": data.get("on"),
            "method": data.get("method", ""),
            "note": data.get("note", ""),
        }


def record_delivery(
    *,
    actor: Any,
    application: Application,
    method: str,
    delivered_on: date | None = None,
    note: str = "",
) -> Delivery:
    return RecordDelivery(
        actor=actor, record=application, on=delivered_on, method=method, note=note
    ).run()


record_delivery.__doc__ = RecordDelivery.__doc__


@STEPS.add
class Archive(ApplicationStep):
    """File the finished application (归档, Art. 45)."""

    law = Action.ARCHIVE


def archive(*, actor: Any, application: Application, on: date | None = None) -> Application:
    return Archive(actor=actor, record=application, on=on).run()


archive.__doc__ = Archive.__doc__


@STEPS.add
class Withdraw(ApplicationStep):
    """Record that the applicant withdrew the application (counted as 其他处理 if received)."""

    law = Action.WITHDRAW
    ends_case = True

    def change(self, application: Application) -> Application:
        letter = None
        if application.received_on is not None:  # confirm the withdrawal in writing
            letter = store_letter(
                application,
                actor=self.actor,
                key="notice_withdrawn",
                context={"withdrawn_on": self.on},
                issued_on=self.on,
            )
        self.data["letter"] = letter.pk if letter else None
        self.note = self.params.get("note", "")
        return application

    @classmethod
    def params_from(cls, application, data):
        return {"on": data.get("on"), "note": data.get("note", "")}


def withdraw(
    *, actor: Any, application: Application, on: date | None = None, note: str = ""
) -> Application:
    return Withdraw(actor=actor, record=application, on=on, note=note).run()


withdraw.__doc__ = Withdraw.__doc__


@STEPS.add
class Transfer(ApplicationStep):
    """Transfer the application to another agency on the platform; return the new application.

    The receiving agency gets its own application (待确认, linked by ``transferred_from``) and
    counts it as received on the day it confirms (docs/adr/application-transfers-in-table-3.md).
    """

    law = Action.TRANSFER
    ends_case = True
    changes = ("transfer_agency",)

    def validate(self) -> None:
        self.to_agency = self.params["to_agency"]
        if self.to_agency.pk == self.record.agency_id:
            raise ValidationError(
                {"to_agency": "不能转送给本机关 / cannot transfer to the same agency"}
            )

    def change(self, application: Application) -> Application:
        if application.transfers.exists():
            raise refuse(
                "该申请已经转送过", "the application was already transferred", "transfer.repeated"
            )
        application.transfer_agency = self.to_agency
        letter = None
        if application.received_on is not None:  # tell the applicant where it went
            letter = store_letter(
                application,
                actor=self.actor,
                key="notice_transferred",
                issued_on=self.on,
                context={"target_agency": self.to_agency.name, "transferred_on": self.on},
            )
        self.data.update(to_agency=self.to_agency.pk, letter=letter.pk if letter else None)
        self.note = self.params.get("note", "")
        return application

    def follow_up(self, application: Application) -> None:
        from gongkai.applications.services.intake import receive_transfer

        super().follow_up(application)
        self.received = receive_transfer(application, actor=self.actor)

    def run(self) -> Application:
        super().run()
        return self.received

    @classmethod
    def params_from(cls, application, data):
        to_agency = data.get("to_agency")
        if not isinstance(to_agency, Agency):
            to_agency = Agency.objects.filter(pk=to_agency).first()
        if to_agency is None:
            raise ValidationError({"to_agency": "请选择接收机关 / choose the receiving agency"})
        return {"on": data.get("on"), "to_agency": to_agency, "note": data.get("note", "")}


def transfer(
    *,
    actor: Any,
    application: Application,
    to_agency: Agency,
    on: date | None = None,
    note: str = "",
) -> Application:
    return Transfer(actor=actor, record=application, on=on, to_agency=to_agency, note=note).run()


transfer.__doc__ = Transfer.__doc__
