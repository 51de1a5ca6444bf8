"""The audit log's keyed hash chain: every row sealed to the one before it (docs/audit-log.md).

Each :class:`~gongkai.auditlog.models.AuditEntry` carries ``seq`` (its place in the chain,
1, 2, 3… without gaps) and ``chain`` = HMAC-SHA256(key, previous row's ``chain`` + the row's
canonical form). The key lives outside the database (``GONGKAI_AUDIT_KEY``, or the file
``audit_key`` in the data directory), so whoever can write to the database but not read the
key cannot edit, delete or insert a row without :func:`verify` naming it.

:func:`append` is called by :func:`gongkai.auditlog.services.record` inside the change's
transaction. It locks the one-row :class:`~gongkai.auditlog.models.AuditChainHead` first
(``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's IMMEDIATE transactions already hold the one
write lock), so concurrent writers take their places in the chain one after another and a
rolled-back change gives its place back with its row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from gongkai.env import env_str

__all__ = [
    "Finding",
    "KEY_FILE",
    "append",
    "audit_key",
    "canonical",
    "chain_all",
    "hold_head",
    "link",
    "verify",
]

#: The key file in the data directory, made once with mode 0600 when no key is in the environment.
KEY_FILE = "audit_key"

#: The fields a digest covers, in this order: everything a row says.
SEALED_FIELDS = (
    "id",
    "seq",
    "at",
    "actor_id",
    "actor_name",
    "agency_id",
    "content_type_id",
    "object_id",
    "object_repr",
    "action",
    "label",
    "before",
    "after",
    "data",
    "note",
)


def audit_key() -> bytes:
    """Return the chain's key: ``GONGKAI_AUDIT_KEY``, else ``DATA_DIR/audit_key`` (made once)."""
    from_env = env_str("GONGKAI_AUDIT_KEY")
    if from_env:
        return from_env.encode("utf-8")
    path = Path(settings.DATA_DIR) / KEY_FILE
    try:
        return path.read_text(encoding="ascii").strip().encode("ascii")
    except FileNotFoundError:
        pass
    key = secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: use theirs
        return path.read_text(encoding="ascii").strip().encode("ascii")
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key + "\n")
    return key.encode("ascii")


def _moment(value: Any) -> str:
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None).isoformat(timespec="microseconds")
    return str(value)


def canonical(entry: Any) -> bytes:
    """Return the row's sealed fields as canonical JSON (sorted keys, UTC time, UTF-8)."""
    body = {name: getattr(entry, name) for name in SEALED_FIELDS}
    body["at"] = _moment(body["at"])
    return json.dumps(
        body, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    ).encode("utf-8")


def link(key: bytes, previous: str, entry: Any) -> str:
    """Return the digest that seals ``entry`` after the row whose digest is ``previous``."""
    return hmac.new(
        key, previous.encode("ascii") + b"\n" + canonical(entry), hashlib.sha256
    ).hexdigest()


def _head_model():
    from gongkai.auditlog.models import AuditChainHead

    return AuditChainHead


def _locked_head(head_model, entry_model):
    """Return the head row, locked for this transaction; make it if a flush removed it."""
    head = head_model.objects.select_for_update().filter(pk=1).first()
    if head is None:
        last = entry_model.objects.exclude(seq=None).order_by("-seq").first()
        head_model.objects.bulk_create(
            [
                head_model(
                    pk=1,
                    seq=last.seq if last else 0,
                    digest=last.chain if last else "",
                    last_id=last.pk if last else None,
                )
            ],
            ignore_conflicts=True,
        )
        head = head_model.objects.select_for_update().get(pk=1)
    return head


def hold_head() -> None:
    """Lock the chain's head now, for a transaction that will write audit rows and must take
    another lock first in its own order (see :func:`gongkai.intake.numbering.next_number`)."""
    from gongkai.auditlog.models import AuditEntry

    _locked_head(_head_model(), AuditEntry)


