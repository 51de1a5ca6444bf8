"""The workbench (工作台) of 依申请公开: the queue, registration, the detail page and actions.

Every read goes through ``selectors`` (a clerk sees their agencies, a supervisor the subtree);
every change is one service call (``ui_support.perform``); a refused transition shows its
reason and changes nothing. Forms post, then redirect (POST-redirect-GET).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.accounts import rules
from gongkai.applications.action_forms import action_form
from gongkai.applications.forms import QueueFilterForm, RegisterForm, add_service_errors
from gongkai.applications.models import ReplyDraft
from gongkai.applications.selectors import (
    applications_for_user,
    may_see_personal_data,
    reveal_personal_data,
)
from gongkai.applications.services import TransitionRefused, deadline_band, register_application
from gongkai.applications.services.common import CalendarYearRefused
from gongkai.applications.services.deadlines import DeadlineBand
from gongkai.applications.services.ui_support import (
    ACTION_LABELS,
    available_actions,
    band_counts,
    band_q,
    perform,
    reply_choices,
)
from gongkai.applications.views.access import get_visible
from gongkai.applications.views.extras import HandlerForm
from gongkai.holidays.services import load_calendar
from gongkai.law.identifiers import mask_address
from gongkai.law.workflow import OPEN_STATES, State

PAGE_SIZE = 50
BANDS = [DeadlineBand.OVERDUE, DeadlineBand.DUE_SOON, DeadlineBand.ON_TRACK, DeadlineBand.STOPPED]


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """My queue: open applications by due date, with colour bands, counts and filters."""
    user = request.user
    today = timezone.localdate()
    calendar = load_calendar()
    visible = rules.visible_agencies(user)
    form = QueueFilterForm(
        request.GET or None,
        agencies=visible,
        band_choices=[(b.value, b.label_zh) for b in BANDS],
        state_choices=[(s.value, s.label_zh) for s in State],
    )
    rows = applications_for_user(user)  # by due date, none last
    if form.is_valid():
        f = form.cleaned_data
        if f["agency"]:
            rows = rows.filter(agency=f["agency"])
        if f["channel"]:
            rows = rows.filter(channel=f["channel"])
        if f["mine"]:
            rows = rows.filter(handler=user)
        state = f["state"]
    else:
        f, state = {}, ""
    if state != "all":
        rows = rows.filter(state__in=[state] if state else [s.value for s in OPEN_STATES])
    counts = band_counts(rows, today, calendar)
    if f.get("band"):
        rows = rows.filter(band_q(f["band"], today, calendar))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    items = [{"a": a, "band": deadline_band(a, today, calendar)} for a in page]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "applications/queue.html",
        {
            "form": form,
            "page": page,
            "items": items,
            "counts": [(b, counts[b.value]) for b in BANDS],
            "today": today,
            "query": query.urlencode(),
            "can_register": rules.handled_agencies(user).exists(),
        },
    )


@login_required
def register(request: HttpRequest) -> HttpResponse:
    """Register an application received in person, by post, fax or e-mail (Art. 31)."""
    agencies = rules.handled_agencies(request.user)
    if not agencies.exists():
        raise PermissionDenied("您不是任何机关的公开工作人员 / you handle no agency")
    form = RegisterForm(request.POST or None, request.FILES or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            application = register_application(
                actor=request.user,
                agency=c["agency"],
                channel=c["channel"],
                data=form.applicant_data(),
                received_on=c["received_on"],
                files=form.files_given(),
                idempotency_key=c["idempotency_key"],
                accept=c["accept"],
            )
        except ValidationError as error:
            add_service_errors(form, error, aliases={"attachments": "id_copy"})
        else:
            messages.success(request, f"已登记：{application.reference}")
            return redirect("applications:detail", pk=application.pk)
    form.mark_for_screen_readers()
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "applications/register.html", {"form": form}, status=status)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One application: applicant (masked unless allowed), due date and why, timeline, actions."""
    application = get_visible(request.user, pk)
    return _render_detail(request, application)


def _render_detail(request, application, failed=None, status=200):
    today = timezone.localdate()
    calendar = load_calendar()
    user = request.user
    actions = available_actions(user, application, today=today, calendar=calendar)
    forms = []
    for name in actions:
        form = (
            failed
            if failed is not None and failed.prefix == name
            else action_form(name, application)
        )
        form.mark_for_screen_readers()
        label = ACTION_LABELS[name]
        if name == "accept" and application.awaiting_confirmation:
            label = "确认收到并受理"
        forms.append({"name": name, "label": label, "form": form, "open": form is failed})
    full = reveal_personal_data(user, application, what="detail")
    can_handle = rules.can_handle(user, application.agency_id)
    return render(
        request,
        "applications/detail.html",
        {
            "a": application,
            "full": full,
            "masked_address": mask_address(application.address),
            "band": deadline_band(application, today, calendar),
            "events": application.events.select_related("actor").order_by("at", "pk"),
            "letters": application.letters.all(),
            "attachments": application.attachments.all() if full else [],
            "consultations": application.consultations.all(),
            "forms": forms,
            "reply_info": reply_choices(),
            "can_handle": can_handle,
            "draft": ReplyDraft.objects.filter(application=application)
            .select_related("letter", "drafted_by", "returned_by")
            .first()
            if application.is_open
            else None,
            "handler_form": HandlerForm(application=application) if can_handle else None,
        },
        status=status,
    )


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Run one action; on success redirect to the detail page, else show why (nothing changed)."""
    if action not in ACTION_LABELS:
        raise Http404("没有该操作 / no such action")
    application = get_visible(request.user, pk)
    if not rules.can_handle(request.user, application.agency_id):
        raise PermissionDenied("您不能办理该申请 / you do not handle this application")
    form = action_form(action, application, request.POST, request.FILES)
    if not form.is_valid():
        return _render_detail(request, application, failed=form, status=400)
    try:
        perform(
            actor=request.user, application=application, action=action, data=form.service_data()
        )
    except CalendarYearRefused as refusal:  # on the form, so the clerk sees what to import
        form.add_error(None, f"{refusal.reason_zh} / {refusal.reason_en}")
        application.refresh_from_db()
        return _render_detail(request, application, failed=form, status=409)
    except TransitionRefused as refusal:
        messages.error(request, f"未办理：{refusal.reason_zh} / {refusal.reason_en}")
        return redirect("applications:detail", pk=application.pk)
    except PermissionDenied as denied:  # e.g. a clerk's reply, which needs the approver
        messages.error(request, f"未办理：{denied}")
        application.refresh_from_db()
        return _render_detail(request, application, status=403)
    except ValidationError as error:
        add_service_errors(form, error)
        application.refresh_from_db()
        return _render_detail(request, application, failed=form, status=400)
    messages.success(request, f"已办理：{ACTION_LABELS[action]}")
    return redirect("applications:detail", pk=application.pk)


@login_required
def attachment(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """An uploaded file: only for those who may see the applicant's personal data."""
    application = get_visible(request.user, pk)
    if not may_see_personal_data(request.user, application):
        raise PermissionDenied("您无权查看申请人的材料 / you may not see the applicant's files")
    item = application.attachments.filter(pk=attachment_pk).first()
    if item is None:
        raise Http404()
    reveal_personal_data(request.user, application, what=f"attachment:{item.pk}")
    return FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=item.original_name,
        content_type=item.content_type,
    )
