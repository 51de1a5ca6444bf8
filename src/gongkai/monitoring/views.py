"""The staff monitoring dashboard: /staff/monitoring/."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gongkai.accounts import rules
from gongkai.monitoring import selectors, services
from gongkai.monitoring.models import Run


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    if not rules.can_view_monitoring(request.user):
        raise PermissionDenied
    run = None
    chosen = request.GET.get("run", "")
    if chosen.isdigit():
        run = get_object_or_404(Run, pk=int(chosen))
    context = selectors.dashboard(request.user, run)
    context["may_run"] = rules.can_run_monitoring(request.user)
    return render(request, "monitoring/dashboard.html", context)


@login_required
@require_POST
def run_now(request: HttpRequest) -> HttpResponse:
    if not rules.can_run_monitoring(request.user):
        raise PermissionDenied
    run = services.run_checks(actor=request.user)
    messages.success(request, f"自查完成：发现问题 {run.findings.count()} 项")
    return redirect("monitoring:dashboard")
