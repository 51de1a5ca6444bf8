"""The training register in the workbench."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from gongkai.accounts import rules
from gongkai.agencies.models import Agency
from gongkai.training import selectors, services
from gongkai.training.forms import TrainingForm
from gongkai.training.models import Training


def _year(request) -> int:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 1990 < int(value) < 2200 else timezone.localdate().year


@login_required
def training_list(request: HttpRequest) -> HttpResponse:
    """The trainings of the agencies the user sees, one year at a time, and the year's figures."""
    year = _year(request)
    visible = list(rules.visible_agencies(request.user).values_list("pk", flat=True))
    trainings = selectors.trainings_for(visible, year=year)
    return render(
        request,
        "training/list.html",
        {
            "year": year,
            "trainings": trainings,
            "figures": selectors.narrative_figures(agency_ids=visible, year=year),
        },
    )


@login_required
def training_new(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Record a training or meeting, or (with ``pk``) correct one."""
    training = None
    initial = None
    if pk is not None:
        training = get_object_or_404(Training, pk=pk)
        if not rules.can_view(request.user, training.agency_id):
            raise Http404
        if not rules.can_record_training(request.user, training.agency_id):
            raise PermissionDenied(services.DENIED)  # no form for who may not correct it
        initial = {
            "agency": training.agency_id,
            "held_on": training.held_on,
            "kind": training.kind,
            "title": training.title,
            "topics": training.topics,
            "audience_roles": training.audience_roles,
            "audience": list(training.audience.values_list("pk", flat=True)),
        }
    agencies = rules.visible_agencies(request.user)
    form = TrainingForm(
        request.POST or None, initial=initial, agencies=agencies, audience=Agency.objects.all()
    )
    if request.method == "POST" and form.is_valid():
        try:
            training = services.save_training(
                actor=request.user, training=training, **form.cleaned_data
            )
        except (PermissionDenied, ValidationError) as error:
            form.add_error(None, "；".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, "已保存 / saved")
            return redirect("training:detail", pk=training.pk)
    return render(request, "training/form.html", {"form": form, "training": training})


@login_required
def training_delete(request: HttpRequest, pk: int) -> HttpResponse:
    training = get_object_or_404(Training, pk=pk)
    if not rules.can_view(request.user, training.agency_id):
        raise Http404
    if request.method != "POST":
        return redirect("training:detail", pk=pk)
    year = training.held_on.year
    services.delete_training(actor=request.user, training=training)
    messages.success(request, "已删除 / removed")
    return redirect(f"{reverse('training:list')}?year={year}")


@login_required
def training_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A training, with its attendance (people per agency) editable by who may record it."""
    training = get_object_or_404(Training.objects.select_related("agency"), pk=pk)
    if not rules.can_view(request.user, training.agency_id):
        raise Http404
    may_edit = rules.can_record_training(request.user, training.agency_id)
    agencies = [training.agency, *training.audience.exclude(pk=training.agency_id)]
    recorded = dict(training.attendance.values_list("agency_id", "people"))
    error = ""
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied(services.DENIED)
        people: dict[int, int | None] = {}
        for agency in agencies:
            raw = request.POST.get(f"people-{agency.pk}", "").strip()
            if raw and not raw.isdigit():
                error = (
                    f"「{agency.display_name}」的人数应为整数 / the number must be a whole number"
                )
                break
            people[agency.pk] = int(raw) if raw else None
        if not error:
            services.record_attendance(actor=request.user, training=training, people=people)
            messages.success(request, "已登记参加情况 / attendance recorded")
            return redirect("training:detail", pk=training.pk)
    rows = [(agency, recorded.get(agency.pk)) for agency in agencies]
    return render(
        request,
        "training/detail.html",
        {"training": training, "rows": rows, "may_edit": may_edit, "error": error},
        status=400 if error else 200,
    )
