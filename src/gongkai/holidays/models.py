"""The working-day calendar in the database: one row per arrangement year, one per announced day.

The rows are data for :class:`gongkai.law.calendar.WorkingCalendar`; change them only through
:mod:`gongkai.holidays.services`, which logs the change and lets other apps recompute due dates.
"""

from django.db import models


class CalendarYear(models.Model):
    """A year whose holiday arrangement (国务院办公厅 annual notice) is loaded."""

    class Source(models.TextChoices):
        SEEDED = "seeded", "随软件预置"
        IMPORTED = "imported", "导入"
        EDITED = "edited", "后台修改"

    year = models.PositiveSmallIntegerField("年份", unique=True)
    source = models.CharField("来源", max_length=16, choices=Source.choices)
    note = models.CharField(
        "依据", max_length=200, blank=True, help_text="如：国办发明电〔2024〕12号"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ["year"]
        verbose_name = "节假日安排年度"
        verbose_name_plural = "节假日安排年度"

    def __str__(self) -> str:
        return f"{self.year}年节假日安排"


class CalendarDay(models.Model):
    """A day the arrangement announces: a day off (放假) or a make-up working day (调休上班)."""

    class Kind(models.TextChoices):
        DAY_OFF = "off", "放假"
        WORKDAY = "work", "调休上班"

    calendar_year = models.ForeignKey(
        CalendarYear, verbose_name="所属年度安排", on_delete=models.CASCADE, related_name="days"
    )
    date = models.DateField("日期", unique=True)
    kind = models.CharField("类别", max_length=8, choices=Kind.choices)
    name = models.CharField("名称", max_length=64, blank=True, help_text="如：国庆节、国庆节调休")

    class Meta:
        ordering = ["date"]
        verbose_name = "节假日安排日"
        verbose_name_plural = "节假日安排日"

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}".rstrip()
