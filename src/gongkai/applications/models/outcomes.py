"""How an application ends and what it leaves: reply drafts, replies, delivery, files (Arts. 36–40)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gongkai.applications.models.application import Application


class Reply(models.Model):
    """The reply (答复) that ended the application with its disposition (Arts. 35–39)."""

    application = models.OneToOneField(
        Application, verbose_name="申请", on_delete=models.CASCADE, related_name="reply"
    )
    disposition = models.CharField(
        "处理结果", max_length=32, choices=Application.Disposition.choices
    )
    replied_on = models.DateField("答复之日")
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="答复人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    letter = models.ForeignKey(
        "letters.IssuedLetter",
        verbose_name="答复书",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="拟稿人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批签发人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "答复"
        verbose_name_plural = "答复"

    def __str__(self) -> str:
        return f"{self.get_disposition_display()}（{self.replied_on}）"


class ReplyDraft(models.Model):
    """A reply a handler prepared (承办人拟稿), awaiting the approver's sign-off (负责人审核签发).

    At most one per application: a new draft replaces the earlier one. The application's state
    and clock do not change; approving it runs the reply (``services.approvals``).
    """

    class Status(models.TextChoices):
        PENDING = "pending", "待审批"
        RETURNED = "returned", "已退回"

    application = models.OneToOneField(
        Application, verbose_name="申请", on_delete=models.CASCADE, related_name="reply_draft"
    )
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.PENDING)
    disposition = models.CharField(
        "处理结果", max_length=32, choices=Application.Disposition.choices
    )
    letter_context = models.JSONField("答复书填写内容", default=dict, blank=True)
    letter = models.ForeignKey(
        "letters.IssuedLetter",
        verbose_name="答复书草稿",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="拟稿人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    drafted_on = models.DateField("拟稿之日")
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="退回人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    return_note = models.TextField("退回意见", blank=True)

    class Meta:
        verbose_name = "答复草稿"
        verbose_name_plural = "答复草稿"

    def __str__(self) -> str:
        return f"{self.get_disposition_display()}（{self.get_status_display()}）"

    @property
    def pending(self) -> bool:
        return self.status == self.Status.PENDING


class ExtensionRequest(models.Model):
    """A handler's request to extend the reply period (报请延期), awaiting the approver.

    《政府信息公开条例》第三十三条第二款: the extension needs the consent of the head of the
    disclosure office. At most one per application; approving it runs the extension
    (``services.extension_requests``) and deletes the request, returning it keeps it with the
    approver's note.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "待审批"
        RETURNED = "returned", "已退回"

    application = models.OneToOneField(
        Application, verbose_name="申请", on_delete=models.CASCADE, related_name="extension_request"
    )
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.PENDING)
    days = models.PositiveSmallIntegerField("延长工作日数")
    reason = models.TextField("延期理由")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="报请人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_on = models.DateField("报请之日")
    return_note = models.TextField("退回意见", blank=True)

    class Meta:
        verbose_name = "延期申请"
        verbose_name_plural = "延期申请"

    def __str__(self) -> str:
        return f"延期{self.days}个工作日（{self.get_status_display()}）"

    @property
    def pending(self) -> bool:
        return self.status == self.Status.PENDING


class Delivery(models.Model):
    """送达: how and when the reply reached the applicant."""

    class Method(models.TextChoices):
        POST = "post", "邮寄送达"
        EMAIL = "email", "电子邮件送达"
        IN_PERSON = "in_person", "直接送达"
        ONLINE = "online", "网上送达"
        OTHER = "other", "其他方式"

    application = models.ForeignKey(
        Application, verbose_name="申请", on_delete=models.CASCADE, related_name="deliveries"
    )
    method = models.CharField("送达方式", max_length=16, choices=Method.choices)
    delivered_on = models.DateField("送达之日")
    note = models.CharField("备注（如挂号信单号）", max_length=200, blank=True)

    class Meta:
        verbose_name = "送达"
        verbose_name_plural = "送达"
        ordering = ["delivered_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_method_display()}（{self.delivered_on}）"


class Attachment(models.Model):
    """A file given with the application (ID copy, authorisation, supplement)."""

    class Kind(models.TextChoices):
        ID_COPY = "id_copy", "身份证明复印件"
        AUTHORISATION = "authorisation", "授权委托书"
        SUPPLEMENT = "supplement", "补正材料"
        OTHER = "other", "其他材料"

    application = models.ForeignKey(
        Application, verbose_name="申请", on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    file = models.FileField("文件", upload_to="applications/%Y/%m/", max_length=200)
    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("文件类型", max_length=100)
    size = models.PositiveIntegerField("大小（字节）")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.original_name}"
