"""The search index's tables (docs/adr/search-exact-substring.md).

:class:`Posting` holds, for one key and one month of 发布日期, a serialized roaring bitmap (and
its cardinality, ``size``, before it: a count that reads no bitmap). Of
publication ids: ``g`` + a one- or two-character gram found in any searched field, ``t`` + a
gram found in the title, a filter value (``a`` + agency id, ``c`` + category id, ``v`` +
validity, ``s`` + site id), and ``u``, the items without positions. Of positions (see
:class:`Month`): ``p`` + a three-character gram, every place it occurs. :class:`Document` keeps, per indexed item, the folded text as indexed, to
take the item out again exactly (and to check the rare items without positions).
"""

from __future__ import annotations

from django.db import models


class Posting(models.Model):
    key = models.CharField("键", max_length=40)
    month = models.IntegerField("月份", help_text="发布日期所在时段（一年）的首月：年×100+月")
    size = models.IntegerField("个数", default=0, help_text="集合中的个数（不读集合即可计数）")
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
    slot = models.IntegerField(
        "起始位置", null=True, help_text="空：没有位置（月份的位置已满），较长的检索词逐条核对"
    )

    class Meta:
        verbose_name = "检索文档"
        verbose_name_plural = "检索文档"

    def __str__(self) -> str:
        return f"{self.publication_id}"


class Month(models.Model):
    """A month's places: rows (start, publication id, title size) as little-endian 32-bit
    integers, the starts ascending. An item's text takes the run of places from its start to
    the next row's (``gongkai.search.index``), its title the first of them; id 0 is a run no
    item holds any more, and the last row (end, 0, 0) says where the free places begin. Empty:
    no item in the month. ``version`` is a new random number on every change of the month's
    table or postings, so a searching process may keep a table it read and know, from the
    version read with the postings, whether it is still the month's. The version comes before
    the table, so reading it does not walk the table's pages."""

    month = models.IntegerField("月份", primary_key=True)
    version = models.BigIntegerField(
        "版本",
        default=0,
        help_text="每次改动位置表时换成新的随机数，检索进程据此判断所存位置表是否仍是当前的",
    )
    slots = models.BinaryField(
        "位置表", default=b"", help_text="（起始位置, 政府信息, 标题长度），按位置排列"
    )

    class Meta:
        verbose_name = "检索月份"
        verbose_name_plural = "检索月份"

    def __str__(self) -> str:
        return f"{self.month}"
