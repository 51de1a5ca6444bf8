"""Agencies (行政机关) as a tree, and the reporting units annual reports are written for."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongkai.law.identifiers import InvalidIdentifier, validate_credit_code


def credit_code_validator(value: str) -> None:
    """Django validator for a 统一社会信用代码 (blank is allowed by the field, not here)."""
    try:
        validate_credit_code(value)
    except InvalidIdentifier as error:
        raise ValidationError(str(error), code="invalid_credit_code") from None


class Agency(models.Model):
    """A 行政机关 that holds and discloses information (《政府信息公开条例》第十条).

    Agencies form a tree: the county government at the root, its office, its departments,
    and the townships and streets under it.
    """

    class Kind(models.TextChoices):
        COUNTY_GOVERNMENT = "county_government", _("县人民政府")
        GOVERNMENT_OFFICE = "government_office", _("县政府办公室")
        DEPARTMENT = "department", _("部门")
        TOWNSHIP = "township", _("乡/镇")
        STREET = "street", _("街道")
        OTHER = "other", _("其他")

    name = models.CharField("名称", max_length=100)
    short_name = models.CharField("简称", max_length=50, blank=True)
    slug = models.SlugField("标识", max_length=64, unique=True, help_text="网址中使用的英文标识")
    kind = models.CharField("类型", max_length=32, choices=Kind.choices, default=Kind.DEPARTMENT)
    credit_code = models.CharField(
        "统一社会信用代码",
        max_length=18,
        blank=True,
        validators=[credit_code_validator],
        help_text="18位，按 GB 32100-2015 校验",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="上级机关",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "行政机关"
        verbose_name_plural = "行政机关"
        ordering = ["sort_order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~Q(credit_code=""),
                name="agency_credit_code_unique_when_set",
                violation_error_message="该统一社会信用代码已被其他机关使用 / "
                "another agency already has this unified social credit code",
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")),
                name="agency_not_own_parent",
                violation_error_message="机关不能是自己的上级 / an agency cannot be its own parent",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def clean(self) -> None:
        if self.credit_code:
            try:
                self.credit_code = validate_credit_code(self.credit_code)
            except InvalidIdentifier as error:
                raise ValidationError({"credit_code": str(error)}) from None
        if self.parent_id is not None and self.pk is not None:
            from gongkai.agencies.tree import descendants

            if descendants([self.pk]).filter(pk=self.parent_id).exists():
                raise ValidationError(
                    {
                        "parent": "上级机关不能是本机关或其下级机关 / "
                        "the parent cannot be the agency itself or one of its sub-agencies"
                    }
                )


class ReportingUnit(models.Model):
    """The unit an annual report is written for (《政府信息公开条例》第四十九条、第五十条).

    Usually one agency; the seed's 「城口县人民政府机关」 is the county government together
    with its office (县政府办公室), which report as one.
    """

    name = models.CharField("名称", max_length=100)
    slug = models.SlugField("标识", max_length=64, unique=True)
    agencies = models.ManyToManyField(
        Agency, verbose_name="包含机关", related_name="reporting_units"
    )
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "年报主体"
        verbose_name_plural = "年报主体"
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name
