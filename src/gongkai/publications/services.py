"""Every change to a publication: drafting, the 公开属性 flow, 保密审查, publishing, corrections.

The flow (「谁起草、谁认定」「谁审查、谁负责」): a clerk drafts (:func:`create_draft`, step
``edit``) and proposes the 公开属性; ``submit`` sends it to the office, which ``review``s the
attribute; the approver ``approve``s it, deciding the attribute, or ``return``s it; the approver
signs off the 保密审查 (``clear_secrecy``, 条例第十七条); a clerk ``publish``es it with its
placements — only a 主动公开 item, approved and cleared — and it gets its 索引号 and its
第二十六条 lateness. A published item is ``correct``ed or ``withdraw``n with a reason; the
old version is kept (:class:`~gongkai.publications.models.Version`) and every step is a row of
the audit log (the item's history).

Views, the API, the import and the demo call these functions; permission decisions are the
``can_*_publication`` predicates of :mod:`gongkai.accounts.rules`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai.accounts import rules
from gongkai.auditlog.services import jsonable, snapshot
from gongkai.auditlog.services import record as audit
from gongkai.holidays.services import load_calendar
from gongkai.intake.numbering import next_number
from gongkai.law.calendar import MissingCalendarYear
from gongkai.law.proactive import days_late
from gongkai.publications.attachments import add_attachments, check_attachments
from gongkai.publications.models import (
    Attachment,
    Attribute,
    Kind,
    Placement,
    Publication,
    State,
    Validity,
    Version,
)
from gongkai.publications.validation import (
    EDITABLE,
    agencies_by_slug,
    check_consistency,
    clean_fields,
    clean_placements,
    parse_date,
)
from gongkai.records.files import delete_files_on_error
from gongkai.records.steps import Step, StepTable
from gongkai.search import index as search_index

__all__ = [
    "STEPS",
    "create_draft",
    "format_index_number",
    "lateness",
    "keep_validity",
    "take_index_number",
]

STEPS = StepTable()
INDEX_SERIES = "publication-index"
EDITABLE_STATES = (State.DRAFT,)


def _refuse(message: str, field: str = "state") -> None:
    raise ValidationError({field: message})


# --- 索引号 ---------------------------------------------------------------------------------


def format_index_number(*, agency, day: dt.date, serial: int, pattern: str | None = None) -> str:
    """Return the 索引号 of the ``serial``-th item of ``agency`` in ``day``'s year.

    The pattern is the installation's ``GONGKAI_INDEX_NUMBER_PATTERN`` (default
    ``{agency_code}/{year}-{serial:05d}``, docs/law/ogi-spec.md §6.3: no national standard, so
    it is configurable). ``agency_code`` is the agency's 统一社会信用代码, or its slug when none
    is recorded; ``month`` (two digits) is available too.
    """
    pattern = pattern or settings.GONGKAI_INDEX_NUMBER_PATTERN
    return pattern.format(
        agency_code=agency.credit_code or agency.slug,
        year=day.year,
        month=f"{day.month:02d}",
        serial=serial,
    )


def take_index_number(*, agency, day: dt.date) -> str:
    """Take the next free 索引号 for ``agency`` in ``day``'s year (inside the transaction).

    The serial comes from :func:`gongkai.intake.numbering.next_number` (a locked counter, so
    concurrent publishing never hands out one number twice); a number already used by an
    imported item is skipped.
    """
    repeats = "{serial" not in settings.GONGKAI_INDEX_NUMBER_PATTERN
    for _ in range(1 if repeats else 1000):
        serial = next_number(agency_id=agency.pk, series=INDEX_SERIES, year=day.year)
        number = format_index_number(agency=agency, day=day, serial=serial)
        if not Publication.objects.filter(index_number=number).exists():
            return number
    raise index_number_clash(number)


def index_number_clash(number: str) -> ValidationError:
    return ValidationError(
        {"index_number": f"索引号「{number}」已被其他信息使用 / 索引号 {number} is already used"}
    )


# --- 第二十六条 lateness ------------------------------------------------------------------------


def lateness(publication: Publication, published_on: dt.date) -> int | None:
    """Return the working days ``publication`` is late (条例第二十六条), or None when unknown
    (no 形成/成文 date, or the working-day calendar lacks a year of the period)."""
    formed = publication.formed_on or publication.written_on
    if formed is None:
        return None
    try:
        return days_late(load_calendar(), formed, published_on)
    except MissingCalendarYear:
        return None


# --- drafting -------------------------------------------------------------------------------


def _relations(data: dict[str, Any], *, agency) -> dict[str, Any]:
    """Check the many-to-many inputs: co-issuers (slugs) and the policies explained (ids)."""
    out: dict[str, Any] = {}
    if "co_issuers" in data:
        co = agencies_by_slug(data["co_issuers"] or [])
        out["co_issuers"] = [a for a in co if a.pk != agency.pk]
    if "explains" in data:
        ids = []
        if not isinstance(data["explains"] or [], list | tuple):
            _refuse("解读的政策应为编号列表 / explains must be a list of ids", "explains")
        for value in data["explains"] or []:
            try:
                ids.append(int(value))
            except (TypeError, ValueError):
                _refuse(f"解读的政策编号「{str(value)[:20]}」无效 / not an id", "explains")
            if not 0 < ids[-1] < 2**63:
                _refuse("解读的政策编号无效 / not an id", "explains")
        found = set(
            Publication.objects.filter(pk__in=ids)
            .exclude(kind=Kind.INTERPRETATION)
            .values_list("pk", flat=True)
        )
        missing = [i for i in ids if i not in found]
        if missing:
            _refuse(
                f"没有编号为 {missing} 的政策文件 / no policy document has id {missing}", "explains"
            )
        out["explains"] = ids
    return out


def create_draft(
    *, actor, agency, data: dict[str, Any], attachments: Iterable[Any] = ()
) -> Publication:
    """Make a new draft of ``agency`` from ``data`` (raw values; see :mod:`.validation`).

    The drafter proposes the 公开属性 here (or later, before ``submit``). Attachments are
    checked by content first; nothing is saved if anything is wrong.
    """
    if not rules.can_draft_publication(actor, agency):
        raise PermissionDenied("您无权为该机关起草政府信息 / you may not draft for this agency")
    values = clean_fields(data)
    relations = _relations(data, agency=agency)
    values.setdefault("kind", Kind.INFORMATION)
    check_consistency(values)
    checked = check_attachments(attachments)
    with delete_files_on_error(), transaction.atomic():
        publication = Publication(agency=agency, created_by=actor, **values)
        if values.get("attribute"):
            publication.attribute_proposed_by = actor
        publication.save()
        _set_relations(publication, relations)
        names = add_attachments(publication, checked)
        audit(
            actor=actor,
            action="publication.create",
            obj=publication,
            label="起草",
            after=snapshot(publication, EDITABLE),
            data={"attachments": names, **jsonable(relations)},
        )
    return publication


def _set_relations(publication: Publication, relations: dict[str, Any]) -> None:
    if "co_issuers" in relations:
        publication.co_issuers.set(relations["co_issuers"])
    if "explains" in relations:
        publication.explains.set(relations["explains"])


def _version_data(publication: Publication) -> dict[str, Any]:
    data = snapshot(publication, (*EDITABLE, "index_number", "published_on", "state"))
    data["placements"] = [
        jsonable({"channel": p.channel, "column": p.column, "placed_on": p.placed_on})
        for p in publication.placements.all()
    ]
    data["attachments"] = list(publication.attachments.values_list("name", flat=True))
    return data


def _keep_version(publication: Publication, *, actor, reason: str) -> Version:
    version = Version.objects.create(
        publication=publication,
        number=publication.version,
        data=_version_data(publication),
        reason=reason,
        replaced_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    publication.version += 1
    return version


class _PublicationStep(Step):
    fields = ("state",)
    states: tuple[str, ...] = ()

    def follow_up(self, record: Publication) -> None:
        # The search index follows every step in its transaction (docs/adr/search-exact-substring.md):
        # publishing adds the item, a correction or new placement re-indexes it, withdrawing
        # takes it out; a step on a draft changes nothing there.
        search_index.sync(record)

    def require_state(self, record: Publication) -> None:
        if self.states and record.state not in self.states:
            wanted = "、".join(State(s).label for s in self.states)
            _refuse(
                f"该信息当前为「{record.get_state_display()}」，只有{wanted}的才能{self.label} / "
                f"not possible in state {record.state}"
            )


def _apply_changes(step: Step, record: Publication, data: dict[str, Any]) -> None:
    values = clean_fields(data, partial=True)
    relations = _relations(data, agency=record.agency)
    merged = {field: getattr(record, field) for field in EDITABLE} | values
    check_consistency(merged)
    for field, value in values.items():
        setattr(record, field, value)
    record.save()
    _set_relations(record, relations)
    step.data.update(jsonable(relations))


@STEPS.add
class Edit(_PublicationStep):
    """Change a draft (any field, attachments added or removed)."""

    action = "publication.edit"
    name = "edit"
    label = "修改草稿"
    allowed = staticmethod(rules.can_draft_publication)
    fields = EDITABLE
    states = EDITABLE_STATES

    def prepare(self) -> None:
        self.checked = check_attachments(self.params.get("attachments") or ())

    def apply(self, record: Publication) -> None:
        self.require_state(record)
        data = dict(self.params.get("data") or {})
        if "attribute" in data and data["attribute"] != record.attribute:
            record.attribute_proposed_by = self.actor
        _apply_changes(self, record, data)
        removed = list(self.params.get("remove_attachments") or ())
        if removed:
            rows = Attachment.objects.filter(publication=record, pk__in=removed)
            self.data["removed_attachments"] = list(rows.values_list("name", flat=True))
            rows.delete()
        if self.checked:
            self.data["attachments"] = add_attachments(record, self.checked)


@STEPS.add
class Submit(_PublicationStep):
    """Send the draft to the office: it must carry a 公开属性 (and a reason unless 主动公开)."""

    action = "publication.submit"
    name = "submit"
    label = "提交审核"
    allowed = staticmethod(rules.can_draft_publication)
    fields = ("state", "attribute", "attribute_reason")
    states = (State.DRAFT,)

    def apply(self, record: Publication) -> None:
        self.require_state(record)
        if not record.attribute:
            _refuse(
                "请先认定公开属性（主动公开、依申请公开或不予公开）再提交 / "
                "set the disclosure attribute before submitting",
                "attribute",
            )
        check_consistency({f: getattr(record, f) for f in EDITABLE})
        if record.attribute_proposed_by_id is None and getattr(
            self.actor, "is_authenticated", False
        ):
            record.attribute_proposed_by = self.actor
        record.state = State.SUBMITTED
        record.return_note = ""
        record.save()


def _decide_attribute(step: Step, record: Publication) -> None:
    """Take a changed attribute (and reason) from the step's params, checked."""
    attribute = step.params.get("attribute") or record.attribute
    reason = step.params.get("reason", record.attribute_reason)
    values = clean_fields({"attribute": attribute, "attribute_reason": reason}, partial=True)
    merged = {f: getattr(record, f) for f in EDITABLE} | values
    check_consistency(merged)
    if not values.get("attribute"):
        _refuse("须认定公开属性 / the disclosure attribute is required", "attribute")
    record.attribute = values["attribute"]
    record.attribute_reason = values["attribute_reason"]


