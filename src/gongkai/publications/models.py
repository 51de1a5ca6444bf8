"""政府信息 (publications): items an agency discloses proactively, with their placements.

One record per item, however many channels carried it (《政府信息公开条例》第二十三条: the
website, WeChat, Weibo, 政府公报, reading rooms, press conferences): a publication has
:class:`Placement` rows, and every count of items counts the publication once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from gongkai.records.models import AgencyRecord


class Topic(models.Model):
    """A 主题分类 (topic) of the installation's taxonomy (configurable; seeded by a migration)."""

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=60)
    sort_order = models.PositiveIntegerField("排序", default=0)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "主题分类"
        verbose_name_plural = "主题分类"
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class CatalogueCategory(models.Model):
    """A 政府信息公开目录 category (条例第十二条): the 15 items of 第二十条 and the local items of
    第二十一条 (docs/law/ogi-spec.md §1.2), seeded by a migration; an installation may add its own.
    """

    class Scope(models.TextChoices):
        ALL = "all", "各级行政机关（第二十条）"
        COUNTY = "county", "县级人民政府及其部门（第二十一条）"
        TOWNSHIP = "township", "乡（镇）人民政府（第二十一条）"
        LOCAL = "local", "本地设定"

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=200)
    article = models.CharField("依据", max_length=60, blank=True)
    scope = models.CharField("适用", max_length=16, choices=Scope.choices, default=Scope.ALL)
    sort_order = models.PositiveIntegerField("排序", default=0)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "公开目录类别"
        verbose_name_plural = "公开目录类别"
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class Kind(models.TextChoices):
    DOCUMENT = "document", "公文"
    INFORMATION = "information", "政府信息"
    INTERPRETATION = "interpretation", "政策解读"


class Genre(models.TextChoices):
    """体裁 of a document (党政机关公文处理工作条例's kinds that agencies publish, and 其他)."""

    NOTICE = "notice", "通知"
    ANNOUNCEMENT = "announcement", "公告"
    PUBLIC_NOTICE = "public_notice", "通告"
    DECISION = "decision", "决定"
    OPINION = "opinion", "意见"
    MEASURES = "measures", "办法"
    RULES = "rules", "规定"
    PLAN = "plan", "方案"
    REPLY = "reply", "批复"
    REPORT = "report", "报告"
    BULLETIN = "bulletin", "通报"
    OTHER = "other", "其他"


class Validity(models.TextChoices):
    IN_FORCE = "in_force", "有效"
    AMENDED = "amended", "已修订"
    REPEALED = "repealed", "已废止"
    EXPIRED = "expired", "已失效"


class Attribute(models.TextChoices):
    """公开属性, set while the document is drafted (docs/law/ogi-spec.md §1.1: 条例第十三条)."""

    PROACTIVE = "proactive", "主动公开"
    ON_REQUEST = "on_request", "依申请公开"
    WITHHELD = "withheld", "不予公开"


class State(models.TextChoices):
    DRAFT = "draft", "起草"
    SUBMITTED = "submitted", "待办公室审核"
    REVIEWED = "reviewed", "待审批"
    APPROVED = "approved", "已审批"
    PUBLISHED = "published", "已发布"
    WITHDRAWN = "withdrawn", "已撤回"


class InterpretationForm(models.TextChoices):
    TEXT = "text", "文字"
    GRAPHIC = "graphic", "图解"
    AUDIO_VIDEO = "audio_video", "音视频"
    PRESS_CONFERENCE = "press_conference", "新闻发布会"
    ONLINE_INTERVIEW = "online_interview", "在线访谈"


class Channel(models.TextChoices):
    """Where an item appeared (条例第二十三条、第二十五条)."""

    WEBSITE = "website", "政府网站"
    SUBSITE = "subsite", "子网站栏目"
    WECHAT = "wechat", "微信公众号"
    WEIBO = "weibo", "政务微博"
    NEW_MEDIA = "new_media", "其他政务新媒体"
    GAZETTE = "gazette", "政府公报"
    READING_ROOM = "reading_room", "查阅场所"
    PRESS_CONFERENCE = "press_conference", "新闻发布会"


#: Channels that are the government website (the 网站 figures count these).
WEBSITE_CHANNELS = (Channel.WEBSITE, Channel.SUBSITE)


