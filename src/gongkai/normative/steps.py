"""The life of a normative document: drafted, then each step a :class:`~gongkai.records.steps.Step`.

起草 (:func:`draft_document`) → 合法性审核 (``review``) → 集体审议 (``deliberate``) → 公布
(``publish``) → 备案 (``file``) → 修订 (``amend``) / 废止 (``abolish``) / 失效 (``expire``).
Each step is dated and names the document that decided it; a step out of order, a date
before the step it follows, or a 文号 already taken is refused with a message, Chinese first,
and nothing changes. Views, the demo and cleanup batches all run these same steps
(:data:`STEPS`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from gongkai.accounts import rules
from gongkai.auditlog.services import record as audit
from gongkai.auditlog.services import snapshot
from gongkai.normative.models import Amendment, NormativeDocument
from gongkai.publications import services as publications
from gongkai.publications.models import Kind, Publication, Validity
from gongkai.records.steps import Step, StepTable

__all__ = [
    "STEPS",
    "draft_document",
    "find_publication",
    "keep_item_in_step",
    "record_published",
    "validity_end",
]

State = NormativeDocument.State
DENIED = "您无权登记该机关的规范性文件 / you may not keep this agency's normative documents"

STEPS = StepTable()


def _required_text(params: dict[str, Any], name: str, label: str, english: str) -> str:
    value = str(params.get(name) or "").strip()
    if not value:
        raise ValidationError({name: f"请填写{label} / {english} is required"})
    return value


def _required_date(params: dict[str, Any], name: str, label: str, english: str) -> dt.date:
    value = params.get(name)
    if not isinstance(value, dt.date):
        raise ValidationError({name: f"请填写{label} / {english} is required"})
    return value


def _not_before(
    name: str, day: dt.date, earlier: dt.date | None, label: str, earlier_label: str
) -> None:
    if earlier is not None and day < earlier:
        raise ValidationError(
            {
                name: f"{label}（{day}）不能早于{earlier_label}（{earlier}） / "
                f"the date {day} is before the earlier step's date {earlier}"
            }
        )


def validity_end(start: dt.date, years: int) -> dt.date:
    """Return the last day of a 有效期 of ``years`` years starting on ``start``."""
    try:
        anniversary = start.replace(year=start.year + years)
    except ValueError:  # 29 February
        anniversary = start.replace(year=start.year + years, day=28) + dt.timedelta(days=1)
    return anniversary - dt.timedelta(days=1)


def find_publication(index_number: str, document: NormativeDocument) -> Publication:
    """Return the item with 索引号 ``index_number`` that may be linked to ``document``: of the
    same agency, not linked to another document, and with the document's 文号 or none."""
    item = Publication.objects.filter(index_number=index_number).first()
    if item is None:
        raise ValidationError(
            {"index_number": f"没有索引号为「{index_number}」的政府信息 / no item has this 索引号"}
        )
    if item.agency_id != document.agency_id:
        raise ValidationError(
            {
                "index_number": f"索引号「{index_number}」的信息不是{document.agency}发布的 / "
                "the item belongs to another agency"
            }
        )
    taken = NormativeDocument.objects.filter(publication=item).exclude(pk=document.pk)
    if taken.exists():
        raise ValidationError(
            {
                "index_number": f"该信息已关联另一件文件「{taken.first()}」 / "
                "the item is already linked to another document"
            }
        )
    return item


def _check_number(item: Publication, number: str) -> None:
    if item.doc_number and number and item.doc_number != number:
        raise ValidationError(
            {
                "index_number": f"该信息的发文字号为「{item.doc_number}」，与文件文号「{number}」不符 / "
                "the item has another document number"
            }
        )


def _validity_of(document: NormativeDocument) -> tuple[str, dt.date | None, str]:
    """The 效力 a linked item should show for ``document`` (with the date and decision)."""
    if document.state == State.ABOLISHED:
        return Validity.REPEALED, document.ended_on, document.end_ref
    if document.state == State.EXPIRED:
        return Validity.EXPIRED, document.ended_on, document.end_ref
    if document.amended_on is not None:
        return Validity.AMENDED, document.amended_on, ""
    return Validity.IN_FORCE, None, ""


def keep_item_in_step(actor: Any, document: NormativeDocument) -> None:
    """Set the linked item's 效力 from the document's state (inside the step's transaction)."""
    if document.publication_id is None:
        return
    validity, on, decision = _validity_of(document)
    item = document.publication
    if item.validity == validity and (
        on is None
        or (validity == Validity.REPEALED and item.repealed_on == on)
        or (validity == Validity.EXPIRED and item.expired_on == on)
        or validity == Validity.AMENDED
    ):
        return
    publications.keep_validity(
        actor=actor, publication=item, validity=validity, on=on, decision=decision
    )


