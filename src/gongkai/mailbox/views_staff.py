"""The workbench of the mailbox: the letters a user may see, one letter, and its actions.

Each action posts to :func:`act`, which calls one service; who may do what is decided there
(and shown here only through the same rules)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.accounts import rules
from gongkai.accounts.models import User
from gongkai.agencies.models import Agency
from gongkai.applications.forms import RegisterForm, add_service_errors
from gongkai.holidays.services import load_calendar
from gongkai.mailbox import selectors, services
from gongkai.mailbox.models import Category, Letter


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    calendar = load_calendar()
    show = request.GET.get("show", "open")
    letters = selectors.letters_for_user(request.user)
    if show != "all":
        letters = letters.filter(state__in=selectors.OPEN_STATES)
    rows = [
        {"letter": letter, "band": selectors.band(letter, today, calendar)}
        for letter in letters[:500]
    ]
    return render(
        request,
        "mailbox/queue.html",
        {"rows": rows, "show": show, "labels": selectors.BAND_LABELS},
    )


def _letter(request, pk: int) -> Letter:
    try:
        return selectors.letter_for_user(request.user, pk)
    except Letter.DoesNotExist:
        raise Http404("没有该来信 / no such letter") from None


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    letter = _letter(request, pk)
    user = request.user
    sorter = rules.can_sort_letters(user, letter.mailbox.agency_id)
    handler = rules.can_handle(user, letter.agency_id)
    approver = rules.can_approve_letter_reply(user, letter.agency_id, letter.mailbox.agency_id)
    return render(
        request,
        "mailbox/detail.html",
        {
            "letter": letter,
            "may_sort": (sorter or handler) and letter.is_open,
            "may_draft": handler and letter.is_open,
            "may_approve": approver and letter.state == Letter.State.DRAFTED,
            "may_publish": sorter
            and letter.state == Letter.State.ANSWERED
            and letter.consent_to_publish,
            "categories": Category.choices,
            "redirects": Letter.Redirect.choices,
            "agencies": Agency.objects.exclude(pk=letter.agency_id).only("pk", "name"),
            "handlers": rules.handlers_of([letter.agency_id]),
            "band": selectors.band(letter, timezone.localdate()),
            "events": letter.events,
            "public_preview": {
                "subject": services.mask_for_public(letter, letter.subject),
                "reply": services.mask_for_public(letter, letter.reply or letter.draft),
            },
        },
    )


def _date(text: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError({"on": "日期格式应为 YYYY-MM-DD / use YYYY-MM-DD"}) from None


def _perform(action: str, user, letter: Letter, post) -> str:
    """Run the action's service; return the success message."""
    if action == "sort":
        services.sort(actor=user, letter=letter, category=post.get("category", ""))
        return "已分类"
    if action == "assign":
        handler = User.objects.filter(pk=post.get("handler") or 0).first()
        services.assign(actor=user, letter=letter, handler=handler)
        return "已分办"
    if action == "transfer":
        to = Agency.objects.filter(pk=post.get("to_agency") or 0).first()
        services.transfer(actor=user, letter=letter, to_agency=to, note=post.get("note", ""))
        return f"已转交{to.name}办理"
    if action == "draft":
        services.draft_reply(actor=user, letter=letter, text=post.get("text", ""))
        return "答复草稿已提交审核"
    if action == "approve":
        services.approve_reply(
            actor=user, letter=letter, text=post.get("text") or None, on=_date(post.get("on", ""))
        )
        return "已审核并答复"
    if action == "return":
        services.return_draft(actor=user, letter=letter, reason=post.get("reason", ""))
        return "答复草稿已退回"
    if action == "redirect":
        services.redirect(
            actor=user, letter=letter, kind=post.get("kind", ""), note=post.get("note", "")
        )
        return "已告知来信人其他渠道"
    if action == "publish":
        services.publish(actor=user, letter=letter)
        return "已选登公开"
    if action == "unpublish":
        services.unpublish(actor=user, letter=letter)
        return "已撤销公开"
    raise Http404("没有该操作 / unknown action")


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    letter = _letter(request, pk)
    try:  # a refusal by the step's rule (PermissionDenied) is a 403, not a message
        message = _perform(action, request.user, letter, request.POST)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, message)
    if not (
        rules.can_view(request.user, Letter.objects.get(pk=pk).agency_id)
        or rules.can_view(request.user, letter.mailbox.agency_id)
    ):
        return redirect("mailbox:queue")  # transferred out of sight
    return redirect("mailbox:letter", pk=pk)


@login_required
def to_application(request: HttpRequest, pk: int) -> HttpResponse:
    """Turn a letter that is really a disclosure application into one: the registration form,
    prefilled from the letter, completed by the clerk (Art. 29), then
    :func:`services.convert_to_application`."""
    letter = _letter(request, pk)
    allowed = rules.can_sort_letters(request.user, letter.mailbox.agency_id) or rules.can_handle(
        request.user, letter.agency_id
    )
    if not allowed or not letter.is_open:
        raise PermissionDenied("该来信不能由您转为申请 / you may not turn this letter into one")
    agencies = rules.handled_agencies(request.user)
    initial = {**services.application_data(letter), "agency": letter.agency_id}
    initial["channel"] = "email"
    form = RegisterForm(
        request.POST or None, request.FILES or None, agencies=agencies, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            application = services.convert_to_application(
                actor=request.user,
                letter=letter,
                agency=c["agency"],
                channel=c["channel"],
                data=form.applicant_data(),
                received_on=c["received_on"],
                files=form.files_given(),
                accept=c["accept"],
                idempotency_key=c["idempotency_key"],
            )
        except ValidationError as error:
            add_service_errors(form, error, aliases={"attachments": "id_copy"})
        else:
            messages.success(request, f"已登记申请 {application.reference}，来信已办结")
            return redirect("applications:detail", pk=application.pk)
    form.mark_for_screen_readers()
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request, "mailbox/to_application.html", {"form": form, "letter": letter}, status=status
    )
