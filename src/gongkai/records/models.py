"""The base of every record an agency keeps."""

from __future__ import annotations

from django.db import models


class AgencyRecord(models.Model):
    """A record kept by one agency: who may see and change it follows from ``agency``.

    Subclasses get ``agency`` (override it to change ``related_name`` or ``on_delete``) and
    :attr:`events`, the record's history from the platform audit log, oldest first.
    """

    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name="机关",
        on_delete=models.PROTECT,
        related_name="%(app_label)s_%(class)s_set",
    )

    class Meta:
        abstract = True

    @property
    def events(self):
        """The audit rows about this record (a QuerySet, oldest first)."""
        from gongkai.auditlog.selectors import history

        return history(self)
