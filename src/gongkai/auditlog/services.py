"""Writing the audit log: :func:`record`, called by every service inside its transaction."""

from __future__ import annotations

import datetime as dt
import decimal
import logging
import uuid
from collections.abc import Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models

from gongkai.auditlog import chain
from gongkai.auditlog.models import AuditEntry

__all__ = ["AuditOutsideTransaction", "jsonable", "record", "snapshot"]

logger = logging.getLogger("gongkai.auditlog")


class AuditOutsideTransaction(RuntimeError):
    """:func:`record` was called outside a transaction: the row could outlive a rolled-back change."""


def jsonable(value: Any) -> Any:
    """Return ``value`` as JSON data: dates as ISO text, decimals as text, model rows by pk."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: tuple[str, ...] | list[str]) -> dict[str, Any]:
    """Return the named fields of ``obj`` as JSON data (a foreign key by its id)."""
    out = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        out[name] = jsonable(getattr(obj, attname))
    return out


def _agency_id_of(obj: models.Model | None) -> int | None:
    if obj is None:
        return None
    if obj._meta.label_lower == "agencies.agency":
        return obj.pk
    return getattr(obj, "agency_id", None)


def record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    agency: Any = None,
    label: str = "",
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    data: Mapping[str, Any] | None = None,
    note: str = "",
    at: dt.datetime | None = None,
) -> AuditEntry:
    """Write one audit row for a change just made to ``obj`` (call inside its transaction).

    ``agency`` defaults to ``obj`` itself when it is an agency, else to ``obj.agency``; an
    installation-wide change has none. ``actor`` is the acting user (None or an anonymous user
    for the public or the system). Raise :class:`AuditOutsideTransaction` outside a
    transaction, so no change is ever logged that could still be rolled back without it.
    """
    if not connection.in_atomic_block:
        raise AuditOutsideTransaction(
            "操作日志须与变更在同一事务中写入 / write the audit row inside the change's transaction"
        )
    user = actor if getattr(actor, "is_authenticated", False) else None
    if agency is None:
        agency_id = _agency_id_of(obj)
    else:
        agency_id = agency if isinstance(agency, int) else agency.pk
    entry = AuditEntry(
        actor=user,
        actor_name=user.get_username() if user is not None else "",
        agency_id=agency_id,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True)
        if obj is not None
        else None,
        object_id=obj.pk if obj is not None else None,
        object_repr=str(obj)[:200] if obj is not None else "",
        action=action,
        label=label,
        before=jsonable(dict(before or {})),
        after=jsonable(dict(after or {})),
        data=jsonable(dict(data or {})),
        note=note,
    )
    if at is not None:
        entry.at = at
    chain.append(entry)  # saved, sealed to the row before it, in this transaction
    # Log the object's type, id and the action only — never personal data.
    logger.info(
        "%s#%s (agency %s): %s by %s",
        entry.content_type.model if entry.content_type else "-",
        entry.object_id,
        agency_id,
        action,
        entry.actor_name or "-",
    )
    return entry
