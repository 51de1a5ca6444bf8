"""The search index's two tables (docs/adr/search-exact-substring.md).

:class:`Posting` holds, for one key and one month of 发布日期, the set of publication ids as a
serialized roaring bitmap. A key is ``g`` + a one- or two-character gram found in any searched
field, ``t`` + a gram found in the title, or a filter value: ``a`` + agency id, ``c`` +
category id, ``v`` + validity, ``s`` + site id. :class:`Document` keeps, per indexed item, the
folded text as indexed: to verify longer queries and to take the item out again exactly.
"""

from __future__ import annotations

from django.db import models


class Posting(models.Model):
    key = models.CharField("键", max_length=40)
    month = models.IntegerField("月份", help_text="发布日期的年×100+月")
    bits = models.BinaryField("集合")

    class Meta:
        verbose_name = "检索倒排"
        verbose_name_plural = "检索倒排"
        constraints = [
            models.UniqueConstraint(fields=["key", "month"], name="search_posting_key_month")
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.month}"


class Document(models.Model):
    publication = models.OneToOneField(
        "publications.Publication",
        verbose_name="政府信息",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    month = models.IntegerField("月份")
    title = models.TextField("标题（检索用）")
    text = models.TextField("其余文字（检索用）")
    facets = models.CharField("筛选键", max_length=400)

    class Meta:
        verbose_name = "检索文档"
        verbose_name_plural = "检索文档"

    def __str__(self) -> str:
        return f"{self.publication_id}"


class Month(models.Model):
    """How many times a month's postings have changed: a :class:`Verified` row is used only
    while the month's generation is the one it was computed under."""

    month = models.IntegerField("月份", primary_key=True)
    generation = models.BigIntegerField("版本", default=0)

    class Meta:
        verbose_name = "检索月份"
        verbose_name_plural = "检索月份"

    def __str__(self) -> str:
        return f"{self.month} #{self.generation}"


class Verified(models.Model):
    """A longer query's verified matches in one month (all items, no filter): the items whose
    text holds ``needle`` and those whose title does, kept for the next visitor who asks."""

    needle = models.CharField("检索词", max_length=40)
    month = models.IntegerField("月份")
    generation = models.BigIntegerField("版本")
    hits = models.BinaryField("命中")
    titled = models.BinaryField("标题命中")

    class Meta:
        verbose_name = "检索验证缓存"
        verbose_name_plural = "检索验证缓存"
        constraints = [
            models.UniqueConstraint(fields=["needle", "month"], name="search_verified_once")
        ]

    def __str__(self) -> str:
        return f"{self.needle} {self.month}"
