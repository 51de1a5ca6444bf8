"""The 基层政务公开标准目录 (docs/law/ogi-spec.md §5): domains, each agency's catalogue of a
domain, its entries, and the evidence that an entry's information was published."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gongkai.catalogue.columns import CHANNELS, OPTIONAL, PROCESSES, REQUIRED, TICK_GROUPS, Row
from gongkai.records.models import AgencyRecord


class Domain(models.Model):
    """A 试点领域 (pilot domain). The official list of the 26 fields of 国办发〔2019〕54号 was
    not found; the seed is the reconstruction of docs/law/ogi-spec.md §5, editable by staff."""

    name = models.CharField("领域", max_length=60, unique=True)
    sort_order = models.PositiveIntegerField("排序", default=0)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "试点领域"
        verbose_name_plural = "试点领域"
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Catalogue(AgencyRecord):
    """One agency's standard catalogue of one domain (the table it publishes)."""

    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name="编制机关",
        on_delete=models.PROTECT,
        related_name="catalogues",
    )
    domain = models.ForeignKey(
        Domain, verbose_name="领域", on_delete=models.PROTECT, related_name="catalogues"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "标准目录"
        verbose_name_plural = "标准目录"
        ordering = ["agency__sort_order", "domain__sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "domain"], name="catalogue_one_per_domain")
        ]

    def __str__(self) -> str:
        return f"{self.agency.name}{self.domain.name}领域基层政务公开标准目录"

    @property
    def title(self) -> str:
        return str(self)


class Entry(models.Model):
    """One row of a catalogue: a 公开事项 with its standard columns (§5)."""

    catalogue = models.ForeignKey(
        Catalogue, verbose_name="目录", on_delete=models.CASCADE, related_name="entries"
    )
    position = models.PositiveIntegerField("序号")
    process = models.CharField(
        "过程", max_length=4, blank=True, choices=[(p, p) for p in PROCESSES]
    )
    item_l1 = models.CharField("一级事项", max_length=200)
    item_l2 = models.CharField("二级事项", max_length=200, blank=True)
    content = models.TextField("公开内容（要素）")
    basis = models.TextField("公开依据")
    time_limit = models.CharField("公开时限", max_length=300)
    subject = models.CharField("公开主体", max_length=200)
    channels = models.JSONField("公开渠道和载体", default=dict)
    audience_all = models.BooleanField("全社会", default=False)
    audience_specific = models.BooleanField("特定群体", default=False)
    proactive = models.BooleanField("主动", default=False)
    on_request = models.BooleanField("依申请", default=False)
    level_county = models.BooleanField("县级", default=False)
    level_township = models.BooleanField("乡级", default=False)
    level_village = models.BooleanField("村级", default=False)
    # When the information of this item was last formed or changed (条例第二十六条's start):
    # the compliance view counts the time limit from it. Operational, not a catalogue column.
    formed_on = models.DateField("信息形成（变更）日期", null=True, blank=True)

    class Meta:
        verbose_name = "目录事项"
        verbose_name_plural = "目录事项"
        ordering = ["catalogue", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["catalogue", "item_l1", "item_l2"], name="catalogue_entry_unique_item"
            )
        ]

    def __str__(self) -> str:
        return f"{self.item_l1}·{self.item_l2}" if self.item_l2 else self.item_l1

    def _channel_labels(self, mark: str) -> list[str]:
        return [label for code, label in CHANNELS if self.channels.get(code) == mark]

    @property
    def required_channels(self) -> list[str]:
        return self._channel_labels(REQUIRED)

    @property
    def optional_channels(self) -> list[str]:
        return self._channel_labels(OPTIONAL)

    @property
    def ticks(self) -> list[tuple[str, list[str]]]:
        """(group, ticked labels) for 公开对象, 公开方式 and 公开层级."""
        return [
            (group, [label for name, label in subs if getattr(self, name)])
            for group, subs in TICK_GROUPS
        ]

    def as_row(self) -> Row:
        return Row(**{name: getattr(self, name) for name in ROW_FIELDS})


#: The fields of :class:`Entry` that are columns of the published table.
ROW_FIELDS: tuple[str, ...] = tuple(Row.__dataclass_fields__)


class Evidence(models.Model):
    """That an entry's information was published: where (a URL or 索引号) and when.

    Linked to the publications app's item (``publication``) when a clerk picks it by 索引号:
    the compliance view then reads the item's 发布日期. Otherwise a person records the 索引号
    or URL and the date.
    """

    entry = models.ForeignKey(
        Entry, verbose_name="目录事项", on_delete=models.CASCADE, related_name="evidence"
    )
    published_on = models.DateField("公开日期")
    reference = models.CharField("索引号或网址", max_length=300)
    title = models.CharField("标题", max_length=200, blank=True)
    publication = models.ForeignKey(
        "publications.Publication",
        verbose_name="政府信息",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="catalogue_evidence",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "公开佐证"
        verbose_name_plural = "公开佐证"
        ordering = ["-published_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.reference}（{self.published_on}）"

    @property
    def effective_published_on(self):
        """The 发布日期 of the linked item when it has one, else the date recorded."""
        if self.publication_id is not None and self.publication.published_on is not None:
            return self.publication.published_on
        return self.published_on
