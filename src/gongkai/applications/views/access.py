"""The one read every workbench page starts from: an application the user may see, or 404."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from gongkai.applications.models import Application
from gongkai.applications.selectors import application_for_user


def get_visible(user, pk: int) -> Application:
    """The application ``pk`` if ``user`` may see it; 404 otherwise (never reveal it exists)."""
    try:
        return application_for_user(user, pk)
    except (Application.DoesNotExist, PermissionDenied):
        raise Http404("没有该申请 / no such application") from None
