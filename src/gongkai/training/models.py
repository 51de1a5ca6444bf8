"""The register of open-government trainings and meetings (培训与会议)."""

from __future__ import annotations

from django.db import models

from gongkai.records.models import AgencyRecord


class Training(AgencyRecord):
    """A training or meeting an agency organised: when, for whom, on what, and who came."""

    class Kind(models.TextChoices):
        TRAINING = "training", "培训"
        MEETING = "meeting", "会议"

    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name="组织机关",
        on_delete=models.PROTECT,
        related_name="organised_trainings",
    )
    held_on = models.DateField("日期")
    kind = models.CharField("类型", max_length=16, choices=Kind.choices, default=Kind.TRAINING)
    title = models.CharField("名称", max_length=200)
    topics = models.TextField("内容（每行一项）", blank=True)
    audience_roles = models.CharField(
        "参加人员（岗位）",
        max_length=200,
        blank=True,
        help_text="如：分管负责人、科室负责人、具体业务人员",
    )
    audience = models.ManyToManyField(
        "agencies.Agency", verbose_name="参加机关", related_name="invited_trainings", blank=True
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "培训与会议"
        verbose_name_plural = "培训与会议"
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"

    @property
    def people(self) -> int | None:
        """The people who attended (from the attendance rows; None while none is recorded)."""
        rows = self.attendance.all()
        return sum(row.people for row in rows) if rows else None

    @property
    def topic_list(self) -> list[str]:
        return [line.strip() for line in self.topics.splitlines() if line.strip()]


class Attendance(models.Model):
    """How many people of an agency attended a training (a row only once recorded)."""

    training = models.ForeignKey(
        Training, verbose_name="培训", on_delete=models.CASCADE, related_name="attendance"
    )
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name="机关", on_delete=models.PROTECT, related_name="+"
    )
    people = models.PositiveIntegerField("参加人数")

    class Meta:
        verbose_name = "参加情况"
        verbose_name_plural = "参加情况"
        constraints = [
            models.UniqueConstraint(fields=["training", "agency"], name="attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.agency}：{self.people}人"
