"""The REST API (django-ninja) at /api/v1/: OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs.

The docs page's JavaScript and CSS come from django-ninja's own static files ("ninja" is in
INSTALLED_APPS), never from a CDN. Errors keep one shape: 422 ``{"detail", "errors"}``,
409 ``{"code", "detail_zh", "detail_en"}`` for a refused transition, 403/404/429
``{"detail"}``, Chinese first.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from gongkai.applications.api import agencies_router
from gongkai.applications.api import router as applications_router
from gongkai.intake.ratelimit import RateLimited
from gongkai.law.workflow import TransitionRefused
from gongkai.mailbox.api import router as mailbox_router
from gongkai.publications.api import router as publications_router
from gongkai.search.api import router as search_router

api = NinjaAPI(
    title="gongkai 政府信息公开 API",
    version="1",
    description="依申请公开：公开提交与查询；工作人员凭令牌（Authorization: Bearer）办理。",
    urls_namespace="api",
)
api.add_router("/applications", applications_router)
api.add_router("/agencies", agencies_router)
api.add_router("/publications", publications_router)
api.add_router("/mailboxes", mailbox_router)
api.add_router("/search", search_router)


@api.exception_handler(TransitionRefused)
def refused(request, exc: TransitionRefused):
    body = {"code": exc.code, "detail_zh": exc.reason_zh, "detail_en": exc.reason_en}
    return api.create_response(request, body, status=409)


@api.exception_handler(ValidationError)
def invalid(request, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        errors = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
    else:
        errors = {"__all__": [str(m) for m in exc.messages]}
    body = {"detail": "输入有误 / invalid input", "errors": errors}
    return api.create_response(request, body, status=422)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc: PermissionDenied):
    return api.create_response(request, {"detail": str(exc) or "禁止 / forbidden"}, status=403)


@api.exception_handler(Http404)
def not_found(request, exc: Http404):
    return api.create_response(request, {"detail": str(exc) or "不存在 / not found"}, status=404)


@api.exception_handler(AuthenticationError)
def unauthorised(request, exc):
    body = {"detail": "需要有效的 API 令牌 / a valid API token is required"}
    return api.create_response(request, body, status=401)


@api.exception_handler(RateLimited)
def too_many(request, exc: RateLimited):
    response = api.create_response(request, {"detail": str(exc)}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response
