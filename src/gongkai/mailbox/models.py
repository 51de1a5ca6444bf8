"""公开信箱: mailboxes (县长信箱, 部门信箱) and the letters written to them.

Models hold fields, constraints and trivial properties only; every change is a step of
:mod:`gongkai.mailbox.services`. A letter is a record of the agency that must answer it now
(``agency``: the mailbox's agency until it is transferred to a department), so the platform's
rules decide who may see and handle it; ``mailbox.agency`` keeps who runs the mailbox.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from gongkai.intake import codes
from gongkai.intake.codes import TRACKING_CODE_LENGTH
from gongkai.law.identifiers import mask_name
from gongkai.records.models import AgencyRecord

#: Working days to answer a letter unless a mailbox says otherwise. The national interaction
#: deadlines are not in docs/law/ogi-spec.md (§9, "not found"), so this is local policy:
#: set per mailbox in the back office.
DEFAULT_REPLY_DAYS = 15
#: A letter is "due soon" on the workbench this many working days before its due date.
DEFAULT_REMIND_DAYS = 3


class Mailbox(AgencyRecord):
    """A public mailbox of a leader or an agency, run by ``agency``'s staff."""

    class Kind(models.TextChoices):
        LEADER = "leader", "领导信箱"
        AGENCY = "agency", "部门信箱"

    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name="管理机关",
        on_delete=models.PROTECT,
        related_name="mailboxes",
    )
    slug = models.SlugField("标识", max_length=60, unique=True)
    name = models.CharField("名称", max_length=60)
    kind = models.CharField("类型", max_length=12, choices=Kind.choices, default=Kind.AGENCY)
    description = models.TextField("说明", blank=True)
    reply_days = models.PositiveSmallIntegerField(
        "答复期限（工作日）",
        default=DEFAULT_REPLY_DAYS,
        help_text="自收信之日起的工作日数（地方规定，可调整）",
    )
    remind_days = models.PositiveSmallIntegerField(
        "到期提醒（工作日）", default=DEFAULT_REMIND_DAYS
    )
    active = models.BooleanField("开放收信", default=True)
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "公开信箱"
        verbose_name_plural = "公开信箱"
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.name


class Category(models.TextChoices):
    """How a letter is sorted (分类)."""

    CONSULTATION = "consultation", "咨询"
    SUGGESTION = "suggestion", "建议"
    COMPLAINT = "complaint", "投诉"
    HELP = "help", "求助"
    OTHER = "other", "其他"


class Letter(AgencyRecord):
    """One letter to a mailbox, from its receipt to its reply and publication."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", "待分办"
        ASSIGNED = "assigned", "办理中"
        DRAFTED = "drafted", "答复待审核"
        ANSWERED = "answered", "已答复"
        REDIRECTED = "redirected", "已告知其他渠道"

    class Notify(models.TextChoices):
        NONE = "none", "不需要"
        EMAIL = "email", "电子邮件"
        SMS = "sms", "短信"

    class ReplyChannel(models.TextChoices):
        ONLINE = "online", "网上答复"
        PHONE = "phone", "电话答复"
        POST = "post", "书面答复"

    class Redirect(models.TextChoices):
        APPLICATION = "application", "政府信息公开申请"
        PETITION = "petition", "信访事项"
        COMPLAINT = "complaint", "投诉举报"
        OTHER = "other", "其他渠道"

    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name="办理机关",
        on_delete=models.PROTECT,
        related_name="mailbox_letters",
    )
    mailbox = models.ForeignKey(
        Mailbox, verbose_name="信箱", on_delete=models.PROTECT, related_name="letters"
    )
    tracking_code = models.CharField("查询码", max_length=TRACKING_CODE_LENGTH, unique=True)
    reference = models.CharField("信件编号", max_length=80)
    reference_year = models.PositiveSmallIntegerField("编号年度")
    reference_serial = models.PositiveIntegerField("编号序号")
    idempotency_key = models.CharField("防重复提交标识", max_length=64, blank=True)

    writer_name = models.CharField("姓名", max_length=50)
    phone = models.CharField("联系电话", max_length=32)
    email = models.EmailField("电子邮箱", blank=True)
    address = models.CharField("联系地址", max_length=200, blank=True)
    category = models.CharField("类别", max_length=16, choices=Category.choices)
    subject = models.CharField("标题", max_length=100)
    body = models.TextField("内容")
    consent_to_publish = models.BooleanField("同意公开", default=False)
    notify_by = models.CharField("答复通知方式", max_length=8, choices=Notify.choices)

    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.SUBMITTED)
    submitted_at = models.DateTimeField("提交时间")
    received_on = models.DateField("受理日期")
    due_on = models.DateField("答复期限", null=True, blank=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="承办人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    draft = models.TextField("答复草稿", blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="拟稿人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reply = models.TextField("答复内容", blank=True)
    reply_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name="答复部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reply_channel = models.CharField(
        "答复方式", max_length=8, choices=ReplyChannel.choices, blank=True
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_on = models.DateField("答复日期", null=True, blank=True)
    #: Working days from receipt to the reply (computed when answered, from the calendar).
    working_days = models.PositiveSmallIntegerField("办理用时（工作日）", null=True, blank=True)
    on_time = models.BooleanField("按期答复", null=True, blank=True)
    redirect_kind = models.CharField(
        "告知渠道", max_length=12, choices=Redirect.choices, blank=True
    )
    application = models.OneToOneField(
        "applications.Application",
        verbose_name="转为的公开申请",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mailbox_letter",
    )

    published = models.BooleanField("已公开", default=False)
    published_at = models.DateTimeField("公开时间", null=True, blank=True)
    public_subject = models.CharField("公开标题", max_length=100, blank=True)
    public_body = models.TextField("公开来信内容", blank=True)
    public_reply = models.TextField("公开答复内容", blank=True)

    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "来信"
        verbose_name_plural = "来信"
        ordering = ["-received_on", "-pk"]
        indexes = [
            models.Index(fields=["mailbox", "received_on"], name="letter_mailbox_year"),
            models.Index(fields=["agency", "state", "due_on"], name="letter_workbench"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["mailbox", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="letter_idempotency_unique",
            ),
            models.UniqueConstraint(
                fields=["mailbox", "reference_year", "reference_serial"],
                name="letter_reference_unique",
            ),
            models.CheckConstraint(
                condition=Q(published=False) | Q(consent_to_publish=True),
                name="letter_published_with_consent",
            ),
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True) | Q(state__in=["answered", "redirected"]),
                name="letter_answered_on_when_closed",
            ),
        ]

    def __str__(self) -> str:
        # Never the phone or full name: __str__ ends up in logs and admin lists.
        return f"{self.reference} {mask_name(self.writer_name)}"

    @property
    def is_open(self) -> bool:
        return self.state in (self.State.SUBMITTED, self.State.ASSIGNED, self.State.DRAFTED)

    @property
    def tracking_code_display(self) -> str:
        return codes.display(self.tracking_code)

    @property
    def masked_name(self) -> str:
        return mask_name(self.writer_name)
