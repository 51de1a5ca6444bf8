"""The register on the workbench: the list with table 四 of a year, entering a case, one
case with its stage, result and follow-up. Each post calls one service."""

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
from gongkai.appeals import selectors, services
from gongkai.appeals.models import Result, Route, Stage
from gongkai.applications.selectors import applications_for_user


def _day(text: str, field: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        raise ValidationError({field: "日期格式应为 YYYY-MM-DD / use YYYY-MM-DD"}) from None


def _errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
def register(request: HttpRequest) -> HttpResponse:
    """The cases the user may see, table 四 of a year for them, and the form to enter one."""
    user = request.user
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    if request.method == "POST":
        post = request.POST
        reference = post.get("application", "").strip()
        application = applications_for_user(user).filter(reference=reference).first()
        try:
            if application is None:
                raise ValidationError(
                    {
                        "application": f"没有找到申请编号为「{reference}」的申请 / no such application"
                    }
                )
            after = None
            if post.get("after_review_of"):
                after = (
                    selectors.cases_for_user(user)
                    .filter(case_number=post["after_review_of"].strip(), route=Route.REVIEW)
                    .first()
                )
            case = services.register_case(
                actor=user,
                application=application,
                route=post.get("route", ""),
                case_number=post.get("case_number", ""),
                body=post.get("body", ""),
                filed_on=_day(post.get("filed_on", ""), "filed_on"),
                decision=getattr(application, "reply", None),
                decision_note=post.get("decision_note", ""),
                after_review_of=after,
            )
        except ValidationError as error:
            _errors(request, error)
        except PermissionDenied as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"已登记 {case.case_number}")
            return redirect("appeals:case", pk=case.pk)
    cases = selectors.cases_for_user(user)
    agency_ids = rules.visible_agency_ids(user)
    return render(
        request,
        "appeals/register.html",
        {
            "cases": cases[:300],
            "year": year,
            "table": selectors.table_four(agency_ids=agency_ids, year=year),
            "routes": Route.choices,
            "post": request.POST,
        },
    )


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.cases_for_user(request.user).filter(pk=pk).first()
    if case is None:
        raise Http404("没有该案件 / no such case")
    return render(
        request,
        "appeals/case.html",
        {
            "case": case,
            "may_keep": rules.can_keep_appeals(request.user, case.agency_id),
            "stages": [s for s in Stage.choices if s[0] != Stage.CLOSED],
            "results": [r for r in Result.choices if r[0] != Result.PENDING],
            "events": case.events,
        },
    )


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    case = selectors.cases_for_user(request.user).filter(pk=pk).first()
    if case is None:
        raise Http404("没有该案件 / no such case")
    services.CaseStep(actor=request.user, record=case).check()  # 403 unless rules allow
    post = request.POST
    try:
        if action == "stage":
            services.advance_stage(actor=request.user, case=case, stage=post.get("stage", ""))
        elif action == "close":
            days = post.get("redo_days", "").strip()
            services.close_case(
                actor=request.user,
                case=case,
                result=post.get("result", ""),
                closed_on=_day(post.get("closed_on", ""), "closed_on"),
                note=post.get("note", ""),
                new_decision_ordered=bool(post.get("new_decision_ordered")),
                redo_days=int(days) if days.isdigit() and len(days) < 4 else None,
            )
        elif action == "follow_up":
            services.complete_follow_up(
                actor=request.user,
                case=case,
                on=_day(post.get("on", ""), "on"),
                note=post.get("note", ""),
            )
        else:
            raise Http404("没有该操作 / unknown action")
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, "已保存")
    return redirect("appeals:case", pk=pk)


__all__ = ["act", "case_detail", "register"]
