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


class ApiToken(models.Model):
    """A bearer token for the REST API (/api/v1/), acting as its user. Only a hash is stored.

    Create one in the back office or with ``gongkai manage create_api_token USERNAME``; the
    token is shown once. The user's roles decide what the API lets it see and do.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField("用途", max_length=100, blank=True)
    prefix = models.CharField("前缀", max_length=8, editable=False)
    key_hash = models.CharField("摘要", max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True, editable=False)
    revoked = models.BooleanField("已停用", default=False)

    class Meta:
        verbose_name = "API 令牌"
        verbose_name_plural = "API 令牌"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… · {self.user}"
