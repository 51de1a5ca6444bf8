from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person with a staff account. Roles and agencies are in :class:`Membership`."""

    display_name = models.CharField("姓名", max_length=64, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.display_name or self.username


class Role(models.TextChoices):
    """What a staff member may do for an agency. The rules are in :mod:`gongkai.accounts.rules`."""

    CLERK = "clerk", _("公开专员")
    APPROVER = "approver", _("公开工作机构负责人")
    HEAD = "head", _("机关负责人")
    SUPERVISOR = "supervisor", _("政务公开办")
    ADMIN = "admin", _("系统管理员")


class Membership(models.Model):
    """A user's role in one agency. A person may hold several roles in several agencies."""

    Role = Role

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name="机关",
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField("角色", max_length=16, choices=Role.choices)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "岗位"
        verbose_name_plural = "岗位"
        ordering = ["agency__sort_order", "agency__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "role"],
                name="membership_unique_user_agency_role",
                violation_error_message="该用户在该机关已有此角色 / "
                "this user already has this role in this agency",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.agency} · {self.get_role_display()}"
