"""The scorecard in the workbench: schemes, items (supervisor), results explained, XLSX."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gongkai.accounts import rules
from gongkai.agencies.tree import descendants
from gongkai.assessment import selectors, services
from gongkai.assessment.forms import AssessedForm, ItemForm, SchemeForm
from gongkai.assessment.models import Item, Scheme


def _scheme(user, pk: int) -> Scheme:
    scheme = get_object_or_404(Scheme.objects.select_related("agency"), pk=pk)
    if not rules.can_view(user, scheme.agency_id):
        raise Http404
    return scheme


def _may_manage(user, scheme: Scheme) -> None:
    """Refuse (403) a change to ``scheme`` by anyone but who manages it."""
    if not rules.can_manage_assessment(user, scheme.agency_id):
        raise PermissionDenied("只有考核方可以修改考核方案 / only the assessing office may")


@login_required
def scheme_list(request: HttpRequest) -> HttpResponse:
    visible = rules.visible_agencies(request.user)
    form = SchemeForm(request.POST or None, agencies=visible)
    if request.method == "POST" and form.is_valid():
        try:
            scheme = services.create_scheme(actor=request.user, **form.cleaned_data)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            form.add_error(None, "；".join(error.messages))
        else:
            return redirect("assessment:detail", pk=scheme.pk)
    schemes = Scheme.objects.filter(agency__in=visible).select_related("agency")
    return render(request, "assessment/list.html", {"schemes": schemes, "form": form})


@login_required
def scheme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The scorecard, each cell with its explanation; the items, editable by the supervisor."""
    scheme = _scheme(request.user, pk)
    may_manage = rules.can_manage_assessment(request.user, scheme.agency_id)
    card = selectors.scorecard(scheme)
    forms = [
        (
            item,
            ItemForm(
                initial={
                    "label": item.label,
                    "fact": item.fact,
                    "weight": item.weight,
                    "when_no_data": item.when_no_data,
                    "position": item.position,
                },
                prefix=f"item-{item.pk}",
            ),
        )
        for item in card.items
    ]
    return render(
        request,
        "assessment/detail.html",
        {
            "scheme": scheme,
            "card": card,
            "may_manage": may_manage,
            "item_forms": forms,
            "new_item": ItemForm(prefix="new"),
            "weights": sum(item.weight for item in card.items),
            "assessed_form": AssessedForm(
                initial={"assessed": [line.agency.pk for line in card.lines]},
                agencies=descendants(scheme.agency_id, include_self=False),
            )
            if may_manage
            else None,
        },
    )


@login_required
@require_POST
def save_item(request: HttpRequest, pk: int, item_pk: int | None = None) -> HttpResponse:
    scheme = _scheme(request.user, pk)
    _may_manage(request.user, scheme)
    item = get_object_or_404(Item, pk=item_pk, scheme=scheme) if item_pk else None
    form = ItemForm(request.POST, prefix=f"item-{item_pk}" if item else "new")
    if not form.is_valid():
        messages.error(
            request,
            "考核项目填写有误："
            + "；".join(f"{form.fields[k].label}：{' '.join(v)}" for k, v in form.errors.items()),
        )
        return redirect("assessment:detail", pk=scheme.pk)
    try:
        services.save_item(actor=request.user, scheme=scheme, item=item, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, "已保存考核项目 / saved")
    return redirect("assessment:detail", pk=scheme.pk)


@login_required
@require_POST
def delete_item(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    scheme = _scheme(request.user, pk)
    services.delete_item(
        actor=request.user, item=get_object_or_404(Item, pk=item_pk, scheme=scheme)
    )
    messages.success(request, "已删除考核项目 / removed")
    return redirect("assessment:detail", pk=scheme.pk)


@login_required
def export(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = _scheme(request.user, pk)
    data = selectors.export_scorecard(selectors.scorecard(scheme))
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f"attachment; filename=assessment-{scheme.year}.xlsx"
    return response


@login_required
@require_POST
def assessed(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = _scheme(request.user, pk)
    _may_manage(request.user, scheme)
    form = AssessedForm(request.POST, agencies=descendants(scheme.agency_id, include_self=False))
    if not form.is_valid():
        messages.error(request, "请至少选择一个被考核机关 / choose at least one agency")
        return redirect("assessment:detail", pk=scheme.pk)
    try:
        services.set_assessed(
            actor=request.user, scheme=scheme, agencies=form.cleaned_data["assessed"]
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, "已设置被考核机关 / saved")
    return redirect("assessment:detail", pk=scheme.pk)
