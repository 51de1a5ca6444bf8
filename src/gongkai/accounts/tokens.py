"""API tokens: their stored form, and the user a presented token belongs to.

Issuing and revoking a token are audited services (:mod:`gongkai.accounts.services`).
"""

from __future__ import annotations

import hashlib
import secrets

from django.utils import timezone

from gongkai.accounts.models import ApiToken

__all__ = ["fill_new_token", "hash_token", "user_for_token"]

TOKEN_PREFIX = "gk_"


def hash_token(token: str) -> str:
    """Return the stored form of ``token`` (SHA-256: tokens are long random strings)."""
    return hashlib.sha256(token.encode()).hexdigest()


def fill_new_token(row: ApiToken) -> str:
    """Give ``row`` (unsaved) a fresh token's prefix and hash; return the token text."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row.prefix, row.key_hash = token[:8], hash_token(token)
    return token


def user_for_token(token: str):
    """Return the active user owning ``token``, or None (unknown, revoked or inactive user)."""
    if not token or not token.startswith(TOKEN_PREFIX):
        return None
    row = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(token), revoked=False)
        .first()
    )
    if row is None or not row.user.is_active:
        return None
    ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
    return row.user
