"""Re-encrypt personal data under the current key, in batches that each commit on their own.

An interrupted rotation loses nothing: every value is readable at every moment (the old keys
stay in the ring), and running again continues with the values still under an older key. Run
by ``gongkai keys rotate`` (gongkai/commands/keys.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection, transaction

from gongkai.personaldata.fields import encrypted_fields
from gongkai.personaldata.keys import decrypt, encrypt, key_id_of, key_ring

__all__ = [
    "RotationResult",
    "check_keys_open_the_data",
    "count_by_key",
    "encrypted_models",
    "rotate",
]


def encrypted_models() -> list:
    """Every installed model with at least one encrypted column."""
    return [m for m in apps.get_models() if encrypted_fields(m)]


def _scan(model, after, limit: int):
    columns = [f.column for f in encrypted_fields(model)]
    pk = model._meta.pk.column
    q = connection.ops.quote_name
    sql = (
        f"SELECT {q(pk)}, {', '.join(q(c) for c in columns)} FROM {q(model._meta.db_table)}"
        f" WHERE {q(pk)} > %s ORDER BY {q(pk)} LIMIT {int(limit)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [after])
        return cursor.fetchall()


def count_by_key() -> dict[str, Counter]:
    """Return, per model label, how many stored values each key id encrypts (None: plaintext)."""
    out: dict[str, Counter] = {}
    for model in encrypted_models():
        counts: Counter = Counter()
        after = -1
        while rows := _scan(model, after, 1000):
            for row in rows:
                counts.update(key_id_of(v) for v in row[1:] if v)
            after = row[0]
        out[model._meta.label] = counts
    return out


@dataclass
class RotationResult:
    current_key: int
    values: int = 0  # values re-encrypted
    batches: int = 0
    finished: bool = True
    per_model: Counter = field(default_factory=Counter)


def rotate(
    *,
    batch_size: int = 500,
    max_batches: int | None = None,
    out: Callable[[str], None] = lambda _line: None,
) -> RotationResult:
    """Re-encrypt every value not under the current key; stop after ``max_batches`` if given.

    Each batch of rows is read, re-encrypted and written in its own transaction; a value is
    written only where the column still holds what was read, so a value a user changed
    meanwhile is never overwritten with an old one (it is already under the current key).
    """
    ring = key_ring()
    result = RotationResult(current_key=ring.current_id)
    q = connection.ops.quote_name
    for model in encrypted_models():
        fields = encrypted_fields(model)
        pk = model._meta.pk.column
        table = model._meta.db_table
        after = -1
        while True:
            with transaction.atomic():
                rows = _scan(model, after, batch_size)
                if not rows:
                    break
                if max_batches is not None and result.batches >= max_batches:
                    result.finished = False  # more to do: stopped on purpose
                    return result
                changed = 0
                for row in rows:
                    updates = {}
                    for f, stored in zip(fields, row[1:], strict=True):
                        if stored and key_id_of(stored) != ring.current_id:
                            context = f"{model._meta.label_lower}.{f.name}"
                            plain = decrypt(stored, context=context, ring=ring)
                            updates[f.column] = encrypt(plain, context=context, ring=ring)
                    if updates:
                        sets = ", ".join(f"{q(c)} = %s" for c in updates)
                        with connection.cursor() as cursor:
                            # Only if unchanged since read: a concurrent save wins.
                            where = " AND ".join(f"{q(c)} = %s" for c in updates)
                            cursor.execute(
                                f"UPDATE {q(table)} SET {sets} WHERE {q(pk)} = %s AND {where}",
                                [
                                    *updates.values(),
                                    row[0],
                                    *(
                                        row[1 + [f.column for f in fields].index(c)]
                                        for c in updates
                                    ),
                                ],
                            )
                        changed += len(updates)
                after = rows[-1][0]
            result.batches += 1
            result.values += changed
            result.per_model[model._meta.label] += changed
            out(
                f"{model._meta.label}: 至 id {after} 已重新加密 {changed} 个值 / re-encrypted {changed} values up to id {after}"
            )
    return result


def check_keys_open_the_data() -> None:
    """Raise :class:`~gongkai.personaldata.keys.DataKeyError` unless the key ring loads and
    opens a stored value of every encrypted column (one per column, the newest): a server
    started with the wrong keys (a database restored without its key file, a mistyped
    ``GONGKAI_DATA_KEY``) stops at once instead of failing page by page."""
    ring = key_ring()
    q = connection.ops.quote_name
    for model in encrypted_models():
        table, pk = model._meta.db_table, model._meta.pk.column
        for f in encrypted_fields(model):
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT {q(f.column)} FROM {q(table)} WHERE {q(f.column)} <> ''"
                    f" ORDER BY {q(pk)} DESC LIMIT 1"
                )
                row = cursor.fetchone()
            if row and row[0]:
                decrypt(row[0], context=f"{model._meta.label_lower}.{f.name}", ring=ring)
