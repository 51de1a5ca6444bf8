"""The public pages of 依申请公开: the online form and the status page (no account needed).

《政府信息公开条例》第二十九条 (what an application contains), 第三十一条 (an online submission
is received on the day the office confirms it: it waits in 待确认 until then).
"""

from __future__ import annotations

import re
import uuid

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from gongkai.applications.forms import ApplicationForm, add_service_errors
from gongkai.applications.models import Application
from gongkai.applications.services import take_online_submission
from gongkai.applications.services.validation import check_attachments, clean_application_data
from gongkai.applications.views.status import SESSION_KEY as STATUS_SESSION_KEY
from gongkai.intake import captcha, held
from gongkai.intake.captcha import Proof
from gongkai.intake.public import guarded
from gongkai.intake.ratelimit import RateLimited

SESSION_KEY = "gongkai_submitted_application"
HELD_SCOPE = "apply"
FILE_FIELDS = ("id_copy", "authorisation")


def _fresh_challenge(form: ApplicationForm) -> captcha.Challenge:
    challenge = captcha.new_challenge()
    if form.is_bound:
        form.data = form.data.copy()
        form.data["captcha_token"] = challenge.token
        form.data["captcha_answer"] = ""
    else:
        form.initial["captcha_token"] = challenge.token
    return challenge


def _check_applicant(form: ApplicationForm) -> None:
    """Put the service's checks of the applicant, request and files beside the fields
    (fields the form itself already flagged keep their first message)."""
    data = form.applicant_data()
    try:
        clean_application_data(data, today=timezone.localdate())
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            if name in form.fields and name not in form.errors:
                for message in messages:
                    form.add_error(name, message)
    for kind, upload in form.files_given():
        try:
            check_attachments([(kind, upload)])
        except ValidationError as error:
            add_service_errors(form, error, aliases={"attachments": kind})


def _files_with_held(request: HttpRequest):
    """The uploads of this post, plus the held files the person kept ticked (a new file
    chosen for a field replaces the held one; an unticked held file is deleted)."""
    files = request.FILES.copy()
    for kind in FILE_FIELDS:
        if kind in files:
            continue
        if request.POST.get(f"keep_{kind}"):
            upload = held.reopen(request, HELD_SCOPE, kind)
            if upload is not None:
                files[kind] = upload
        else:
            held.drop(request, HELD_SCOPE, kind)
    return files


def _hold_good_files(request: HttpRequest, form: ApplicationForm) -> None:
    """Hold every chosen file that passed the file checks for the next post (a bad file is
    named in its error instead)."""
    for kind in FILE_FIELDS:
        upload = form.files.get(kind)
        if not upload or form.has_error(kind):
            continue
        try:
            check_attachments([(kind, upload)])
        except ValidationError:
            continue
        held.hold(request, HELD_SCOPE, kind, upload)


_QUESTION = re.compile(r"^(\d+) (加|减) (\d+) 等于多少？$")


def question_in_language(question: str) -> str:
    """The captcha's question (「7 加 5 等于多少？」) in the reader's language."""
    if not (match := _QUESTION.match(question or "")):
        return question
    a, sign, b = match.groups()
    if sign == "加":
        return gettext("%(a)s 加 %(b)s 等于多少？") % {"a": a, "b": b}
    return gettext("%(a)s 减 %(b)s 等于多少？") % {"a": a, "b": b}


def _render(request, form, challenge_question, status=200, changed=False):
    form.mark_for_screen_readers()
    if form.is_bound:
        _hold_good_files(request, form)
    return render(
        request,
        "applications/apply.html",
        {
            "form": form,
            "captcha_question": question_in_language(challenge_question),
            "held": held.held(request, HELD_SCOPE),
            "question_changed": changed,
        },
        status=status,
    )


class _FormInvalid(ValidationError):
    """The form's own checks failed (already on the form); counted as a refused submission."""


@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    """在线申请: take an application; on success redirect to the page with its 查询码."""
    if request.method == "GET":
        held.release(request, HELD_SCOPE)  # a fresh form starts with no files
        form = ApplicationForm(initial={"agency": request.GET.get("agency") or None})
        challenge = _fresh_challenge(form)
        return _render(request, form, challenge.question)

    form = ApplicationForm(request.POST, _files_with_held(request))

    def submit():
        if not form.is_valid():
            _check_applicant(form)  # report every field at once, not only the form's own
            wrong = {"captcha_answer": ["?"]} if "captcha_answer" in form.errors else {}
            raise _FormInvalid(wrong or {"form": ["invalid"]})
        return take_online_submission(
            agency=form.cleaned_data["agency"],
            data=form.applicant_data(),
            files=form.files_given(),
            idempotency_key=request.POST.get("idempotency_key", ""),
            proof=Proof(form.cleaned_data["captcha_token"], form.cleaned_data["captcha_answer"]),
        )

    try:
        application, _created = guarded(request, scope="apply", submit=submit)
    except RateLimited as error:
        form.is_valid()
        form.errors.clear()
        form.add_error(None, str(error))
        challenge = _fresh_challenge(form)
        return _render(request, form, challenge.question, status=429)
    except _FormInvalid:
        # the captcha was not checked, so not used up: the same question, the answer kept
        question = captcha.question_of(request.POST.get("captcha_token", ""))
        if question is None:
            question = _fresh_challenge(form).question
        return _render(request, form, question, status=400)
    except ValidationError as error:
        errors = error.message_dict
        add_service_errors(form, error, aliases={"attachments": "id_copy"})
        if "idempotency_key" in errors:
            # the key is in the page, so no secret: a new one for the next attempt
            form.data = form.data.copy()
            form.data["idempotency_key"] = uuid.uuid4().hex
        if "captcha_answer" in errors or "idempotency_key" in errors:
            challenge = _fresh_challenge(form)
            return _render(request, form, challenge.question, status=400, changed=True)
        # the captcha was not used up: the same question, the answer kept
        token = form.cleaned_data["captcha_token"]
        return _render(request, form, captcha.question_of(token), status=400)
    held.release(request, HELD_SCOPE)
    request.session[SESSION_KEY] = application.pk
    request.session[STATUS_SESSION_KEY] = application.pk  # its status page, without the code
    return redirect("applications:apply_done")


def apply_done(request: HttpRequest) -> HttpResponse:
    """The 查询码 of the application this browser just submitted (kept in its session)."""
    pk = request.session.get(SESSION_KEY)
    application = Application.objects.select_related("agency").filter(pk=pk).first() if pk else None
    if application is None:
        return redirect("applications:apply")
    return render(
        request,
        "applications/apply_done.html",
        {"application": application, "attachments": application.attachments.all()},
    )
