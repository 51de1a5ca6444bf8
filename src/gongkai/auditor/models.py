"""Published annual reports read and checked in the back office (the auditor, 年报审核).

A supervising office checks its departments' reports (《政府信息公开条例》第五十条 requires them
by 1 March; 第四十九条 the county office compiles them), so one upload (:class:`AuditBatch`)
often holds hundreds of files; each becomes an :class:`AuditedReport` holding the parsed
document of docs/spec/annual-report-json.md.
"""

from __future__ import annotations

import json
from decimal import Decimal

from django.conf import settings
from django.db import models


class DocumentEncoder(json.JSONEncoder):
    """Money cells are ``Decimal`` in the pure core; JSON has only numbers."""

    def default(self, o):
        if isinstance(o, Decimal):
            return int(o) if o == o.to_integral_value() and "." not in str(o) else float(o)
        return super().default(o)


class DocumentDecoder(json.JSONDecoder):
    """Read decimals back as ``Decimal`` so money prints as written and sums exactly."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("parse_float", Decimal)
        super().__init__(*args, **kwargs)


class AuditBatch(models.Model):
    """One upload: many files (or one pasted text) sent together by one person."""

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        on_delete=models.PROTECT,
        related_name="audit_batches",
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    label = models.CharField("说明", max_length=200, blank=True)
    refused = models.JSONField("未接收的文件", default=list, blank=True)

    class Meta:
        verbose_name = "审核批次"
        verbose_name_plural = "审核批次"
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return f"第{self.pk}批（{self.uploaded_at:%Y-%m-%d %H:%M}）"


class AuditedReport(models.Model):
    """One published report as read: the stored file, the document, and counts for the list."""

    class Status(models.TextChoices):
        PENDING = "pending", "排队中"
        READ = "read", "已读取"
        UNREADABLE = "unreadable", "无法读取"

    batch = models.ForeignKey(
        AuditBatch, verbose_name="批次", on_delete=models.CASCADE, related_name="reports"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        on_delete=models.PROTECT,
        related_name="audited_reports",
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    original_name = models.CharField("原文件名", max_length=255)
    file = models.FileField("文件", upload_to="audits/%Y/%m/", max_length=255)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name="与之相同的文件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField("状态", max_length=12, choices=Status, default=Status.PENDING)
    reason = models.TextField("无法读取的原因", blank=True)
    document = models.JSONField(
        "报告文档", null=True, blank=True, encoder=DocumentEncoder, decoder=DocumentDecoder
    )
    agency = models.CharField("机关", max_length=200, blank=True, db_index=True)
    year = models.PositiveSmallIntegerField("年度", null=True, blank=True, db_index=True)
    format = models.CharField("格式", max_length=8, blank=True)
    error_count = models.PositiveIntegerField("错误", default=0)
    warning_count = models.PositiveIntegerField("提示", default=0)
    audited_at = models.DateTimeField("审核时间", null=True, blank=True)

    class Meta:
        verbose_name = "已审核年报"
        verbose_name_plural = "已审核年报"
        ordering = ["-uploaded_at", "-pk"]
        indexes = [models.Index(fields=["uploaded_by", "-uploaded_at"])]

    def __str__(self) -> str:
        if self.agency and self.year:
            return f"{self.agency}{self.year}年度报告"
        return self.original_name
