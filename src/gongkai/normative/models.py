"""Normative documents, cleanup campaigns and the 第二十条 figures (docs/normative.md).

Models hold fields and constraints only: every change is a step or service of
:mod:`gongkai.normative.steps`, :mod:`gongkai.normative.cleanup` or
:mod:`gongkai.normative.figures`, with its audit row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from gongkai.records.models import AgencyRecord


class NormativeDocument(AgencyRecord):
    """A 规章 or 行政规范性文件 of its agency (《政府信息公开条例》第二十条第（一）项).

    The dates of its life are kept on the row, each with the document that decided it, so
    "in force on a day" is one query over dates (:func:`gongkai.normative.selectors.in_force`):
    published on or before the day, not abolished or expired by then, and not past its
    有效期 (``expires_on``) if it has one.
    """

    class Kind(models.TextChoices):
        REGULATION = "regulation", "规章"
        NORMATIVE = "normative", "行政规范性文件"

    class State(models.TextChoices):
        DRAFTING = "drafting", "起草中"
        REVIEWED = "reviewed", "已合法性审核"
        DELIBERATED = "deliberated", "已集体审议"
        PUBLISHED = "published", "已公布"
        ABOLISHED = "abolished", "已废止"
        EXPIRED = "expired", "已失效"

    kind = models.CharField("类别", max_length=16, choices=Kind.choices, default=Kind.NORMATIVE)
    title = models.CharField("标题", max_length=200)
    doc_number = models.CharField("文号", max_length=64, blank=True)
    state = models.CharField("状态", max_length=16, choices=State.choices, default=State.DRAFTING)
    drafted_on = models.DateField("起草日期")
    drafting_unit = models.CharField("起草单位", max_length=100, blank=True)
    review_on = models.DateField("合法性审核日期", null=True, blank=True)
    review_ref = models.CharField("合法性审核意见", max_length=200, blank=True)
    deliberated_on = models.DateField("集体审议日期", null=True, blank=True)
    deliberation_ref = models.CharField("审议会议", max_length=200, blank=True)
    signed_on = models.DateField("成文日期", null=True, blank=True)
    published_on = models.DateField("公布日期", null=True, blank=True, db_index=True)
    effective_on = models.DateField("施行日期", null=True, blank=True)
    expires_on = models.DateField("有效期至", null=True, blank=True)
    filed_on = models.DateField("备案日期", null=True, blank=True)
    filed_with = models.CharField("备案机关", max_length=100, blank=True)
    filing_ref = models.CharField("备案报告", max_length=200, blank=True)
    amended_on = models.DateField("最近修订日期", null=True, blank=True)
    ended_on = models.DateField("废止或失效日期", null=True, blank=True, db_index=True)
    end_ref = models.CharField("废止或失效决定", max_length=200, blank=True)
    end_reason = models.CharField("废止或失效理由", max_length=200, blank=True)
    ended_by_batch = models.ForeignKey(
        "normative.CleanupBatch",
        verbose_name="清理批次",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ended_documents",
    )
    publication = models.OneToOneField(
        "publications.Publication",
        verbose_name="公开的政府信息",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="normative_document",
        help_text="文件公布后的政府信息（索引号），其效力随本登记的废止、失效、修订而变更",
    )

    class Meta:
        verbose_name = "规范性文件"
        verbose_name_plural = "规范性文件"
        ordering = ["-published_on", "-drafted_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["doc_number"],
                condition=~Q(doc_number=""),
                name="normative_doc_number_unique",
                violation_error_message="该文号已被另一件文件使用 / another document has this number",
            ),
        ]
        indexes = [models.Index(fields=["agency", "published_on"], name="normative_agency_pub")]

    def __str__(self) -> str:
        return f"{self.title}（{self.doc_number}）" if self.doc_number else self.title

    def in_force_on(self, day) -> bool:
        """Return whether the document was in force on ``day`` (the rule of ``selectors.in_force``)."""
        return (
            self.published_on is not None
            and self.published_on <= day
            and (self.ended_on is None or self.ended_on > day)
            and (self.expires_on is None or self.expires_on >= day)
        )


class Amendment(models.Model):
    """One 修订 of a document in force: it stays in force, amended by ``decision_number``."""

    document = models.ForeignKey(
        NormativeDocument, verbose_name="文件", on_delete=models.CASCADE, related_name="amendments"
    )
    amended_on = models.DateField("修订日期")
    decision_number = models.CharField("修订决定文号", max_length=64, blank=True)
    decision_title = models.CharField("修订决定", max_length=200)
    summary = models.CharField("修订内容", max_length=300, blank=True)
    batch = models.ForeignKey(
        "normative.CleanupBatch",
        verbose_name="清理批次",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="amendments",
    )

    class Meta:
        verbose_name = "修订"
        verbose_name_plural = "修订"
        ordering = ["amended_on", "pk"]

    def __str__(self) -> str:
        return f"{self.amended_on} {self.decision_title}"


class CleanupCampaign(AgencyRecord):
    """A 清理 of documents in force: each is reviewed, then kept, amended or abolished."""

    class State(models.TextChoices):
        OPEN = "open", "进行中"
        CLOSED = "closed", "已结束"

    title = models.CharField("名称", max_length=200)
    basis = models.CharField("依据", max_length=200, blank=True)
    started_on = models.DateField("开始日期")
    state = models.CharField("状态", max_length=8, choices=State.choices, default=State.OPEN)
    closed_on = models.DateField("结束日期", null=True, blank=True)

    class Meta:
        verbose_name = "清理"
        verbose_name_plural = "清理"
        ordering = ["-started_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class CampaignReview(models.Model):
    """One document under review in a campaign, and what became of it."""

    class Verdict(models.TextChoices):
        PENDING = "pending", "待定"
        KEEP = "keep", "继续有效"
        AMEND = "amend", "修订"
        ABOLISH = "abolish", "废止"

    campaign = models.ForeignKey(
        CleanupCampaign, verbose_name="清理", on_delete=models.CASCADE, related_name="reviews"
    )
    document = models.ForeignKey(
        NormativeDocument, verbose_name="文件", on_delete=models.PROTECT, related_name="reviews"
    )
    verdict = models.CharField(
        "结论", max_length=8, choices=Verdict.choices, default=Verdict.PENDING
    )
    batch = models.ForeignKey(
        "normative.CleanupBatch",
        verbose_name="批次",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviews",
    )

    class Meta:
        verbose_name = "清理审查"
        verbose_name_plural = "清理审查"
        ordering = ["campaign", "document__published_on", "document_id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "document"], name="normative_review_once")
        ]

    def __str__(self) -> str:
        return f"{self.document}：{self.get_verdict_display()}"


class CleanupBatch(AgencyRecord):
    """One batch of a campaign: documents abolished or amended by one decision document."""

    class Action(models.TextChoices):
        ABOLISH = "abolish", "废止"
        AMEND = "amend", "修订"

    campaign = models.ForeignKey(
        CleanupCampaign, verbose_name="清理", on_delete=models.PROTECT, related_name="batches"
    )
    number = models.PositiveSmallIntegerField("批次")
    action = models.CharField("处理", max_length=8, choices=Action.choices)
    decided_on = models.DateField("决定日期")
    decision_number = models.CharField("决定文号", max_length=64, blank=True)
    decision_title = models.CharField("决定标题", max_length=200)

    class Meta:
        verbose_name = "清理批次"
        verbose_name_plural = "清理批次"
        ordering = ["campaign", "number"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="normative_batch_number")
        ]

    def __str__(self) -> str:
        return f"第{self.number}批：{self.decision_title}"


class Article20Figure(AgencyRecord):
    """One agency's figures for one item of 《政府信息公开条例》第二十条 in one year.

    The columns of both report formats (docs/law/ogi-spec.md §2.2, §3.2): ``prior_items``
    上一年项目数量, ``change`` 本年增/减 and ``decisions`` 处理决定数量 (2019), the same
    ``decisions`` as 本年处理决定数量 (2021); ``projects`` 采购项目数量 and ``amount`` 采购总金额
    (政府集中采购) or 本年收费金额 (行政事业性收费, 2021), in 万元. ``source`` says where the
    figures came from (entered by whom, or which imported file).
    """

    class Item(models.TextChoices):
        LICENSING = "licensing", "行政许可"
        OTHER_SERVICES = "other_services", "其他对外管理服务事项"
        PENALTY = "penalty", "行政处罚"
        ENFORCEMENT = "enforcement", "行政强制"
        FEES = "fees", "行政事业性收费"
        PROCUREMENT = "procurement", "政府集中采购"

    year = models.PositiveSmallIntegerField("年度")
    item = models.CharField("事项", max_length=16, choices=Item.choices)
    prior_items = models.PositiveIntegerField("上一年项目数量", null=True, blank=True)
    change = models.IntegerField("本年增/减", null=True, blank=True)
    decisions = models.PositiveIntegerField("处理决定数量", null=True, blank=True)
    projects = models.PositiveIntegerField("采购项目数量", null=True, blank=True)
    amount = models.DecimalField(
        "金额（万元）", max_digits=14, decimal_places=4, null=True, blank=True
    )
    source = models.CharField("来源", max_length=300)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    imported_from = models.ForeignKey(
        "normative.FigureImport",
        verbose_name="导入文件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="figures",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "第二十条统计"
        verbose_name_plural = "第二十条统计"
        ordering = ["agency", "-year", "item"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "item"], name="normative_figure_once")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_item_display()}"


class FigureImport(AgencyRecord):
    """An XLSX or CSV file of 第二十条 figures, kept as the source of what it brought in."""

    file = models.FileField("文件", upload_to="normative/figures/%Y/")
    file_name = models.CharField("文件名", max_length=200)
    sha256 = models.CharField("SHA-256", max_length=64)
    rows = models.PositiveIntegerField("行数", default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="导入人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    imported_at = models.DateTimeField("导入时间", auto_now_add=True)

    class Meta:
        verbose_name = "第二十条统计导入"
        verbose_name_plural = "第二十条统计导入"
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return self.file_name
