"""Request and response shapes of the 依申请公开 API (OpenAPI at /api/v1/openapi.json)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema

from gongkai.applications.models import ApplicantKind, DeliveryMethod, FormWanted, IdType

__all__ = [
    "AgencyOut",
    "ApplicationIn",
    "CaptchaOut",
    "Detail",
    "EventOut",
    "ListItem",
    "ListOut",
    "Problem",
    "Refusal",
    "ReplyOut",
    "StatusOut",
    "SubmitOut",
]


class Problem(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


class Refusal(Schema):
    code: str
    detail_zh: str
    detail_en: str


class CaptchaOut(Schema):
    token: str
    question: str


def _one_of(choices, description: str, default: Any = ...) -> Any:
    """A string field whose allowed values (and their Chinese labels) appear in the OpenAPI docs.

    Validation stays in the services, so a wrong value gets the same Chinese-first 422 as the form.
    """
    labels = "；".join(f"{value}={label}" for value, label in choices.choices)
    return Field(
        default,
        description=f"{description}（{labels}）",
        # An optional field may be left empty: "" is one of its values too.
        json_schema_extra={"enum": ([""] if default == "" else []) + list(choices.values)},
    )


class ApplicationIn(Schema):
    agency: str  # the agency's slug (see GET /agencies)
    applicant_kind: str = _one_of(ApplicantKind, "申请人类型 / applicant kind")
    applicant_name: str
    id_type: str = _one_of(IdType, "证件类型 / ID type (natural persons)", "")
    id_number: str = ""
    credit_code: str = ""
    representative: str = ""
    contact_name: str = ""
    phone: str
    email: str = ""
    address: str = ""
    postcode: str = ""
    description: str
    form_wanted: str = _one_of(FormWanted, "载体形式 / form wanted", "")
    delivery_method: str = _one_of(DeliveryMethod, "获取方式 / how to receive it", "")
    purpose: str = ""
    captcha_token: str
    captcha_answer: str


class SubmitOut(Schema):
    query_code: str
    query_code_display: str
    reference: str
    state: str
    state_label: str
    status_url: str


class EventOut(Schema):
    at: datetime
    label: str


class ReplyOut(Schema):
    disposition: str
    label: str
    replied_on: date
    letter_url: str | None


class StatusOut(Schema):
    query_code: str
    agency: str
    applicant: str
    state: str
    state_label: str
    submitted_at: datetime
    received_on: date | None
    due_on: date | None
    # set while the final due_on waits for a year's holiday arrangement (an estimate)
    provisional_due_on: date | None = None
    events: list[EventOut]
    reply: ReplyOut | None


class AgencyOut(Schema):
    id: int
    slug: str
    name: str


class ListItem(Schema):
    id: int
    reference: str
    agency: AgencyOut
    state: str
    state_label: str
    channel: str
    applicant_kind: str
    applicant_name: str  # always masked in lists
    submitted_at: datetime
    received_on: date | None
    due_on: date | None
    # set while the final due_on waits for a year's holiday arrangement (an estimate)
    provisional_due_on: date | None = None
    band: str | None
    disposition: str
    awaiting_reply_approval: bool = False  # 待审批答复: a clerk's draft awaits the approver


class ListOut(Schema):
    count: int
    page: int
    page_size: int
    items: list[ListItem]


class Detail(ListItem):
    personal_data_masked: bool
    applicant: dict[str, str]
    description: str
    form_wanted: str
    delivery_method: str
    purpose: str
    clock_explanation: str
    clock_basis: dict[str, Any]
    allowed_actions: list[str]
    events: list[dict[str, Any]]
    letters: list[dict[str, Any]]
    reply_draft: dict[str, Any] | None = None
