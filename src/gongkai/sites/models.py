"""The site cluster: the main government website and its sub-sites (子网站) per department or
township, their columns (栏目) with the update window monitoring uses (docs/law/ogi-spec.md §6.5),
the 政务新媒体 register, and visit counts (per site, page and day; no personal data).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from gongkai.records.models import AgencyRecord


class Site(AgencyRecord):
    """A government website of the cluster: the main site or a sub-site, owned by ``agency``."""

    class Kind(models.TextChoices):
        MAIN = "main", "政府网站（门户）"
        SUB = "sub", "子网站"

    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name="主办机关",
        on_delete=models.PROTECT,
        related_name="sites",
    )
    kind = models.CharField("类型", max_length=8, choices=Kind.choices, default=Kind.SUB)
    parent = models.ForeignKey(
        "self",
        verbose_name="所属门户网站",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sub_sites",
    )
    name = models.CharField("网站名称", max_length=100)
    slug = models.SlugField("标识", max_length=64, unique=True, help_text="网址中使用的英文标识")
    domain = models.CharField("域名", max_length=200, blank=True, help_text="如 www.cqck.gov.cn")
    opened_on = models.DateField("开通日期", null=True, blank=True)
    closed_on = models.DateField("关停日期", null=True, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "政府网站"
        verbose_name_plural = "政府网站"
        ordering = ["kind", "sort_order", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="main", parent__isnull=True) | Q(kind="sub"),
                name="site_main_has_no_parent",
                violation_error_message="门户网站没有上级网站 / a main site has no parent site",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True)
                | Q(opened_on__isnull=True)
                | Q(closed_on__gte=models.F("opened_on")),
                name="site_closed_after_opened",
                violation_error_message="关停日期不能早于开通日期 / closed before it opened",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def runs_in(self, year: int) -> bool:
        """Whether the site was open at some point of ``year``."""
        opened = self.opened_on is None or self.opened_on.year <= year
        closed = self.closed_on is not None and self.closed_on.year < year
        return opened and not closed


class ColumnKind(models.TextChoices):
    NEWS = "news", "要闻动态"
    NOTICES = "notices", "通知公告"
    POLICY = "policy", "政策文件"
    OGI = "ogi", "政府信息公开"
    INTERACTION = "interaction", "互动交流"
    SERVICE = "service", "办事服务"
    OTHER = "other", "其他"


#: The update window of each column kind in days (docs/law/ogi-spec.md §6.5: news within two
#: weeks, notices and policy within six months); None: no window. Configurable per column.
UPDATE_DAYS: dict[str, int | None] = {
    ColumnKind.NEWS: 14,
    ColumnKind.NOTICES: 183,
    ColumnKind.POLICY: 183,
    ColumnKind.OGI: 183,
    ColumnKind.INTERACTION: None,
    ColumnKind.SERVICE: None,
    ColumnKind.OTHER: None,
}


class Column(models.Model):
    """A 栏目 of a site; publications are placed in it (publications.Placement.site_column)."""

    site = models.ForeignKey(
        Site, verbose_name="网站", on_delete=models.CASCADE, related_name="columns"
    )
    kind = models.CharField("栏目类型", max_length=16, choices=ColumnKind.choices)
    name = models.CharField("栏目名称", max_length=60)
    slug = models.SlugField("标识", max_length=64)
    update_days = models.PositiveIntegerField(
        "更新周期（天）", null=True, blank=True, help_text="监测用：超过此天数未更新视为不更新"
    )
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "栏目"
        verbose_name_plural = "栏目"
        ordering = ["site", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["site", "slug"], name="column_slug_per_site")
        ]

    def __str__(self) -> str:
        return f"{self.site.name}·{self.name}"


class NewMediaAccount(AgencyRecord):
    """A 政务新媒体 account of ``agency``. The date of the last post is entered by staff: the
    platform cannot read those services."""

    class Platform(models.TextChoices):
        WECHAT = "wechat", "微信公众号"
        WEIBO = "weibo", "政务微博"
        DOUYIN = "douyin", "抖音"
        OTHER = "other", "其他平台"

    class Status(models.TextChoices):
        ACTIVE = "active", "运行"
        SUSPENDED = "suspended", "暂停更新"
        CLOSED = "closed", "已关停"

    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name="主办机关",
        on_delete=models.PROTECT,
        related_name="new_media_accounts",
    )
    platform = models.CharField("平台", max_length=16, choices=Platform.choices)
    name = models.CharField("账号名称", max_length=100)
    account_id = models.CharField("账号", max_length=100, blank=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.ACTIVE)
    opened_on = models.DateField("开通日期", null=True, blank=True)
    closed_on = models.DateField("关停日期", null=True, blank=True)
    last_post_on = models.DateField("最近发布日期", null=True, blank=True, help_text="人工填写")

    class Meta:
        verbose_name = "政务新媒体"
        verbose_name_plural = "政务新媒体"
        ordering = ["agency", "platform", "name"]
        constraints = [
            models.UniqueConstraint(fields=["platform", "name"], name="new_media_once"),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True)
                | Q(opened_on__isnull=True)
                | Q(closed_on__gte=models.F("opened_on")),
                name="new_media_closed_after_opened",
                violation_error_message="关停日期不能早于开通日期 / closed before it opened",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()}「{self.name}」"


class DailyVisits(models.Model):
    """Visits to one page of a site on one day: a count, nothing about the visitor."""

    site = models.ForeignKey(Site, verbose_name="网站", on_delete=models.CASCADE, related_name="+")
    path = models.CharField("页面", max_length=200)
    day = models.DateField("日期")
    count = models.PositiveIntegerField("访问量", default=0)

    class Meta:
        verbose_name = "日访问量"
        verbose_name_plural = "日访问量"
        constraints = [
            models.UniqueConstraint(fields=["site", "path", "day"], name="visits_once_per_day")
        ]
        indexes = [models.Index(fields=["site", "day"], name="visits_site_day")]

    def __str__(self) -> str:
        return f"{self.site_id} {self.day} {self.path}: {self.count}"


class VisitHistory(models.Model):
    """A site's whole-year visits entered by staff (years before counting began, or a figure
    from the monitoring service); it replaces the counted days of that year."""

    site = models.ForeignKey(Site, verbose_name="网站", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField("年度")
    visits = models.PositiveBigIntegerField("年访问量")
    source = models.CharField("来源", max_length=200, blank=True)

    class Meta:
        verbose_name = "年访问量（录入）"
        verbose_name_plural = "年访问量（录入）"
        ordering = ["-year", "site"]
        constraints = [models.UniqueConstraint(fields=["site", "year"], name="visit_history_once")]

    def __str__(self) -> str:
        return f"{self.site} {self.year}: {self.visits}"


class PageSite(models.Model):
    """The site a page of the static tree counts its visits for, written when the platform
    stores the page: a visit nginx answers from the tree is read later from its access log
    (gongkai.sites.visit_log), without the view that knew the site."""

    path = models.CharField("页面", max_length=500, unique=True)
    site = models.ForeignKey(Site, verbose_name="网站", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = "静态页面所属网站"
        verbose_name_plural = "静态页面所属网站"

    def __str__(self) -> str:
        return f"{self.path} → {self.site_id}"


class VisitLog(models.Model):
    """How far an access log of the pages nginx answers has been counted: the file (device and
    inode, so a rotated log is told from a new one) and the byte after the last counted line.
    Moved in the same transaction as the counts it adds, so a line is counted once."""

    path = models.CharField("日志文件", max_length=500, unique=True)
    device = models.BigIntegerField("设备号", default=0)
    inode = models.BigIntegerField("索引节点", default=0)
    offset = models.BigIntegerField("已读字节", default=0)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "访问日志读取位置"
        verbose_name_plural = "访问日志读取位置"

    def __str__(self) -> str:
        return f"{self.path} @{self.offset}"