@STEPS.add
class Review(_PublicationStep):
    """The office reviews the proposed 公开属性 (and may change it, with a reason)."""

    action = "publication.review"
    name = "review"
    label = "办公室审核"
    allowed = staticmethod(rules.can_review_publication)
    fields = ("state", "attribute", "attribute_reason")
    states = (State.SUBMITTED,)

    def apply(self, record: Publication) -> None:
        self.require_state(record)
        _decide_attribute(self, record)
        record.attribute_reviewed_by = self.actor
        record.attribute_reviewed_at = timezone.now()
        record.state = State.REVIEWED
        record.save()
        self.note = str(self.params.get("note") or "").replace("\x00", "")


@STEPS.add
class Approve(_PublicationStep):
    """The approver decides the 公开属性 and approves the item."""

    action = "publication.approve"
    name = "approve"
    label = "审批"
    allowed = staticmethod(rules.can_approve_publication)
    fields = ("state", "attribute", "attribute_reason")
    states = (State.REVIEWED,)

    def apply(self, record: Publication) -> None:
        self.require_state(record)
        _decide_attribute(self, record)
        record.attribute_decided_by = self.actor
        record.attribute_decided_at = timezone.now()
        record.state = State.APPROVED
        record.save()
        self.note = str(self.params.get("note") or "").replace("\x00", "")


