"""Checking what an applicant gives us: fields (《政府信息公开条例》第二十九条) and files.

Every check collects its message per field and raises one ``ValidationError`` dict, Chinese
first then English, before anything is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from gongkai.applications.models import ApplicantKind, Application, Attachment, IdType
from gongkai.intake.files import MAX_FILE_BYTES as MAX_ATTACHMENT_BYTES
from gongkai.intake.files import CheckedFile, check_files
from gongkai.law.identifiers import InvalidIdentifier, validate_credit_code, validate_resident_id

__all__ = [
    "APPLICANT_FIELDS",
    "MAX_ATTACHMENT_BYTES",
    "check_attachments",
    "clean_application_data",
]

#: Fields an application form may set (everything else is the platform's).
APPLICANT_FIELDS = (
    "applicant_kind",
    "applicant_name",
    "id_type",
    "id_number",
    "credit_code",
    "representative",
    "contact_name",
    "phone",
    "email",
    "address",
    "postcode",
    "description",
    "form_wanted",
    "delivery_method",
    "purpose",
)

_REQUIRED = {
    "applicant_kind": "申请人类型",
    "applicant_name": "申请人姓名或名称",
    "phone": "联系电话",
    "description": "所需政府信息的名称、文号或者特征性描述",
}


def _text(data: Mapping[str, Any], name: str) -> str:
    value = data.get(name)
    return "" if value is None else str(value).strip()


def clean_application_data(data: Mapping[str, Any], *, today: date) -> dict[str, str]:
    """Return the application fields from ``data``, normalised; raise ValidationError per field."""
    unknown = set(data) - set(APPLICANT_FIELDS)
    if unknown:
        raise ValidationError(
            {name: f"未知字段 {name} / unknown field {name}" for name in sorted(unknown)}
        )
    clean = {name: _text(data, name) for name in APPLICANT_FIELDS}
    errors: dict[str, str] = {}
    for name, label in _REQUIRED.items():
        if not clean[name]:
            errors[name] = f"请填写{label} / this field is required"
    for name in APPLICANT_FIELDS:
        limit = Application._meta.get_field(name).max_length
        if limit and len(clean[name]) > limit:
            errors[name] = f"不能超过{limit}个字 / at most {limit} characters"
        if "\x00" in clean[name]:  # PostgreSQL refuses it; SQLite would store it
            errors[name] = "不能含有空字符（NUL） / must not contain NUL characters"
    kind = clean["applicant_kind"]
    if kind and kind not in ApplicantKind.values:
        errors["applicant_kind"] = f"申请人类型无效：{kind} / unknown applicant kind {kind!r}"
    if kind == ApplicantKind.NATURAL_PERSON:
        _check_person(clean, errors, today)
    elif kind in ApplicantKind.values:
        _check_organisation(clean, errors)
    for name, choices in (
        ("form_wanted", Application.FormWanted),
        ("delivery_method", Application.DeliveryMethod),
    ):
        if not clean[name]:
            clean[name] = Application._meta.get_field(name).default
        elif clean[name] not in choices.values:
            errors[name] = f"选项无效：{clean[name]} / not a valid choice"
    if clean["email"]:
        try:
            validate_email(clean["email"])
        except ValidationError:
            errors["email"] = "电子邮箱格式不正确 / enter a valid e-mail address"
    if clean["delivery_method"] == Application.DeliveryMethod.EMAIL and not clean["email"]:
        errors.setdefault(
            "email",
            "选择电子邮件获取信息时须填写电子邮箱 / e-mail delivery needs an e-mail address",
        )
    if clean["delivery_method"] == Application.DeliveryMethod.POST and not clean["address"]:
        errors.setdefault("address", "选择邮寄时须填写通信地址 / postal delivery needs an address")
    if clean["postcode"] and not (len(clean["postcode"]) == 6 and clean["postcode"].isdigit()):
        errors["postcode"] = "邮政编码应为6位数字 / a postcode has 6 digits"
    if clean["description"] and len(clean["description"]) < 4:
        errors["description"] = (
            "请写明所需政府信息的名称、文号或者便于查询的其他特征性描述（《政府信息公开条例》第二十九条） / "
            "describe the information (title, number or other features, Art. 29)"
        )
    if errors:
        raise ValidationError(errors)
    return clean


def _check_person(clean: dict[str, str], errors: dict[str, str], today: date) -> None:
    clean["credit_code"] = ""
    clean["representative"] = ""
    if not clean["id_type"]:
        clean["id_type"] = IdType.RESIDENT_ID
    if clean["id_type"] not in IdType.values:
        errors["id_type"] = f"证件类型无效：{clean['id_type']} / unknown ID type"
        return
    if not clean["id_number"]:
        errors["id_number"] = "请填写证件号码 / the ID number is required"
    elif clean["id_type"] == IdType.RESIDENT_ID:
        try:
            clean["id_number"] = validate_resident_id(clean["id_number"], on=today)
        except InvalidIdentifier as error:
            errors["id_number"] = str(error)


def _check_organisation(clean: dict[str, str], errors: dict[str, str]) -> None:
    clean["id_type"] = ""
    clean["id_number"] = ""
    if not clean["credit_code"]:
        errors["credit_code"] = (
            "请填写统一社会信用代码 / the unified social credit code is required"
        )
        return
    try:
        clean["credit_code"] = validate_credit_code(clean["credit_code"])
    except InvalidIdentifier as error:
        errors["credit_code"] = str(error)


# --- files ---------------------------------------------------------------------------------


def check_attachments(uploads: Iterable[tuple[str, Any]]) -> list[CheckedFile]:
    """Check ``(kind, uploaded file)`` pairs: PDF/JPG/PNG/DOCX by content, at most 10 MB each
    (:func:`gongkai.intake.files.check_files`); raise one ValidationError under ``attachments``."""
    return check_files(uploads, kinds=Attachment.Kind.values)
