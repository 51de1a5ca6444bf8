"""The registry of checks: one function per indicator of docs/law/ogi-spec.md §6.5.

Each :class:`Check` says what it looks for (``kind``), how serious a failure is (``severity``:
单项否决 where §6.5 lists the item as a single veto, otherwise a deduction item, whose point
value §6.5 says was not found), what part of the spec it rests on, and whether it needs the
site models (``gongkai.sites``). A check is a function ``check(ctx) -> Iterable[Found]``.

A check that cannot run here (the site models are not installed) is reported by the run as
unavailable, with the reason: it is never counted as passed.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlsplit

from django.apps import apps
from django.db.models import Exists, OuterRef
from django.urls import reverse

from gongkai.law.identifiers import is_valid_resident_id, mask_id_number, mask_phone
from gongkai.monitoring.conf import conf
from gongkai.monitoring.crawl import LinkChecker, crawl, links_in
from gongkai.monitoring.models import Severity


@dataclass(frozen=True)
class Found:
    """One problem: ``key`` identifies it across runs (the same problem has the same key)."""

    key: str
    where: str
    message: str
    agency_id: int | None = None
    where_url: str = ""
    fix_url: str = ""
    severity: str = ""  # "" = the check's own


@dataclass
class Context:
    as_of: date
    site: str = ""
    external: bool = False
    checker: LinkChecker | None = None
    pages_crawled: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def since(self) -> date:
        """The first day of the monitored period (§6.5: the year before monitoring)."""
        return self.as_of - timedelta(days=conf("LOOKBACK_DAYS"))


@dataclass(frozen=True)
class Check:
    kind: str
    title: str
    severity: str
    spec: str
    run: Callable[[Context], Iterable[Found]]
    needs_sites: bool = False

    def effective_severity(self) -> str:
        return conf("SEVERITY").get(self.kind, self.severity)


def months_before(day: date, months: int) -> date:
    """The same day ``months`` months earlier (the month's last day when it is shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


# ---------------------------------------------------------------------------- content checks


def unanswered_letters(ctx: Context) -> Iterator[Found]:
    """§6.5 互动回应差: letters received in the year before monitoring and still unanswered more
    than three months after they arrived."""
    from gongkai.mailbox.models import Letter

    cutoff = months_before(ctx.as_of, conf("UNANSWERED_MONTHS"))
    letters = (
        Letter.objects.exclude(state__in=[Letter.State.ANSWERED, Letter.State.REDIRECTED])
        .filter(received_on__lt=cutoff, received_on__gte=ctx.since)
        .select_related("mailbox")
        .order_by("received_on", "pk")
    )
    for letter in letters:
        yield Found(
            key=f"letter:{letter.pk}",
            where=f"{letter.mailbox.name}「{letter.subject}」（{letter.reference}）",
            message=f"{letter.received_on} 受理，超过{conf('UNANSWERED_MONTHS')}个月未答复",
            agency_id=letter.agency_id,
            fix_url=reverse("mailbox:letter", args=[letter.pk]),
        )


def _published():
    from gongkai.publications.models import Publication, State

    return Publication.objects.filter(state=State.PUBLISHED)


def _publication_found(pub, *, key: str, message: str, part: str = "") -> Found:
    from gongkai.publications.selectors import publication_url

    return Found(
        key=key,
        where=f"主动公开「{pub.title}」{part}",
        message=message,
        agency_id=pub.agency_id,
        where_url=publication_url(pub) or "",
        fix_url=reverse("publications:detail", args=[pub.pk]),
    )


def policies_without_interpretation(ctx: Context) -> Iterator[Found]:
    """Policy documents published in the monitored period that no published 政策解读 explains."""
    from gongkai.publications.models import Kind, Publication, State

    explained = Publication.objects.filter(
        kind=Kind.INTERPRETATION, state=State.PUBLISHED, explains=OuterRef("pk")
    )
    last = ctx.as_of - timedelta(days=conf("INTERPRETATION_GRACE_DAYS"))
    policies = (
        _published()
        .filter(is_policy=True, published_on__gte=ctx.since, published_on__lte=last)
        .exclude(kind=Kind.INTERPRETATION)
        .filter(~Exists(explained))
        .order_by("published_on", "pk")
    )
    for pub in policies:
        yield _publication_found(
            pub, key=f"policy:{pub.pk}", message=f"{pub.published_on} 发布的政策文件没有政策解读"
        )


def late_items(ctx: Context) -> Iterator[Found]:
    """Items published in the monitored period later than 条例第二十六条 allows (the publications
    app stores the working days late, docs/law/ogi-spec.md §1.2)."""
    items = _published().filter(
        days_late__gt=0, published_on__gte=ctx.since, published_on__lte=ctx.as_of
    )
    for pub in items.order_by("published_on", "pk"):
        yield _publication_found(
            pub,
            key=f"late:{pub.pk}",
            message=(
                f"{pub.formed_on} 形成，{pub.published_on} 公开，"
                f"超过20个工作日的时限 {pub.days_late} 个工作日"
            ),
        )


#: 18-character resident IDs (or the old 15 digits) and mobile numbers, standing alone.
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![\d*])(?:\+?86[\s-]?)?(1[3-9]\d(?:[\s-]?\d{4}){2})(?![\d*])")


