"""The applicant's status page, reached without the 查询码 in any URL it stays on.

The code is posted from the lookup form (a link in a receipt may carry it once: it is put in
the session and the browser redirected), so it stays out of the address bar, the history and
the server's logs. The status page, the reply's downloads and the 补正 upload then read the
application from the session: they are bound to the browser that presented the code.

What the page says: the state, the due date, each step's legal date, and what to do next —
during 补正 what to supply, by when and how (with an upload), and once the due date has passed
without a reply, that it has and what the applicant may do (《政府信息公开条例》第五十一条).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext, gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.applications.forms import StatusLookupForm, SupplementUploadForm
from gongkai.applications.models import Application
from gongkai.applications.services import find_by_tracking_code
from gongkai.applications.services.applicant import submit_supplement
from gongkai.applications.services.letters import letter_pdf
from gongkai.applications.services.ui_support import public_events, public_state_label
from gongkai.applications.views.letters import content_disposition, download_name
from gongkai.intake.ratelimit import RateLimited, hit
from gongkai.law.workflow import State, TransitionRefused
from gongkai.letters.model import LetterRenderError
from gongkai.portal.templatetags.one_language import pick

SESSION_KEY = "gongkai_status_application"

#: 《政府信息公开条例》第五十一条, as the applicant reads it.
REMEDIES = gettext_lazy(
    "认为行政机关在政府信息公开工作中侵犯您合法权益的，可以向上一级行政机关或者政府信息公开"
    "工作主管部门投诉、举报，也可以依法申请行政复议或者提起行政诉讼（《中华人民共和国政府信息"
    "公开条例》第五十一条）。"
)

NOT_FOUND = "没有找到该查询码的申请，请核对后重试 / no application has this code"


def _not_submitted(errors: list[str]) -> str:
    """「未提交：…」 with the reasons, each in the reader's language (bilingual ones halved)."""
    reasons = [pick(str(e), get_language()) for e in errors]
    return gettext("未提交：%(reasons)s") % {"reasons": gettext("；").join(reasons)}


def _limited(request: HttpRequest) -> HttpResponse | None:
    """Count a status request; a 429 answer when over the limit."""
    try:
        hit(request, "status")
    except RateLimited as error:
        response = HttpResponse(str(error), status=429, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = str(error.retry_after)
        return response
    return None


def _remember(request: HttpRequest, application: Application) -> HttpResponse:
    request.session[SESSION_KEY] = application.pk
    return redirect("applications:status_page")


def _from_session(request: HttpRequest) -> Application:
    pk = request.session.get(SESSION_KEY)
    application = Application.objects.select_related("agency").filter(pk=pk).first()
    if application is None:
        raise Http404("请先输入查询码 / enter the query code first")
    return application


@never_cache
@require_http_methods(["GET", "POST"])
def status_lookup(request: HttpRequest) -> HttpResponse:
    """查询: post the 查询码; the status page follows without it in the address."""
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = StatusLookupForm(data)
    status = 200
    if form.is_bound and form.is_valid():
        try:
            hit(request, "status")
        except RateLimited as error:
            form.add_error(None, str(error))
            form.mark_for_screen_readers()
            return render(request, "applications/status_lookup.html", {"form": form}, status=429)
        application = find_by_tracking_code(form.cleaned_data["code"])
        if application is not None:
            return _remember(request, application)
        form.add_error("code", NOT_FOUND)
        status = 404
    form.mark_for_screen_readers()
    return render(request, "applications/status_lookup.html", {"form": form}, status=status)


@never_cache
def status_by_link(request: HttpRequest, code: str) -> HttpResponse:
    """A receipt's link carries the code once: remember it in the session and redirect."""
    if (limited := _limited(request)) is not None:
        return limited
    application = find_by_tracking_code(code)
    if application is None:
        raise Http404(NOT_FOUND)
    return _remember(request, application)


@never_cache
def status_letter_by_link(request: HttpRequest, code: str) -> HttpResponse:
    """The API's letter link: remember the code, then the session-bound download."""
    response = status_by_link(request, code)
    if response.status_code == 302:
        return redirect("applications:status_letter")
    return response


def _next_steps(application: Application, today) -> dict:
    """What the applicant should do now: supply a correction, or know the case is overdue."""
    steps: dict = {}
    correction = getattr(application, "correction", None)
    if application.state == State.CORRECTION_REQUESTED and correction is not None:
        steps["correction"] = correction
        steps["correction_late"] = correction.supplement_due < today
    due = application.due_on
    if application.is_open and due is not None and due < today:
        steps["overdue"] = True
    if steps.get("overdue") or not application.is_open:
        steps["remedies"] = REMEDIES
    return steps


@never_cache
def status(request: HttpRequest) -> HttpResponse:
    """The applicant's status page: progress, legal dates, next steps, the reply."""
    if (limited := _limited(request)) is not None:
        return limited
    pk = request.session.get(SESSION_KEY)
    if pk is None:
        return redirect("applications:status_lookup")
    application = _from_session(request)
    reply = getattr(application, "reply", None)
    today = timezone.localdate()
    return render(
        request,
        "applications/status.html",
        {
            "application": application,
            "state_label": public_state_label(application),
            "events": public_events(application),
            "reply": reply,
            "reply_letter": reply.letter if reply is not None else None,
            "docx_allowed": settings.GONGKAI_APPLICANT_DOCX,
            "next": _next_steps(application, today),
            "supplement_form": SupplementUploadForm(),
            "today": today,
        },
    )


def _issued_reply(request: HttpRequest):
    application = _from_session(request)
    reply = getattr(application, "reply", None)
    if reply is None or reply.letter is None or reply.letter.draft or not reply.letter.docx:
        raise Http404("尚未答复 / not answered yet")
    return reply.letter


@never_cache
def status_letter(request: HttpRequest) -> HttpResponse:
    """The reply letter as DOCX (where the office allows: GONGKAI_APPLICANT_DOCX)."""
    if (limited := _limited(request)) is not None:
        return limited
    if not settings.GONGKAI_APPLICANT_DOCX:
        raise Http404("答复书请下载 PDF / download the reply as PDF")
    letter = _issued_reply(request)
    return FileResponse(
        letter.docx.open("rb"),
        as_attachment=True,
        filename=download_name(letter, "docx"),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


@never_cache
def status_letter_pdf(request: HttpRequest) -> HttpResponse:
    """The issued reply letter as PDF, named by its 文号."""
    if (limited := _limited(request)) is not None:
        return limited
    letter = _issued_reply(request)
    try:
        content = letter_pdf(letter=letter)
    except LetterRenderError as error:
        return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(download_name(letter, "pdf"))
    return response


@never_cache
@require_POST
def status_supplement(request: HttpRequest) -> HttpResponse:
    """补正: the applicant sends the material from the status page (《政府信息公开条例》第三十条)."""
    if (limited := _limited(request)) is not None:
        return limited
    application = _from_session(request)
    form = SupplementUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            submit_supplement(
                application=application,
                note=form.cleaned_data["note"],
                files=[("supplement", f) for f in form.cleaned_data["files"]],
            )
        except ValidationError as error:
            messages.error(request, _not_submitted(error.messages))
        except TransitionRefused as refusal:
            messages.error(
                request, f"未提交：{refusal.reason_zh} / not submitted: {refusal.reason_en}"
            )
        else:
            messages.success(
                request,
                gettext(
                    "补正材料已提交。工作人员收到后继续办理，答复期限自收到补正材料之日起重新计算。"
                ),
            )
    else:
        messages.error(request, _not_submitted([e for errs in form.errors.values() for e in errs]))
    return redirect("applications:status_page")
