"""The counters behind reference numbers (编号, 文号): one row per agency, series and year."""

from django.db import models


class Counter(models.Model):
    """The last number handed out in one series of one agency in one year.

    Locked while a number is taken, so numbers are unique and without gaps under concurrent
    submissions on SQLite and PostgreSQL (:func:`gongkai.intake.numbering.next_number`).
    """

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name="机关", on_delete=models.CASCADE, related_name="+"
    )
    series = models.CharField("编号系列", max_length=40)
    year = models.PositiveSmallIntegerField("年度")
    last = models.PositiveIntegerField("已用到", default=0)

    class Meta:
        verbose_name = "编号计数"
        verbose_name_plural = "编号计数"
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "series", "year"], name="intake_counter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.series} {self.year}: {self.last}"