def personal_numbers(text: str) -> list[tuple[str, str]]:
    """Return ``(what, masked)`` for each unmasked resident ID number (checksum, region and
    birth date valid, so dates and serial numbers are not taken for one) and mobile number in
    ``text``. Landlines are offices' published contact numbers and are not flagged."""
    found: list[tuple[str, str]] = []
    for match in _ID_NUMBER.finditer(text or ""):
        number = match.group(0)
        if is_valid_resident_id(number):
            found.append(("身份证号", mask_id_number(number)))
    for match in _MOBILE.finditer(text or ""):
        digits = re.sub(r"\D", "", match.group(1))
        found.append(("手机号码", mask_phone(digits)))
    return found


def unmasked_personal_data(ctx: Context) -> Iterator[Found]:
    """Unmasked ID and mobile numbers in published items' bodies and attachments' text
    (《政府信息公开条例》第十五条, personal privacy)."""
    from gongkai.publications.models import Attachment, Publication

    # Plain values: every published item's body is read and few hold a number; a model
    # instance for each of the demo's 51,000 was about 40 % of this check's time.
    bodies = _published().order_by("pk").values_list("pk", "title", "agency_id", "body")
    for pk, title, agency_id, body in bodies.iterator():
        for what, masked in dict.fromkeys(personal_numbers(body)):
            digest = hashlib.sha256(masked.encode()).hexdigest()[:12]
            yield _publication_found(
                Publication(pk=pk, title=title, agency_id=agency_id),
                key=f"pii:{pk}:body:{digest}",
                part="正文",
                message=f"正文含未遮盖的{what}（{masked}）",
            )
    attachments = (
        Attachment.objects.filter(publication__in=_published())
        .select_related("publication")
        .order_by("pk")
    )
    for att in attachments.iterator():
        for what, masked in dict.fromkeys(personal_numbers(att.text)):
            digest = hashlib.sha256(masked.encode()).hexdigest()[:12]
            yield _publication_found(
                att.publication,
                key=f"pii:{att.publication_id}:att{att.pk}:{digest}",
                part=f"附件「{att.name}」",
                message=f"附件含未遮盖的{what}（{masked}）",
            )


def overdue_catalogue_entries(ctx: Context) -> Iterator[Found]:
    """Catalogue entries whose time limit has passed without a publication (the catalogue's
    compliance view, docs/law/ogi-spec.md §5)."""
    from gongkai.catalogue.models import Catalogue
    from gongkai.catalogue.selectors import Status, standings
    from gongkai.holidays.services import load_calendar

    agency_ids = Catalogue.objects.values_list("agency_id", flat=True).distinct()
    for standing in standings(agency_ids, as_of=ctx.as_of, calendar=load_calendar()):
        if standing.status != Status.OVERDUE:
            continue
        entry = standing.entry
        yield Found(
            key=f"catalogue:{entry.pk}",
            where=(f"标准目录「{entry.catalogue.domain.name}」{entry.item_l1}／{entry.item_l2}"),
            message=standing.explanation,
            agency_id=entry.catalogue.agency_id,
            fix_url=reverse("catalogue:staff_detail", args=[entry.catalogue_id]),
        )


def _missing_files() -> list:
    """Attachments of published items whose file is gone from storage."""
    from gongkai.publications.models import Attachment

    attachments = Attachment.objects.filter(publication__in=_published()).select_related(
        "publication"
    )
    return [
        att
        for att in attachments.order_by("pk").iterator()
        if not att.file or not att.file.storage.exists(att.file.name)
    ]


