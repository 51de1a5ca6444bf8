"""REST API of 主动公开 (django-ninja), mounted by ``gongkai.api`` at /api/v1/publications.

Public, no token: ``GET /publications`` (published items only; filters ``agency`` (slug),
``reporting_unit`` (a ReportingUnit's slug or name: all its agencies at once), ``year`` (发布
year), ``category`` (catalogue code), ``channel``, ``validity``, ``kind``; ``count`` and the
page's ``items``, each with ``url``, its portal page or null) and ``GET /publications/{id}``
(404 unless published). Drafts are never shown here, whatever token is sent.

Staff, ``Authorization: Bearer <token>``: ``POST /publications`` makes a draft,
``PATCH /publications/{id}`` changes one, ``POST /publications/{id}/actions/{step}`` takes a
step (submit, review, approve, return, clear_secrecy, publish, place, correct, withdraw) —
through the same services as the workbench; they answer with the item as staff see it.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.responses import Status
from ninja.security import HttpBearer

from gongkai.accounts.tokens import user_for_token
from gongkai.agencies.models import Agency
from gongkai.publications import services
from gongkai.publications.models import Publication
from gongkai.publications.selectors import public_list, publication_url, publications_for_user
from gongkai.records.steps import UnknownStep

router = Router(tags=["主动公开 publications"])

MAX_PAGE_SIZE = 100


class Problem(Schema):
    """An error, Chinese first: ``detail``, and per-field ``errors`` for bad input (422)."""

    detail: Any
    errors: dict[str, list[str]] = {}


Item = dict[str, Any]
READ = {200: Item, 404: Problem, 422: Problem}
WRITE = {200: Item, 401: Problem, 403: Problem, 404: Problem, 422: Problem}


class TokenAuth(HttpBearer):
    """``Authorization: Bearer gk_…`` — a staff member's API token."""

    def authenticate(self, request: HttpRequest, token: str):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


def _date(value) -> str | None:
    return value.isoformat() if value else None


def _item(p: Publication) -> dict[str, Any]:
    return {
        "id": p.pk,
        "index_number": p.index_number,
        "title": p.title,
        "doc_number": p.doc_number,
        "kind": p.kind,
        "genre": p.genre,
        "agency": {"slug": p.agency.slug, "name": p.agency.name},
        "co_issuers": [{"slug": a.slug, "name": a.name} for a in p.co_issuers.all()],
        "category": {"code": p.category.code, "name": p.category.name} if p.category else None,
        "topic": {"code": p.topic.code, "name": p.topic.name} if p.topic else None,
        "written_on": _date(p.written_on),
        "published_on": _date(p.published_on),
        "effective_on": _date(p.effective_on),
        "repealed_on": _date(p.repealed_on),
        "expired_on": _date(p.expired_on),
        "validity": p.validity,
        "keywords": p.keywords,
        "channels": [
            {"channel": x.channel, "column": x.column, "placed_on": _date(x.placed_on)}
            for x in p.placements.all()
        ],
        "url": publication_url(p),
    }


def _detail(p: Publication) -> dict[str, Any]:
    data = _item(p)
    data.update(
        body=p.body,
        interpretation_form=p.interpretation_form,
        explains=[x.pk for x in p.explains.all() if x.state == "published"],
        interpretations=[x.pk for x in p.interpretations.all() if x.state == "published"],
        attachments=[
            {"name": a.name, "content_type": a.content_type, "size": a.size}
            for a in p.attachments.all()
        ],
    )
    return data


def _staff_view(p: Publication) -> dict[str, Any]:
    data = _detail(p)
    data.update(
        state=p.state,
        attribute=p.attribute,
        attribute_reason=p.attribute_reason,
        secrecy_cleared=p.secrecy_cleared_at is not None,
        days_late=p.days_late,
        version=p.version,
        explains=[x.pk for x in p.explains.all()],
    )
    return data


def _prefetched(rows):
    return rows.select_related("agency", "category", "topic").prefetch_related(
        "placements", "co_issuers"
    )


@router.get("", response=READ, auth=None, summary="Published items (public), filtered and paged")
def list_publications(
    request,
    agency: str = "",
    reporting_unit: str = "",
    year: int | None = Query(None, ge=1949, le=9999),
    category: str = "",
    channel: str = "",
    validity: str = "",
    kind: str = "",
    page: int = 1,
    page_size: int = 50,
):
    rows = public_list(
        agency=agency,
        reporting_unit=reporting_unit,
        year=year,
        category=category,
        channel=channel,
        validity=validity,
        kind=kind,
    )
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    page = max(1, min(page, 10**9))
    count = rows.count()
    chunk = _prefetched(rows)[(page - 1) * page_size : page * page_size]
    return {
        "count": count,
        "page": page,
        "page_size": page_size,
        "items": [_item(p) for p in chunk],
    }


@router.get("/{int:pk}", response=READ, auth=None, summary="One published item (public)")
def get_publication(request, pk: int):
    if abs(pk) >= 2**63:
        raise Http404("不存在 / not found")
    rows = _prefetched(public_list()).prefetch_related("attachments", "explains", "interpretations")
    item = rows.filter(pk=pk).first()
    if item is None:
        raise Http404("没有该政府信息 / no published item has this id")
    return _detail(item)


def _json_object(request) -> dict[str, Any]:
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, RecursionError):
        raise ValidationError({"__all__": "请求体不是 JSON / the body is not JSON"}) from None
    if not isinstance(body, dict):
        raise ValidationError({"__all__": "请求体应为 JSON 对象 / the body must be an object"})
    return body


def _staff_item(user, pk: int) -> Publication:
    if abs(pk) >= 2**63:
        raise Http404("不存在 / not found")
    return get_object_or_404(publications_for_user(user), pk=pk)


@router.post("", response={**WRITE, 201: Item}, auth=TokenAuth(), summary="Make a draft (staff)")
def create_publication(request):
    data = _json_object(request)
    slug = str(data.pop("agency", "") or "")
    agency = Agency.objects.filter(slug=slug).first() if "\x00" not in slug else None
    if agency is None:
        raise ValidationError({"agency": f"没有标识为「{slug[:64]}」的机关 / unknown agency"})
    item = services.create_draft(actor=request.auth, agency=agency, data=data)
    return Status(201, _staff_view(item))


@router.patch("/{int:pk}", response=WRITE, auth=TokenAuth(), summary="Change a draft (staff)")
def update_publication(request, pk: int):
    item = _staff_item(request.auth, pk)
    data = _json_object(request)
    item = services.run_step("edit", actor=request.auth, publication=item, data=data)
    return _staff_view(Publication.objects.get(pk=item.pk))


@router.post(
    "/{int:pk}/actions/{action}", response=WRITE, auth=TokenAuth(), summary="Take a step (staff)"
)
def act(request, pk: int, action: str):
    item = _staff_item(request.auth, pk)
    params = _json_object(request)
    if action == "edit":
        raise Http404("请用 PATCH 修改草稿 / use PATCH to change a draft")
    try:
        services.run_step(action, actor=request.auth, publication=item, **params)
    except UnknownStep:
        raise Http404(f"没有「{action[:40]}」这个操作 / unknown action") from None
    except TypeError:
        raise ValidationError({"__all__": "参数无效 / invalid parameters"}) from None
    return _staff_view(Publication.objects.get(pk=item.pk))