class Publication(AgencyRecord):
    """One item of government information (政府信息) of ``agency``, the issuing agency."""

    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name="发布机关",
        on_delete=models.PROTECT,
        related_name="publications",
    )
    kind = models.CharField("类型", max_length=16, choices=Kind.choices, default=Kind.INFORMATION)
    state = models.CharField("状态", max_length=16, choices=State.choices, default=State.DRAFT)
    index_number = models.CharField(
        "索引号", max_length=80, null=True, blank=True, unique=True, default=None
    )
    title = models.CharField("标题", max_length=300)
    doc_number = models.CharField("发文字号", max_length=100, blank=True)
    co_issuers = models.ManyToManyField(
        "agencies.Agency", verbose_name="联合发文机关", blank=True, related_name="+"
    )
    written_on = models.DateField("成文日期", null=True, blank=True)
    formed_on = models.DateField(
        "形成或变更日期",
        null=True,
        blank=True,
        help_text="条例第二十六条：自此日起20个工作日内公开",
    )
    published_on = models.DateField("发布日期", null=True, blank=True, db_index=True)
    effective_on = models.DateField("生效日期", null=True, blank=True)
    repealed_on = models.DateField("废止日期", null=True, blank=True)
    expired_on = models.DateField("失效日期", null=True, blank=True)
    validity = models.CharField(
        "效力", max_length=16, choices=Validity.choices, default=Validity.IN_FORCE
    )
    topic = models.ForeignKey(
        Topic, verbose_name="主题分类", null=True, blank=True, on_delete=models.PROTECT
    )
    category = models.ForeignKey(
        CatalogueCategory,
        verbose_name="公开目录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    genre = models.CharField("体裁", max_length=16, choices=Genre.choices, blank=True)
    keywords = models.CharField("关键词", max_length=200, blank=True)
    body = models.TextField("正文", blank=True)
    is_policy = models.BooleanField(
        "政策性文件", default=False, help_text="需要政策解读的政策性文件"
    )
    # 政策解读: an interpretation explains one or more policies (read back as .interpretations)
    interpretation_form = models.CharField(
        "解读形式", max_length=20, choices=InterpretationForm.choices, blank=True
    )
    explains = models.ManyToManyField(
        "self",
        verbose_name="解读的政策",
        symmetrical=False,
        blank=True,
        related_name="interpretations",
    )
    # 公开属性 (set at drafting, reviewed by the office, decided by the approver)
    attribute = models.CharField("公开属性", max_length=16, choices=Attribute.choices, blank=True)
    attribute_reason = models.TextField("不公开或依申请公开的理由", blank=True)
    attribute_proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="属性提出人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    attribute_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="办公室审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    attribute_reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    attribute_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    attribute_decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    # 保密审查 (条例第十七条)
    secrecy_cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="保密审查人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    secrecy_cleared_at = models.DateTimeField("保密审查时间", null=True, blank=True)
    # 条例第二十六条: working days past the 20-working-day period (None until published)
    days_late = models.PositiveIntegerField("逾期工作日", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    return_note = models.TextField("退回意见", blank=True)
    withdrawn_reason = models.TextField("撤回理由", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="起草人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "政府信息"
        verbose_name_plural = "政府信息"
        ordering = ["-published_on", "-pk"]
        indexes = [
            models.Index(fields=["agency", "state", "published_on"], name="pub_agency_state_day"),
            models.Index(fields=["state", "published_on"], name="pub_state_day"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="published") | Q(published_on__isnull=False),
                name="publication_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.state == State.PUBLISHED

    @property
    def is_late(self) -> bool:
        return bool(self.days_late)


class Placement(models.Model):
    """Where and when a publication appeared: one row per channel (and column)."""

    publication = models.ForeignKey(
        Publication, verbose_name="政府信息", on_delete=models.CASCADE, related_name="placements"
    )
    channel = models.CharField("渠道", max_length=20, choices=Channel.choices)
    column = models.CharField(
        "栏目或账号", max_length=100, blank=True, help_text="网站或子网站栏目、公众号名称等"
    )
    placed_on = models.DateField("发布日期")
    site_column = models.ForeignKey(
        "sites.Column",
        verbose_name="网站栏目",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="placements",
        help_text="网站或子网站上的栏目（站群）",
    )

    class Meta:
        verbose_name = "发布渠道"
        verbose_name_plural = "发布渠道"
        ordering = ["placed_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "channel", "column"], name="placement_once_per_column"
            )
        ]
        indexes = [models.Index(fields=["channel", "placed_on"], name="placement_channel_day")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.column} {self.placed_on}".strip()


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"publications/{instance.publication_id}/{filename}"


class Attachment(models.Model):
    """A file of a publication (PDF, DOCX, XLSX, JPG, PNG), checked by content; its text kept."""

    publication = models.ForeignKey(
        Publication, verbose_name="政府信息", on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField("文件", upload_to=attachment_path, max_length=200)
    name = models.CharField("文件名", max_length=200)
    content_type = models.CharField("类型", max_length=100)
    size = models.PositiveIntegerField("大小")
    text = models.TextField("文字内容", blank=True, help_text="用于检索")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class Version(models.Model):
    """An earlier version of a published item, kept when it is corrected or withdrawn."""

    publication = models.ForeignKey(
        Publication, verbose_name="政府信息", on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField("版本")
    data = models.JSONField("内容")
    reason = models.TextField("理由")
    replaced_at = models.DateTimeField("替换时间", auto_now_add=True)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "历史版本"
        verbose_name_plural = "历史版本"
        ordering = ["publication", "number"]
        constraints = [
            models.UniqueConstraint(fields=["publication", "number"], name="version_once")
        ]

    def __str__(self) -> str:
        return f"{self.publication_id} v{self.number}"
