"""An agency's annual report as a record: its texts, its state, and once published its frozen
figures (《政府信息公开条例》第四十九条、第五十条)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from gongkai.auditor.models import DocumentDecoder, DocumentEncoder
from gongkai.records.models import AgencyRecord


class AnnualReport(AgencyRecord):
    """One version of one subject's report for one year.

    ``agency`` is the agency the report belongs to (a reporting unit's first agency); ``unit``
    is set when the report is a reporting unit's. A draft has no ``document``: its figures are
    computed from the records whenever it is shown. Publishing stores the whole document
    (tables, texts, findings) and never changes it again; a correction is a new version with
    its ``reason``, the earlier one kept. A report ``read`` from a published file (an agency
    that keeps no records here) has ``origin`` = read and its file.
    """

    class State(models.TextChoices):
        DRAFT = "draft", "草稿"
        CHECKED = "checked", "已审核"
        APPROVED = "approved", "已批准"
        PUBLISHED = "published", "已发布"

    class Origin(models.TextChoices):
        COMPUTED = "computed", "由记录生成"
        READ = "read", "读取已公开的报告"

    unit = models.ForeignKey(
        "agencies.ReportingUnit",
        verbose_name="年报主体",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="annual_reports",
    )
    year = models.PositiveSmallIntegerField("年度")
    version = models.PositiveSmallIntegerField("版本", default=1)
    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.DRAFT)
    origin = models.CharField(
        "来源", max_length=12, choices=Origin.choices, default=Origin.COMPUTED
    )
    sections = models.JSONField("正文", default=dict, blank=True)
    findings = models.JSONField("审核发现的问题", default=list, blank=True)
    acknowledgements = models.JSONField("警告的确认说明", default=dict, blank=True)
    document = models.JSONField(
        "发布时的报告",
        null=True,
        blank=True,
        encoder=DocumentEncoder,
        decoder=DocumentDecoder,
    )
    reason = models.TextField("更正理由", blank=True)
    file = models.FileField("报告文件", upload_to="annual-reports/%Y/", blank=True, max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    checked_at = models.DateTimeField("审核时间", null=True, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)

    class Meta:
        verbose_name = "政府信息公开工作年度报告"
        verbose_name_plural = "政府信息公开工作年度报告"
        ordering = ["-year", "agency__sort_order", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "version"],
                condition=Q(unit=None),
                name="annualreport_agency_year_version",
            ),
            models.UniqueConstraint(
                fields=["unit", "year", "version"],
                condition=~Q(unit=None),
                name="annualreport_unit_year_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject_name}{self.year}年政府信息公开工作年度报告（第{self.version}版）"

    @property
    def subject_name(self) -> str:
        return self.unit.name if self.unit_id else self.agency.name

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED
