"""The second-factor pages: verify a code, enrol an authenticator app, renew recovery codes
(gongkai.accounts.second_factor). Nothing here is cached (no-store): they show secrets."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from gongkai.accounts import second_factor as sf


class CodeForm(forms.Form):
    code = forms.CharField(
        label="验证码 / code",
        max_length=32,
        strip=True,
        error_messages={"required": "请输入验证码 / enter the code"},
    )


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/staff/"


def _with_next(name: str, request: HttpRequest) -> str:
    return f"{reverse(name)}?{urlencode({'next': _next(request)})}"


@never_cache
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """Ask for the code of the authenticator app, or a recovery code."""
    if not sf.has_device(request.user):
        return redirect(_with_next("accounts:otp_setup", request))
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if sf.verify(request, form.cleaned_data["code"]):
            return redirect(_next(request))
        form.add_error(
            "code",
            "验证码不正确或已用过，请稍候再试 / the code is wrong or was used; wait a moment and retry",
        )
    if form.errors:
        status = 400
    return render(
        request, "accounts/otp_verify.html", {"form": form, "next": _next(request)}, status=status
    )


@never_cache
@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: QR code and secret, then a first code confirms it.

    A user who already has a device must have passed it this session to replace it, so a
    stolen password alone cannot enrol the thief's phone.
    """
    user = request.user
    if sf.has_device(user) and not user.is_verified():
        return redirect(_with_next("accounts:otp_verify", request))
    device = sf.pending_device(user)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        codes = sf.confirm_enrolment(
            actor=user, request=request, device=device, token=form.cleaned_data["code"]
        )
        if codes is not None:
            return render(
                request,
                "accounts/otp_recovery.html",
                {"codes": codes, "next": _next(request), "enrolled": True},
            )
        form.add_error("code", "验证码不正确 / the code is wrong")
    if form.errors:
        status = 400
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "qr": sf.qr_svg(device.config_url),
            "secret": sf.secret_text(device),
            "required": sf.needs_second_factor(user),
            "next": _next(request),
        },
        status=status,
    )


@never_cache
@login_required
@require_POST
def recovery(request: HttpRequest) -> HttpResponse:
    """Make ten new recovery codes (only in a session that passed the second factor)."""
    if not request.user.is_verified():
        return redirect(_with_next("accounts:otp_verify", request))
    codes = sf.new_recovery_codes(actor=request.user)
    return render(request, "accounts/otp_recovery.html", {"codes": codes, "next": _next(request)})
