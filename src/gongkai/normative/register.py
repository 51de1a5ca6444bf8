"""Recording an existing register: documents published before the platform kept them.

A county moving onto the platform (and the demo) brings documents that went through 起草 to
公布 and 备案 long ago. :func:`import_register` records them in one transaction, each with its
dates and documents and one audit row saying it was recorded from the register — all or
nothing: a bad row refuses the whole list with the row's number and field, Chinese first.
Later steps (修订, 废止, 失效, cleanups) are then taken as usual.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from gongkai.accounts import rules
from gongkai.auditlog.services import record as audit
from gongkai.auditlog.services import snapshot
from gongkai.normative.models import NormativeDocument

__all__ = ["RegisterRow", "import_register"]

#: The date fields of a published document, in the order its steps took them.
ORDER = (
    ("drafted_on", "起草日期"),
    ("review_on", "合法性审核日期"),
    ("deliberated_on", "集体审议日期"),
    ("signed_on", "成文日期"),
    ("published_on", "公布日期"),
)
LOGGED = (
    "kind",
    "title",
    "doc_number",
    "state",
    "drafted_on",
    "review_on",
    "review_ref",
    "deliberated_on",
    "deliberation_ref",
    "signed_on",
    "published_on",
    "effective_on",
    "expires_on",
    "filed_on",
    "filed_with",
    "filing_ref",
)


@dataclass
class RegisterRow:
    """One published document of an existing register."""

    agency_id: int
    title: str
    doc_number: str
    drafted_on: dt.date
    review_on: dt.date
    review_ref: str
    deliberated_on: dt.date
    deliberation_ref: str
    signed_on: dt.date
    published_on: dt.date
    kind: str = NormativeDocument.Kind.NORMATIVE
    drafting_unit: str = ""
    effective_on: dt.date | None = None
    expires_on: dt.date | None = None
    filed_on: dt.date | None = None
    filed_with: str = ""
    filing_ref: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _row_errors(row: RegisterRow) -> list[str]:
    errors = []
    if row.kind not in NormativeDocument.Kind.values:
        errors.append("类别应为规章或行政规范性文件 / unknown kind")
    for name, label in (
        ("title", "标题"),
        ("doc_number", "文号"),
        ("review_ref", "合法性审核意见"),
        ("deliberation_ref", "审议会议"),
    ):
        if not str(getattr(row, name) or "").strip():
            errors.append(f"请填写{label} / {name} is required")
    dates = [(getattr(row, name), label) for name, label in ORDER]
    if any(not isinstance(day, dt.date) for day, _ in dates):
        errors.append("请填写起草、审核、审议、成文、公布各日期 / every step's date is required")
        return errors
    for (earlier, earlier_label), (later, later_label) in pairwise(dates):
        if later < earlier:
            errors.append(
                f"{later_label}（{later}）不能早于{earlier_label}（{earlier}） / dates out of order"
            )
    effective = row.effective_on or row.published_on
    if effective < row.published_on:
        errors.append("施行日期不能早于公布日期 / the effective date precedes publication")
    if row.expires_on and row.expires_on < effective:
        errors.append("有效期截止日期不能早于施行日期 / the validity ends before it starts")
    if row.filed_on and (row.filed_on < row.published_on or not row.filed_with.strip()):
        errors.append(
            "备案日期不能早于公布日期，且须写明备案机关 / filing needs a body and a date after publication"
        )
    return errors


def import_register(*, actor: Any, rows: list[RegisterRow]) -> list[NormativeDocument]:
    """Record ``rows``, documents already published, all or none; return them."""
    for agency_id in {row.agency_id for row in rows}:
        if not rules.can_keep_normative(actor, agency_id):
            raise PermissionDenied(
                "您无权登记该机关的规范性文件 / you may not keep this agency's normative documents"
            )
    problems = []
    numbers: dict[str, int] = {}
    for line, row in enumerate(rows, start=1):
        errors = _row_errors(row)
        if row.doc_number in numbers:
            errors.append(
                f"文号与第{numbers[row.doc_number]}行重复 / the number repeats row {numbers[row.doc_number]}"
            )
        numbers.setdefault(row.doc_number, line)
        problems += [f"第{line}行：{error}" for error in errors]
    taken = set(
        NormativeDocument.objects.filter(doc_number__in=list(numbers)).values_list(
            "doc_number", flat=True
        )
    )
    problems += [
        f"第{numbers[n]}行：文号「{n}」已被另一件文件使用 / the number is taken"
        for n in sorted(taken)
    ]
    if problems:
        raise ValidationError(["登记簿未导入 / nothing was recorded:", *problems])
    documents = [
        NormativeDocument(
            agency_id=row.agency_id,
            kind=row.kind,
            title=row.title.strip(),
            doc_number=row.doc_number.strip(),
            state=NormativeDocument.State.PUBLISHED,
            drafted_on=row.drafted_on,
            drafting_unit=row.drafting_unit,
            review_on=row.review_on,
            review_ref=row.review_ref,
            deliberated_on=row.deliberated_on,
            deliberation_ref=row.deliberation_ref,
            signed_on=row.signed_on,
            published_on=row.published_on,
            effective_on=row.effective_on or row.published_on,
            expires_on=row.expires_on,
            filed_on=row.filed_on,
            filed_with=row.filed_with,
            filing_ref=row.filing_ref,
        )
        for row in rows
    ]
    with transaction.atomic():
        created = NormativeDocument.objects.bulk_create(documents)
        for document in created:
            audit(
                actor=actor,
                action="record_published",
                obj=document,
                label="登记已公布文件",
                after=snapshot(document, LOGGED),
            )
    return created
