"""Changing an agency's 政府信息公开工作机构 record (the guide's contact data), audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.forms.models import model_to_dict

from gongkai.accounts import rules
from gongkai.auditlog.services import record as audit
from gongkai.guide.models import DisclosureOffice

DENIED = "只有系统管理员可以设置公开工作机构 / only system admins set the disclosure offices"


def _snapshot(obj) -> dict[str, Any]:
    return {k: (str(v) if v is not None else None) for k, v in model_to_dict(obj).items()}


def save_office(*, actor, office: DisclosureOffice) -> DisclosureOffice:
    """Create or change an agency's 政府信息公开工作机构 (validated, audited, one transaction)."""
    if not rules.may_administer(actor):
        raise PermissionDenied(DENIED)
    with transaction.atomic():
        before = None
        if office.pk is not None:
            before = _snapshot(DisclosureOffice.objects.select_for_update().get(pk=office.pk))
        office.full_clean()
        office.save()
        audit(
            actor=actor,
            action="guide.office",
            obj=office,
            label="公开工作机构" if before is None else "修改公开工作机构",
            before=before,
            after=_snapshot(office),
        )
    return office