def draft_document(
    *,
    actor: Any,
    agency: Any,
    kind: str,
    title: str,
    drafted_on: dt.date,
    drafting_unit: str = "",
) -> NormativeDocument:
    """Start a document's record at 起草 (drafting)."""
    agency_id = agency if isinstance(agency, int) else getattr(agency, "pk", None)
    if agency_id is None:
        raise ValidationError({"agency": "请选择机关 / choose an agency"})
    if not rules.can_keep_normative(actor, agency_id):
        raise PermissionDenied(DENIED)
    errors = {}
    if kind not in NormativeDocument.Kind.values:
        errors["kind"] = (
            "类别应为规章或行政规范性文件 / the kind must be a regulation or a normative document"
        )
    if not (title or "").strip():
        errors["title"] = "请填写标题 / the title is required"
    if not isinstance(drafted_on, dt.date):
        errors["drafted_on"] = "请填写起草日期 / the drafting date is required"
    if errors:
        raise ValidationError(errors)
    document = NormativeDocument(
        agency_id=agency_id,
        kind=kind,
        title=title.strip(),
        drafted_on=drafted_on,
        drafting_unit=(drafting_unit or "").strip(),
    )
    document.full_clean()
    with transaction.atomic():
        document.save()
        audit(
            actor=actor,
            action="draft",
            obj=document,
            label="起草",
            after=snapshot(document, ("kind", "title", "state", "drafted_on", "drafting_unit")),
        )
    return document


class DocumentStep(Step):
    """A step of a document's life: who may take it, and which states it follows."""

    allowed = staticmethod(rules.can_keep_normative)
    denied = DENIED
    #: The states the document must be in.
    requires: tuple[str, ...] = ()

    def apply(self, document: NormativeDocument) -> Any:
        if document.state not in self.requires:
            wanted = "、".join(State(state).label for state in self.requires)
            raise ValidationError(
                f"「{self.label}」只能在文件{wanted}时进行，该文件现为{document.get_state_display()} / "
                f"'{self.action}' needs the document in state {', '.join(self.requires)}, "
                f"it is {document.state}"
            )
        return self.change(document)

    def change(self, document: NormativeDocument) -> Any:
        raise NotImplementedError


@STEPS.add
class Review(DocumentStep):
    """合法性审核: the legality review, dated, with the review opinion (审核意见)."""

    action = "review"
    label = "合法性审核"
    requires = (State.DRAFTING,)
    fields = ("state", "review_on", "review_ref")

    def prepare(self) -> None:
        self.on = _required_date(self.params, "on", "合法性审核日期", "the review date")
        self.ref = _required_text(self.params, "ref", "合法性审核意见", "the review opinion")

    def change(self, document: NormativeDocument) -> None:
        _not_before("on", self.on, document.drafted_on, "合法性审核日期", "起草日期")
        document.review_on, document.review_ref, document.state = self.on, self.ref, State.REVIEWED
        document.save(update_fields=["review_on", "review_ref", "state"])


@STEPS.add
class Deliberate(DocumentStep):
    """集体审议: adopted by a collective meeting (常务会议、办公会议), named and dated."""

    action = "deliberate"
    label = "集体审议"
    requires = (State.REVIEWED,)
    fields = ("state", "deliberated_on", "deliberation_ref")

    def prepare(self) -> None:
        self.on = _required_date(self.params, "on", "集体审议日期", "the meeting date")
        self.ref = _required_text(self.params, "ref", "审议会议", "the meeting")

    def change(self, document: NormativeDocument) -> None:
        _not_before("on", self.on, document.review_on, "集体审议日期", "合法性审核日期")
        document.deliberated_on, document.deliberation_ref = self.on, self.ref
        document.state = State.DELIBERATED
        document.save(update_fields=["deliberated_on", "deliberation_ref", "state"])


