from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from gongkai.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("gongkai.accounts.urls")),
    # The language switch is on every public page; without a CSRF token those pages can be
    # published as files (gongkai.sites.static_publish). Switching language is all it does.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("api/v1/", api.urls),
    path("staff/reports/", include("gongkai.auditor.urls")),
    path("staff/normative/", include("gongkai.normative.urls")),
    path("", include("gongkai.applications.urls")),
    path("", include("gongkai.publications.urls")),
    path("", include("gongkai.portal.urls")),
    path("", include("gongkai.mailbox.urls")),
    path("", include("gongkai.appeals.urls")),
    path("", include("gongkai.catalogue.urls")),
    path("", include("gongkai.training.urls")),
    path("", include("gongkai.assessment.urls")),
    path("", include("gongkai.annualreport.urls")),
    path("", include("gongkai.monitoring.urls")),
    path("", include("gongkai.sites.urls")),
]

handler404 = "gongkai.portal.errors.not_found"
handler500 = "gongkai.portal.errors.server_error"