@STEPS.add
class Return(_PublicationStep):
    """Send a submitted or reviewed item back to its drafter with a note."""

    action = "publication.return"
    name = "return"
    label = "退回修改"
    allowed = staticmethod(rules.can_review_publication)
    fields = ("state", "return_note")
    states = (State.SUBMITTED, State.REVIEWED, State.APPROVED)

    def prepare(self) -> None:
        self.note = str(self.params.get("note") or "").replace("\x00", "").strip()
        if not self.note:
            _refuse("请写明退回理由 / give the reason for returning it", "note")

    def apply(self, record: Publication) -> None:
        self.require_state(record)
        if record.state == State.APPROVED and not rules.can_approve_publication(
            self.actor, record.agency_id
        ):
            raise PermissionDenied("已审批的信息只能由审批人退回 / only an approver may")
        record.state = State.DRAFT
        record.return_note = self.note
        record.attribute_reviewed_by = record.attribute_decided_by = None
        record.attribute_reviewed_at = record.attribute_decided_at = None
        record.save()


@STEPS.add
class ClearSecrecy(_PublicationStep):
    """Sign off the 保密审查 (条例第十七条): who and when, before anything is published."""

    action = "publication.clear_secrecy"
    name = "clear_secrecy"
    label = "保密审查"
    allowed = staticmethod(rules.can_clear_secrecy)
    fields = ("secrecy_cleared_by", "secrecy_cleared_at")
    states = (State.SUBMITTED, State.REVIEWED, State.APPROVED)

    def apply(self, record: Publication) -> None:
        self.require_state(record)
        record.secrecy_cleared_by = self.actor
        record.secrecy_cleared_at = timezone.now()
        record.save()


