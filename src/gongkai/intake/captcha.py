"""A captcha that needs no outside service: a small sum, signed with SECRET_KEY, single-use.

The question is plain text (「7 加 5 等于多少？」), so a screen reader reads it like any label.
The token carries a random nonce, the time and a keyed hash of the answer — not the answer
itself. A token is used once: the first submission that presents it records its nonce in the
cache together with its idempotency key, so a retry of the *same* submission (double click,
network retry) still passes while any other reuse fails. Tokens expire after
:data:`MAX_AGE_SECONDS`.

The cache must be shared by every process that serves the form: the default (a table in the
database, gongkai.settings) and Redis are; a local-memory cache is not (granian runs several
processes).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.crypto import constant_time_compare, salted_hmac

__all__ = [
    "Challenge",
    "CaptchaError",
    "Proof",
    "consume",
    "new_challenge",
    "question_of",
    "verify",
]

MAX_AGE_SECONDS = 30 * 60
_SALT = "gongkai.applications.captcha"  # its first home; changing it voids issued questions


class CaptchaError(ValueError):
    """A wrong, expired, forged or reused answer; the message is Chinese first."""


@dataclass(frozen=True)
class Challenge:
    question: str
    token: str


def _digest(nonce: str, answer: int) -> str:
    return salted_hmac(_SALT, f"{nonce}:{answer}").hexdigest()


def new_challenge() -> Challenge:
    """Return a fresh question and its signed token."""
    a = secrets.randbelow(9) + 1
    b = secrets.randbelow(9) + 1
    if secrets.randbelow(2):
        a, b = max(a, b) + 5, min(a, b)
        question, answer = f"{a} 减 {b} 等于多少？", a - b
    else:
        question, answer = f"{a} 加 {b} 等于多少？", a + b
    nonce = secrets.token_urlsafe(12)
    payload = {"n": nonce, "h": _digest(nonce, answer), "q": question}
    return Challenge(question, signing.dumps(payload, salt=_SALT, compress=True))


def question_of(token: str) -> str | None:
    """Return the question of a valid, unexpired token (to show it again), else None."""
    try:
        return signing.loads(token or "", salt=_SALT, max_age=MAX_AGE_SECONDS).get("q")
    except signing.BadSignature:
        return None


def _nonce(token: str, answer: str) -> str:
    try:
        payload = signing.loads(token or "", salt=_SALT, max_age=MAX_AGE_SECONDS)
    except signing.SignatureExpired:
        raise CaptchaError(
            "验证题已过期，请回答新的题目 / the question expired; answer the new one"
        ) from None
    except signing.BadSignature:
        raise CaptchaError(
            "验证题无效，请回答新的题目 / invalid question; answer the new one"
        ) from None
    text = (answer or "").strip()
    # ASCII digits only, and short: int() refuses other digits ("²") and very long numbers.
    if not (text.isascii() and text.isdigit() and len(text) <= 4) or not constant_time_compare(
        payload["h"], _digest(payload["n"], int(text))
    ):
        raise CaptchaError("验证题答案不正确 / the answer to the question is wrong")
    return payload["n"]


def _used_key(nonce: str) -> str:
    return f"captcha-used:{nonce}"


def verify(token: str, answer: str, *, submission: str = "") -> None:
    """Raise CaptchaError unless ``answer`` is right and the token is unused (or used by
    ``submission`` itself). Does not use the token up: see :func:`consume`."""
    nonce = _nonce(token, answer)
    used_by = cache.get(_used_key(nonce))
    if used_by is not None and (not submission or used_by != submission):
        raise CaptchaError("验证题已使用过，请回答新的题目 / this question was already used")


def consume(token: str, answer: str, *, submission: str) -> None:
    """Use the token up for ``submission`` (its idempotency key); raise CaptchaError if it is
    wrong or another submission used it first."""
    nonce = _nonce(token, answer)
    if cache.add(_used_key(nonce), submission, timeout=MAX_AGE_SECONDS + 60):
        return
    if submission and cache.get(_used_key(nonce)) == submission:
        return
    raise CaptchaError("验证题已使用过，请回答新的题目 / this question was already used")


@dataclass(frozen=True)
class Proof:
    """A person's answer to a question, handed to the service that takes the submission.

    The service checks its input first and calls :meth:`consume` last, just before it saves,
    so a typo in a field costs no new question; both raise ValidationError under
    ``captcha_answer``.
    """

    token: str
    answer: str

    def verify(self, submission: str) -> None:
        try:
            verify(self.token, self.answer, submission=submission)
        except CaptchaError as error:
            raise ValidationError({"captcha_answer": str(error)}) from None

    def consume(self, submission: str) -> None:
        try:
            consume(self.token, self.answer, submission=submission)
        except CaptchaError as error:
            raise ValidationError({"captcha_answer": str(error)}) from None
