"""The publications workbench (工作台): list, draft form, detail with its steps and history,
the policies lacking an interpretation, and the import page.

Reads go through ``selectors`` (a clerk sees their agencies, a supervisor the subtree); every
change is one service call; a refused step shows its reason and changes nothing.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gongkai.accounts import rules
from gongkai.agencies.models import Agency
from gongkai.auditlog.selectors import history_for
from gongkai.publications import services
from gongkai.publications.forms import (
    DraftForm,
    ImportForm,
    ListFilterForm,
    StepForm,
    add_service_errors,
)
from gongkai.publications.models import Attachment, Publication, State
from gongkai.publications.selectors import (
    policies_lacking_interpretation,
    publication_url,
    publications_for_user,
)
from gongkai.publications.transfer import ImportRefused, export_rows, import_file, write_xlsx
from gongkai.records.steps import UnknownStep

PAGE_SIZE = 50

#: (step, label, states it applies to, predicate) in the order of the flow (Steps).
FLOW = [
    ("submit", "提交审核", (State.DRAFT,), rules.can_draft_publication),
    ("review", "办公室审核", (State.SUBMITTED,), rules.can_review_publication),
    ("approve", "审批", (State.REVIEWED,), rules.can_approve_publication),
    (
        "clear_secrecy",
        "保密审查",
        (State.SUBMITTED, State.REVIEWED, State.APPROVED),
        rules.can_clear_secrecy,
    ),
    ("publish", "发布", (State.APPROVED,), rules.can_publish),
    (
        "return",
        "退回修改",
        (State.SUBMITTED, State.REVIEWED, State.APPROVED),
        rules.can_review_publication,
    ),
    ("place", "增加发布渠道", (State.PUBLISHED,), rules.can_publish),
    ("correct", "更正", (State.PUBLISHED,), rules.can_publish),
    ("withdraw", "撤回", (State.PUBLISHED,), rules.can_publish),
]
STAGES = [
    (State.DRAFT, "起草（认定公开属性）"),
    (State.SUBMITTED, "办公室审核"),
    (State.REVIEWED, "审批"),
    (State.APPROVED, "保密审查与发布"),
    (State.PUBLISHED, "已发布"),
]


def _visible(user, pk: int) -> Publication:
    return get_object_or_404(publications_for_user(user), pk=pk)


def _filtered(request: HttpRequest):
    """The items ``request.user`` may see, filtered by the list's form; and the form."""
    user = request.user
    agencies = list(rules.visible_agencies(user))
    form = ListFilterForm(request.GET or None, agencies=agencies)
    rows = publications_for_user(user).select_related("agency", "category")
    if form.is_valid():
        f = form.cleaned_data
        if f["agency"]:
            rows = rows.filter(agency_id=f["agency"])
        if f["category"]:
            rows = rows.filter(category__code=f["category"])
        for name in ("attribute", "state", "kind"):
            if f[name]:
                rows = rows.filter(**{name: f[name]})
        if f["start"]:
            rows = rows.filter(published_on__gte=f["start"])
        if f["end"]:
            rows = rows.filter(published_on__lte=f["end"])
        if f["late"]:
            rows = rows.filter(days_late__gt=0)
        if f["q"]:
            rows = rows.filter(Q(title__contains=f["q"]) | Q(index_number__contains=f["q"]))
    # Work in progress (no 发布日期 yet) first, then the newest published.
    return rows.order_by(F("published_on").desc(nulls_first=True), "-pk"), form


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The list, with filters: agency, category, attribute, state, kind, dates, late items."""
    rows, form = _filtered(request)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode([(k, v) for k, v in request.GET.items() if k != "page"])
    return render(
        request,
        "publications/index.html",
        {
            "form": form,
            "page": page,
            "items": page.object_list,
            "query": query,
            "may_draft": rules.handled_agencies(request.user).exists(),
        },
    )


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """The filtered list as XLSX, in the import's layout (what the user may see only)."""
    rows, _form = _filtered(request)
    content = write_xlsx(export_rows(rows))
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="publications.xlsx"'
    return response


def _draft_agencies(user):
    return list(rules.handled_agencies(user))


