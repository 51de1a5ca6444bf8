"""Staff pages: the register, a document and its life, the in-force list, cleanups, figures.

Every read goes through :mod:`gongkai.normative.selectors`; every change is one service call
or step; a refused change shows its reason beside the form and changes nothing (status 400).
Forms post, then redirect.
"""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.accounts import rules
from gongkai.agencies.models import ReportingUnit
from gongkai.normative import cleanup, figures, forms
from gongkai.normative.models import (
    Article20Figure,
    CampaignReview,
    CleanupCampaign,
    FigureImport,
    NormativeDocument,
)
from gongkai.normative.selectors import (
    document_for_user,
    documents_for_user,
    history_of,
    in_force,
    may_read,
    readable_agencies,
    table_two,
)
from gongkai.normative.steps import STEPS, draft_document

PAGE_SIZE = 50
State = NormativeDocument.State
#: The steps a document in each state may take next.
NEXT_STEPS = {
    State.DRAFTING: ["review"],
    State.REVIEWED: ["deliberate"],
    State.DELIBERATED: ["publish"],
    State.PUBLISHED: ["file", "amend", "abolish", "expire", "link_publication"],
    State.ABOLISHED: ["link_publication"],
    State.EXPIRED: ["link_publication"],
}


def _kept(user):
    return rules.normative_keeping_agencies(user).order_by("sort_order", "name")


@login_required
def register(request: HttpRequest) -> HttpResponse:
    """The register of documents, with filters."""
    user = request.user
    form = forms.FilterForm(request.GET or None, agencies=readable_agencies(user))
    rows = documents_for_user(user).select_related("agency")
    if form.is_valid():
        f = form.cleaned_data
        if f["agency"]:
            rows = rows.filter(agency=f["agency"])
        if f["kind"]:
            rows = rows.filter(kind=f["kind"])
        if f["state"]:
            rows = rows.filter(state=f["state"])
        if f["year"]:
            rows = rows.filter(published_on__year=f["year"])
        if f["q"]:
            rows = rows.filter(Q(title__icontains=f["q"]) | Q(doc_number__icontains=f["q"]))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "normative/register.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "today": timezone.localdate(),
            "may_keep": _kept(user).exists(),
        },
    )


