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