def _attachment_url(att) -> str:
    from django.urls import NoReverseMatch

    try:
        return reverse("sites:attachment", args=[att.publication_id, att.pk])
    except NoReverseMatch:
        return ""


def dead_links(ctx: Context) -> Iterator[Found]:
    """链接可用性: dead links in the bodies of published items and on the public pages (crawled
    from ``CRAWL_START``); external ones only when enabled. A dead link in an item's body is
    reported once, on the item (where it is fixed), not again on the item's portal page; a link
    to an attachment whose file is gone is reported once, as a missing attachment."""
    from gongkai.publications.selectors import publication_url

    checker = ctx.checker or LinkChecker(external=ctx.external)
    missing = {_attachment_url(att) for att in _missing_files()} - {""}
    in_bodies: set[tuple[str, str]] = set()
    body_found: list[Found] = []
    for pub in _published().exclude(body="").only("pk", "title", "body", "agency_id").iterator():
        for target in dict.fromkeys(links_in(pub.body)):
            reason = checker.problem(target)
            if reason:
                page = publication_url(pub)
                if page:
                    in_bodies.add((page, target))
                body_found.append(
                    _publication_found(
                        pub,
                        key=f"link:pub:{pub.pk}:{target}"[:200],
                        part="正文",
                        message=f"链接 {target} 无法打开（{reason}）",
                    )
                )
    pages = 0
    for item in crawl(checker, start=list(conf("CRAWL_START")), max_pages=conf("CRAWL_MAX_PAGES")):
        if isinstance(item, int):
            pages = item
            continue
        if (item.page, item.target) in in_bodies or urlsplit(item.target).path in missing:
            continue
        yield Found(
            key=f"link:page:{item.page}:{item.target}"[:200],
            where=f"页面 {item.page}",
            message=f"链接 {item.target} 无法打开（{item.reason}）",
            where_url=item.page,
            fix_url=item.page,
        )
    ctx.pages_crawled = pages
    for url in conf("EXTERNAL_URLS") if ctx.external else ():
        reason = checker.problem(url)
        if reason:
            yield Found(
                key=f"link:external:{url}"[:200],
                where=f"外部网址 {url}",
                message=f"无法打开（{reason}）",
                where_url=url,
            )
    yield from body_found


def missing_attachments(ctx: Context) -> Iterator[Found]:
    """Attachments of published items whose file is gone from storage."""
    for att in _missing_files():
        yield _publication_found(
            att.publication,
            key=f"attachment:{att.pk}",
            part=f"附件「{att.name}」",
            message="附件文件不存在，无法下载",
        )


GUIDE_TITLE = "政府信息公开指南"


def outdated_guides(ctx: Context) -> Iterator[Found]:
    """A 政府信息公开指南 older than the agency's contact data (条例第十二条: the guide gives the
    工作机构's name, address, hours, phone, fax and internet contact, and is kept up to date).

    The guide's date is the later of the date its page states (the 工作机构 record's
    ``updated_on``, gongkai.guide) and the publication day of the agency's newest published item
    titled 「…政府信息公开指南」, where it publishes one; the contact data's date is the day it
    last changed (``contact_changed_on``, kept when the record is saved)."""
    if not apps.is_installed("gongkai.guide"):
        raise Unavailable(GUIDE_MISSING)
    from django.db.models import Max

    from gongkai.guide.models import DisclosureOffice

    published = dict(
        _published()
        .filter(title__contains=GUIDE_TITLE, published_on__lte=ctx.as_of)
        .values("agency_id")
        .annotate(last=Max("published_on"))
        .values_list("agency_id", "last")
    )
    offices = (
        DisclosureOffice.objects.filter(contact_changed_on__isnull=False)
        .select_related("agency")
        .order_by("agency__sort_order", "pk")
    )
    for office in offices:
        guide_on = max(d for d in (office.updated_on, published.get(office.agency_id)) if d)
        if office.contact_changed_on > guide_on:
            yield Found(
                key=f"guide:{office.pk}",
                where=f"{office.agency.name}{GUIDE_TITLE}",
                message=(
                    f"指南更新于 {guide_on}，联系信息 {office.contact_changed_on} 已变更，"
                    "指南未随之更新"
                ),
                agency_id=office.agency_id,
                where_url=_guide_url(office.agency),
                fix_url=_admin_url("guide_disclosureoffice", office.pk),
            )