def append(entry: Any) -> None:
    """Save the new ``entry`` as the chain's next row, sealed (inside the writing transaction).

    The head is locked before the row is inserted, so row ids (which :func:`verify` walks)
    and chain places are given out in the same order.
    """
    head_model = _head_model()
    entry_model = type(entry)
    head = _locked_head(head_model, entry_model)
    entry.seq = head.seq + 1
    entry.save()
    # Seal what the database returns, so the digest is of the stored values (JSON numbers,
    # time precision) exactly as verify will read them.
    entry.refresh_from_db(fields=[f for f in SEALED_FIELDS if f not in ("id", "seq")])
    entry.chain = link(audit_key(), head.digest, entry)
    entry_model.objects.filter(pk=entry.pk).update(chain=entry.chain)
    head_model.objects.filter(pk=1).update(seq=entry.seq, digest=entry.chain, last_id=entry.pk)


def chain_all(entry_model, head_model, *, key: bytes | None = None) -> int:
    """Seal every row in ``id`` order from the start (the data migration); return the count."""
    from django.db import connections

    key = key or audit_key()
    connection = connections[entry_model.objects.db]
    q, meta = connection.ops.quote_name, entry_model._meta
    seq_, chain, pk = (q(meta.get_field(name).column) for name in ("seq", "chain", "id"))
    sql = f"UPDATE {q(meta.db_table)} SET {seq_} = %s, {chain} = %s WHERE {pk} = %s"
    previous, seq, last_id = "", 0, None
    sealed: list[tuple[int, str, int]] = []
    for entry in entry_model.objects.order_by("pk").iterator(chunk_size=2000):
        seq += 1
        entry.seq = seq
        entry.chain = link(key, previous, entry)
        sealed.append((seq, entry.chain, entry.pk))
        previous, last_id = entry.chain, entry.pk
        if len(sealed) == 2000:  # one statement per row, in id order, sent in batches
            _seal(connection, sql, sealed)
    _seal(connection, sql, sealed)
    head_model.objects.update_or_create(
        pk=1, defaults={"seq": seq, "digest": previous, "last_id": last_id}
    )
    return seq


def _seal(connection, sql: str, sealed: list) -> None:
    if sealed:
        with connection.cursor() as cursor:
            cursor.executemany(sql, sealed)
        sealed.clear()


@dataclass(frozen=True)
class Finding:
    """One break in the chain: what kind (edited, deleted, inserted, unsealed, head), where."""

    kind: str
    entry_id: int | None
    seq: int | None
    message: str


def _describe(entry) -> str:
    return f"#{entry.pk} (seq {entry.seq}, {_moment(entry.at)}, {entry.action})"


