"""The workbench (工作台) of 依申请公开: the queue, registration, the detail page and actions.

Every read goes through ``selectors`` (a clerk sees their agencies, a supervisor the subtree);
every change is one service call (``ui_support.perform``); a refused transition shows its
reason and changes nothing. Forms post, then redirect (POST-redirect-GET).
"""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_POST

from gongkai.accounts import rules
from gongkai.applications.action_forms import action_form
from gongkai.applications.forms import QueueFilterForm, RegisterForm, add_service_errors
from gongkai.applications.labels import articles_in_language, translated
from gongkai.applications.models import ExtensionRequest, ReplyDraft
from gongkai.applications.selectors import (
    applications_for_user,
    awaiting_my_approval,
    may_see_personal_data,
    reveal_personal_data,
)
from gongkai.applications.services import TransitionRefused, deadline_band, register_application
from gongkai.applications.services.common import CalendarYearRefused
from gongkai.applications.services.deadlines import DeadlineBand
from gongkai.applications.services.queue import IN_HAND_STATES, queue_rows, queue_xlsx, search_q
from gongkai.applications.services.supervision import urgings_for
from gongkai.applications.services.ui_support import (
    ACTION_LABELS,
    available_actions,
    band_counts,
    band_q,
    legal_date,
    perform,
    reply_choices,
)
from gongkai.applications.views.access import get_visible
from gongkai.applications.views.extras import HandlerForm
from gongkai.holidays.services import load_calendar
from gongkai.law.identifiers import mask_address
from gongkai.law.workflow import State
from gongkai.portal.templatetags.one_language import pick

PAGE_SIZE = 50
EXPORT_LIMIT = 5000
BANDS = [
    DeadlineBand.OVERDUE,
    DeadlineBand.DUE_SOON,
    DeadlineBand.ON_TRACK,
    DeadlineBand.STOPPED,
    DeadlineBand.AWAITING,
    DeadlineBand.UNDATED,
]


def _filtered_queue(request: HttpRequest, today, calendar):
    """The form and the applications the queue's filters (GET) select, by due date."""
    user = request.user
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
        if f["q"]:
            rows = rows.filter(search_q(f["q"]))
        state = f["state"]
    else:
        f, state = {}, ""
    if state != "all":
        rows = rows.filter(state__in=[state] if state else [s.value for s in IN_HAND_STATES])
    counts = band_counts(rows, today, calendar)
    if f.get("band"):
        rows = rows.filter(band_q(f["band"], today, calendar))
    return form, rows, counts


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """My queue: cases in hand by due date, with colour bands, counts, search and filters."""
    user = request.user
    today = timezone.localdate()
    calendar = load_calendar()
    form, rows, counts = _filtered_queue(request, today, calendar)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    me = rules.standing(user)
    handled = me.handled
    items = queue_rows(page, today=today, calendar=calendar, full_names_for=handled)
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
            "can_register": bool(handled),
            "to_approve": awaiting_my_approval(user).count() if me.approved else 0,
            "urgings": urgings_for(handled) if handled else [],
            "may_oversee": me.may_oversee,
        },
    )


@login_required
def queue_export(request: HttpRequest) -> HttpResponse:
    """The queue as filtered, as an Excel workbook (names masked: the file leaves the system)."""
    today = timezone.localdate()
    calendar = load_calendar()
    _form, rows, _counts = _filtered_queue(request, today, calendar)
    content = queue_xlsx(rows[:EXPORT_LIMIT], today=today, calendar=calendar)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    filename = f"依申请公开-{today.isoformat()}.xlsx"
    response["Content-Disposition"] = (
        f'attachment; filename="applications-{today.isoformat()}.xlsx"; '
        f"filename*=UTF-8''{quote(filename)}"
    )
    return response


@login_required
def approvals(request: HttpRequest) -> HttpResponse:
    """待我审批: the reply drafts and extension requests waiting for this approver."""
    today = timezone.localdate()
    calendar = load_calendar()
    pending = awaiting_my_approval(request.user)
    handled = frozenset(rules.handled_agencies(request.user).values_list("pk", flat=True))
    items = queue_rows(pending, today=today, calendar=calendar, full_names_for=handled)
    return render(request, "applications/approvals.html", {"items": items, "today": today})


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
            messages.success(
                request, gettext("已登记：%(reference)s") % {"reference": application.reference}
            )
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
    events = list(application.events.select_related("actor").order_by("at", "pk"))
    return render(
        request,
        "applications/detail.html",
        {
            "a": application,
            "full": full,
            "masked_address": mask_address(application.address),
            "band": deadline_band(application, today, calendar),
            "events": [{"e": e, "on": legal_date(e)} for e in events],
            "urgings": [e for e in events if e.action == "urge"] if application.is_open else [],
            "can_urge": application.is_open and rules.can_supervise(user, application.agency_id),
            "letters": application.letters.filter(draft=False),  # a draft is in its own box
            "attachments": application.attachments.all() if full else [],
            "consultations": application.consultations.all(),
            "forms": forms,
            "reply_info": [
                c | {"articles": articles_in_language(c["articles"])} for c in reply_choices()
            ],
            "can_handle": can_handle,
            "draft": ReplyDraft.objects.filter(application=application)
            .select_related("letter", "drafted_by", "returned_by")
            .first()
            if application.is_open
            else None,
            "handler_form": HandlerForm(application=application) if can_handle else None,
            "extension_request": ExtensionRequest.objects.filter(application=application)
            .select_related("requested_by")
            .first()
            if application.is_open
            else None,
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
        messages.error(request, f"未办理：{refusal.reason_zh} / not done: {refusal.reason_en}")
        return redirect("applications:detail", pk=application.pk)
    except PermissionDenied as denied:  # e.g. a clerk's reply, which needs the approver
        messages.error(
            request, gettext("未办理：%(reason)s") % {"reason": pick(str(denied), get_language())}
        )
        application.refresh_from_db()
        return _render_detail(request, application, status=403)
    except ValidationError as error:
        add_service_errors(form, error)
        application.refresh_from_db()
        return _render_detail(request, application, failed=form, status=400)
    messages.success(
        request, gettext("已办理：%(action)s") % {"action": translated(ACTION_LABELS[action])}
    )
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
