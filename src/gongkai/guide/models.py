"""What an agency's 政府信息公开指南 needs that no other record holds: its 政府信息公开工作机构
(name, office address, hours, phone, fax, internet contact: 《政府信息公开条例》第十二条), where
applications are taken in person and by post (第二十八条), and the text of its 政府信息公开制度.

The rest of the guide is generated from other records (gongkai.guide.selectors).
"""

from __future__ import annotations

from django.db import models

from gongkai.records.models import AgencyRecord


class DisclosureOffice(AgencyRecord):
    """An agency's 政府信息公开工作机构 and its contact data (one per agency)."""

    agency = models.OneToOneField(
        "agencies.Agency",
        verbose_name="机关",
        on_delete=models.PROTECT,
        related_name="disclosure_office",
    )
    name = models.CharField("工作机构名称", max_length=100)
    address = models.CharField("办公地址", max_length=200)
    postcode = models.CharField("邮政编码", max_length=6, blank=True)
    hours = models.CharField(
        "办公时间", max_length=200, help_text="如 工作日上午9:00—12:00，下午14:30—18:00"
    )
    phone = models.CharField("联系电话", max_length=40)
    fax = models.CharField("传真号码", max_length=40, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    internet = models.CharField(
        "互联网联系方式", max_length=200, blank=True, help_text="电子邮箱以外的，如 网站或公众号"
    )
    in_person = models.CharField(
        "当面申请地点", max_length=200, blank=True, help_text="不填则为办公地址"
    )
    rules_text = models.TextField(
        "政府信息公开制度",
        blank=True,
        help_text="本机关的政府信息公开制度（工作制度、保密审查、发布协调等），每段一行",
    )
    updated_on = models.DateField(
        "更新日期", help_text="指南内容最近更新的日期（第十二条：及时更新）"
    )
    contact_changed_on = models.DateField(
        "联系信息变更日期",
        null=True,
        blank=True,
        editable=False,
        help_text="自动记录：工作机构名称、地址、电话等联系信息最近一次变更的日期",
    )

    #: The contact data of 第十二条 (名称、办公地址、办公时间、联系电话、传真号码、互联网联系方式)
    #: and where applications are taken: a change to any of them dates ``contact_changed_on``.
    CONTACT_FIELDS = (
        "name",
        "address",
        "postcode",
        "hours",
        "phone",
        "fax",
        "email",
        "internet",
        "in_person",
    )

    class Meta:
        verbose_name = "政府信息公开工作机构"
        verbose_name_plural = "政府信息公开工作机构"
        ordering = ["agency__sort_order", "agency__name"]

    def __str__(self) -> str:
        return f"{self.agency}·{self.name}"

    def save(self, *args, **kwargs) -> None:
        """Keep ``contact_changed_on``: a new record's contact data is as of its guide's date
        (the guide is written from it); a later change to the contact data is dated today. The
        monitoring check 「指南早于联系信息」 compares the two (docs/monitoring.md)."""
        from django.utils import timezone

        fields = self.CONTACT_FIELDS
        old = None
        if self.pk is not None:
            old = DisclosureOffice.objects.filter(pk=self.pk).values(*fields).first()
        if old is None:
            self.contact_changed_on = self.contact_changed_on or self.updated_on
        elif any(old[name] != getattr(self, name) for name in fields):
            self.contact_changed_on = timezone.localdate()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "contact_changed_on" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "contact_changed_on"]
        super().save(*args, **kwargs)

    @property
    def where_in_person(self) -> str:
        return self.in_person or self.address

    @property
    def rules_paragraphs(self) -> list[str]:
        return [line.strip() for line in self.rules_text.splitlines() if line.strip()]