@login_required
def create(request: HttpRequest) -> HttpResponse:
    agencies = _draft_agencies(request.user)
    if not agencies:
        raise PermissionDenied("您无权起草政府信息 / you may not draft publications")
    form = DraftForm(request.POST or None, request.FILES or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        agency = Agency.objects.get(slug=form.cleaned_data["agency"])
        try:
            item = services.create_draft(
                actor=request.user,
                agency=agency,
                data=form.service_data(),
                attachments=form.cleaned_data["attachments"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "草稿已保存 / draft saved")
            return redirect("publications:detail", item.pk)
    return render(request, "publications/form.html", {"form": form, "item": None})


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _visible(request.user, pk)
    if not rules.can_draft_publication(request.user, item.agency_id):
        raise PermissionDenied("您无权修改该信息 / you may not change this item")
    initial = {
        f: getattr(item, f)
        for f in (
            "kind", "title", "doc_number", "genre", "written_on", "formed_on", "effective_on",
            "keywords", "body", "is_policy", "interpretation_form", "attribute",
            "attribute_reason",
        )
    }  # fmt: skip
    initial.update(
        category=item.category.code if item.category else "",
        topic=item.topic.code if item.topic else "",
        explains=",".join(str(pk) for pk in item.explains.values_list("pk", flat=True)),
        co_issuers=",".join(item.co_issuers.values_list("slug", flat=True)),
    )
    form = DraftForm(
        request.POST or None, request.FILES or None, agencies=[], editing=True, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.run_step(
                "edit",
                actor=request.user,
                publication=item,
                data=form.service_data(),
                attachments=form.cleaned_data["attachments"],
                remove_attachments=request.POST.getlist("remove_attachment"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "草稿已修改 / draft changed")
            return redirect("publications:detail", item.pk)
    return render(request, "publications/form.html", {"form": form, "item": item})


def _actions(user, item: Publication, bound: dict | None = None) -> list[dict]:
    out = []
    for name, label, states, allowed in FLOW:
        if item.state in states and allowed(user, item.agency_id):
            if name == "clear_secrecy" and item.secrecy_cleared_at:
                continue
            form = (bound or {}).get(name) or StepForm(step=name)
            out.append({"name": name, "label": label, "form": form, "open": name in (bound or {})})
    return out


@login_required
def detail(request: HttpRequest, pk: int, bound: dict | None = None) -> HttpResponse:
    item = _visible(request.user, pk)
    events = history_for(request.user, item)
    reached = [s for s, _ in STAGES].index(item.state) if item.state in dict(STAGES) else -1
    return render(
        request,
        "publications/detail.html",
        {
            "p": item,
            "events": events,
            "actions": _actions(request.user, item, bound),
            "stages": [
                {"label": label, "done": i < reached, "current": i == reached}
                for i, (_, label) in enumerate(STAGES)
            ],
            "may_edit": item.state == State.DRAFT
            and rules.can_draft_publication(request.user, item.agency_id),
            "public_url": publication_url(item),
            "versions": item.versions.all(),
        },
        status=400 if bound else 200,
    )


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    item = _visible(request.user, pk)
    form = StepForm(request.POST, step=action)
    if not form.is_valid():
        return detail(request, pk, bound={action: form})
    try:
        services.run_step(action, actor=request.user, publication=item, **form.params(action, item))
    except UnknownStep:
        raise Http404("没有这个操作 / unknown action") from None
    except ValidationError as error:
        add_service_errors(form, error)
        return detail(request, pk, bound={action: form})
    label = dict((n, lbl) for n, lbl, *_ in FLOW).get(action, action)
    messages.success(request, f"已{label} / done")
    return redirect("publications:detail", pk)


@login_required
def attachment(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    item = _visible(request.user, pk)
    row = get_object_or_404(Attachment, publication=item, pk=attachment_pk)
    return FileResponse(row.file.open("rb"), as_attachment=True, filename=row.name)


@login_required
def lacking(request: HttpRequest) -> HttpResponse:
    """Published policy documents without a published interpretation."""
    rows = policies_lacking_interpretation(request.user)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "publications/lacking.html", {"page": page, "items": page.object_list})


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    if not rules.handled_agencies(request.user).exists():
        raise PermissionDenied("您无权导入政府信息 / you may not import publications")
    form = ImportForm(request.POST or None, request.FILES or None)
    report, problems = None, []
    if request.method == "POST" and form.is_valid():
        upload, archive = form.cleaned_data["file"], form.cleaned_data["archive"]
        try:
            report = import_file(
                actor=request.user,
                name=upload.name,
                content=upload.read(),
                archive=archive.read() if archive else None,
                dry_run=form.cleaned_data["dry_run"],
            )
        except ImportRefused as error:
            problems = error.messages
        else:
            messages.success(request, report.summary())
    return render(
        request,
        "publications/import.html",
        {"form": form, "report": report, "problems": problems},
        status=400 if problems else 200,
    )
