"""The supervisor's overview (政务公开办) and 督办 (``services.supervision``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.accounts import rules
from gongkai.applications.services.supervision import overview, overview_xlsx, urge
from gongkai.applications.views.access import get_visible
from gongkai.holidays.services import load_calendar


def _may_oversee(user) -> bool:
    return rules.supervises_any(user) or rules.is_system_admin(user)


@login_required
def supervision(request: HttpRequest) -> HttpResponse:
    """Per agency: open, due soon, overdue, answered this year, on-time rate, average days."""
    if not _may_oversee(request.user):
        raise PermissionDenied("只有政务公开办可以查看 / for supervisors only")
    today = timezone.localdate()
    rows = overview(request.user, today=today, calendar=load_calendar())
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            overview_xlsx(rows, today=today),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="overview-{today.isoformat()}.xlsx"'
        )
        return response
    return render(request, "applications/supervision.html", {"rows": rows, "today": today})


@login_required
@require_POST
def urge_view(request: HttpRequest, pk: int) -> HttpResponse:
    """督办: a supervisor's note to the agency about this case."""
    application = get_visible(request.user, pk)
    try:
        urge(actor=request.user, application=application, note=request.POST.get("note", ""))
    except ValidationError as error:
        messages.error(request, "未督办：" + "；".join(error.messages))
    else:
        messages.success(request, "已督办：该机关的工作台和本申请的办理记录中会显示督办意见")
    return redirect("applications:detail", pk=application.pk)
