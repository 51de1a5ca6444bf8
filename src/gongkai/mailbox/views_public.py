"""The public pages of the mailbox (no account): write, the 查询码 status page, published
letters (互动交流 · 信件选登) and the yearly figures."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from gongkai.applications.forms import add_service_errors
from gongkai.intake import captcha
from gongkai.intake.captcha import Proof
from gongkai.intake.public import guarded
from gongkai.intake.ratelimit import RateLimited, hit
from gongkai.mailbox import selectors
from gongkai.mailbox.forms import LetterForm, StatusLookupForm
from gongkai.mailbox.intake import clean_letter_data, find_by_tracking_code, take_letter
from gongkai.mailbox.models import Letter, Mailbox
from gongkai.mailbox.services import mask_for_public

SESSION_KEY = "gongkai_submitted_letter"


def mailboxes(request: HttpRequest) -> HttpResponse:
    """The list of mailboxes open for letters."""
    return render(
        request,
        "mailbox/mailboxes.html",
        {"mailboxes": selectors.active_mailboxes(), "year": timezone.localdate().year},
    )


def _fresh_challenge(form: LetterForm) -> captcha.Challenge:
    challenge = captcha.new_challenge()
    if form.is_bound:
        form.data = form.data.copy()
        form.data["captcha_token"] = challenge.token
        form.data["captcha_answer"] = ""
    else:
        form.initial["captcha_token"] = challenge.token
    return challenge


def _render(request, mailbox, form, question, status=200):
    form.mark_for_screen_readers()
    return render(
        request,
        "mailbox/write.html",
        {"mailbox": mailbox, "form": form, "captcha_question": question},
        status=status,
    )


class _FormInvalid(ValidationError):
    """The form's own checks failed (already on the form)."""


@require_http_methods(["GET", "POST"])
def write(request: HttpRequest, slug: str) -> HttpResponse:
    """写信: take a letter; on success show its 查询码."""
    mailbox = get_object_or_404(Mailbox, slug=slug, active=True)
    if request.method == "GET":
        form = LetterForm()
        return _render(request, mailbox, form, _fresh_challenge(form).question)

    form = LetterForm(request.POST)

    def submit():
        if not form.is_valid():
            try:  # name every bad field at once, not only the form's own
                clean_letter_data(form.letter_data())
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    if name in form.fields and name not in form.errors:
                        for message in messages:
                            form.add_error(name, message)
            wrong = {"captcha_answer": ["?"]} if "captcha_answer" in form.errors else {}
            raise _FormInvalid(wrong or {"form": ["invalid"]})
        return take_letter(
            mailbox=mailbox,
            data=form.letter_data(),
            idempotency_key=form.cleaned_data["idempotency_key"],
            proof=Proof(form.cleaned_data["captcha_token"], form.cleaned_data["captcha_answer"]),
        )

    try:
        letter, _created = guarded(request, scope="letter", submit=submit)
    except RateLimited as error:
        form.is_valid()
        form.errors.clear()
        form.add_error(None, str(error))
        return _render(request, mailbox, form, _fresh_challenge(form).question, status=429)
    except _FormInvalid:
        return _render(request, mailbox, form, _fresh_challenge(form).question, status=400)
    except ValidationError as error:
        errors = error.message_dict
        add_service_errors(form, error)
        if "idempotency_key" in errors:
            form.data = form.data.copy()
            form.data["idempotency_key"] = uuid.uuid4().hex
        if "captcha_answer" in errors or "idempotency_key" in errors:
            return _render(request, mailbox, form, _fresh_challenge(form).question, status=400)
        question = captcha.question_of(form.cleaned_data["captcha_token"])
        return _render(request, mailbox, form, question, status=400)
    request.session[SESSION_KEY] = letter.pk
    return redirect("mailbox:done")


def done(request: HttpRequest) -> HttpResponse:
    """The 查询码 of the letter this browser just sent (kept in its session)."""
    pk = request.session.get(SESSION_KEY)
    letter = Letter.objects.select_related("mailbox").filter(pk=pk).first() if pk else None
    if letter is None:
        return redirect("mailbox:mailboxes")
    return render(request, "mailbox/done.html", {"letter": letter})


@require_http_methods(["GET"])
def status_lookup(request: HttpRequest) -> HttpResponse:
    form = StatusLookupForm(request.GET or None)
    status = 200
    if form.is_bound and form.is_valid():
        try:
            hit(request, "status")
        except RateLimited as error:
            form.add_error(None, str(error))
            form.mark_for_screen_readers()
            return render(request, "mailbox/status_lookup.html", {"form": form}, status=429)
        letter = find_by_tracking_code(form.cleaned_data["code"])
        if letter is not None:
            return redirect("mailbox:status", code=letter.tracking_code)
        form.add_error("code", "没有找到该查询码的来信，请核对后重试 / no letter has this code")
        status = 404
    form.mark_for_screen_readers()
    return render(request, "mailbox/status_lookup.html", {"form": form}, status=status)


@never_cache
def status(request: HttpRequest, code: str) -> HttpResponse:
    """The writer's status page: progress and the reply, with personal data masked."""
    try:
        hit(request, "status")
    except RateLimited as error:
        return HttpResponse(str(error), status=429, content_type="text/plain; charset=utf-8")
    letter = find_by_tracking_code(code)
    if letter is None:
        raise Http404("没有该查询码的来信 / no letter has this code")
    return render(
        request,
        "mailbox/status.html",
        {
            "letter": letter,
            "subject": mask_for_public(letter, letter.subject),
            "reply": mask_for_public(letter, letter.reply) if letter.answered_on else "",
            "events": selectors.public_events(letter),
        },
    )


def published(request: HttpRequest) -> HttpResponse:
    """互动交流 · 信件选登: published letters and replies, personal data masked."""
    return render(
        request, "mailbox/published.html", {"letters": selectors.published_letters()[:200]}
    )


def published_letter(request: HttpRequest, pk: int) -> HttpResponse:
    letter = get_object_or_404(selectors.published_letters(), pk=pk)
    return render(request, "mailbox/published_letter.html", {"letter": letter})


def stats(request: HttpRequest, slug: str) -> HttpResponse:
    """A mailbox's figures for a year (``?year=``, default this year)."""
    mailbox = get_object_or_404(Mailbox, slug=slug)
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = 0
    if not 2000 <= year <= 2100:
        raise Http404("年份无效 / invalid year")
    figures = selectors.mailbox_stats(year=year, mailbox_ids=[mailbox.pk])
    return render(request, "mailbox/stats.html", {"mailbox": mailbox, "year": year, "s": figures})
