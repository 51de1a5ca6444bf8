"""REST API of 依申请公开 (django-ninja), mounted by ``gongkai.api`` at /api/v1/.

Public: ``GET /applications/captcha``, ``POST /applications`` (with an ``Idempotency-Key``
header) and ``GET /applications/status/{query_code}``. Staff, with ``Authorization: Bearer
<token>``: the list, one application, and ``POST /applications/{id}/actions/{action}``. Reads go
through the selectors (a token sees what its user sees); changes through the same services and
action forms as the workbench. Errors: 409 ``{"code", "detail_zh", "detail_en"}`` for a refused
transition (``calendar.missing_year`` when a date would fall in a year without holiday data: the
detail names the year and ``gongkai calendar import YEAR FILE``), 422 ``{"detail", "errors":
{field: [messages]}}`` for bad input.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Header, Router
from ninja.responses import Status
from ninja.security import HttpBearer

from gongkai.accounts import rules
from gongkai.accounts.tokens import user_for_token
from gongkai.agencies.models import Agency
from gongkai.applications.action_forms import ACTION_FORMS, action_form
from gongkai.applications.api_schemas import (
    AgencyOut,
    ApplicationIn,
    CaptchaOut,
    Detail,
    ListOut,
    Problem,
    Refusal,
    StatusOut,
    SubmitOut,
)
from gongkai.applications.models import Application, ReplyDraft
from gongkai.applications.selectors import applications_for_user, reveal_personal_data
from gongkai.applications.services import (
    deadline_band,
    find_by_tracking_code,
    take_online_submission,
)
from gongkai.applications.services.ui_support import (
    available_actions,
    band_q,
    perform,
    public_events,
    public_state_label,
)
from gongkai.holidays.services import load_calendar
from gongkai.intake import captcha
from gongkai.intake.captcha import Proof
from gongkai.intake.public import guarded
from gongkai.intake.ratelimit import hit
from gongkai.law.identifiers import mask_address
from gongkai.law.workflow import OPEN_STATES

router = Router(tags=["依申请公开 applications"])

MAX_PAGE_SIZE = 100


class TokenAuth(HttpBearer):
    """``Authorization: Bearer gk_…`` — a token made in the admin or by create_api_token."""

    def authenticate(self, request: HttpRequest, token: str):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


# --- public ---------------------------------------------------------------------------------


@router.get("/captcha", response=CaptchaOut, auth=None, summary="A captcha for POST /applications")
def get_captcha(request):
    challenge = captcha.new_challenge()
    return {"token": challenge.token, "question": challenge.question}


def _submitted(request, application: Application) -> dict:
    return {
        "query_code": application.tracking_code,
        "query_code_display": application.tracking_code_display,
        "reference": application.reference,
        "state": application.state,
        "state_label": public_state_label(application),
        "status_url": request.build_absolute_uri(
            reverse("applications:status", args=[application.tracking_code])
        ),
    }


@router.post(
    "",
    response={200: SubmitOut, 201: SubmitOut, 422: Problem, 429: Problem},
    auth=None,
    summary="Submit an application (public; waits in 待确认 until the office confirms)",
)
def submit(
    request, payload: ApplicationIn, idempotency_key: str = Header("", alias="Idempotency-Key")
):
    data = payload.dict()
    proof = Proof(data.pop("captcha_token"), data.pop("captcha_answer"))
    slug = data.pop("agency")

    def take():
        agency = None if "\x00" in slug else Agency.objects.filter(slug=slug).first()
        if agency is None:
            raise ValidationError({"agency": f"没有标识为 {slug} 的机关 / unknown agency"})
        return take_online_submission(
            agency=agency, data=data, idempotency_key=idempotency_key, proof=proof
        )

    application, created = guarded(request, scope="apply", submit=take)
    return Status(201 if created else 200, _submitted(request, application))


@router.get(
    "/status/{query_code}",
    response={200: StatusOut, 404: Problem},
    auth=None,
    summary="The status of an application by its 查询码 (no personal data)",
)
def status(request, query_code: str):
    hit(request, "status")
    application = find_by_tracking_code(query_code)
    if application is None:
        raise Http404("没有该查询码的申请 / no application has this code")
    reply = getattr(application, "reply", None)
    return {
        "query_code": application.tracking_code,
        "agency": application.agency.name,
        "applicant": application.masked_name,
        "state": application.state,
        "state_label": public_state_label(application),
        "submitted_at": application.submitted_at,
        "received_on": application.received_on,
        "due_on": application.due_on if application.is_open else None,
        "provisional_due_on": application.provisional_due_on if application.is_open else None,
        "events": public_events(application),
        "reply": None
        if reply is None
        else {
            "disposition": reply.disposition,
            "label": reply.get_disposition_display(),
            "replied_on": reply.replied_on,
            "letter_url": request.build_absolute_uri(
                reverse("applications:status_letter", args=[application.tracking_code])
            )
            if reply.letter_id
            else None,
        },
    }


# --- staff ----------------------------------------------------------------------------------


def _item(a: Application, today: date, calendar) -> dict:
    band = deadline_band(a, today, calendar)
    return {
        "id": a.pk,
        "reference": a.reference,
        "agency": {"id": a.agency_id, "slug": a.agency.slug, "name": a.agency.name},
        "state": a.state,
        "state_label": public_state_label(a),
        "channel": a.channel,
        "applicant_kind": a.applicant_kind,
        "applicant_name": a.masked_name,
        "submitted_at": a.submitted_at,
        "received_on": a.received_on,
        "due_on": a.due_on,
        "provisional_due_on": a.provisional_due_on,
        "band": band.value if band else None,
        "disposition": a.disposition,
        "awaiting_reply_approval": a.awaiting_reply_approval,
    }


def _draft(a: Application) -> dict[str, Any] | None:
    draft = ReplyDraft.objects.filter(application=a).first() if a.is_open else None
    if draft is None:
        return None
    return {
        "status": draft.status,
        "disposition": draft.disposition,
        "drafted_on": draft.drafted_on.isoformat(),
        "letter": draft.letter_id,
        "return_note": draft.return_note,
    }


@router.get("", response=ListOut, auth=TokenAuth(), summary="Applications the token may see")
def list_applications(
    request,
    agency: int | None = None,
    state: str = "",
    channel: str = "",
    band: str = "",
    open_only: bool = False,
    page: int = 1,
    page_size: int = 50,
):
    user = request.auth
    today, calendar = timezone.localdate(), load_calendar()
    rows = applications_for_user(user)  # by due date, none last
    if agency:
        # An id beyond 64 bits matches no row (and would overflow the database's integer).
        rows = rows.filter(agency_id=agency) if abs(agency) < 2**63 else rows.none()
    if state:
        rows = rows.filter(state=state)
    if open_only:
        rows = rows.filter(state__in=[s.value for s in OPEN_STATES])
    if channel:
        rows = rows.filter(channel=channel)
    if band:
        try:
            rows = rows.filter(band_q(band, today, calendar))
        except ValueError:
            raise ValidationError({"band": "期限分组无效 / unknown band"}) from None
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    page = max(1, min(page, 10**9))  # the row offset stays a 64-bit integer
    count = rows.count()
    chunk = rows[(page - 1) * page_size : page * page_size]
    return {
        "count": count,
        "page": page,
        "page_size": page_size,
        "items": [_item(a, today, calendar) for a in chunk],
    }


def _json_object(request) -> dict[str, Any]:
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, RecursionError):  # RecursionError: nested deeper than Python's stack
        raise ValidationError({"__all__": "请求体不是 JSON / the body is not JSON"}) from None
    if not isinstance(body, dict):
        raise ValidationError({"__all__": "请求体应为 JSON 对象 / the body must be an object"})
    return {k: "" if v is None else v for k, v in body.items()}


def _visible(user, pk: int) -> Application:
    from gongkai.applications.views.access import get_visible

    return get_visible(user, pk)


def _detail(request, application: Application) -> dict:
    user = request.auth
    today, calendar = timezone.localdate(), load_calendar()
    full = reveal_personal_data(user, application, what="api")
    a = application
    if full:
        applicant = {
            "name": a.applicant_name,
            "id_type": a.id_type,
            "id_number": a.id_number,
            "credit_code": a.credit_code,
            "representative": a.representative,
            "contact_name": a.contact_name,
            "phone": a.phone,
            "email": a.email,
            "address": a.address,
            "postcode": a.postcode,
        }
    else:
        applicant = {
            "name": a.masked_name,
            "id_type": a.id_type,
            "id_number": a.masked_id_number,
            "phone": a.masked_phone,
            "address": mask_address(a.address),
        }
    data = _item(a, today, calendar)
    data.update(
        personal_data_masked=not full,
        applicant=applicant,
        description=a.description,
        form_wanted=a.form_wanted,
        delivery_method=a.delivery_method,
        purpose=a.purpose,
        clock_explanation=a.clock_explanation,
        clock_basis=a.clock_basis,
        allowed_actions=available_actions(user, a, today=today, calendar=calendar),
        events=[
            {
                "at": e.at.isoformat(),
                "action": e.action,
                "label": e.label,
                "from_state": e.from_state,
                "to_state": e.to_state,
            }
            for e in a.events.order_by("at", "pk")
        ],
        reply_draft=_draft(a),
        letters=[
            {
                "id": x.pk,
                "key": x.key,
                "title": x.title,
                "number": x.number,
                "issued_on": x.issued_on.isoformat(),
            }
            for x in a.letters.all()
        ],
    )
    if full:
        data["query_code"] = a.tracking_code
    return data


@router.get(
    "/{int:pk}",
    response={200: Detail, 404: Problem},
    auth=TokenAuth(),
    summary="One application (personal data masked unless the user may see it)",
)
def get_application(request, pk: int):
    return _detail(request, _visible(request.auth, pk))


@router.post(
    "/{int:pk}/actions/{action}",
    response={200: Detail, 403: Problem, 404: Problem, 409: Refusal, 422: Problem},
    auth=TokenAuth(),
    summary="Take an action (accept, request_correction, reply, …); 409 when the law refuses it",
    openapi_extra={
        "requestBody": {
            "content": {"application/json": {"schema": {"type": "object"}}},
            "description": "The action's fields, as on the workbench form",
        }
    },
)
def act(request, pk: int, action: str):
    """The body is a JSON object of the action's fields (as the workbench form), e.g.
    ``{"items": "…"}`` for request_correction or ``{"disposition": "granted",
    "provision_method": "电子邮件"}`` for reply; ``on`` (YYYY-MM-DD) defaults to today."""
    if action not in ACTION_FORMS:
        raise Http404("没有该操作 / no such action")
    application = _visible(request.auth, pk)
    if not rules.can_handle(request.auth, application.agency_id):  # 403 before any 422
        raise PermissionDenied("您不能办理该申请 / you do not handle this application")
    body = _json_object(request)
    if action in ("reply", "draft_reply") and isinstance(body.get("letter"), dict):
        body.update(body.pop("letter"))
    form = action_form(action, application, body, prefix=False)
    if not form.is_valid():
        raise ValidationError({k: list(v) for k, v in form.errors.items()})
    perform(actor=request.auth, application=application, action=action, data=form.service_data())
    application = Application.objects.select_related("agency", "handler").get(pk=pk)
    return _detail(request, application)


agencies_router = Router(tags=["机关 agencies"])


@agencies_router.get("", response=list[AgencyOut], auth=None, summary="Agencies one may apply to")
def list_agencies(request):
    return list(Agency.objects.values("id", "slug", "name"))


__all__ = ["agencies_router", "router", "PermissionDenied"]
