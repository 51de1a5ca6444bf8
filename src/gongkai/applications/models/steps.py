"""What happens on the way to a reply: 补正, 征求意见, 延期, 收费 (Arts. 30–33, 109号)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from gongkai.applications.models.application import Application, _choices
from gongkai.law.fees import FeeMethod as CoreFeeMethod


class Correction(models.Model):
    """The one 补正 request of Art. 30 (一次性告知)."""

    application = models.OneToOneField(
        Application, verbose_name="申请", on_delete=models.CASCADE, related_name="correction"
    )
    requested_on = models.DateField("告知补正之日")
    items = models.JSONField("需补正事项", default=list)
    supplement_due = models.DateField("补正期限")
    supplied_on = models.DateField("收到补正材料之日", null=True, blank=True)
    lapsed_on = models.DateField("逾期终止之日", null=True, blank=True)

    class Meta:
        verbose_name = "补正"
        verbose_name_plural = "补正"

    def __str__(self) -> str:
        return f"补正（{self.requested_on}，期限 {self.supplement_due}）"


class Consultation(models.Model):
    """A consultation of a third party (Art. 32) or another agency (Art. 34)."""

    class Kind(models.TextChoices):
        THIRD_PARTY = "third_party", "第三方意见征询"
        AGENCY = "agency", "征求其他机关意见"

    application = models.ForeignKey(
        Application, verbose_name="申请", on_delete=models.CASCADE, related_name="consultations"
    )
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    party = models.CharField("征求意见对象", max_length=100)
    info_summary = models.TextField("涉及的信息", blank=True)
    sent_on = models.DateField("发出之日")
    deadline = models.DateField("答复截止日")
    closed_on = models.DateField("结束之日", null=True, blank=True)
    opinion = models.TextField("意见", blank=True)

    class Meta:
        verbose_name = "征求意见"
        verbose_name_plural = "征求意见"
        ordering = ["sent_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.party}（{self.sent_on}）"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class Extension(models.Model):
    """The one extension of Art. 33(2), approved by the office's head."""

    application = models.OneToOneField(
        Application, verbose_name="申请", on_delete=models.CASCADE, related_name="extension"
    )
    days = models.PositiveSmallIntegerField("延长工作日数")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="批准人", on_delete=models.PROTECT, related_name="+"
    )
    approved_on = models.DateField("批准之日")
    reason = models.TextField("延期理由")
    previous_due = models.DateField(
        "原答复期限", null=True, blank=True, help_text="空：待补充节假日安排后计算"
    )

    class Meta:
        verbose_name = "延期答复"
        verbose_name_plural = "延期答复"
        constraints = [
            models.CheckConstraint(
                condition=Q(days__gte=1, days__lte=20), name="extension_days_1_to_20"
            )
        ]

    def __str__(self) -> str:
        return f"延期{self.days}个工作日（{self.approved_on}）"


class FeeNotice(models.Model):
    """A 信息处理费 notice (国办函〔2020〕109号) and its payment."""

    Method = models.TextChoices("Method", _choices(CoreFeeMethod))

    application = models.OneToOneField(
        Application, verbose_name="申请", on_delete=models.CASCADE, related_name="fee_notice"
    )
    amount = models.DecimalField("金额（元）", max_digits=10, decimal_places=2)
    method = models.CharField("计收方式", max_length=20, choices=Method.choices)
    basis = models.TextField("计算过程")
    issued_on = models.DateField("发出之日")
    received_on = models.DateField("申请人收到之日")
    due_on = models.DateField("缴费期限")
    paid_on = models.DateField("缴费之日", null=True, blank=True)
    lapsed_on = models.DateField("逾期终止之日", null=True, blank=True)

    class Meta:
        verbose_name = "收费通知"
        verbose_name_plural = "收费通知"

    def __str__(self) -> str:
        return f"收费通知 {self.amount}元（{self.issued_on}）"
