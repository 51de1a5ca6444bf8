"""One rule for a reused idempotency key, for every public submission.

A client sends an idempotency key with a submission so that a retry (a double click, a lost
response) does not create a second record. The key is chosen by the client, so it is no
secret: a *different* submission presented with a used key must never be handed the first
submitter's 查询码. The rule, enforced inside each submitting service:

- same key, same submission (every field the submitter typed, after cleaning, equal) → the
  earlier record is returned, nothing new is saved;
- same key, anything different (a changed phone number, say) → refused with
  :data:`KEY_REUSED`, nothing saved.

Files are not part of the comparison: a retry that lost its files is still the same
submission, and what was saved the first time stands.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet

__all__ = ["KEY_REUSED", "MAX_KEY_LENGTH", "check_key", "fingerprint", "retry_of"]

MAX_KEY_LENGTH = 64

KEY_REUSED = (
    "该防重复提交标识已用于另一份内容不同的提交，请重新提交 / "
    "this idempotency key was used for a different submission; submit again with a fresh key"
)


def check_key(key: str | None) -> str:
    """Return the key stripped; raise ValidationError when it is too long or not printable."""
    key = (key or "").strip()
    if len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise ValidationError(
            {"idempotency_key": "防重复提交标识无效 / the idempotency key is not valid"}
        )
    return key


def fingerprint(values: Mapping[str, Any], fields: Iterable[str]) -> str:
    """Return a digest of the submission's ``fields`` (cleaned values, as stored)."""
    chosen = {name: "" if values.get(name) is None else str(values.get(name)) for name in fields}
    text = json.dumps(chosen, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def retry_of(
    records: QuerySet, *, key: str, clean: Mapping[str, Any], fields: Iterable[str]
) -> Model | None:
    """Return the earlier record of ``records`` sent with ``key`` if ``clean`` is the same
    submission, None when the key is new or empty; raise ValidationError (:data:`KEY_REUSED`)
    when the key was used for a different one."""
    if not key:
        return None
    earlier = records.filter(idempotency_key=key).first()
    if earlier is None:
        return None
    fields = tuple(fields)
    stored = {name: getattr(earlier, name) for name in fields}
    if fingerprint(stored, fields) != fingerprint(clean, fields):
        raise ValidationError({"idempotency_key": KEY_REUSED})
    return earlier
