"""Test factories for applications (plain functions over the real services, no mocks).

Everyone's tests may use them: views and API tests build their cases the same way.
"""

from __future__ import annotations

import itertools
from datetime import date, datetime, time
from typing import Any

from django.utils import timezone

from gongkai.law.identifiers import credit_code_check_char, resident_id_check_char

_serial = itertools.count(1)


def resident_id(birth: str = "19900101", serial: int | None = None) -> str:
    """Return a valid 18-digit 居民身份证号码 (城口县 division code, given birth date)."""
    seq = serial if serial is not None else next(_serial) % 1000
    body = f"500229{birth}{seq:03d}"
    return body + resident_id_check_char(body)


def credit_code(serial: int | None = None) -> str:
    """Return a valid 统一社会信用代码 of a company (91…)."""
    seq = serial if serial is not None else next(_serial)
    body = f"91500229MA{seq:07d}"
    return body + credit_code_check_char(body)


def person_data(**overrides: Any) -> dict[str, Any]:
    """Form data of a natural person's application (valid)."""
    data = {
        "applicant_kind": "natural_person",
        "applicant_name": "张三丰",
        "id_type": "resident_id",
        "id_number": resident_id(),
        "phone": "13812345678",
        "email": "zhang@example.com",
        "address": "重庆市城口县葛城街道北大街12号",
        "description": "城口县2019年度城乡居民最低生活保障资金发放情况",
        "form_wanted": "electronic",
        "delivery_method": "email",
        "purpose": "",
    }
    data.update(overrides)
    return data


def organisation_data(kind: str = "commercial", **overrides: Any) -> dict[str, Any]:
    """Form data of an organisation's application (valid)."""
    data = {
        "applicant_kind": kind,
        "applicant_name": "城口县某某建筑工程有限公司",
        "credit_code": credit_code(),
        "representative": "李四",
        "contact_name": "王五",
        "phone": "023-59221234",
        "email": "office@example.com",
        "address": "重庆市城口县复兴街道南大街8号",
        "description": "2021年城口县农村公路改造项目招标文件",
        "form_wanted": "paper",
        "delivery_method": "post",
    }
    data.update(overrides)
    return data


def agency(slug: str = "office", name: str = "城口县人民政府办公室", **fields: Any):
    from gongkai.agencies.models import Agency

    obj, _ = Agency.objects.get_or_create(
        slug=slug, defaults={"name": name, "short_name": fields.pop("short_name", ""), **fields}
    )
    return obj


def staff(username: str, agency_obj, *roles: str):
    """Return a user with ``roles`` (default clerk) in ``agency_obj``."""
    from gongkai.accounts.models import Membership, User

    user, _ = User.objects.get_or_create(username=username, defaults={"display_name": username})
    for role in roles or ("clerk",):
        Membership.objects.get_or_create(user=user, agency=agency_obj, role=role)
    return user


def at(day: date) -> datetime:
    """A submission time on ``day`` (09:30 local time)."""
    return timezone.make_aware(datetime.combine(day, time(9, 30)))


def received_application(
    *,
    actor,
    agency_obj,
    received_on: date,
    data: dict[str, Any] | None = None,
    channel: str = "in_person",
    accept: bool = True,
):
    """Register an application received on ``received_on`` (accepted unless ``accept=False``)."""
    from gongkai.applications.services import register_application

    return register_application(
        actor=actor,
        agency=agency_obj,
        channel=channel,
        data=data or person_data(),
        received_on=received_on,
        submitted_at=at(received_on),
        accept=accept,
    )
