"""The catalogue on the portal (public, phone-readable) and in the workbench (staff)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.accounts import rules
from gongkai.catalogue import selectors, services
from gongkai.catalogue.columns import LEVELS
from gongkai.catalogue.forms import (
    DomainForm,
    EntryForm,
    EvidenceForm,
    FormedOnForm,
    OpenForm,
    UploadForm,
)
from gongkai.catalogue.models import Catalogue, Domain, Entry, Evidence
from gongkai.catalogue.selectors import STATUS_LABELS, Status
from gongkai.catalogue.sheet import SheetError
from gongkai.holidays.services import load_calendar

STATUS_COLUMNS = (
    Status.OVERDUE,
    Status.LATE,
    Status.ON_TIME,
    Status.PENDING,
    Status.NO_DATE,
    Status.MANUAL,
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response


# --- public ----------------------------------------------------------------------------------


def index(request: HttpRequest) -> HttpResponse:
    """基层政务公开标准目录: every published catalogue, by agency."""
    catalogues = selectors.published_catalogues().order_by(
        "agency__sort_order", "agency__name", "domain__sort_order"
    )
    by_agency = [
        {"agency": agency, "catalogues": list(group)}
        for agency, group in groupby(catalogues, key=lambda c: c.agency)
    ]
    domains = {c.domain_id for c in catalogues}
    return render(
        request,
        "catalogue/index.html",
        {"by_agency": by_agency, "domain_count": len(domains), "agency_count": len(by_agency)},
    )


def public_catalogue(request: HttpRequest, agency: str, domain: int) -> HttpResponse:
    """One agency's catalogue of one domain, filtered by level (县级, 乡级, 村级)."""
    catalogue = get_object_or_404(
        Catalogue.objects.select_related("agency", "domain"), agency__slug=agency, domain_id=domain
    )
    level = request.GET.get("level", "")
    if level and level not in {value for value, _f, _l in LEVELS}:
        level = ""
    entries = list(selectors.entries_of(catalogue, level=level))
    if not entries and not level:
        raise Http404("该目录尚无事项 / this catalogue has no entries")
    return render(
        request,
        "catalogue/public_catalogue.html",
        {"catalogue": catalogue, "entries": entries, "levels": LEVELS, "level": level},
    )


def public_xlsx(request: HttpRequest, agency: str, domain: int) -> HttpResponse:
    catalogue = get_object_or_404(
        Catalogue.objects.select_related("agency", "domain"), agency__slug=agency, domain_id=domain
    )
    if not catalogue.entries.exists():
        raise Http404("该目录尚无事项 / this catalogue has no entries")
    return _xlsx(selectors.export_catalogue(catalogue), f"catalogue-{agency}-{domain}.xlsx")


# --- staff -----------------------------------------------------------------------------------


def _visible_catalogue(user, pk: int) -> Catalogue:
    catalogue = get_object_or_404(Catalogue.objects.select_related("agency", "domain"), pk=pk)
    if not rules.can_view(user, catalogue.agency_id):
        raise Http404
    return catalogue


@login_required
def staff_list(request: HttpRequest) -> HttpResponse:
    """The catalogues of the agencies the user sees; open a new one."""
    agencies = rules.visible_agencies(request.user)
    form = OpenForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        try:
            catalogue = services.open_catalogue(
                actor=request.user,
                agency=form.cleaned_data["agency"],
                domain=form.cleaned_data["domain"],
            )
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            return redirect("catalogue:staff_detail", pk=catalogue.pk)
    catalogues = (
        Catalogue.objects.filter(agency__in=agencies)
        .select_related("agency", "domain")
        .order_by("agency__sort_order", "domain__sort_order")
    )
    counts = Counter(
        Entry.objects.filter(catalogue__in=catalogues).values_list("catalogue_id", flat=True)
    )
    rows = [(c, counts.get(c.pk, 0)) for c in catalogues]
    return render(
        request,
        "catalogue/staff_list.html",
        {"rows": rows, "form": form, "may_manage_domains": rules.can_manage_domains(request.user)},
    )


