"""The guard around one public submission (a form post or an API call, no account).

:func:`guarded` runs the submitting service and counts the outcome against the client's
address (docs/security.md):

- refused at once while the address has used up its limit for the scope;
- an accepted submission counts once (a retry of the same submission does not count again);
- a wrong or reused captcha answer counts like a submission (guessing is what the limit
  stops);
- a submission refused for its content (a missing field, a wrong check digit) counts only
  toward a limit ten times looser, against scripts: a person correcting typos, or many
  people behind one address (a service hall, a carrier NAT), is not locked out by them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import ValidationError

from gongkai.intake import ratelimit
from gongkai.intake.ratelimit import REFUSED_SUFFIX, RateLimited

__all__ = ["RateLimited", "guarded"]

T = TypeVar("T")


def guarded(request, *, scope: str, submit: Callable[[], tuple[T, bool]]) -> tuple[T, bool]:
    """Run ``submit`` for the client of ``request`` under ``scope``'s limits; return its result.

    ``submit`` returns ``(record, created)``; it raises ValidationError for bad input (with
    ``captcha_answer`` among the fields when the captcha was wrong). Raise RateLimited when
    the address is over a limit (before anything is checked or saved).
    """
    ratelimit.check(request, scope)
    ratelimit.check(request, scope + REFUSED_SUFFIX)
    try:
        record, created = submit()
    except ValidationError as error:
        wrong_answer = hasattr(error, "error_dict") and "captcha_answer" in error.error_dict
        ratelimit.count(request, scope if wrong_answer else scope + REFUSED_SUFFIX)
        raise
    if created:
        ratelimit.count(request, scope)
    return record, created
