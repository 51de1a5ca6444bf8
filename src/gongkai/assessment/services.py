"""Setting up a scorecard: schemes and their items (a supervisor of the assessing agency)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from gongkai.accounts import rules
from gongkai.agencies.tree import descendants
from gongkai.assessment.facts import DEFAULT_ITEMS, FACTS
from gongkai.assessment.models import Item, Scheme
from gongkai.auditlog.services import record as audit

DENIED = "只有考核机关的政务公开办可以设置考核 / only the assessing agency's supervisor may"
ITEM_FIELDS = ("label", "fact", "weight", "when_no_data", "position")


def _require(actor: Any, agency_id: int) -> None:
    if not rules.can_manage_assessment(actor, agency_id):
        raise PermissionDenied(DENIED)


def create_scheme(
    *, actor: Any, agency: Any, year: int, title: str = "", with_default_items: bool = True
) -> Scheme:
    """Start the scorecard ``agency`` assesses the agencies under it by in ``year``; it starts
    with every agency below ``agency`` and, unless told otherwise, the default items."""
    _require(actor, agency.pk)
    if Scheme.objects.filter(agency=agency, year=year).exists():
        raise ValidationError({"year": f"{year}年已有考核方案 / a scheme exists for {year}"})
    with transaction.atomic():
        scheme = Scheme.objects.create(
            agency=agency, year=year, title=title or f"{year}年度政务公开工作考核"
        )
        scheme.assessed.set(descendants(agency, include_self=False))
        if with_default_items:
            for position, (fact, weight) in enumerate(DEFAULT_ITEMS, start=1):
                Item.objects.create(
                    scheme=scheme, position=position, label=FACTS[fact], fact=fact, weight=weight
                )
        audit(
            actor=actor,
            action="assessment.create",
            obj=scheme,
            label="新建考核方案",
            after={"year": year, "title": scheme.title},
            data={"items": list(scheme.items.values_list("label", "weight"))},
        )
    return scheme


def save_item(
    *,
    actor: Any,
    scheme: Scheme,
    label: str,
    fact: str,
    weight: Decimal | int,
    when_no_data: str = Item.NoData.EXCLUDE,
    position: int | None = None,
    item: Item | None = None,
) -> Item:
    """Add an item to ``scheme`` or change ``item``: its label, fact, weight and no-data rule."""
    _require(actor, scheme.agency_id)
    if fact not in FACTS:
        raise ValidationError({"fact": "请从列表中选择计分依据 / choose a listed fact"})
    if Decimal(weight) <= 0:
        raise ValidationError({"weight": "分值应大于0 / the weight must be positive"})
    with transaction.atomic():
        before = None
        if item is None:
            item = Item(scheme=scheme, position=position or scheme.items.count() + 1)
        else:
            item = Item.objects.select_for_update().get(pk=item.pk, scheme=scheme)
            before = {name: getattr(item, name) for name in ITEM_FIELDS}
        item.label, item.fact, item.weight = label.strip() or FACTS[fact], fact, Decimal(weight)
        item.when_no_data = when_no_data
        if position is not None:
            item.position = position
        item.full_clean()
        item.save()
        audit(
            actor=actor,
            action="assessment.item",
            obj=scheme,
            label="新增考核项目" if before is None else "修改考核项目",
            before=before,
            after={name: getattr(item, name) for name in ITEM_FIELDS},
        )
    return item


def delete_item(*, actor: Any, item: Item) -> None:
    """Remove an item from its scheme."""
    scheme = item.scheme
    _require(actor, scheme.agency_id)
    with transaction.atomic():
        audit(
            actor=actor,
            action="assessment.item_removed",
            obj=scheme,
            label="删除考核项目",
            before={name: getattr(item, name) for name in ITEM_FIELDS},
        )
        item.delete()


def set_assessed(*, actor: Any, scheme: Scheme, agencies: Any) -> None:
    """Choose which agencies below the assessing agency the scheme assesses."""
    _require(actor, scheme.agency_id)
    chosen = {getattr(a, "pk", a) for a in agencies}
    below = set(descendants(scheme.agency_id, include_self=False).values_list("pk", flat=True))
    if not chosen or chosen - below:
        raise ValidationError(
            {"assessed": "请选择考核机关下属的机关 / choose agencies under the assessing agency"}
        )
    with transaction.atomic():
        before = sorted(scheme.assessed.values_list("pk", flat=True))
        scheme.assessed.set(chosen)
        audit(
            actor=actor,
            action="assessment.assessed",
            obj=scheme,
            label="设置被考核机关",
            before={"assessed": before},
            after={"assessed": sorted(chosen)},
        )
