"""依申请公开: an application and everything that happens to it (《政府信息公开条例》第二十七条至第四十五条).

Models hold fields, constraints and trivial properties only. Every change goes through
:mod:`gongkai.applications.services`, which checks the transition with ``gongkai.law.workflow``,
writes a row of the platform audit log (``Application.events``) in the same transaction and recomputes the due date.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.validators import validate_email
from django.db import models
from django.db.models import Q

from gongkai.intake import codes
from gongkai.intake.codes import TRACKING_CODE_LENGTH
from gongkai.law.applicants import ApplicantKind as CoreApplicantKind
from gongkai.law.applicants import Channel as CoreChannel
from gongkai.law.dispositions import Disposition as CoreDisposition
from gongkai.law.identifiers import mask_id_number, mask_name, mask_phone
from gongkai.law.workflow import OPEN_STATES
from gongkai.law.workflow import State as CoreState
from gongkai.personaldata.fields import EncryptedTextField, LookupHashField
from gongkai.records.models import AgencyRecord


def choices_from(enum) -> list[tuple[str, str]]:
    return [(member.name, (member.value, member.label_zh)) for member in enum]


#: The applicant column of table 三 (values are the report column keys; labels from the core).
ApplicantKind = models.TextChoices("ApplicantKind", choices_from(CoreApplicantKind))


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", "居民身份证"
    PASSPORT = "passport", "护照"
    HK_MACAO_TAIWAN = "hmt_permit", "港澳台居民居住证/通行证"
    OTHER = "other", "其他有效身份证件"


class FormWanted(models.TextChoices):
    """The form the applicant wants the information in (《条例》第二十九条第二款第（三）项)."""

    PAPER = "paper", "纸质"
    ELECTRONIC = "electronic", "电子"
    ANY = "any", "不限"


class DeliveryMethod(models.TextChoices):
    """How the applicant wants to receive it (获取信息的方式)."""

    POST = "post", "邮寄"
    EMAIL = "email", "电子邮件"
    COLLECT = "collect", "当面领取"
    ON_SITE = "on_site", "现场查阅"


class Application(AgencyRecord):
    """One application for disclosure, at one agency.

    ``received_on`` is the Art. 31 receipt day; None while an online (or post, fax, e-mail)
    submission waits for confirmation (state ``registered``). ``due_on`` is None while the
    clock is stopped (correction pending) or not started, and while the holiday arrangement of a
    year it needs is missing (``provisional_due_on`` then holds an estimate). ``clock_basis`` holds what the due
    date was computed from, so it can be recomputed and explained.
    """

    Channel = models.TextChoices("Channel", choices_from(CoreChannel))
    State = models.TextChoices("State", choices_from(CoreState))
    Disposition = models.TextChoices("Disposition", choices_from(CoreDisposition))
    ApplicantKind = ApplicantKind
    IdType = IdType
    FormWanted = FormWanted
    DeliveryMethod = DeliveryMethod

    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name="受理机关",
        on_delete=models.PROTECT,
        related_name="applications",
    )
    tracking_code = models.CharField("查询码", max_length=TRACKING_CODE_LENGTH, unique=True)
    reference = models.CharField("申请编号", max_length=80, blank=True)
    reference_year = models.PositiveSmallIntegerField("编号年度")
    reference_serial = models.PositiveIntegerField("编号序号")
    channel = models.CharField("申请方式", max_length=20, choices=Channel.choices)
    submitted_at = models.DateTimeField("提交时间")
    received_on = models.DateField("收到申请之日", null=True, blank=True)
    state = models.CharField("状态", max_length=24, choices=State.choices)

    applicant_kind = models.CharField("申请人类型", max_length=20, choices=ApplicantKind.choices)
    applicant_name = models.CharField("申请人姓名/名称", max_length=100)
    id_type = models.CharField("证件类型", max_length=16, choices=IdType.choices, blank=True)
    # Personal data encrypted at rest (gongkai.personaldata; docs/security.md): the columns hold
    # ciphertext, the model plain text. Repeat applicants are found by the keyed hash beside
    # the ID number, never by the number itself.
    id_number = EncryptedTextField("证件号码", plain_max_length=32, blank=True)
    id_number_hash = LookupHashField("证件号码查询散列", source="id_number", purpose="id_number")
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    representative = models.CharField("法定代表人/负责人", max_length=64, blank=True)
    contact_name = models.CharField("联系人", max_length=64, blank=True)
    phone = EncryptedTextField("联系电话", plain_max_length=32, blank=True)
    email = EncryptedTextField(
        "电子邮箱", plain_max_length=254, blank=True, validators=[validate_email]
    )
    address = EncryptedTextField("通信地址", plain_max_length=200, blank=True)
    postcode = models.CharField("邮政编码", max_length=6, blank=True)

    description = models.TextField("所需政府信息的名称、文号或者特征性描述")
    form_wanted = models.CharField(
        "信息的载体形式", max_length=12, choices=FormWanted.choices, default=FormWanted.ANY
    )
    delivery_method = models.CharField(
        "获取信息的方式", max_length=12, choices=DeliveryMethod.choices, default=DeliveryMethod.POST
    )
    purpose = models.TextField("用途（选填）", blank=True)
    idempotency_key = models.CharField("防重复提交标识", max_length=64, blank=True)
    repeat_flags = models.JSONField("疑似重复申请", default=list, blank=True)

    due_on = models.DateField("答复期限", null=True, blank=True)
    # While a year's holiday arrangement is missing, due_on stays None (nothing legal is decided
    # on a guess) and this holds the estimate from the statute (gongkai.law.statutory), shown
    # as 「暂定」 on the workbench and the status page and recomputed when the year is imported.
    provisional_due_on = models.DateField("暂定答复期限", null=True, blank=True)
    clock_basis = models.JSONField("期限计算依据", default=dict, blank=True)
    clock_explanation = models.TextField("期限计算说明", blank=True)

    disposition = models.CharField(
        "处理结果", max_length=32, choices=Disposition.choices, blank=True, default=""
    )
    closed_on = models.DateField("办结日期", null=True, blank=True)
    # Set when the retention period erased the applicant's personal data (services.retention).
    personal_data_erased_on = models.DateField("个人信息删除日期", null=True, blank=True)
    transfer_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name="转送机关",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    transferred_from = models.ForeignKey(
        "self",
        verbose_name="转自",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfers",
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="承办人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handled_applications",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "政府信息公开申请"
        verbose_name_plural = "政府信息公开申请"
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["agency", "state", "due_on"], name="application_workbench"),
            models.Index(fields=["id_number_hash"], name="application_id_number_hash"),
            models.Index(fields=["credit_code"], name="application_credit_code"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="application_idempotency_unique",
            ),
            models.UniqueConstraint(
                fields=["agency", "reference_year", "reference_serial"],
                name="application_reference_unique",
            ),
            models.CheckConstraint(
                condition=Q(disposition="", closed_on__isnull=True)
                | (~Q(disposition="") & Q(closed_on__isnull=False)),
                name="application_disposition_with_closed_on",
            ),
        ]

    def __str__(self) -> str:
        # Never the ID number, phone or full name: __str__ ends up in logs and admin lists.
        return f"{self.reference or self.tracking_code} {mask_name(self.applicant_name)}"

    def __repr__(self) -> str:
        return f"<Application {self.pk} {self.reference or self.tracking_code} {self.state}>"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def letters(self):
        """The letters issued (and drafted) about this application, oldest first."""
        from gongkai.letters.store import letters_of

        return letters_of(self)

    @property
    def shown_due_on(self):
        """The due date to show: the final one, else the provisional estimate (or None)."""
        return self.due_on or self.provisional_due_on

    @property
    def awaiting_confirmation(self) -> bool:
        return self.state == CoreState.REGISTERED and self.received_on is None

    @property
    def awaiting_reply_approval(self) -> bool:
        """Whether a reply draft waits for the approver (待审批答复; never on a closed case)."""
        if not self.is_open:
            return False
        try:
            return self.reply_draft.pending
        except ObjectDoesNotExist:
            return False

    @property
    def is_organisation(self) -> bool:
        return self.applicant_kind != ApplicantKind.NATURAL_PERSON

    @property
    def tracking_code_display(self) -> str:
        """The 查询码 in groups of four, as printed on the receipt: ``K7QM-2X4P-9RTW``."""
        return codes.display(self.tracking_code)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def masked_name(self) -> str:
        return mask_name(self.applicant_name)


def id_number_hash(id_number: str) -> str:
    """Return the keyed hash stored in ``Application.id_number_hash`` for ``id_number``.

    Filter by it to find an applicant's applications: the ID number itself is encrypted.
    """
    return Application._meta.get_field("id_number_hash").hash_of(id_number)