@login_required
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A catalogue in the workbench: import, export, formation dates and evidence."""
    catalogue = _visible_catalogue(request.user, pk)
    may_edit = rules.can_edit_catalogue(request.user, catalogue.agency_id)
    upload = UploadForm()
    refused: list[str] = []
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied(services.DENIED)
        upload = UploadForm(request.POST, request.FILES)
        if upload.is_valid():
            try:
                summary = services.import_catalogue(
                    actor=request.user,
                    catalogue=catalogue,
                    data=upload.cleaned_data["file"].read(),
                )
            except SheetError as error:
                refused = [str(e) for e in error.errors]
            else:
                messages.success(
                    request,
                    f"已导入：新增{summary.created}项，修改{summary.updated}项，删除{summary.removed}项，"
                    f"未变{summary.unchanged}项 / imported",
                )
                return redirect("catalogue:staff_detail", pk=catalogue.pk)
    standings = selectors.standings(
        [catalogue.agency_id], as_of=timezone.localdate(), calendar=load_calendar()
    )
    standings = [s for s in standings if s.entry.catalogue_id == catalogue.pk]
    return render(
        request,
        "catalogue/staff_detail.html",
        {
            "catalogue": catalogue,
            "standings": standings,
            "upload": upload,
            "refused": refused,
            "may_edit": may_edit,
        },
        status=400 if refused or upload.errors else 200,
    )


def _editable_entry(request, pk: int) -> Entry:
    entry = get_object_or_404(Entry.objects.select_related("catalogue__agency"), pk=pk)
    if not rules.can_view(request.user, entry.catalogue.agency_id):
        raise Http404
    return entry


def _back(entry: Entry):
    return redirect(
        reverse("catalogue:staff_detail", args=[entry.catalogue_id]) + f"#entry-{entry.pk}"
    )


@login_required
@require_POST
def formed_on(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _editable_entry(request, pk)
    form = FormedOnForm(request.POST)
    if not form.is_valid():
        messages.error(request, "日期格式不正确 / the date is not valid")
        return _back(entry)
    try:
        services.set_formed_on(
            actor=request.user, entry=entry, formed_on=form.cleaned_data["formed_on"]
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已登记「{entry}」的信息形成日期 / formation date recorded")
    return _back(entry)


@login_required
@require_POST
def add_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _editable_entry(request, pk)
    form = EvidenceForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写公开日期和索引号或网址 / give the date and the reference")
        return _back(entry)
    try:
        services.add_evidence(actor=request.user, entry=entry, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已登记「{entry}」的公开佐证 / evidence recorded")
    return _back(entry)


@login_required
@require_POST
def link_publication(request: HttpRequest, pk: int) -> HttpResponse:
    """Link a published item, picked by its 索引号, as the entry's evidence."""
    entry = _editable_entry(request, pk)
    try:
        services.link_publication(
            actor=request.user, entry=entry, index_number=request.POST.get("index_number", "")
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已关联「{entry}」的公开佐证 / evidence linked")
    return _back(entry)


@login_required
@require_POST
def remove_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = get_object_or_404(Evidence.objects.select_related("entry__catalogue"), pk=pk)
    if not rules.can_view(request.user, evidence.entry.catalogue.agency_id):
        raise Http404
    entry = evidence.entry
    services.remove_evidence(actor=request.user, evidence=evidence)
    messages.success(request, "已撤销公开佐证 / evidence withdrawn")
    return _back(entry)


@login_required
def staff_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    catalogue = _visible_catalogue(request.user, pk)
    return _xlsx(
        selectors.export_catalogue(catalogue),
        f"catalogue-{catalogue.agency.slug}-{catalogue.domain_id}.xlsx",
    )


@login_required
def compliance(request: HttpRequest) -> HttpResponse:
    """Per agency: the entries whose time limit has passed without a publication, and those
    published late, as of a day (today unless ``as_of`` is given)."""
    try:
        as_of = (
            date.fromisoformat(request.GET.get("as_of", "")) if request.GET.get("as_of") else None
        )
    except ValueError:
        as_of = None
    as_of = as_of or timezone.localdate()
    visible = rules.visible_agencies(request.user)
    agency_ids = set(
        Catalogue.objects.filter(agency__in=visible).values_list("agency_id", flat=True)
    )
    chosen = request.GET.get("agency", "")
    if chosen.isdigit() and int(chosen) in agency_ids:
        agency_ids = {int(chosen)}
    else:
        chosen = ""
    found = selectors.standings(agency_ids, as_of=as_of, calendar=load_calendar())
    summary = []
    for agency, group in groupby(found, key=lambda s: s.entry.catalogue.agency):
        counts = Counter(s.status for s in group)
        summary.append({"agency": agency, "cells": [counts[s] for s in STATUS_COLUMNS]})
    problems = [s for s in found if s.status in (Status.OVERDUE, Status.LATE)]
    problems.sort(key=lambda s: (s.status != Status.OVERDUE, s.due_on))
    return render(
        request,
        "catalogue/compliance.html",
        {
            "as_of": as_of,
            "summary": summary,
            "problems": problems,
            "chosen": chosen,
            "statuses": [{"label": STATUS_LABELS[s]} for s in STATUS_COLUMNS],
        },
    )


@login_required
def domains(request: HttpRequest) -> HttpResponse:
    """The pilot domains (editable by a supervisor or a system admin)."""
    if not rules.can_manage_domains(request.user):
        raise PermissionDenied("您无权修改试点领域 / you may not edit the domains")
    editing = None
    if request.GET.get("edit", "").isdigit():
        editing = get_object_or_404(Domain, pk=int(request.GET["edit"]))
    initial = (
        {"name": editing.name, "sort_order": editing.sort_order, "note": editing.note}
        if editing
        else None
    )
    form = DomainForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_domain(actor=request.user, domain=editing, **form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, "已保存试点领域 / saved")
            return redirect("catalogue:domains")
    return render(
        request,
        "catalogue/domains.html",
        {"domains": Domain.objects.all(), "form": form, "editing": editing},
    )


@login_required
def edit_entry(request: HttpRequest, pk: int, entry_pk: int | None = None) -> HttpResponse:
    """Add an entry to a catalogue or correct one, every column in one form."""
    catalogue = _visible_catalogue(request.user, pk)
    if not rules.can_edit_catalogue(request.user, catalogue.agency_id):
        raise PermissionDenied(services.DENIED)
    entry = get_object_or_404(Entry, pk=entry_pk, catalogue=catalogue) if entry_pk else None
    initial = EntryForm.initial_for(entry.as_row()) if entry else None
    form = EntryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.save_entry(
                actor=request.user, catalogue=catalogue, row=form.row(), entry=entry
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, f"已保存「{entry}」 / saved")
            return _back(entry)
    return render(
        request,
        "catalogue/entry_form.html",
        {"catalogue": catalogue, "entry": entry, "form": form},
        status=400 if form.errors else 200,
    )
