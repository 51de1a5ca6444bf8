from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A person with a staff account. Roles and agencies are in :class:`Membership`."""

    display_name = models.CharField("姓名", max_length=64, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.display_name or self.username
