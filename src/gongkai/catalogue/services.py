"""Changes to the standard catalogue: domains, catalogues, XLSX import, formation dates and
evidence. Each takes the acting user, checks :mod:`gongkai.accounts.rules`, runs in one
transaction and writes its audit row there."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.accounts import rules
from gongkai.auditlog.services import record as audit
from gongkai.catalogue.columns import Row, clean_text, problems
from gongkai.catalogue.domains import NOTE, RECONSTRUCTED
from gongkai.catalogue.models import ROW_FIELDS, Catalogue, Domain, Entry, Evidence
from gongkai.catalogue.sheet import CellError, SheetError, read_rows
from gongkai.publications.models import Publication
from gongkai.publications.models import State as PublicationState

DENIED = "您无权修改该机关的标准目录 / you may not change this agency's catalogue"


def _require(allowed: bool, message: str = DENIED) -> None:
    if not allowed:
        raise PermissionDenied(message)


def seed_domains(*, actor: Any = rules.COMMAND_LINE) -> int:
    """Seed the reconstructed pilot domains (docs/law/ogi-spec.md §5) into an empty table; a
    list an office has started keeping is left exactly as it is. Return how many were created."""
    with transaction.atomic():
        if Domain.objects.exists():
            return 0
        created = Domain.objects.bulk_create(
            Domain(name=name, sort_order=order * 10, note=NOTE)
            for order, name in enumerate(RECONSTRUCTED, start=1)
        )
        audit(
            actor=actor,
            action="catalogue.seed_domains",
            label="预置试点领域",
            data={"created": [d.name for d in created]},
        )
    return len(created)


def save_domain(
    *, actor: Any, name: str, sort_order: int = 0, note: str = "", domain: Domain | None = None
) -> Domain:
    """Add a pilot domain, or rename and annotate ``domain``."""
    _require(rules.can_manage_domains(actor), "您无权修改试点领域 / you may not edit the domains")
    name = clean_text(name)
    if not name:
        raise ValidationError({"name": "领域名称不能为空 / the name is required"})
    if Domain.objects.filter(name=name).exclude(pk=getattr(domain, "pk", None)).exists():
        raise ValidationError({"name": "已有同名领域 / a domain with this name exists"})
    with transaction.atomic():
        before = None
        if domain is None:
            domain = Domain(name=name, sort_order=sort_order, note=note)
        else:
            domain = Domain.objects.select_for_update().get(pk=domain.pk)
            before = {"name": domain.name, "sort_order": domain.sort_order, "note": domain.note}
            domain.name, domain.sort_order, domain.note = name, sort_order, note
        domain.full_clean()
        domain.save()
        audit(
            actor=actor,
            action="catalogue.save_domain",
            obj=domain,
            label="新增试点领域" if before is None else "修改试点领域",
            before=before,
            after={"name": domain.name, "sort_order": domain.sort_order, "note": domain.note},
        )
    return domain


def open_catalogue(*, actor: Any, agency: Any, domain: Domain) -> Catalogue:
    """Return ``agency``'s catalogue of ``domain``, created (empty) if it has none."""
    _require(rules.can_edit_catalogue(actor, agency))
    with transaction.atomic():
        catalogue, created = Catalogue.objects.get_or_create(agency=agency, domain=domain)
        if created:
            audit(actor=actor, action="catalogue.open", obj=catalogue, label="新建标准目录")
    return catalogue


@dataclass(frozen=True)
class ImportSummary:
    """What an import changed (all zero but ``unchanged`` when the file was the catalogue)."""

    created: int
    updated: int
    removed: int
    unchanged: int

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.removed)


def import_catalogue(*, actor: Any, catalogue: Catalogue, data: bytes) -> ImportSummary:
    """Make ``catalogue`` what the XLSX file says, or raise :class:`SheetError` and keep nothing.

    Entries are matched by 一级事项 and 二级事项, so an unchanged row is not written at all and
    its formation date and evidence stay; an entry missing from the file is removed, unless
    evidence of its publication is recorded (then the whole file is refused).
    """
    _require(rules.can_edit_catalogue(actor, catalogue.agency_id))
    rows = read_rows(data)
    if not rows and catalogue.entries.exists():
        # An empty table (the template, a wrong sheet) would silently empty the catalogue.
        raise SheetError(
            [CellError(0, "", "", "文件中没有任何事项，未导入 / the file has no entries")]
        )
    return replace_entries(actor=actor, catalogue=catalogue, rows=rows)


