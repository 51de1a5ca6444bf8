"""The mailbox in the REST API (public, as sites publish these figures):

- ``GET /api/v1/mailboxes`` — the open mailboxes;
- ``GET /api/v1/mailboxes/{slug}/stats?year=YYYY`` — a year's figures
  (:func:`gongkai.mailbox.selectors.mailbox_stats`).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from ninja import Field, Router, Schema

from gongkai.intake.ratelimit import hit
from gongkai.mailbox.models import Mailbox
from gongkai.mailbox.selectors import active_mailboxes, mailbox_stats

router = Router(tags=["公开信箱 mailboxes"])


class MailboxOut(Schema):
    slug: str
    name: str
    kind: str
    agency: str
    reply_days: int = Field(description="答复期限（工作日）")


class CategoryOut(Schema):
    label: str
    received: int
    answered: int


class StatsOut(Schema):
    mailbox: str
    year: int
    received: int = Field(description="受理来信（当年收到）")
    answered: int = Field(description="已答复（含告知其他渠道）")
    answered_on_time: int = Field(description="在信箱答复期限内答复")
    answered_online: int
    answer_rate: float | None = Field(description="答复率 0..1；无来信时为 null")
    average_working_days: float | None
    longest_working_days: int | None
    by_category: dict[str, CategoryOut]


@router.get("", response=list[MailboxOut], auth=None, summary="Open mailboxes")
def list_mailboxes(request):
    return [
        {
            "slug": m.slug,
            "name": m.name,
            "kind": m.kind,
            "agency": m.agency.name,
            "reply_days": m.reply_days,
        }
        for m in active_mailboxes()
    ]


@router.get("/{slug}/stats", response=StatsOut, auth=None, summary="A mailbox's yearly figures")
def stats(request, slug: str, year: int | None = None):
    hit(request, "status")
    mailbox = Mailbox.objects.filter(slug=slug).first()
    if mailbox is None:
        raise Http404("没有该信箱 / no such mailbox")
    year = year or timezone.localdate().year
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": "年份应在2000至2100之间 / year must be 2000-2100"})
    return {"mailbox": mailbox.slug, **mailbox_stats(year=year, mailbox_ids=[mailbox.pk])}
