"""Workbench helpers beside the workflow: assign the handler, print the 登记回执."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from gongkai.accounts import rules
from gongkai.accounts.models import User
from gongkai.applications.services import assign_handler, generate_letter
from gongkai.applications.views.access import get_visible


def handler_choices(application):
    """The agency's own staff who may handle its applications (as ``rules.can_handle``)."""
    return rules.handlers_of([application.agency_id]).order_by("username")


class HandlerForm(forms.Form):
    handler = forms.ModelChoiceField(
        label=_("承办人"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("（未指定）"),
    )

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = handler_choices(application)
        self.fields["handler"].initial = application.handler_id


def _handled(request, pk):
    application = get_visible(request.user, pk)
    if not rules.can_handle(request.user, application.agency_id):
        raise PermissionDenied("您不能办理该申请 / you do not handle this application")
    return application


@login_required
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    application = _handled(request, pk)
    form = HandlerForm(request.POST, application=application)
    if not form.is_valid():
        messages.error(request, "承办人须为本机关公开工作人员 / the handler must be staff here")
    else:
        handler = form.cleaned_data["handler"]
        assign_handler(actor=request.user, application=application, handler=handler)
        messages.success(
            request, gettext("承办人：%(handler)s") % {"handler": handler or gettext("（未指定）")}
        )
    return redirect("applications:detail", pk=application.pk)


@login_required
@require_POST
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """Generate the 登记回执 (needs the receipt day: after confirmation)."""
    application = _handled(request, pk)
    try:
        letter = generate_letter(actor=request.user, application=application, key="receipt")
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, gettext("已生成《%(title)s》") % {"title": letter.title})
    return redirect("applications:detail", pk=application.pk)