def replace_entries(*, actor: Any, catalogue: Catalogue, rows: list[Row]) -> ImportSummary:
    """Make the entries of ``catalogue`` exactly ``rows`` (in order); see :func:`import_catalogue`."""
    _require(rules.can_edit_catalogue(actor, catalogue.agency_id))
    errors = [
        CellError(n, "", "", message)
        for n, row in enumerate(rows, start=1)
        for _field, message in problems(row)
    ]
    if len({row.key for row in rows}) != len(rows):
        errors.append(CellError(0, "", "", "公开事项重复 / the same item appears twice"))
    if errors:
        raise SheetError(errors)
    with transaction.atomic():
        catalogue = Catalogue.objects.select_for_update().get(pk=catalogue.pk)
        existing = {(e.item_l1, e.item_l2): e for e in catalogue.entries.all()}
        wanted = {row.key for row in rows}
        gone = [entry for key, entry in existing.items() if key not in wanted]
        kept = Evidence.objects.filter(entry__in=gone).values_list("entry_id", flat=True)
        if kept:
            names = "、".join(str(e) for e in gone if e.pk in set(kept))
            raise SheetError(
                [
                    CellError(
                        0,
                        "",
                        "",
                        f"文件中没有「{names}」，但它已登记公开佐证，不能删除 / "
                        "an item with recorded evidence cannot be removed",
                    )
                ]
            )
        updated = unchanged = 0
        new: list[Entry] = []
        for position, row in enumerate(rows, start=1):
            entry = existing.get(row.key)
            if entry is None:
                new.append(Entry(catalogue=catalogue, position=position, **_fields(row)))
                continue
            changes = {k: v for k, v in _fields(row).items() if getattr(entry, k) != v}
            if entry.position != position:
                changes["position"] = position
            if changes:
                for key, value in changes.items():
                    setattr(entry, key, value)
                entry.save(update_fields=list(changes))
                updated += 1
            else:
                unchanged += 1
        for entry in gone:
            entry.delete()
        Entry.objects.bulk_create(new)
        created = len(new)
        summary = ImportSummary(created, updated, len(gone), unchanged)
        if summary.changed:
            catalogue.save(update_fields=["updated_at"])
            audit(
                actor=actor,
                action="catalogue.import",
                obj=catalogue,
                label="导入标准目录",
                data={
                    "created": created,
                    "updated": updated,
                    "removed": [str(e) for e in gone],
                    "unchanged": unchanged,
                },
            )
    return summary


def _fields(row: Row) -> dict[str, Any]:
    return {name: getattr(row, name) for name in ROW_FIELDS}


def _entry_audit(*, actor: Any, entry: Entry, action: str, label: str, **kwargs: Any) -> None:
    audit(
        actor=actor,
        action=action,
        obj=entry,
        agency=entry.catalogue.agency,
        label=label,
        **kwargs,
    )


def _not_future(day: date | None, field: str, label: str) -> None:
    if day is not None and day > timezone.localdate():
        raise ValidationError({field: f"{label}不能晚于今天 / {field} cannot be in the future"})


def set_formed_on(*, actor: Any, entry: Entry, formed_on: date | None) -> Entry:
    """Record when the entry's information was last formed or changed (the time limit counts
    from it, 《政府信息公开条例》第二十六条)."""
    _require(rules.can_edit_catalogue(actor, entry.catalogue.agency_id))
    _not_future(formed_on, "formed_on", "信息形成日期")
    with transaction.atomic():
        entry = (
            Entry.objects.select_for_update().select_related("catalogue__agency").get(pk=entry.pk)
        )
        before = {"formed_on": entry.formed_on}
        entry.formed_on = formed_on
        entry.save(update_fields=["formed_on"])
        _entry_audit(
            actor=actor,
            entry=entry,
            action="catalogue.formed_on",
            label="登记信息形成日期",
            before=before,
            after={"formed_on": formed_on},
        )
    return entry


def _published_item(*, publication_id: int | None = None, index_number: str = "") -> Publication:
    """The published item named by id or 索引号, or a ValidationError saying why not."""
    items = Publication.objects.all()
    item = (
        items.filter(pk=publication_id).first()
        if publication_id is not None
        else items.filter(index_number=index_number).first()
    )
    name = index_number or publication_id
    if item is None:
        raise ValidationError(
            {
                "index_number": f"没有索引号为「{name}」的政府信息 / no published item has this 索引号"
            }
        )
    if item.state != PublicationState.PUBLISHED or item.published_on is None:
        raise ValidationError(
            {
                "index_number": f"「{item.title}」为{item.get_state_display()}，不能作为公开佐证 / "
                "only a published item is evidence"
            }
        )
    return item