def verify(*, key: bytes | None = None, anchor: tuple[int, str] | None = None):
    """Walk the whole log in ``id`` order; return ``(rows checked, [Finding, …])``.

    A row whose digest fails but whose successor is sealed to it was **edited**; a row that
    follows a gap in ``seq`` marks rows **deleted** before it; a row its successor skips (the
    successor is sealed to the row before) was **inserted**; the head, which the walk must
    pass, names rows deleted from the end. ``anchor`` (``seq``, digest), taken from an earlier export, also catches the end
    cut off together with a rewritten head.
    """
    from gongkai.auditlog.models import AuditChainHead, AuditEntry

    key = key or audit_key()
    findings: list[Finding] = []
    # The head first, then the rows: rows a running server seals meanwhile come after the
    # head, sealed to it, and are checked like the others.
    head = AuditChainHead.objects.filter(pk=1).first()
    rows = AuditEntry.objects.order_by("pk").iterator(chunk_size=2000)
    prev_digest, prev_seq, prev_row = "", 0, None
    passed_head = False
    checked = 0
    current = next(rows, None)
    following = next(rows, None)
    while current is not None:
        checked += 1
        if not current.chain or current.seq is None:
            findings.append(
                Finding(
                    "inserted",
                    current.pk,
                    current.seq,
                    f"第 {current.pk} 行未入链（不是由日志写入的）/ row {_describe(current)} is "
                    "not sealed: inserted outside the audit log",
                )
            )
            current, following = following, next(rows, None)
            continue
        good = hmac.compare_digest(current.chain, link(key, prev_digest, current))
        if not good:
            skipped = (
                following is not None
                and bool(following.chain)
                and hmac.compare_digest(following.chain, link(key, prev_digest, following))
            ) or (following is None and head is not None and head.digest == prev_digest)
            if skipped:
                findings.append(
                    Finding(
                        "inserted",
                        current.pk,
                        current.seq,
                        f"第 {current.pk} 行是插入的（前后两行本相连）/ row {_describe(current)} "
                        "was inserted: the rows before and after it are sealed to each other",
                    )
                )
                current, following = following, next(rows, None)
                continue
            if current.seq > prev_seq + 1:
                missing = (prev_seq + 1, current.seq - 1)
                after = f"#{prev_row.pk}" if prev_row is not None else "the start"
                findings.append(
                    Finding(
                        "deleted",
                        current.pk,
                        current.seq,
                        f"第 {missing[0]}–{missing[1]} 号记录已被删除（在 {after} 与 #{current.pk} "
                        f"之间）/ rows seq {missing[0]}–{missing[1]} were deleted, between "
                        f"{after} and {_describe(current)}",
                    )
                )
            else:
                findings.append(
                    Finding(
                        "edited",
                        current.pk,
                        current.seq,
                        f"第 {current.pk} 行已被改动 / row {_describe(current)} was edited "
                        "after it was written",
                    )
                )
        if head is not None and current.seq == head.seq and current.chain == head.digest:
            passed_head = True
        prev_digest, prev_seq, prev_row = current.chain, current.seq, current
        current, following = following, next(rows, None)
    if head is None:
        if prev_row is not None:
            findings.append(
                Finding("head", None, None, "链头记录缺失 / the chain's head row is missing")
            )
    elif head.seq and not passed_head:
        findings.append(
            Finding(
                "deleted",
                head.last_id,
                head.seq,
                f"末尾第 {prev_seq + 1}–{head.seq} 号记录已被删除 / rows at the end were "
                f"deleted: the head says seq {head.seq} (row #{head.last_id}), the last row is "
                f"seq {prev_seq}",
            )
            if head.seq > prev_seq
            else Finding(
                "head",
                None,
                head.seq,
                f"链头与最后一行不符 / the head (seq {head.seq}) does not match the last row "
                f"(seq {prev_seq})",
            )
        )
    if anchor is not None:
        seq, digest = anchor
        row = AuditEntry.objects.filter(seq=seq).first()
        if row is None or not hmac.compare_digest(row.chain or "", digest):
            findings.append(
                Finding(
                    "anchor",
                    row.pk if row else None,
                    seq,
                    f"第 {seq} 号记录与先前导出的摘要不符 / row seq {seq} does not match the "
                    "digest of an earlier export (cut off or rewritten)",
                )
            )
    return checked, findings


def iter_export(queryset) -> Iterator[dict[str, Any]]:
    """Yield the rows of ``queryset`` as plain dicts for CSV or JSON (with seq and digest)."""
    for entry in queryset.order_by("pk").iterator(chunk_size=2000):
        yield {
            "id": entry.pk,
            "seq": entry.seq,
            "at": _moment(entry.at) + "Z",
            "actor": entry.actor_name,
            "actor_id": entry.actor_id,
            "agency_id": entry.agency_id,
            "content_type_id": entry.content_type_id,
            "object_id": entry.object_id,
            "object": entry.object_repr,
            "action": entry.action,
            "label": entry.label,
            "before": entry.before,
            "after": entry.after,
            "data": entry.data,
            "note": entry.note,
            "chain": entry.chain,
        }
