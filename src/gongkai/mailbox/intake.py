"""Taking a letter from the portal (no account), with the platform's intake kit.

As the 依申请公开 form does it (``gongkai.applications.services.intake``): the fields are
checked first and every problem named at once; a retry with the same idempotency key
returns the first letter (:mod:`gongkai.intake.idempotency`); the captcha is used up last,
just before saving; the letter gets a 查询码 (:func:`gongkai.intake.codes.new_code`) and a
number of its mailbox's series (:func:`gongkai.intake.numbering.next_number`). Nothing is
saved unless everything is valid.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from gongkai.auditlog.services import record as audit
from gongkai.holidays.services import load_calendar
from gongkai.intake import codes, idempotency
from gongkai.intake.captcha import Proof
from gongkai.intake.numbering import next_number
from gongkai.law.calendar import MissingCalendarYear
from gongkai.mailbox.models import Category, Letter, Mailbox

__all__ = [
    "LETTER_FIELDS",
    "MAX_BODY",
    "clean_letter_data",
    "due_date",
    "find_by_tracking_code",
    "take_letter",
]

#: What the writer fills in (everything else is the platform's).
LETTER_FIELDS = (
    "writer_name",
    "phone",
    "email",
    "address",
    "category",
    "subject",
    "body",
    "consent_to_publish",
    "notify_by",
)
#: The longest letter taken (characters); a longer one is refused with a message, not cut.
MAX_BODY = 5000

_REQUIRED = {
    "writer_name": "姓名",
    "phone": "联系电话",
    "category": "来信类别",
    "subject": "标题",
    "body": "来信内容",
}
_TAG = re.compile(r"<\s*/?\s*[A-Za-z!][^>]*>")
_PHONE = re.compile(r"^\+?[\d\s\-()]{7,24}$")
_MOBILE = re.compile(r"^(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}$")
_TRUE = {"1", "true", "on", "yes", "True"}


def _text(data: Mapping[str, Any], name: str) -> str:
    value = data.get(name)
    return "" if value is None else str(value).strip()


def clean_letter_data(data: Mapping[str, Any]) -> dict[str, Any]:
    """Return the letter's fields from ``data``, normalised; raise one ValidationError naming
    every bad field (Chinese first)."""
    unknown = set(data) - set(LETTER_FIELDS)
    if unknown:
        raise ValidationError(
            {name: f"未知字段 {name} / unknown field {name}" for name in sorted(unknown)}
        )
    clean: dict[str, Any] = {name: _text(data, name) for name in LETTER_FIELDS}
    consent = data.get("consent_to_publish")
    clean["consent_to_publish"] = consent is True or str(consent) in _TRUE
    clean["notify_by"] = clean["notify_by"] or Letter.Notify.NONE
    errors: dict[str, str] = {}
    for name, label in _REQUIRED.items():
        if not clean[name]:
            errors[name] = f"请填写{label} / this field is required"
    for name in ("writer_name", "phone", "email", "address", "subject"):
        limit = Letter._meta.get_field(name).max_length
        if len(clean[name]) > limit:
            errors[name] = f"不能超过{limit}个字 / at most {limit} characters"
    if len(clean["body"]) > MAX_BODY:
        errors["body"] = (
            f"来信内容不能超过{MAX_BODY}字（现有{len(clean['body'])}字），请精简后再提交 / "
            f"at most {MAX_BODY} characters ({len(clean['body'])} given)"
        )
    for name in ("writer_name", "address", "subject", "body"):
        if name in errors:
            continue
        if "\x00" in clean[name]:
            errors[name] = "不能含有空字符（NUL） / must not contain NUL characters"
        elif _TAG.search(clean[name]):
            errors[name] = (
                "请不要输入网页标签或脚本（如 <script>），请用文字描述 / "
                "HTML tags or scripts are not accepted; write plain text"
            )
    if clean["phone"] and "phone" not in errors and not _PHONE.match(clean["phone"]):
        errors["phone"] = "联系电话格式不正确 / the phone number is not valid"
    if clean["category"] and clean["category"] not in Category.values:
        errors["category"] = "请从列表中选择来信类别 / choose a category from the list"
    if clean["notify_by"] not in Letter.Notify.values:
        errors["notify_by"] = "答复通知方式无效 / unknown notification channel"
    if clean["email"] and "email" not in errors:
        try:
            validate_email(clean["email"])
        except ValidationError:
            errors["email"] = "电子邮箱格式不正确 / the e-mail address is not valid"
    if clean["notify_by"] == Letter.Notify.EMAIL and not clean["email"]:
        errors["email"] = "选择电子邮件通知时请填写电子邮箱 / an e-mail address is needed"
    if (
        clean["notify_by"] == Letter.Notify.SMS
        and "phone" not in errors
        and not _MOBILE.match(clean["phone"])
    ):
        errors["phone"] = "选择短信通知时请填写手机号码 / a mobile number is needed for SMS"
    if errors:
        raise ValidationError(errors)
    return clean


def find_by_tracking_code(code: str) -> Letter | None:
    """Return the letter with this 查询码 (as typed), or None."""
    code = codes.normalise(code)
    if len(code) != codes.TRACKING_CODE_LENGTH:
        return None
    return Letter.objects.select_related("mailbox", "agency").filter(tracking_code=code).first()


def due_date(mailbox: Mailbox, received_on: date) -> date | None:
    """The reply's due date: ``mailbox.reply_days`` working days after receipt (None while
    the holiday arrangement of a year it needs is missing)."""
    try:
        return load_calendar().add_working_days(received_on, mailbox.reply_days)
    except MissingCalendarYear:
        return None


def _retry(mailbox: Mailbox, key: str, clean: Mapping[str, Any]) -> Letter | None:
    return idempotency.retry_of(
        Letter.objects.filter(mailbox=mailbox), key=key, clean=clean, fields=LETTER_FIELDS
    )


def _number(mailbox: Mailbox, year: int) -> tuple[int, str]:
    serial = next_number(
        agency_id=mailbox.agency_id,
        series=f"letter-{mailbox.pk}",
        year=year,
        start_after=lambda: Letter.objects.filter(mailbox=mailbox, reference_year=year).aggregate(
            n=Max("reference_serial")
        )["n"],
    )
    return serial, f"{mailbox.name}〔{year}〕{serial}号"


def take_letter(
    *,
    mailbox: Mailbox,
    data: Mapping[str, Any],
    idempotency_key: str = "",
    proof: Proof | None = None,
    submitted_at: datetime | None = None,
) -> tuple[Letter, bool]:
    """Take a letter written on the portal; return it and whether it is new.

    Bad input raises one ValidationError naming every field, and nothing is saved; a closed
    mailbox takes nothing. ``proof`` (the captcha) is checked last; the web form always
    passes one.
    """
    if not mailbox.active:
        raise ValidationError(
            {"mailbox": "该信箱暂停收信 / this mailbox does not take letters now"}
        )
    key = idempotency.check_key(idempotency_key)
    clean = clean_letter_data(data)
    earlier = _retry(mailbox, key, clean)
    if earlier is not None:
        return earlier, False
    if proof is not None:
        proof.consume(key)
    submitted_at = submitted_at or timezone.now()
    received_on = timezone.localtime(submitted_at).date()
    try:
        with transaction.atomic():
            year = received_on.year
            serial, reference = _number(mailbox, year)
            letter = Letter.objects.create(
                agency_id=mailbox.agency_id,
                mailbox=mailbox,
                tracking_code=codes.new_code(),
                reference=reference,
                reference_year=year,
                reference_serial=serial,
                idempotency_key=key,
                submitted_at=submitted_at,
                received_on=received_on,
                due_on=due_date(mailbox, received_on),
                **clean,
            )
            audit(
                actor=None,
                action="submit",
                obj=letter,
                label="网上来信",
                after={"state": letter.state},
                data={"mailbox": mailbox.slug, "category": letter.category},
            )
    except IntegrityError:
        earlier = _retry(mailbox, key, clean) if key else None
        if earlier is None:
            raise
        return earlier, False
    return letter, True