def add_evidence(
    *,
    actor: Any,
    entry: Entry,
    published_on: date | None,
    reference: str = "",
    title: str = "",
    publication_id: int | None = None,
) -> Evidence:
    """Record that the entry's information was published on ``published_on`` at ``reference``
    (a URL or 索引号). With ``publication_id`` (an item of the publications app, which must be
    published) the evidence is linked to it and takes its 发布日期, 索引号 and title."""
    _require(rules.can_edit_catalogue(actor, entry.catalogue.agency_id))
    item = None
    if publication_id is not None:
        item = _published_item(publication_id=publication_id)
        published_on = item.published_on
        reference = reference or item.index_number or ""
        title = title or item.title
    if not isinstance(published_on, date):
        raise ValidationError({"published_on": "请填写公开日期 / give the publication date"})
    _not_future(published_on, "published_on", "公开日期")
    reference = clean_text(reference)
    if not reference and item is None:
        raise ValidationError(
            {"reference": "请填写索引号或网址 / give the index number or the address"}
        )
    with transaction.atomic():
        evidence = Evidence(
            entry=entry,
            published_on=published_on,
            reference=reference,
            title=clean_text(title)[:200],
            publication=item,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        evidence.full_clean()
        evidence.save()
        _entry_audit(
            actor=actor,
            entry=entry,
            action="catalogue.evidence",
            label="登记公开佐证",
            data={
                "published_on": published_on,
                "reference": reference,
                "publication": getattr(item, "pk", None),
            },
        )
    return evidence


def link_publication(*, actor: Any, entry: Entry, index_number: str) -> Evidence:
    """Record a published item, picked by its 索引号, as evidence for ``entry`` (its 发布日期 is
    the date the compliance view reads)."""
    _require(rules.can_edit_catalogue(actor, entry.catalogue.agency_id))
    index_number = clean_text(index_number)
    if not index_number:
        raise ValidationError({"index_number": "请填写索引号 / give the 索引号"})
    item = _published_item(index_number=index_number)
    if entry.evidence.filter(publication=item).exists():
        raise ValidationError(
            {"index_number": f"「{index_number}」已是该事项的公开佐证 / already recorded"}
        )
    return add_evidence(actor=actor, entry=entry, published_on=None, publication_id=item.pk)


def remove_evidence(*, actor: Any, evidence: Evidence) -> None:
    """Withdraw a piece of evidence recorded in error."""
    entry = evidence.entry
    _require(rules.can_edit_catalogue(actor, entry.catalogue.agency_id))
    with transaction.atomic():
        data = {"published_on": evidence.published_on, "reference": evidence.reference}
        evidence.delete()
        _entry_audit(
            actor=actor,
            entry=entry,
            action="catalogue.evidence_removed",
            label="撤销公开佐证",
            data=data,
        )


def save_entry(*, actor: Any, catalogue: Catalogue, row: Row, entry: Entry | None = None) -> Entry:
    """Add ``row`` to ``catalogue`` (at the end) or make ``entry`` say ``row``, one entry at a
    time (the XLSX import does the whole catalogue). Raise ValidationError with what is wrong."""
    _require(rules.can_edit_catalogue(actor, catalogue.agency_id))
    wrong = problems(row)
    if wrong:
        raise ValidationError({name: [message] for name, message in wrong})
    with transaction.atomic():
        catalogue = Catalogue.objects.select_for_update().get(pk=catalogue.pk)
        clash = catalogue.entries.filter(item_l1=row.item_l1, item_l2=row.item_l2)
        if entry is not None:
            clash = clash.exclude(pk=entry.pk)
        if clash.exists():
            raise ValidationError(
                {"item_l2": ["目录中已有该公开事项 / the catalogue has this item already"]}
            )
        before = None
        if entry is None:
            position = (
                catalogue.entries.order_by("-position").values_list("position", flat=True).first()
                or 0
            ) + 1
            entry = Entry(catalogue=catalogue, position=position)
        else:
            entry = Entry.objects.select_for_update().get(pk=entry.pk, catalogue=catalogue)
            before = _fields(entry.as_row())
        for name, value in _fields(row).items():
            setattr(entry, name, value)
        entry.save()
        catalogue.save(update_fields=["updated_at"])
        _entry_audit(
            actor=actor,
            entry=entry,
            action="catalogue.entry",
            label="新增目录事项" if before is None else "修改目录事项",
            before=before,
            after=_fields(row),
        )
    return entry
