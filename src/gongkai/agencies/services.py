"""Changes to the agency tree and the reporting units: one audited service each.

Only those :func:`gongkai.accounts.rules.may_administer` allows may make them. Moving an
agency (changing its parent) moves its whole subtree, and with it what supervisors above see
(:func:`gongkai.accounts.rules.visible_agencies`); a move that would put an agency under itself
or under one of its own sub-agencies is refused. Each change writes one row of the audit log in
the same transaction (docs/audit-log.md).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from gongkai.accounts import rules
from gongkai.agencies.models import Agency, ReportingUnit
from gongkai.agencies.tree import descendants
from gongkai.auditlog.services import record as audit
from gongkai.auditlog.services import snapshot

__all__ = [
    "create_agency",
    "delete_agency",
    "delete_reporting_unit",
    "save_agency",
    "save_reporting_unit",
]

DENIED = "只有系统管理员可以调整机关设置 / only a system admin may change the agency tree"
AGENCY_FIELDS = ("name", "short_name", "slug", "kind", "credit_code", "parent", "sort_order")
MOVE_REFUSED = (
    "上级机关不能是本机关或其下级机关 / the parent cannot be the agency itself or one of its "
    "sub-agencies"
)


def _check(actor: Any) -> None:
    if not rules.may_administer(actor):
        raise PermissionDenied(DENIED)


def _check_parent(agency: Agency) -> None:
    if agency.parent_id is None or agency.pk is None:
        return
    if descendants([agency.pk]).filter(pk=agency.parent_id).exists():
        raise ValidationError({"parent": MOVE_REFUSED}, code="cycle")


def create_agency(*, actor: Any, **fields: Any) -> Agency:
    """Create an agency (``name``, ``slug``, ``parent``…), checked like a back-office form."""
    return save_agency(actor=actor, agency=Agency(**fields))


def save_agency(*, actor: Any, agency: Agency) -> Agency:
    """Save ``agency`` (new, or changed in memory): checked, then logged as created, moved or
    changed, with the fields before and after.
    """
    _check(actor)
    with transaction.atomic():
        old = Agency.objects.select_for_update().filter(pk=agency.pk).first() if agency.pk else None
        if old is not None and old.parent_id != agency.parent_id:
            # Two moves at once could each pass the check and together close a loop: a move
            # locks the whole tree (a county's few hundred rows), so moves take turns.
            list(Agency.objects.select_for_update().order_by("pk").values_list("pk", flat=True))
        _check_parent(agency)
        agency.full_clean()
        before = snapshot(old, AGENCY_FIELDS) if old is not None else {}
        agency.save()
        after = snapshot(agency, AGENCY_FIELDS)
        if old is not None and before == after:
            return agency
        if old is None:
            action, label = "agency.created", "新建机关"
        elif before["parent"] != after["parent"]:
            action, label = "agency.moved", "调整上级机关"
        else:
            action, label = "agency.changed", "修改机关信息"
        audit(
            actor=actor,
            action=action,
            obj=agency,
            label=label,
            before={k: v for k, v in before.items() if after.get(k) != v},
            after={k: v for k, v in after.items() if before.get(k) != v},
        )
    return agency


def delete_agency(*, actor: Any, agency: Agency) -> None:
    """Delete ``agency``; refused while it has sub-agencies, staff or records (they PROTECT it)."""
    from django.db.models import ProtectedError

    _check(actor)
    try:
        with transaction.atomic():
            row = Agency.objects.select_for_update().get(pk=agency.pk)
            audit(
                actor=actor,
                action="agency.deleted",
                obj=row,
                label="删除机关",
                before=snapshot(row, AGENCY_FIELDS),
            )
            row.delete()
    except ProtectedError:
        raise ValidationError(
            f"{agency}仍有下级机关、工作人员或办理记录，不能删除 / {agency} still has "
            "sub-agencies, staff or records and cannot be deleted",
            code="protected",
        ) from None


def save_reporting_unit(*, actor: Any, unit: ReportingUnit, agencies: Any = None) -> ReportingUnit:
    """Save ``unit`` and, if given, the agencies it reports for; log the change."""
    _check(actor)
    with transaction.atomic():
        created = unit.pk is None
        old = None if created else ReportingUnit.objects.select_for_update().get(pk=unit.pk)
        fields = ("name", "slug", "sort_order")
        before = {} if old is None else snapshot(old, fields)
        before_members = [] if old is None else sorted(old.agencies.values_list("pk", flat=True))
        unit.full_clean(exclude=["agencies"])
        unit.save()
        if agencies is not None:
            unit.agencies.set(agencies)
        after = snapshot(unit, fields)
        after_members = sorted(unit.agencies.values_list("pk", flat=True))
        if not created and before == after and before_members == after_members:
            return unit
        audit(
            actor=actor,
            action="reporting_unit.created" if created else "reporting_unit.changed",
            obj=unit,
            label="新建年报主体" if created else "修改年报主体",
            before={**before, "agencies": before_members} if not created else {},
            after={**after, "agencies": after_members},
        )
    return unit


def delete_reporting_unit(*, actor: Any, unit: ReportingUnit) -> None:
    """Delete the reporting unit ``unit`` (its agencies stay)."""
    _check(actor)
    with transaction.atomic():
        row = ReportingUnit.objects.select_for_update().get(pk=unit.pk)
        audit(
            actor=actor,
            action="reporting_unit.deleted",
            obj=row,
            label="删除年报主体",
            before={
                **snapshot(row, ("name", "slug", "sort_order")),
                "agencies": sorted(row.agencies.values_list("pk", flat=True)),
            },
        )
        row.delete()
