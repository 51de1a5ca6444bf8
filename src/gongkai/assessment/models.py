"""The open-government assessment (政务公开考核): a scorecard per assessing agency and year."""

from __future__ import annotations

from django.db import models

from gongkai.records.models import AgencyRecord


class Scheme(AgencyRecord):
    """The scorecard an agency (its 政务公开办) assesses the agencies under it by, for a year."""

    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name="考核机关",
        on_delete=models.PROTECT,
        related_name="assessment_schemes",
    )
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("名称", max_length=200)
    assessed = models.ManyToManyField(
        "agencies.Agency", verbose_name="被考核机关", related_name="assessments"
    )

    class Meta:
        verbose_name = "考核方案"
        verbose_name_plural = "考核方案"
        ordering = ["-year", "agency__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="assessment_one_per_year")
        ]

    def __str__(self) -> str:
        return self.title


class Item(models.Model):
    """One column of the scorecard: a measured fact, its label and its weight (points)."""

    class NoData(models.TextChoices):
        FULL = "full", "得满分"
        ZERO = "zero", "得零分"
        EXCLUDE = "exclude", "不计入（总分相应减少）"

    scheme = models.ForeignKey(
        Scheme, verbose_name="考核方案", on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveIntegerField("序号", default=0)
    label = models.CharField("考核项目", max_length=100)
    fact = models.CharField("计分依据", max_length=200)
    weight = models.DecimalField("分值", max_digits=6, decimal_places=2)
    when_no_data = models.CharField(
        "无可计数据时", max_length=8, choices=NoData.choices, default=NoData.EXCLUDE
    )

    class Meta:
        verbose_name = "考核项目"
        verbose_name_plural = "考核项目"
        ordering = ["scheme", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.label}（{self.weight}分）"
