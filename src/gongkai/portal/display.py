"""适老化: the large-text and high-contrast display modes, kept in the ``gk_display`` cookie.

The modes work without JavaScript: the header's buttons submit a GET form to :func:`set_display`,
which sets the cookie and sends the reader back; base.html then puts the modes' classes on
``<html>`` (:func:`modes_of`). With JavaScript (portal/display.js) the same buttons switch at once,
write the same cookie and keep a copy in localStorage, and a page served from a cache that was
rendered without the cookie gets its classes from that copy. A cache in front of the platform
must not store a page rendered for a request carrying ``gk_display`` (docs/accessibility.md).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

COOKIE = "gk_display"
#: The modes and the class each puts on <html>.
MODES = {"large": "gk-large", "contrast": "gk-contrast"}
#: A year: the reader chose it once and expects it to stay.
MAX_AGE = 365 * 24 * 3600


def modes_of(request: HttpRequest) -> list[str]:
    """The display modes the request's cookie asks for (unknown words ignored), in MODES order."""
    words = set(request.COOKIES.get(COOKIE, "").split("."))
    return [mode for mode in MODES if mode in words]


def set_display(request: HttpRequest) -> HttpResponseRedirect:
    """Toggle one mode (``?toggle=large``) or set them (``?large=1&contrast=0``), then go back."""
    modes = set(modes_of(request))
    toggle = request.GET.get("toggle", "")
    if toggle in MODES:
        modes ^= {toggle}
    for mode in MODES:
        if request.GET.get(mode) in {"0", "1"}:
            modes = modes | {mode} if request.GET[mode] == "1" else modes - {mode}
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ) or not target.startswith("/"):
        target = reverse("portal:home")
    response = HttpResponseRedirect(target)
    value = ".".join(mode for mode in MODES if mode in modes)
    if value:
        response.set_cookie(COOKIE, value, max_age=MAX_AGE, samesite="Lax", httponly=False)
    else:
        response.delete_cookie(COOKIE, samesite="Lax")
    # Never cached: the answer depends on the reader's cookie.
    response["Cache-Control"] = "no-store"
    return response
