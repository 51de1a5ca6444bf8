"""Cleanup campaigns (清理): review documents in force, then abolish or amend them in batches.

A campaign is a record of the agency that runs it. Documents are put under review; each
batch is one decision document (决定) that abolishes or amends a set of them — every document
through the same :mod:`gongkai.normative.steps` as a single abolition, so each has its own
audit row naming the batch. Closing the campaign keeps the rest in force (继续有效). A batch
is all or nothing: one document that cannot be abolished stops the whole batch.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max

from gongkai.accounts import rules
from gongkai.auditlog.services import record as audit
from gongkai.auditlog.services import snapshot
from gongkai.normative.models import (
    CampaignReview,
    CleanupBatch,
    CleanupCampaign,
    NormativeDocument,
)
from gongkai.normative.steps import STEPS

__all__ = ["close_campaign", "decide_batch", "open_campaign", "put_under_review"]

DENIED = "您无权管理该机关的规范性文件清理 / you may not run this agency's cleanup"
Verdict = CampaignReview.Verdict


def _allowed(actor: Any, agency_id: int) -> None:
    if not rules.can_keep_normative(actor, agency_id):
        raise PermissionDenied(DENIED)


def open_campaign(
    *, actor: Any, agency: Any, title: str, started_on: dt.date, basis: str = ""
) -> CleanupCampaign:
    """Open a cleanup campaign of ``agency``."""
    agency_id = agency if isinstance(agency, int) else agency.pk
    _allowed(actor, agency_id)
    errors = {}
    if not (title or "").strip():
        errors["title"] = "请填写清理名称 / the campaign needs a title"
    if not isinstance(started_on, dt.date):
        errors["started_on"] = "请填写开始日期 / the start date is required"
    if errors:
        raise ValidationError(errors)
    campaign = CleanupCampaign(
        agency_id=agency_id, title=title.strip(), basis=(basis or "").strip(), started_on=started_on
    )
    with transaction.atomic():
        campaign.save()
        audit(
            actor=actor,
            action="open_campaign",
            obj=campaign,
            label="开始清理",
            after=snapshot(campaign, ("title", "basis", "started_on", "state")),
        )
    return campaign


def _locked_open(campaign: CleanupCampaign) -> CleanupCampaign:
    locked = CleanupCampaign.objects.select_for_update().get(pk=campaign.pk)
    if locked.state != CleanupCampaign.State.OPEN:
        raise ValidationError(f"清理「{locked.title}」已结束 / the campaign is closed")
    return locked


def put_under_review(
    *, actor: Any, campaign: CleanupCampaign, documents: Iterable[NormativeDocument]
) -> int:
    """Put ``documents`` (in force when the campaign started) under review; return how many
    were added (those already under review are left as they are)."""
    _allowed(actor, campaign.agency_id)
    wanted = {doc.pk: doc for doc in documents}
    if not wanted:
        raise ValidationError({"documents": "请选择要清理的文件 / choose documents to review"})
    refused = [
        str(doc)
        for doc in wanted.values()
        if not doc.in_force_on(campaign.started_on)
        or not rules.can_keep_normative(actor, doc.agency_id)
    ]
    if refused:
        raise ValidationError(
            {
                "documents": "以下文件在清理开始时不是现行有效文件，或不属于您管理的机关："
                f"{'；'.join(refused)} / these documents were not in force when the campaign "
                "started, or are not yours to keep"
            }
        )
    with transaction.atomic():
        _locked_open(campaign)
        present = set(
            CampaignReview.objects.filter(campaign=campaign, document_id__in=wanted).values_list(
                "document_id", flat=True
            )
        )
        added = [pk for pk in wanted if pk not in present]
        CampaignReview.objects.bulk_create(
            [CampaignReview(campaign=campaign, document_id=pk) for pk in added]
        )
        audit(
            actor=actor,
            action="review_documents",
            obj=campaign,
            label="列入清理",
            data={"documents": sorted(added)},
        )
    return len(added)


def decide_batch(
    *,
    actor: Any,
    campaign: CleanupCampaign,
    action: str,
    documents: Iterable[NormativeDocument],
    decided_on: dt.date,
    decision_title: str,
    decision_number: str = "",
    reason: str = "",
) -> CleanupBatch:
    """Abolish or amend ``documents`` under review by one decision (a batch), all or nothing."""
    _allowed(actor, campaign.agency_id)
    errors = {}
    if action not in CleanupBatch.Action.values:
        errors["action"] = "处理方式应为废止或修订 / the action must be abolish or amend"
    if not isinstance(decided_on, dt.date):
        errors["decided_on"] = "请填写决定日期 / the decision date is required"
    if not (decision_title or "").strip():
        errors["decision_title"] = "请填写决定标题 / the decision's title is required"
    chosen = list(documents)
    if not chosen:
        errors["documents"] = "请选择本批处理的文件 / choose the documents of this batch"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _locked_open(campaign)
        if decided_on < locked.started_on:
            raise ValidationError(
                {
                    "decided_on": f"决定日期（{decided_on}）不能早于清理开始日期（{locked.started_on}） / "
                    "the decision cannot precede the campaign"
                }
            )
        reviews = {
            review.document_id: review
            for review in CampaignReview.objects.select_for_update().filter(
                campaign=locked, document_id__in=[doc.pk for doc in chosen]
            )
        }
        stray = [str(doc) for doc in chosen if doc.pk not in reviews]
        decided = [str(doc) for doc in chosen if doc.pk in reviews and reviews[doc.pk].batch_id]
        if stray or decided:
            raise ValidationError(
                {
                    "documents": "以下文件未列入本次清理或已在其他批次处理："
                    f"{'；'.join(stray + decided)} / these documents are not under review "
                    "or are already in a batch"
                }
            )
        number = (locked.batches.aggregate(n=Max("number"))["n"] or 0) + 1
        batch = CleanupBatch.objects.create(
            agency_id=locked.agency_id,
            campaign=locked,
            number=number,
            action=action,
            decided_on=decided_on,
            decision_number=(decision_number or "").strip(),
            decision_title=decision_title.strip(),
        )
        audit(
            actor=actor,
            action="cleanup_batch",
            obj=batch,
            label=f"清理第{number}批（{batch.get_action_display()}）",
            after=snapshot(batch, ("number", "action", "decided_on", "decision_number")),
            data={"campaign": locked.pk, "documents": [doc.pk for doc in chosen]},
        )
        step = "abolish" if action == CleanupBatch.Action.ABOLISH else "amend"
        for doc in chosen:
            try:
                STEPS.run(
                    step,
                    actor=actor,
                    record=doc,
                    on=decided_on,
                    decision_title=batch.decision_title,
                    decision_number=batch.decision_number,
                    reason=reason,
                    summary=reason,
                    batch=batch,
                )
            except ValidationError as error:
                raise ValidationError(
                    {"documents": f"「{doc}」：{'；'.join(error.messages)}"}
                ) from None
            review = reviews[doc.pk]
            review.verdict = Verdict.ABOLISH if step == "abolish" else Verdict.AMEND
            review.batch = batch
            review.save(update_fields=["verdict", "batch"])
    return batch


def close_campaign(*, actor: Any, campaign: CleanupCampaign, closed_on: dt.date) -> int:
    """Close the campaign: documents still pending stay in force (继续有效). Return how many."""
    _allowed(actor, campaign.agency_id)
    if not isinstance(closed_on, dt.date):
        raise ValidationError({"closed_on": "请填写结束日期 / the closing date is required"})
    with transaction.atomic():
        locked = _locked_open(campaign)
        if closed_on < locked.started_on:
            raise ValidationError(
                {"closed_on": "结束日期不能早于开始日期 / the campaign cannot end before it starts"}
            )
        kept = CampaignReview.objects.filter(campaign=locked, verdict=Verdict.PENDING).update(
            verdict=Verdict.KEEP
        )
        before = snapshot(locked, ("state", "closed_on"))
        locked.state, locked.closed_on = CleanupCampaign.State.CLOSED, closed_on
        locked.save(update_fields=["state", "closed_on"])
        audit(
            actor=actor,
            action="close_campaign",
            obj=locked,
            label="结束清理",
            before=before,
            after=snapshot(locked, ("state", "closed_on")),
            data={"kept": kept},
        )
    campaign.refresh_from_db()
    return kept
