"""复议/诉讼台账: the review and litigation cases brought over disclosure decisions
(《政府信息公开条例》第五十一条), which table 四 of the annual report counts
(docs/law/ogi-spec.md §2.4, docs/spec/annual-report-json.md ``review_litigation``).

Models hold fields and constraints only; every change is a step of
:mod:`gongkai.appeals.services`.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from gongkai.records.models import AgencyRecord


class Route(models.TextChoices):
    """The three groups of table 四 (the keys of ``review_litigation``)."""

    REVIEW = "review", "行政复议"
    LITIGATION_DIRECT = "litigation_direct", "行政诉讼（未经复议直接起诉）"
    LITIGATION_AFTER_REVIEW = "litigation_after_review", "行政诉讼（复议后起诉）"


class Stage(models.TextChoices):
    FILED = "filed", "已受理（立案）"
    HEARING = "hearing", "审理中"
    FIRST_INSTANCE = "first_instance", "一审"
    SECOND_INSTANCE = "second_instance", "二审"
    RETRIAL = "retrial", "再审"
    CLOSED = "closed", "已审结"


class Result(models.TextChoices):
    """The columns of table 四 (结果维持 · 结果纠正 · 其他结果 · 尚未审结)."""

    UPHELD = "upheld", "维持"
    CORRECTED = "corrected", "纠正"
    OTHER = "other", "其他"
    PENDING = "pending", "尚未审结"


class Case(AgencyRecord):
    """One review or suit against ``agency`` over one application's decision."""

    Route = Route
    Stage = Stage
    Result = Result

    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name="被申请人/被告机关",
        on_delete=models.PROTECT,
        related_name="appeal_cases",
    )
    application = models.ForeignKey(
        "applications.Application",
        verbose_name="所涉申请",
        on_delete=models.PROTECT,
        related_name="appeal_cases",
    )
    decision = models.ForeignKey(
        "applications.Reply",
        verbose_name="被复议/诉讼的答复",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_note = models.CharField(
        "被复议/诉讼的行为", max_length=200, blank=True, help_text="如：逾期未答复"
    )
    route = models.CharField("类型", max_length=24, choices=Route.choices)
    after_review_of = models.ForeignKey(
        "self",
        verbose_name="此前的行政复议",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="suits",
    )
    case_number = models.CharField("案号", max_length=80)
    body = models.CharField("复议机关或法院", max_length=100)
    filed_on = models.DateField("受理（立案）日期")
    stage = models.CharField("阶段", max_length=16, choices=Stage.choices, default=Stage.FILED)
    result = models.CharField("结果", max_length=12, choices=Result.choices, default=Result.PENDING)
    closed_on = models.DateField("审结日期", null=True, blank=True)
    result_note = models.TextField("结果说明", blank=True)

    follow_up_required = models.BooleanField("需整改", default=False)
    follow_up_due = models.DateField("重新答复期限", null=True, blank=True)
    follow_up_done_on = models.DateField("整改完成日期", null=True, blank=True)
    follow_up_note = models.TextField("整改说明", blank=True)

    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "行政复议/诉讼案件"
        verbose_name_plural = "行政复议/诉讼台账"
        ordering = ["-filed_on", "-pk"]
        indexes = [models.Index(fields=["agency", "filed_on"], name="appeal_case_year")]
        constraints = [
            models.UniqueConstraint(fields=["body", "case_number"], name="appeal_case_number"),
            models.CheckConstraint(
                condition=(Q(result="pending") & Q(closed_on__isnull=True))
                | (~Q(result="pending") & Q(closed_on__isnull=False)),
                name="appeal_case_closed_with_result",
            ),
            models.CheckConstraint(
                condition=Q(route="litigation_after_review", after_review_of__isnull=False)
                | (~Q(route="litigation_after_review") & Q(after_review_of__isnull=True)),
                name="appeal_case_after_review_link",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_number}（{self.get_route_display()}）"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None