@login_required
def draft(request: HttpRequest) -> HttpResponse:
    """Start a document's record at 起草."""
    agencies = _kept(request.user)
    if not agencies.exists():
        raise PermissionDenied("您不是任何机关的公开工作人员 / you keep no agency's documents")
    form = forms.DraftForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        try:
            document = draft_document(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            messages.success(request, f"已登记起草：{document.title}")
            return redirect("normative:detail", pk=document.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "normative/draft.html", {"form": form}, status=status)


def _get_document(user, pk: int) -> NormativeDocument:
    try:
        return document_for_user(user, pk)
    except (NormativeDocument.DoesNotExist, PermissionDenied):
        raise Http404("没有该文件 / no such document") from None


def _readable(history, model) -> list[dict]:
    """The audit rows with each changed field under its Chinese name (the model's labels)."""
    labels = {
        f.name: str(f.verbose_name) for f in model._meta.get_fields() if hasattr(f, "verbose_name")
    }
    choices = {
        f.name: dict(f.choices) for f in model._meta.get_fields() if getattr(f, "choices", None)
    }
    return [
        {
            "entry": entry,
            "changes": [
                (labels.get(key, key), choices.get(key, {}).get(value, value))
                for key, value in (entry.after or {}).items()
            ],
        }
        for entry in history
    ]


def _render_detail(request, document, failed=None, status=200):
    user = request.user
    may_keep = rules.can_keep_normative(user, document.agency_id)
    step_forms = []
    if may_keep:
        for name in NEXT_STEPS.get(document.state, []):
            if name == "file" and document.filed_on:
                continue
            if name == "link_publication" and document.publication_id:
                continue
            form = failed if failed is not None and failed.prefix == name else forms.step_form(name)
            step_forms.append({"name": name, "label": STEPS.get(name).label, "form": form})
    reviews = CampaignReview.objects.filter(document=document).select_related("campaign", "batch")
    return render(
        request,
        "normative/detail.html",
        {
            "doc": document,
            "today": timezone.localdate(),
            "in_force_today": document.in_force_on(timezone.localdate()),
            "amendments": document.amendments.select_related("batch"),
            "reviews": reviews,
            "history": _readable(history_of(user, document), NormativeDocument),
            "step_forms": step_forms,
        },
        status=status,
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One document: its dates and documents step by step, amendments, cleanups, history."""
    return _render_detail(request, _get_document(request.user, pk))


@login_required
@require_POST
def take_step(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """Take step ``name`` of document ``pk``."""
    document = _get_document(request.user, pk)
    if name not in forms.STEP_FIELDS:
        raise Http404("没有该步骤 / no such step")
    STEPS.get(name)(actor=request.user, record=document).check()  # 403 unless rules allow
    form = forms.step_form(name, request.POST)
    if form.is_valid():
        try:
            STEPS.run(name, actor=request.user, record=document, **form.cleaned_data)
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            messages.success(request, f"已记录：{STEPS.get(name).label}")
            return redirect("normative:detail", pk=document.pk)
    document.refresh_from_db()
    return _render_detail(request, document, failed=form, status=400)


@login_required
def in_force_list(request: HttpRequest) -> HttpResponse:
    """The documents in force for an agency or a reporting unit on a day (today by default)."""
    user = request.user
    agencies = readable_agencies(user)
    units = ReportingUnit.objects.filter(agencies__in=agencies).distinct()
    data = request.GET.copy()
    data.setdefault("on", timezone.localdate().isoformat())
    form = forms.InForceForm(
        data if "agency" in data or "unit" in data else None,
        agencies=agencies,
        units=units,
        initial={"on": data["on"]},
    )
    rows, subject, day = None, None, None
    if form.is_bound and form.is_valid():
        day = form.cleaned_data["on"]
        unit = form.cleaned_data["unit"]
        subject = unit or form.cleaned_data["agency"]
        ids = list(unit.agencies.values_list("pk", flat=True)) if unit else [subject.pk]
        if not all(may_read(user, agency_id) for agency_id in ids):
            raise PermissionDenied("无权查看该机关的文件 / you may not see these documents")
        rows = list(
            in_force(agency_ids=ids, on=day).select_related("agency").order_by("-published_on")
        )
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "normative/in_force.html",
        {"form": form, "rows": rows, "subject": subject, "day": day},
        status=status,
    )


@login_required
def campaigns(request: HttpRequest) -> HttpResponse:
    """Cleanup campaigns, and opening a new one."""
    user = request.user
    kept = _kept(user)
    form = forms.CampaignForm(request.POST or None, agencies=kept)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = cleanup.open_campaign(actor=user, **form.cleaned_data)
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            messages.success(request, f"已开始清理：{campaign.title}")
            return redirect("normative:campaign", pk=campaign.pk)
    rows = (
        CleanupCampaign.objects.filter(agency__in=readable_agencies(user))
        .select_related("agency")
        .annotate(
            reviewed=Count("reviews", distinct=True),
            batch_count=Count("batches", distinct=True),
        )
    )
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "normative/campaigns.html",
        {"form": form, "rows": rows, "may_open": kept.exists()},
        status=status,
    )


def _campaign_forms(user, campaign, data=None, which=None):
    kept = rules.normative_keeping_agencies(user)
    candidates = (
        in_force(agency_ids=kept.values_list("pk", flat=True), on=campaign.started_on)
        .exclude(reviews__campaign=campaign)
        .select_related("agency")
        .order_by("agency__sort_order", "published_on")
    )
    pending = NormativeDocument.objects.filter(
        reviews__campaign=campaign, reviews__batch__isnull=True
    ).order_by("published_on")
    return {
        "review_form": forms.ReviewForm(data if which == "review" else None, documents=candidates),
        "batch_form": forms.BatchForm(data if which == "batch" else None, documents=pending),
        "close_form": forms.CloseForm(data if which == "close" else None),
    }


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One campaign: the documents under review, its batches, and the forms to go on."""
    user = request.user
    try:
        campaign = CleanupCampaign.objects.select_related("agency").get(pk=pk)
    except CleanupCampaign.DoesNotExist:
        raise Http404("没有该清理 / no such campaign") from None
    if not may_read(user, campaign.agency_id):
        raise Http404("没有该清理 / no such campaign")
    may_keep = rules.can_keep_normative(user, campaign.agency_id)
    which = request.POST.get("form") if request.method == "POST" else None
    if which and not may_keep:
        raise PermissionDenied(cleanup.DENIED)
    context = _campaign_forms(user, campaign, request.POST, which)
    status = 200
    if which in ("review", "batch", "close"):
        form = context[f"{which}_form"]
        if form.is_valid():
            c = form.cleaned_data
            try:
                if which == "review":
                    n = cleanup.put_under_review(
                        actor=user, campaign=campaign, documents=c["documents"]
                    )
                    messages.success(request, f"已列入清理：{n} 件")
                elif which == "batch":
                    batch = cleanup.decide_batch(actor=user, campaign=campaign, **c)
                    messages.success(request, f"已记录第{batch.number}批：{batch.decision_title}")
                else:
                    n = cleanup.close_campaign(
                        actor=user, campaign=campaign, closed_on=c["closed_on"]
                    )
                    messages.success(request, f"清理已结束，{n} 件继续有效")
            except ValidationError as error:
                forms.add_service_errors(form, error)
            else:
                return redirect("normative:campaign", pk=campaign.pk)
        status = 400
    reviews = campaign.reviews.select_related("document__agency", "batch").order_by(
        "batch__number", "document__published_on"
    )
    context.update(
        {
            "campaign": campaign,
            "reviews": reviews,
            "batches": campaign.batches.annotate(n=Count("reviews")),
            "may_keep": may_keep and campaign.state == CleanupCampaign.State.OPEN,
            "history": sorted(
                [
                    *history_of(user, campaign),
                    *(row for batch in campaign.batches.all() for row in history_of(user, batch)),
                ],
                key=lambda row: (row.at, row.pk),
            ),
        }
    )
    return render(request, "normative/campaign.html", context, status=status)


@login_required
def figures_page(request: HttpRequest) -> HttpResponse:
    """Enter one agency's 第二十条 figures for a year, or import a file; table 二 as it reads."""
    user = request.user
    kept = _kept(user)
    readable = readable_agencies(user).order_by("sort_order", "name")
    first = kept.first() or readable.first()
    if first is None:
        raise PermissionDenied(figures.DENIED)
    year_default = timezone.localdate().year - 1
    choice = forms.FigureChoiceForm(
        request.GET or {"agency": first.pk, "year": year_default}, agencies=readable
    )
    if not choice.is_valid():
        return render(request, "normative/figures.html", {"choice": choice}, status=400)
    agency, year = choice.cleaned_data["agency"], choice.cleaned_data["year"]
    may_enter = rules.can_keep_normative(user, agency)
    if request.method == "POST" and not (may_enter or request.POST.get("form") == "import"):
        raise PermissionDenied(figures.DENIED)
    stored = {f.item: f for f in Article20Figure.objects.filter(agency=agency, year=year)}
    posted = request.method == "POST" and request.POST.get("form") == "enter"
    item_forms = []
    for item in Article20Figure.Item.values:
        figure = stored.get(item)
        initial = None
        if figure is not None:
            initial = {k: getattr(figure, k) for k in figures.ITEM_FIELDS[item]}
            if initial.get("amount") is not None:
                initial["amount"] = format(initial["amount"].normalize(), "f")
        form = forms.figure_form(item, request.POST if posted else None, initial)
        item_forms.append({"item": item, "form": form, "figure": figure})
    import_form = forms.ImportForm(
        request.POST if request.method == "POST" and request.POST.get("form") == "import" else None,
        request.FILES or None,
        agencies=kept,
    )
    status = 200
    if posted:
        if all(row["form"].is_valid() for row in item_forms):
            failed = None
            try:
                with transaction.atomic():  # every item or none
                    for row in item_forms:
                        failed = row
                        blank = not any(row["form"].cleaned_data.values())
                        if blank and row["figure"] is None:
                            continue  # nothing entered, nothing to keep
                        figures.save_figures(
                            actor=user,
                            agency=agency,
                            year=year,
                            item=row["item"],
                            values=row["form"].cleaned_data,
                        )
            except ValidationError as error:
                forms.add_service_errors(failed["form"], error)
                status = 400
            else:
                messages.success(request, f"已保存{agency.name}{year}年的第二十条统计")
                return redirect(f"{request.path}?agency={agency.pk}&year={year}")
        else:
            status = 400
    elif import_form.is_bound:
        if import_form.is_valid():
            upload = import_form.cleaned_data["file"]
            try:
                batch = figures.import_figures(
                    actor=user,
                    agency=import_form.cleaned_data["agency"],
                    name=upload.name,
                    content=upload.read(),
                )
            except ValidationError as error:
                forms.add_service_errors(import_form, error)
                status = 400
            else:
                messages.success(request, f"已导入「{batch.file_name}」：{batch.rows} 行")
                return redirect(f"{request.path}?agency={agency.pk}&year={year}")
        else:
            status = 400
    ids = [agency.pk]
    return render(
        request,
        "normative/figures.html",
        {
            "choice": choice,
            "agency": agency,
            "year": year,
            "item_forms": item_forms,
            "import_form": import_form,
            "imports": FigureImport.objects.filter(agency__in=kept).select_related(
                "imported_by", "agency"
            )[:10],
            "table_2019": table_two(agency_ids=ids, year=year, fmt="2019"),
            "table_2021": table_two(agency_ids=ids, year=year, fmt="2021"),
            "headers": figures.HEADERS,
            "may_enter": may_enter,
            "may_import": kept.exists(),
        },
        status=status,
    )


@login_required
def figures_template(request: HttpRequest) -> HttpResponse:
    """An XLSX to fill in for the agency and year chosen (what is stored already filled in)."""
    kept = _kept(request.user)
    choice = forms.FigureChoiceForm(request.GET, agencies=kept)
    if not choice.is_valid():
        raise Http404("请选择机关和年度 / choose an agency and a year")
    agency, year = choice.cleaned_data["agency"], choice.cleaned_data["year"]
    response = HttpResponse(
        figures.template_workbook(agency=agency, year=year),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = quote(f"第二十条统计-{agency.display_name}-{year}.xlsx")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response
