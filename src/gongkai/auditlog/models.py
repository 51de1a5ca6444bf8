"""The audit row. Append-only: written by :func:`gongkai.auditlog.services.record` only."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class AuditEntry(models.Model):
    """One change: who (``actor``), when (``at``), to what (the object), what (``action``),
    and the record's fields before and after.

    ``agency`` is the agency whose record changed (None for installation-wide changes such as
    the holiday calendar): it decides who may read the row (docs/audit-log.md). ``actor_name``
    keeps the user name at the time, so the row still says who acted after an account is
    deleted. The row is self-contained — no foreign key is needed to read what happened — so
    a keyed hash chain over rows in ``id`` order makes it tamper-evident: ``seq`` is the row's
    place in the chain and ``chain`` its digest (gongkai.auditlog.chain, docs/audit-log.md).
    """

    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,  # the row outlives the account
    )
    actor_name = models.CharField("操作人账号", max_length=150, blank=True)
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name="机关",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,  # the row outlives the agency
    )
    content_type = models.ForeignKey(
        ContentType,
        verbose_name="对象类型",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
    )
    object_id = models.PositiveBigIntegerField("对象编号", null=True, blank=True)
    record = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField("对象", max_length=200, blank=True)
    action = models.CharField("操作", max_length=48)
    label = models.CharField("操作名称", max_length=64, blank=True)
    before = models.JSONField("变更前", default=dict, blank=True)
    after = models.JSONField("变更后", default=dict, blank=True)
    data = models.JSONField("数据", default=dict, blank=True)
    note = models.TextField("说明", blank=True)
    chain = models.CharField("链式摘要", max_length=64, blank=True, editable=False)
    seq = models.PositiveBigIntegerField(
        "链序号", null=True, blank=True, unique=True, editable=False
    )

    class Meta:
        verbose_name = "操作日志"
        verbose_name_plural = "操作日志"
        ordering = ["at", "pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "at"], name="auditlog_object"),
            models.Index(fields=["agency", "at"], name="auditlog_agency"),
        ]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.at):%Y-%m-%d %H:%M} {self.label or self.action}"

    # A workflow record's state change is kept in before/after like any other field; these
    # read it for timelines.
    @property
    def from_state(self) -> str:
        return str(self.before.get("state", "")) if isinstance(self.before, dict) else ""

    @property
    def to_state(self) -> str:
        return str(self.after.get("state", "")) if isinstance(self.after, dict) else ""


class AuditChainHead(models.Model):
    """The chain's head: one row (pk 1), the last sealed row's ``seq`` and digest.

    Every writer locks it before sealing its row, so the chain has one order under concurrent
    writers, and rows cut off the end are seen (gongkai.auditlog.chain).
    """

    seq = models.PositiveBigIntegerField("链序号", default=0)
    digest = models.CharField("链式摘要", max_length=64, blank=True)
    last_id = models.BigIntegerField("最后一行", null=True, blank=True)

    class Meta:
        verbose_name = "操作日志链头"
        verbose_name_plural = "操作日志链头"

    def __str__(self) -> str:
        return f"seq {self.seq}"
