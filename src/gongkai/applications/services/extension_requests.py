"""报请延期: a handler asks, the approver decides (《政府信息公开条例》第三十三条第二款).

The extension itself needs the consent of the head of the disclosure office
(``rules.can_approve``), who may still extend directly. A clerk records a request (days and
reason) for the approver, like a reply draft; the approver approves it — the extension then runs
as :class:`workflow.ApproveExtension` does (same checks, same letter) — or returns it with a
note. The request is refused when an extension would be refused today.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError

from gongkai.accounts import rules
from gongkai.applications.models import Application, Extension, ExtensionRequest
from gongkai.applications.services.common import facts_for, missing_year_for, refuse
from gongkai.applications.services.notify import tell_approvers, tell_user
from gongkai.applications.services.steps import APPROVER_DENIED, STEPS, ApplicationStep
from gongkai.applications.services.workflow import ApproveExtension
from gongkai.law.clock import MAX_EXTENSION_DAYS, ExtensionOutOfRange
from gongkai.law.workflow import Action, MissingFact, check_transition

__all__ = ["approve_extension_request", "request_extension", "return_extension_request"]


def _pending(application: Application) -> ExtensionRequest:
    request = ExtensionRequest.objects.filter(application=application, status="pending").first()
    if request is None:
        raise refuse(
            "没有待审批的延期申请",
            "there is no extension request awaiting approval",
            "extension.no_request",
        )
    return request


@STEPS.add
class RequestExtension(ApplicationStep):
    """Ask the approver to extend the reply period by 1–20 working days; nothing else changes."""

    action = "request_extension"
    label = "报请延期"

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

    def change(self, application: Application) -> ExtensionRequest:
        try:
            check_transition(facts_for(application, self.on, self.calendar), Action.EXTEND)
        except MissingFact:
            missing_year_for(application, Action.EXTEND, self.on, self.calendar)
            raise
        ExtensionRequest.objects.filter(application=application).delete()
        request = ExtensionRequest.objects.create(
            application=application,
            days=self.params["days"],
            reason=self.reason,
            requested_by=self.actor,
            requested_on=self.on,
        )
        self.data = {"days": request.days}
        self.note = self.reason
        tell_approvers(application, f"延期申请待审批：延长{request.days}个工作日", actor=self.actor)
        return request

    @classmethod
    def params_from(cls, application, data):
        return {"on": data.get("on"), "days": data.get("days"), "reason": data.get("reason", "")}


def request_extension(
    *, actor: Any, application: Application, days: int, reason: str, on: date | None = None
) -> ExtensionRequest:
    return RequestExtension(actor=actor, record=application, on=on, days=days, reason=reason).run()


request_extension.__doc__ = RequestExtension.__doc__


@STEPS.add
class ApproveExtensionRequest(ApproveExtension):
    """Approve the pending request: the extension with its days and reason (logged as 延期)."""

    name = "approve_extension_request"

    def validate(self) -> None:
        request = _pending(self.record)
        self.params["days"] = request.days
        self.params["reason"] = request.reason
        super().validate()

    def change(self, application: Application) -> Extension:
        request = _pending(application)  # under the lock, as it stands
        self.params["days"] = request.days
        self.reason = request.reason
        extension = super().change(application)
        self.data["requested_by"] = request.requested_by_id
        tell_user(request.requested_by, application, "延期申请已批准", actor=self.actor)
        request.delete()
        return extension

    @classmethod
    def params_from(cls, application, data):
        return {"on": data.get("on")}


def approve_extension_request(
    *, actor: Any, application: Application, approved_on: date | None = None
) -> Extension:
    return ApproveExtensionRequest(actor=actor, record=application, on=approved_on).run()


approve_extension_request.__doc__ = ApproveExtensionRequest.__doc__


@STEPS.add
class ReturnExtensionRequest(ApplicationStep):
    """Send the pending request back to the handler with the approver's note."""

    action = "return_extension_request"
    label = "退回延期申请"
    allowed = staticmethod(rules.can_approve)
    denied = APPROVER_DENIED

    def validate(self) -> None:
        self.note = (self.params.get("note") or "").strip()
        if not self.note:
            raise ValidationError({"note": "请填写退回意见 / say why the request is returned"})

    def change(self, application: Application) -> ExtensionRequest:
        request = _pending(application)
        request.status = ExtensionRequest.Status.RETURNED
        request.return_note = self.note
        request.save(update_fields=["status", "return_note"])
        self.data = {"days": request.days}
        tell_user(
            request.requested_by, application, f"延期申请已退回：{self.note}", actor=self.actor
        )
        return request

    @classmethod
    def params_from(cls, application, data):
        return {"note": data.get("note", "")}


def return_extension_request(
    *, actor: Any, application: Application, note: str
) -> ExtensionRequest:
    return ReturnExtensionRequest(actor=actor, record=application, note=note).run()


return_extension_request.__doc__ = ReturnExtensionRequest.__doc__
