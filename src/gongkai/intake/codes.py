"""查询码: the tracking code a citizen keeps to follow a submission without an account."""

from __future__ import annotations

import secrets

__all__ = ["TRACKING_ALPHABET", "TRACKING_CODE_LENGTH", "display", "new_code", "normalise"]

#: Characters of a code: no 0/O, 1/I/L, so a code read over the phone or copied is typed right.
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
#: 12 characters of 31 symbols: about 59 bits, unguessable.
TRACKING_CODE_LENGTH = 12


def new_code() -> str:
    """Return a fresh random tracking code."""
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_CODE_LENGTH))


def normalise(text: str) -> str:
    """Fold what a person typed into the stored form: no spaces or dashes, upper case."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def display(code: str) -> str:
    """Write a code in groups of four for reading: ABCD-EFGH-JKMN."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))