@STEPS.add
class Publish(DocumentStep):
    """公布: the document itself, with its 文号, 成文日期, 公布日期, 施行日期 and 有效期.

    The 有效期 is the document's own when given; otherwise ``GONGKAI_NORMATIVE_VALIDITY_YEARS``
    years from the 施行日期 where the county's rules set one (0, the default: none — no national
    rule is known, docs/law/ogi-spec.md).
    """

    action = "publish"
    label = "公布"
    requires = (State.DELIBERATED,)
    fields = (
        "state",
        "doc_number",
        "signed_on",
        "published_on",
        "effective_on",
        "expires_on",
        "publication",
    )

    def prepare(self) -> None:
        self.index_number = str(self.params.get("index_number") or "").strip()
        self.create_item = bool(self.params.get("create_publication"))
        if self.index_number and self.create_item:
            raise ValidationError(
                {
                    "index_number": "填写索引号关联已发布的信息，或选择新建政府信息，二者选一 / "
                    "link an item or create one, not both"
                }
            )
        if self.create_item and not rules.can_draft_publication(self.actor, self.record.agency_id):
            raise ValidationError(
                {
                    "create_publication": "您无权为该机关起草政府信息，请由该机关的工作人员发布后"
                    "按索引号关联 / you may not draft this agency's items; link it by 索引号 later"
                }
            )
        self.number = _required_text(self.params, "doc_number", "文号", "the document number")
        self.signed_on = _required_date(self.params, "signed_on", "成文日期", "the signing date")
        self.published_on = _required_date(
            self.params, "published_on", "公布日期", "the publication date"
        )
        effective = self.params.get("effective_on")
        self.effective_on = effective if isinstance(effective, dt.date) else self.published_on
        _not_before("published_on", self.published_on, self.signed_on, "公布日期", "成文日期")
        _not_before("effective_on", self.effective_on, self.published_on, "施行日期", "公布日期")
        expires = self.params.get("expires_on")
        years = settings.GONGKAI_NORMATIVE_VALIDITY_YEARS
        if isinstance(expires, dt.date):
            _not_before("expires_on", expires, self.effective_on, "有效期截止日期", "施行日期")
            self.expires_on = expires
        else:
            self.expires_on = validity_end(self.effective_on, years) if years else None
        taken = NormativeDocument.objects.filter(doc_number=self.number)
        if taken.exclude(pk=self.record.pk).exists():
            raise ValidationError(
                {
                    "doc_number": f"文号「{self.number}」已被另一件文件使用 / "
                    "another document already has this number"
                }
            )

    def change(self, document: NormativeDocument) -> None:
        _not_before(
            "signed_on", self.signed_on, document.deliberated_on, "成文日期", "集体审议日期"
        )
        document.doc_number = self.number
        document.signed_on = self.signed_on
        document.published_on = self.published_on
        document.effective_on = self.effective_on
        document.expires_on = self.expires_on
        document.state = State.PUBLISHED
        if self.index_number:
            item = find_publication(self.index_number, document)
            _check_number(item, self.number)
            document.publication = item
            self.data["publication"] = item.index_number
        try:
            with transaction.atomic():  # a savepoint: another document took the number meanwhile
                document.save()
        except IntegrityError:
            raise ValidationError(
                {
                    "doc_number": f"文号「{self.number}」已被另一件文件使用 / "
                    "another document already has this number"
                }
            ) from None

    def follow_up(self, document: NormativeDocument) -> None:
        if self.create_item:
            # The item goes through the publications flow (公开属性, 保密审查, 发布) from here.
            item = publications.create_draft(
                actor=self.actor,
                agency=document.agency,
                data={
                    "kind": Kind.DOCUMENT,
                    "title": document.title,
                    "doc_number": document.doc_number,
                    "written_on": document.signed_on,
                    "formed_on": document.signed_on,
                    "effective_on": document.effective_on,
                    "category": "a20-01",
                    "is_policy": True,
                    "attribute": "proactive",
                },
            )
            document.publication = item
            document.save(update_fields=["publication"])
        keep_item_in_step(self.actor, document)


@STEPS.add
class LinkPublication(DocumentStep):
    """关联政府信息: link the item (by 索引号) that published a document already recorded."""

    action = "link_publication"
    label = "关联政府信息"
    requires = (State.PUBLISHED, State.ABOLISHED, State.EXPIRED)
    fields = ("publication",)

    def prepare(self) -> None:
        self.index_number = _required_text(
            self.params, "index_number", "索引号", "the item's 索引号"
        )

    def change(self, document: NormativeDocument) -> None:
        item = find_publication(self.index_number, document)
        _check_number(item, document.doc_number)
        document.publication = item
        document.save(update_fields=["publication"])
        self.data["publication"] = item.index_number

    def follow_up(self, document: NormativeDocument) -> None:
        keep_item_in_step(self.actor, document)