def _guide_url(agency) -> str:
    from django.urls import NoReverseMatch

    try:
        return reverse("sites:ogi_guide", args=[agency.slug])
    except NoReverseMatch:
        return ""


# ------------------------------------------------------------------------------- site checks

SITES_MISSING = (
    "网站与栏目模型（gongkai.sites）尚未安装，此项未检查 / the site models are not installed"
)


GUIDE_MISSING = "政府信息公开工作机构模型（gongkai.guide）尚未安装，此项未检查 / the guide models are not installed"


class Unavailable(Exception):
    """A check that cannot run here; the message says why."""


def sites_installed() -> bool:
    return apps.is_installed("gongkai.sites")


def _open_sites(ctx: Context):
    if not sites_installed():
        raise Unavailable(SITES_MISSING)
    from django.db.models import Q

    from gongkai.sites.models import Site

    sites = Site.objects.filter(Q(opened_on__isnull=True) | Q(opened_on__lte=ctx.as_of)).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=ctx.as_of)
    )
    if ctx.site:
        sites = sites.filter(slug=ctx.site)
    return sites.order_by("sort_order", "pk")


def _admin_url(name: str, pk: int) -> str:
    from django.urls import NoReverseMatch

    try:
        return reverse(f"admin:{name}_change", args=[pk])
    except NoReverseMatch:
        return ""


def _last_placed(ctx: Context):
    """column id -> the day of its newest item up to ``as_of``."""
    from django.db.models import Max

    from gongkai.publications.models import Placement

    rows = (
        Placement.objects.filter(
            site_column__isnull=False, placed_on__lte=ctx.as_of, publication__state="published"
        )
        .values("site_column_id")
        .annotate(last=Max("placed_on"))
    )
    return {row["site_column_id"]: row["last"] for row in rows}


def home_page_stale(ctx: Context) -> Iterator[Found]:
    """§6.5 首页不更新: a site none of whose columns got a new item in the last 2 weeks."""
    last = _last_placed(ctx)
    since = ctx.as_of - timedelta(days=conf("HOME_PAGE_DAYS"))
    for site in _open_sites(ctx).prefetch_related("columns"):
        newest = max((last[c.pk] for c in site.columns.all() if c.pk in last), default=None)
        if newest is None or newest <= since:
            when = f"最近一条信息 {newest}" if newest else "没有任何信息"
            yield Found(
                key=f"site:{site.pk}",
                where=f"网站「{site.name}」首页",
                message=f"{conf('HOME_PAGE_DAYS')}天内首页无新信息（{when}）",
                agency_id=site.agency_id,
                fix_url=reverse("publications:index"),
            )


def _window(column) -> int | None:
    from gongkai.sites.models import UPDATE_DAYS, ColumnKind

    if column.update_days:
        return column.update_days
    if column.kind == ColumnKind.NEWS:
        return conf("NEWS_COLUMN_DAYS")
    if column.kind in (ColumnKind.NOTICES, ColumnKind.POLICY):
        return round(conf("NOTICE_COLUMN_MONTHS") * 30.5)
    return UPDATE_DAYS.get(column.kind)


def _columns(ctx: Context, *, empty: bool) -> list[Found]:
    last = _last_placed(ctx)
    found = []
    for site in _open_sites(ctx).prefetch_related("columns"):
        for column in site.columns.all():
            window = _window(column)
            if window is None:  # interaction and service columns hold no items
                continue
            newest = last.get(column.pk)
            if empty and newest is None:
                message = "空白栏目：没有任何信息"
            elif not empty and newest is not None and newest <= ctx.as_of - timedelta(window):
                message = f"超过{window}天未更新（最近一条 {newest}）"
            else:
                continue
            found.append(
                Found(
                    key=f"column:{column.pk}",
                    where=f"网站「{site.name}」栏目「{column.name}」",
                    message=message,
                    agency_id=site.agency_id,
                    fix_url=_admin_url("sites_column", column.pk),
                )
            )
    return found


def _with_veto_total(found: list[Found], *, limit: int, kind: str, what: str) -> Iterator[Found]:
    """Yield each column, then, per agency with ``limit`` or more, one single-veto finding
    (§6.5: five or more stale or empty columns make a site unqualified)."""
    yield from found
    per_agency: dict[int | None, list[Found]] = {}
    for item in found:
        per_agency.setdefault(item.agency_id, []).append(item)
    for agency_id, items in per_agency.items():
        if len(items) >= limit:
            yield Found(
                key=f"veto:{kind}:{agency_id}",
                where=f"{what}共{len(items)}个",
                message=f"{what}达到{limit}个及以上，属单项否决",
                severity=Severity.VETO,
                agency_id=agency_id,
                fix_url=items[0].fix_url,
            )


