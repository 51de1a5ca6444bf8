"""Issued letters: a 公文 of an agency, with its 文号, stored with the context it was made from."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from gongkai.records.models import AgencyRecord


class IssuedLetter(AgencyRecord):
    """A letter an agency issued (or drafted) about one of its records.

    ``record`` is what the letter is about (an application, a mailbox letter, a publication).
    A numbered letter has its 文号: ``number`` as printed, from ``series``, ``number_year`` and
    ``number_serial``, unique per agency, series and year by a database constraint. A draft
    (awaiting approval) has no number. ``context`` is what the letter was composed from, so it
    can be rendered again (the PDF is made on demand from it).
    """

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name="机关", on_delete=models.PROTECT, related_name="letters"
    )
    content_type = models.ForeignKey(
        ContentType, verbose_name="对象类型", on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.PositiveBigIntegerField("对象编号")
    record = GenericForeignKey("content_type", "object_id")
    key = models.CharField("模板", max_length=40)
    title = models.CharField("标题", max_length=120)
    series = models.CharField("文号系列", max_length=40, blank=True)
    number = models.CharField("文号", max_length=80, blank=True)
    number_year = models.PositiveSmallIntegerField("文号年度", null=True, blank=True)
    number_serial = models.PositiveIntegerField("文号序号", null=True, blank=True)
    issued_on = models.DateField("成文日期")
    draft = models.BooleanField("草稿", default=False)
    docx = models.FileField("DOCX", upload_to="letters/%Y/", max_length=200)
    pdf = models.FileField("PDF", upload_to="letters/%Y/", max_length=200, blank=True)
    context = models.JSONField("填写内容", default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="生成人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("生成时间", auto_now_add=True)

    class Meta:
        verbose_name = "文书"
        verbose_name_plural = "文书"
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="letter_record")]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "series", "number_year", "number_serial"],
                condition=Q(number_serial__isnull=False),
                name="letter_number_unique",
                violation_error_message="该文号已被使用 / this document number is taken",
            ),
            models.CheckConstraint(
                condition=Q(draft=False) | Q(number=""),
                name="letter_draft_unnumbered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.number}".strip()
