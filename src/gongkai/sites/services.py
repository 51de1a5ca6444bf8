"""Changing the site cluster, its columns, the 政务新媒体 register and entered visit history.

Every change is audited in the same transaction. Sites, columns and visit history are the
system admin's (rules.may_administer); an agency's 政务新媒体 accounts are kept by whoever
handles or supervises it (rules.can_keep_new_media).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms.models import model_to_dict

from gongkai.accounts import rules
from gongkai.auditlog.services import record as audit
from gongkai.sites.models import UPDATE_DAYS, Column, NewMediaAccount, Site, VisitHistory

ADMIN_ONLY = "只有系统管理员可以设置网站 / only system admins configure the sites"
DENIED_MEDIA = "您无权登记该机关的政务新媒体 / you may not keep this agency's new-media accounts"


def _snapshot(obj) -> dict[str, Any]:
    return {k: (str(v) if v is not None else None) for k, v in model_to_dict(obj).items()}


def _save(obj, *, actor, action: str, label: str):
    """Validate and save ``obj`` with an audit row (before/after) in one transaction."""
    with transaction.atomic():
        before = None
        if obj.pk is not None:
            before = _snapshot(type(obj).objects.select_for_update().get(pk=obj.pk))
        obj.full_clean()
        obj.save()
        audit(
            actor=actor,
            action=action,
            obj=obj,
            label=label if before is None else f"修改{label}",
            before=before,
            after=_snapshot(obj),
        )
    return obj


def save_site(*, actor, site: Site) -> Site:
    """Create or change a site of the cluster."""
    if not rules.may_administer(actor):
        raise PermissionDenied(ADMIN_ONLY)
    return _save(site, actor=actor, action="sites.site", label="网站")


def save_column(*, actor, column: Column) -> Column:
    """Create or change a column; its update window defaults to its kind's (§6.5)."""
    if not rules.may_administer(actor):
        raise PermissionDenied(ADMIN_ONLY)
    if column.pk is None and column.update_days is None:
        column.update_days = UPDATE_DAYS.get(column.kind)
    return _save(column, actor=actor, action="sites.column", label="栏目")


def save_account(*, actor, account: NewMediaAccount) -> NewMediaAccount:
    """Register or change a 政务新媒体 account; closing one sets its status."""
    if not rules.can_keep_new_media(actor, account.agency_id):
        raise PermissionDenied(DENIED_MEDIA)
    if account.closed_on is not None:
        account.status = NewMediaAccount.Status.CLOSED
    return _save(account, actor=actor, action="sites.new_media", label="政务新媒体")


def enter_visit_history(
    *, actor, site: Site, year: int, visits: int, source: str = ""
) -> VisitHistory:
    """Enter (or correct) a site's whole-year visits, e.g. for a year before counting began."""
    if not rules.may_administer(actor):
        raise PermissionDenied(ADMIN_ONLY)
    row = VisitHistory.objects.filter(site=site, year=year).first() or VisitHistory(
        site=site, year=year
    )
    row.visits, row.source = visits, source
    return _save(row, actor=actor, action="sites.visit_history", label="年访问量")


def place_in_column(*, actor, publication, column: Column, placed_on=None):
    """Place a published item in a column of a site of the cluster (one placement per column;
    channel 政府网站 for the main site, 子网站栏目 for a sub-site). Placing twice changes nothing.
    Returns the placement."""
    from gongkai.publications.models import Channel, Placement, State

    if not rules.can_publish(actor, publication.agency_id):
        raise PermissionDenied("您无权发布该机关的信息 / you may not publish for this agency")
    if publication.state != State.PUBLISHED:
        raise ValidationError({"state": "只能放置已发布的信息 / only a published item is placed"})
    channel = Channel.WEBSITE if column.site.kind == Site.Kind.MAIN else Channel.SUBSITE
    with transaction.atomic():
        placement, created = Placement.objects.get_or_create(
            publication=publication,
            channel=channel,
            column=f"{column.site.name}·{column.name}"[:100],
            defaults={"site_column": column, "placed_on": placed_on or publication.published_on},
        )
        if created:
            audit(
                actor=actor,
                action="sites.place",
                obj=publication,
                label=f"放置到栏目「{column}」",
                after={"column": column.pk, "channel": channel},
            )
    return placement