@STEPS.add
class File(DocumentStep):
    """备案: filed with the body above (to whom, when, with which report)."""

    action = "file"
    label = "备案"
    requires = (State.PUBLISHED,)
    fields = ("filed_on", "filed_with", "filing_ref")

    def prepare(self) -> None:
        self.on = _required_date(self.params, "on", "备案日期", "the filing date")
        self.to = _required_text(self.params, "filed_with", "备案机关", "the body filed with")
        self.ref = str(self.params.get("ref") or "").strip()

    def change(self, document: NormativeDocument) -> None:
        if document.filed_on is not None:
            raise ValidationError(
                f"该文件已于{document.filed_on}向{document.filed_with}备案 / already filed"
            )
        _not_before("on", self.on, document.published_on, "备案日期", "公布日期")
        document.filed_on, document.filed_with, document.filing_ref = self.on, self.to, self.ref
        document.save(update_fields=["filed_on", "filed_with", "filing_ref"])


class _EndOrAmend(DocumentStep):
    requires = (State.PUBLISHED,)

    def follow_up(self, document: NormativeDocument) -> None:
        keep_item_in_step(self.actor, document)

    def prepare(self) -> None:
        self.on = _required_date(self.params, "on", "决定日期", "the date")
        self.title = _required_text(self.params, "decision_title", "决定标题", "the decision")
        self.number = str(self.params.get("decision_number") or "").strip()
        self.batch = self.params.get("batch")

    def decision(self) -> str:
        return f"{self.title}（{self.number}）" if self.number else self.title

    def check_in_force(self, document: NormativeDocument) -> None:
        _not_before("on", self.on, document.published_on, "决定日期", "公布日期")
        if not document.in_force_on(self.on):
            raise ValidationError(
                {
                    "on": f"该文件在{self.on}已不是现行有效文件（有效期至{document.expires_on}） / "
                    f"the document was no longer in force on {self.on}"
                }
            )


@STEPS.add
class Amend(_EndOrAmend):
    """修订: amended by a decision; it stays in force."""

    action = "amend"
    label = "修订"
    fields = ("amended_on",)

    def change(self, document: NormativeDocument) -> None:
        self.check_in_force(document)
        amendment = Amendment.objects.create(
            document=document,
            amended_on=self.on,
            decision_number=self.number,
            decision_title=self.title,
            summary=str(self.params.get("summary") or "").strip(),
            batch=self.batch,
        )
        document.amended_on = self.on
        document.save(update_fields=["amended_on"])
        self.data = {
            "amendment": amendment.pk,
            "decision": self.decision(),
            "summary": amendment.summary,
            "batch": getattr(self.batch, "pk", None),
        }


class _End(_EndOrAmend):
    to_state: str = ""
    fields = ("state", "ended_on", "end_ref", "end_reason", "ended_by_batch")

    def change(self, document: NormativeDocument) -> None:
        self.check_in_force(document)
        document.state = self.to_state
        document.ended_on = self.on
        document.end_ref = self.decision()
        document.end_reason = str(self.params.get("reason") or "").strip()
        document.ended_by_batch = self.batch
        document.save(
            update_fields=["state", "ended_on", "end_ref", "end_reason", "ended_by_batch"]
        )


@STEPS.add
class Abolish(_End):
    """废止: abolished by a decision from ``on`` (not in force on that day)."""

    action = "abolish"
    label = "废止"
    to_state = State.ABOLISHED


@STEPS.add
class Expire(_End):
    """失效: declared no longer in force (its 有效期 ran out, or its basis lapsed)."""

    action = "expire"
    label = "失效"
    to_state = State.EXPIRED

    def check_in_force(self, document: NormativeDocument) -> None:
        # A document may be declared 失效 after its 有效期 has run out.
        _not_before("on", self.on, document.published_on, "失效日期", "公布日期")


def record_published(
    *,
    actor: Any,
    agency: Any,
    title: str,
    doc_number: str,
    published_on: dt.date,
    kind: str = NormativeDocument.Kind.NORMATIVE,
    drafting_unit: str = "",
    review_ref: str,
    deliberation_ref: str,
    lead_days: tuple[int, int, int] = (40, 20, 7),
    expires_on: dt.date | None = None,
) -> NormativeDocument:
    """Record a document already published, through every step up to 公布 (for an old register
    or the demo): drafted, reviewed and deliberated ``lead_days`` days before publication."""
    drafted, reviewed, deliberated = (published_on - dt.timedelta(days=d) for d in lead_days)
    document = draft_document(
        actor=actor,
        agency=agency,
        kind=kind,
        title=title,
        drafted_on=drafted,
        drafting_unit=drafting_unit,
    )
    STEPS.run("review", actor=actor, record=document, on=reviewed, ref=review_ref)
    STEPS.run("deliberate", actor=actor, record=document, on=deliberated, ref=deliberation_ref)
    return STEPS.run(
        "publish",
        actor=actor,
        record=document,
        doc_number=doc_number,
        signed_on=deliberated,
        published_on=published_on,
        expires_on=expires_on,
    )