def stale_columns(ctx: Context) -> Iterator[Found]:
    """§6.5 栏目不更新: columns with nothing new within their window."""
    found = _columns(ctx, empty=False)
    yield from _with_veto_total(
        found, limit=conf("STALE_COLUMNS_VETO"), kind="stale", what="未按期更新的栏目"
    )


def empty_columns(ctx: Context) -> Iterator[Found]:
    """§6.5 栏目不更新: empty columns."""
    found = _columns(ctx, empty=True)
    yield from _with_veto_total(
        found, limit=conf("EMPTY_COLUMNS_VETO"), kind="empty", what="空白栏目"
    )


def silent_new_media(ctx: Context) -> Iterator[Found]:
    """New-media accounts with no post for 2 weeks (the 政务新媒体 veto items were not found,
    §6.5: the severity is a setting)."""
    if not sites_installed():
        raise Unavailable(SITES_MISSING)
    from gongkai.sites.models import NewMediaAccount

    days = conf("NEW_MEDIA_SILENT_DAYS")
    accounts = NewMediaAccount.objects.filter(status=NewMediaAccount.Status.ACTIVE).order_by(
        "agency_id", "pk"
    )
    for account in accounts:
        if account.last_post_on is None or account.last_post_on <= ctx.as_of - timedelta(days):
            when = f"最近发布 {account.last_post_on}" if account.last_post_on else "没有发布记录"
            yield Found(
                key=f"account:{account.pk}",
                where=str(account),
                message=f"{days}天内未更新（{when}）",
                agency_id=account.agency_id,
                fix_url=_admin_url("sites_newmediaaccount", account.pk),
            )


CHECKS: tuple[Check, ...] = (
    Check(
        "unanswered_letter",
        "信箱来信超过3个月未答复",
        Severity.VETO,
        "§6.5 互动回应差",
        unanswered_letters,
    ),
    Check(
        "home_page_stale",
        "首页两周无新信息",
        Severity.VETO,
        "§6.5 首页不更新",
        home_page_stale,
        needs_sites=True,
    ),
    Check(
        "column_stale",
        "栏目未按期更新",
        Severity.DEDUCTION,
        "§6.5 栏目不更新（5个及以上为单项否决）",
        stale_columns,
        needs_sites=True,
    ),
    Check(
        "column_empty",
        "空白栏目",
        Severity.DEDUCTION,
        "§6.5 栏目不更新（空白栏目5个及以上为单项否决）",
        empty_columns,
        needs_sites=True,
    ),
    Check(
        "new_media_silent",
        "政务新媒体两周未更新",
        Severity.DEDUCTION,
        "§6.5（政务新媒体单项否决指标未找到，性质可配置）",
        silent_new_media,
        needs_sites=True,
    ),
    Check("dead_link", "链接无法打开", Severity.DEDUCTION, "§6.5 链接可用性", dead_links),
    Check(
        "missing_attachment",
        "附件缺失",
        Severity.DEDUCTION,
        "§6.5 链接可用性",
        missing_attachments,
    ),
    Check(
        "unmasked_personal_data",
        "未遮盖的身份证号或手机号码",
        Severity.DEDUCTION,
        "条例第十五条；§6.5 未列为单项否决",
        unmasked_personal_data,
    ),
    Check(
        "policy_without_interpretation",
        "政策文件没有解读",
        Severity.DEDUCTION,
        "§6.5 互动回应（解读回应）",
        policies_without_interpretation,
    ),
    Check("late_item", "信息超期公开", Severity.DEDUCTION, "条例第二十六条；§1.2", late_items),
    Check(
        "guide_outdated",
        "指南早于联系信息",
        Severity.DEDUCTION,
        "条例第十二条；§6.5（扣分值未找到）",
        outdated_guides,
    ),
    Check(
        "catalogue_overdue",
        "标准目录事项逾期未公开",
        Severity.DEDUCTION,
        "§5 公开时限",
        overdue_catalogue_entries,
    ),
)

BY_KIND = {check.kind: check for check in CHECKS}