def _add_placements(record: Publication, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    added = []
    for row in rows:
        _, created = Placement.objects.get_or_create(
            publication=record,
            channel=row["channel"],
            column=row["column"],
            defaults={"placed_on": row["placed_on"] or record.published_on},
        )
        if created:
            added.append(jsonable(row))
    return added


@STEPS.add
class Publish(_PublicationStep):
    """Publish an approved 主动公开 item whose 保密审查 is signed off, on its channels."""

    action = "publication.publish"
    name = "publish"
    label = "发布"
    allowed = staticmethod(rules.can_publish)
    fields = ("state", "index_number", "published_on", "days_late")
    states = (State.APPROVED,)

    def prepare(self) -> None:
        self.placements = clean_placements(self.params.get("placements") or [])
        day = self.params.get("published_on") or timezone.localdate()
        if not isinstance(day, dt.date):
            day = parse_date(str(day), "published_on", "发布日期")
        self.day = day

    def apply(self, record: Publication) -> None:
        self.require_state(record)
        if record.attribute != Attribute.PROACTIVE:
            _refuse(
                f"公开属性为「{record.get_attribute_display() or '未认定'}」，不能主动公开 / "
                "only an item decided as 主动公开 is published",
                "attribute",
            )
        if record.secrecy_cleared_at is None:
            _refuse(
                "发布前须完成保密审查（条例第十七条） / the secrecy review must be signed off first",
                "secrecy",
            )
        if record.written_on and self.day < record.written_on:
            _refuse(
                "发布日期不能早于成文日期 / cannot publish before it was written", "published_on"
            )
        if not self.placements and not record.placements.exists():
            _refuse("请至少选择一个发布渠道 / choose at least one channel", "placements")
        record.published_on = self.day
        if not record.index_number:
            record.index_number = take_index_number(agency=record.agency, day=self.day)
        record.days_late = lateness(record, self.day)
        record.state = State.PUBLISHED
        try:
            with transaction.atomic():
                record.save()
        except IntegrityError:
            raise index_number_clash(record.index_number) from None
        self.data["placements"] = _add_placements(record, self.placements)
        if record.days_late:
            self.note = f"超过条例第二十六条规定期限{record.days_late}个工作日"


@STEPS.add
class Place(_PublicationStep):
    """Record further channels where a published item appeared (one item, counted once)."""

    action = "publication.place"
    name = "place"
    label = "增加发布渠道"
    allowed = staticmethod(rules.can_publish)
    states = (State.PUBLISHED,)

    def prepare(self) -> None:
        self.placements = clean_placements(self.params.get("placements") or [])
        if not self.placements:
            _refuse("请至少选择一个发布渠道 / choose at least one channel", "placements")

    def apply(self, record: Publication) -> None:
        self.require_state(record)
        self.data["placements"] = _add_placements(record, self.placements)


def _reason(step: Step) -> str:
    reason = str(step.params.get("reason") or "").replace("\x00", "").strip()
    if not reason:
        _refuse(f"{step.label}须写明理由 / a reason is required", "reason")
    return reason


@STEPS.add
class Correct(_PublicationStep):
    """Correct a published item: the old version is kept, the reason logged."""

    action = "publication.correct"
    name = "correct"
    label = "更正"
    allowed = staticmethod(rules.can_publish)
    fields = (*EDITABLE, "version")
    states = (State.PUBLISHED,)

    def prepare(self) -> None:
        self.note = _reason(self)
        if not isinstance(self.params.get("data"), dict) or not self.params["data"]:
            _refuse("没有要更正的内容 / nothing to correct", "data")

    def apply(self, record: Publication) -> None:
        self.require_state(record)
        version = _keep_version(record, actor=self.actor, reason=self.note)
        self.data["kept_version"] = version.number
        _apply_changes(self, record, dict(self.params["data"]))


@STEPS.add
class Withdraw(_PublicationStep):
    """Withdraw a published item: it leaves the public lists; the old version is kept."""

    action = "publication.withdraw"
    name = "withdraw"
    label = "撤回"
    allowed = staticmethod(rules.can_publish)
    fields = ("state", "withdrawn_reason", "version")
    states = (State.PUBLISHED,)

    def prepare(self) -> None:
        self.note = _reason(self)

    def apply(self, record: Publication) -> None:
        self.require_state(record)
        version = _keep_version(record, actor=self.actor, reason=self.note)
        self.data["kept_version"] = version.number
        record.state = State.WITHDRAWN
        record.withdrawn_reason = self.note
        record.save()


def run_step(name: str, *, actor, publication: Publication, **params: Any) -> Publication:
    """Take step ``name`` (``edit``, ``submit``, ``review``, ``approve``, ``return``,
    ``clear_secrecy``, ``publish``, ``place``, ``correct``, ``withdraw``) on ``publication``."""
    return STEPS.run(name, actor=actor, record=publication, **params)


# --- 效力 kept by the register that decides it -----------------------------------------------

VALIDITY_FIELDS = ("validity", "repealed_on", "expired_on")


def keep_validity(
    *, actor, publication: Publication, validity: str, on: dt.date | None, decision: str = ""
) -> Publication:
    """Set the 效力 of ``publication`` as a register decided it on ``on`` (``decision`` names the
    deciding document): 已废止 sets 废止日期, 已失效 sets 失效日期, 已修订 and 有效 leave the dates.

    Used by the normative register (gongkai.normative.steps) so that an item published as a
    规范性文件 shows what became of it. One audit row (``publication.validity``) with the
    fields before and after; the item's text is not changed, so no version is kept.
    """
    if not rules.can_keep_publication_validity(actor, publication.agency_id):
        raise PermissionDenied("您无权变更该信息的效力 / you may not change this item's validity")
    if validity not in Validity.values:
        _refuse(f"效力「{str(validity)[:20]}」无效 / unknown validity", "validity")
    with transaction.atomic():
        record = Publication.objects.select_for_update().get(pk=publication.pk)
        before = snapshot(record, VALIDITY_FIELDS)
        record.validity = validity
        if validity == Validity.REPEALED:
            record.repealed_on = on
        elif validity == Validity.EXPIRED:
            record.expired_on = on
        record.save(update_fields=[*VALIDITY_FIELDS, "updated_at"])
        search_index.sync(record)
        audit(
            actor=actor,
            action="publication.validity",
            obj=record,
            label="效力变更",
            before=before,
            after=snapshot(record, VALIDITY_FIELDS),
            note=decision,
        )
    return record


# --- the taxonomies (back office) -----------------------------------------------------------

TAXONOMY_FIELDS = ("code", "name", "sort_order", "active")


def save_taxonomy_entry(*, actor, entry, changed: bool) -> None:
    """Save a 主题分类 or 公开目录 entry from the back office (system admins), audited."""
    if not rules.may_administer(actor):
        raise PermissionDenied("只有系统管理员可以修改分类 / only a system admin may")
    fields = tuple(f for f in (*TAXONOMY_FIELDS, "article", "scope") if hasattr(entry, f))
    before = {}
    if entry.pk is not None:
        before = snapshot(type(entry).objects.get(pk=entry.pk), fields)
    with transaction.atomic():
        entry.full_clean()
        entry.save()
        audit(
            actor=actor,
            action="publications.taxonomy_change" if changed else "publications.taxonomy_add",
            obj=entry,
            label="修改分类" if changed else "新增分类",
            before=before,
            after=snapshot(entry, fields),
        )


def delete_taxonomy_entry(*, actor, entry) -> None:
    """Delete an unused taxonomy entry (one in use is protected by the database), audited."""
    if not rules.may_administer(actor):
        raise PermissionDenied("只有系统管理员可以修改分类 / only a system admin may")
    fields = tuple(f for f in TAXONOMY_FIELDS if hasattr(entry, f))
    with transaction.atomic():
        before = snapshot(entry, fields)
        audit(
            actor=actor,
            action="publications.taxonomy_delete",
            obj=entry,
            label="删除分类",
            before=before,
        )
        entry.delete()
