"""A monitoring run and what it found.

A :class:`Finding` is the output of a run, not a record an agency keeps, so it does not subclass
``AgencyRecord``: ``agency`` is the agency whose record or page has the problem (null for a
page of the portal itself), and it decides who sees the finding (gongkai.accounts.rules).
"""

from __future__ import annotations

from django.db import models


class Severity(models.TextChoices):
    VETO = "veto", "单项否决"
    DEDUCTION = "deduction", "扣分"


class Run(models.Model):
    """One run of every registered check, as of a day."""

    started_at = models.DateTimeField("开始时间", auto_now_add=True)
    as_of = models.DateField("检查日期")
    site = models.CharField("网站", max_length=60, blank=True)
    actor = models.CharField("发起", max_length=150)
    unavailable = models.JSONField("未能执行的检查", default=list)
    pages_crawled = models.PositiveIntegerField("检查页面数", default=0)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = verbose_name_plural = "自查运行"

    def __str__(self) -> str:
        return f"{self.as_of} #{self.pk}"


class Finding(models.Model):
    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="findings")
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name="机关",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="monitoring_findings",
    )
    kind = models.CharField("检查项", max_length=40, db_index=True)
    severity = models.CharField("性质", max_length=12, choices=Severity.choices)
    key = models.CharField("标识", max_length=200)
    where = models.CharField("位置", max_length=300)
    where_url = models.CharField("页面", max_length=500, blank=True)
    fix_url = models.CharField("整改入口", max_length=500, blank=True)
    message = models.TextField("问题")

    class Meta:
        ordering = ["run", "severity", "kind", "pk"]  # "deduction" < "veto": views reorder
        verbose_name = verbose_name_plural = "自查发现"
        constraints = [
            models.UniqueConstraint(fields=["run", "key"], name="monitoring_finding_once_per_run")
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.where}"

    @property
    def is_veto(self) -> bool:
        return self.severity == Severity.VETO
