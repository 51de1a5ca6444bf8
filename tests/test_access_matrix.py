"""The access matrix: every URL pattern (a walk of Django's resolver) and every API operation
(the OpenAPI document of /api/v1/) tried as each of eight people, against an explicit table of
who gets in. Object level included: agency B's clerk never reads or changes agency A's
application, its attachments, letters, reply draft, or A's audited reports.

A route or an operation without a row in :data:`ROUTES` or :data:`OPERATIONS` fails
:func:`test_every_route_and_operation_has_a_row`: a new app adds one line per route here
(DEVELOPERS.md, "A new app on the platform"). The back office (``admin/…``) is one rule for
every model (:data:`ADMIN_RULE`), so a model registered there is checked without a new row.

Outcomes: ``IN`` — served (2xx, a redirect that is not to a login page, or a 4xx about the
input such as 400, 409, 422); ``LOGIN`` — sent to log in (302 to a login page; 401 in the API);
``NO`` — refused (403, or 404 for a record the person may not see). A 5xx fails the test.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from gongkai.accounts import rules
from gongkai.accounts.services import issue_api_token
from gongkai.agencies.models import Agency
from gongkai.api import api
from gongkai.applications.models import Application, Attachment
from gongkai.auditor.models import AuditedReport
from gongkai.auditor.services import upload_reports
from gongkai.testing import factories as f

pytestmark = pytest.mark.usefixtures("empty_cache")

IN, LOGIN, NO = "in", "login", "no"
#: Past the back office's gate: served, or refused by the model's own read-only policy (403)
#: or for lack of an object (404) — never sent to log in (tests/accounts/test_backoffice.py
#: checks each model's policy).
GATE = "gate"

#: The eight people, in the order the table's columns are read.
PEOPLE = (
    "anonymous",  # no account, no code
    "citizen",  # no account, holds the 查询码 of agency A's application
    "clerk_a",  # 公开专员 of agency A (县政府办公室)
    "clerk_b",  # 公开专员 of agency B (县公安局)
    "approver_a",  # 公开工作机构负责人 of agency A
    "town_supervisor",  # 政务公开办 of a township (葛城街道): A is not below it
    "county_supervisor",  # 政务公开办 of the county government: A is below it
    "admin",  # 系统管理员 (superuser and the admin role)
)


def who(default: str, **people: str) -> dict[str, str]:
    """An expectation: ``default`` for everyone, except the people named."""
    unknown = set(people) - set(PEOPLE)
    assert not unknown, unknown
    return {person: people.get(person, default) for person in PEOPLE}


#: Open to anyone.
PUBLIC = who(IN)
#: Any staff member; the public is sent to log in.
ANY_STAFF = who(IN, anonymous=LOGIN, citizen=LOGIN)
#: Only who holds the 查询码 (the others try a wrong one).
CODE_HOLDER = who(NO, citizen=IN)
#: Agency A's application, read: its handlers, and supervisors above A; the system admin sees
#: it masked on the workbench (docs/security.md, "Who sees what").
A_APPLICATION_READ = who(NO, anonymous=LOGIN, citizen=LOGIN, clerk_a=IN, approver_a=IN,
                         county_supervisor=IN, admin=IN)  # fmt: skip
#: Agency A's attachments and letters (full personal data): handlers and supervisors, not the
#: system admin (masked data only).
A_PERSONAL_FILES = who(NO, anonymous=LOGIN, citizen=LOGIN, clerk_a=IN, approver_a=IN,
                       county_supervisor=IN)  # fmt: skip
#: Changing A's application: its handlers only (supervisors see, they do not handle).
A_APPLICATION_CHANGE = who(NO, anonymous=LOGIN, citizen=LOGIN, clerk_a=IN, approver_a=IN)
#: Registering an application: whoever handles some agency.
HANDLERS = who(NO, anonymous=LOGIN, citizen=LOGIN, clerk_a=IN, clerk_b=IN, approver_a=IN)
#: An audited report uploaded by A's clerk: the uploader, supervisors anywhere, the admin.
A_AUDIT = who(NO, anonymous=LOGIN, citizen=LOGIN, clerk_a=IN, town_supervisor=IN,
              county_supervisor=IN, admin=IN)  # fmt: skip
#: The staff API: as the staff pages, but no token is 401.
API_STAFF = ANY_STAFF
#: Agency A's own records of the new apps (a publication draft, a normative document, a
#: mailbox letter, an appeal case, a catalogue, a training, an annual-report draft), read:
#: whoever sees agency A (rules.visible_agencies) — never agency B's clerk nor the township.
A_RECORD_READ = A_APPLICATION_READ
#: Changing them: agency A's handlers (rules.can_handle and the rules built on it).
A_RECORD_CHANGE = A_APPLICATION_CHANGE
#: A's catalogue and training register: its handlers and the supervisors above it
#: (rules.handles_or_supervises).
A_KEEP_OR_SUPERVISE = who(NO, anonymous=LOGIN, citizen=LOGIN, clerk_a=IN, approver_a=IN,
                          county_supervisor=IN)  # fmt: skip
#: The county's assessment scheme: read by whoever sees the county government; managed by
#: its supervisor only (rules.can_manage_assessment).
SCHEME_READ = who(NO, anonymous=LOGIN, citizen=LOGIN, county_supervisor=IN, admin=IN)
SCHEME_MANAGE = who(NO, anonymous=LOGIN, citizen=LOGIN, county_supervisor=IN)
#: A supervisor's pages (rules.supervises_any) and the system admin.
SUPERVISORS = who(NO, anonymous=LOGIN, citizen=LOGIN, town_supervisor=IN,
                  county_supervisor=IN, admin=IN)  # fmt: skip


@dataclass(frozen=True)
class Row:
    method: str
    expect: dict[str, str]
    #: the body posted (valid data for a change), or a function of the World giving it
    data: dict | Callable[[World], dict] | None = None
    #: for a change: what it changes, read from the database (a function of the World). Who
    #: is served must change it; who is refused must leave it as it was (:func:`check`).
    changes: Callable[[World], object] | None = None
    #: whether who is served must change it (not when the record's state forbids the change
    #: to everyone, e.g. correcting a report that is not published)
    served_changes: bool = True


# -- the table: one line per route ----------------------------------------------------------

ROUTES: dict[str, Row] = {
    "": Row("GET", PUBLIC),
    "accounts/login/": Row("GET", PUBLIC),
    "accounts/logout/": Row("POST", PUBLIC),
    "i18n/setlang/": Row("POST", PUBLIC, {"language": "en"}),
    "api/v1/openapi.json": Row("GET", PUBLIC),
    "api/v1/docs": Row("GET", PUBLIC),
    "api/v1/": Row("GET", who(NO)),  # nothing is served at the API's root
    "apply/": Row("GET", PUBLIC),
    "apply/done/": Row("GET", PUBLIC),
    "apply/status/": Row("GET", PUBLIC),
    "apply/status/<str:code>/": Row("GET", CODE_HOLDER),
    "apply/status/<str:code>/reply.docx": Row("GET", CODE_HOLDER),
    "staff/": Row("GET", ANY_STAFF),
    "staff/applications/": Row("GET", ANY_STAFF),
    "staff/applications/register/": Row("GET", HANDLERS),
    "staff/applications/<int:pk>/": Row("GET", A_APPLICATION_READ),
    "staff/applications/<int:pk>/actions/<str:action>/": Row("POST", A_APPLICATION_CHANGE),
    "staff/applications/<int:pk>/handler/": Row("POST", A_APPLICATION_CHANGE),
    "staff/applications/<int:pk>/receipt/": Row("POST", A_APPLICATION_CHANGE),
    "staff/applications/<int:pk>/attachments/<int:attachment_pk>/": Row("GET", A_PERSONAL_FILES),
    "staff/applications/<int:pk>/letters/<int:letter_pk>/": Row("GET", A_PERSONAL_FILES),
    "staff/applications/<int:pk>/letters/<int:letter_pk>/docx/": Row("GET", A_PERSONAL_FILES),
    "staff/applications/<int:pk>/letters/<int:letter_pk>/pdf/": Row("GET", A_PERSONAL_FILES),
    "staff/reports/": Row("GET", ANY_STAFF),
    "staff/reports/upload/": Row("GET", ANY_STAFF),
    "staff/reports/compare/": Row("GET", ANY_STAFF),
    "staff/reports/export.xlsx": Row("GET", ANY_STAFF),
    "staff/reports/batches/<int:pk>/": Row("GET", A_AUDIT),
    "staff/reports/batches/<int:pk>/reread/": Row("POST", A_AUDIT),
    "staff/reports/batches/<int:pk>/export.xlsx": Row("GET", A_AUDIT),
    "staff/reports/<int:pk>/": Row("GET", A_AUDIT),
    "staff/reports/<int:pk>/export.xlsx": Row("GET", A_AUDIT),
    "staff/reports/<int:pk>/document.json": Row("GET", A_AUDIT),
    "staff/reports/<int:pk>/original/": Row("GET", A_AUDIT),
    # two-factor login (gongkai.accounts): any signed-in staff member
    "accounts/2fa/": Row("GET", ANY_STAFF),
    "accounts/2fa/setup/": Row("GET", ANY_STAFF),
    "accounts/2fa/recovery/": Row("POST", ANY_STAFF),
    # 主动公开 (gongkai.publications): pk is agency A's draft
    "staff/publications/": Row("GET", ANY_STAFF),
    "staff/publications/new/": Row("GET", HANDLERS),
    "staff/publications/import/": Row("GET", HANDLERS),
    "staff/publications/export.xlsx": Row("GET", ANY_STAFF),
    "staff/publications/lacking-interpretation/": Row("GET", ANY_STAFF),
    "staff/publications/<int:pk>/": Row("GET", A_RECORD_READ),
    "staff/publications/<int:pk>/edit/": Row("GET", A_RECORD_CHANGE),
    "staff/publications/<int:pk>/actions/<str:action>/": Row("POST", A_RECORD_CHANGE),
    "staff/publications/<int:pk>/attachments/<int:attachment_pk>/": Row("GET", A_RECORD_READ),
    # 规范性文件 (gongkai.normative): pk is agency A's document / cleanup campaign
    "staff/normative/": Row("GET", ANY_STAFF),
    "staff/normative/new/": Row("GET", HANDLERS),
    "staff/normative/<int:pk>/": Row("GET", A_RECORD_READ),
    "staff/normative/<int:pk>/steps/<str:name>/": Row(  # 合法性审核 of A's draft
        "POST",
        A_RECORD_CHANGE,
        lambda w: {
            "review-on": w.normative().drafted_on.isoformat(),
            "review-ref": "城府法审〔2020〕1号",
        },
        lambda w: w.normative().state,
    ),
    "staff/normative/in-force/": Row("GET", ANY_STAFF),
    "staff/normative/cleanups/": Row("GET", ANY_STAFF),
    "staff/normative/cleanups/<int:pk>/": Row("GET", A_RECORD_READ),
    "staff/normative/figures/": Row("GET", ANY_STAFF),  # entering them asks can_keep_normative
    # without ?agency=&year= there is nothing to fill in (404 for everyone)
    "staff/normative/figures/template.xlsx": Row("GET", who(NO, anonymous=LOGIN, citizen=LOGIN)),
    # 县长信箱 (gongkai.mailbox): public pages, and agency A's letter on the staff side
    "mailbox/": Row("GET", PUBLIC),
    "mailbox/done/": Row("GET", PUBLIC),
    "mailbox/status/": Row("GET", PUBLIC),
    "mailbox/status/<str:code>/": Row("GET", CODE_HOLDER),
    "mailbox/letters/": Row("GET", PUBLIC),
    "mailbox/letters/<int:pk>/": Row("GET", PUBLIC),  # a letter chosen for publication
    "mailbox/<slug:slug>/write/": Row("GET", PUBLIC),
    "mailbox/<slug:slug>/stats/": Row("GET", PUBLIC),
    "staff/mailbox/": Row("GET", ANY_STAFF),
    "staff/mailbox/<int:pk>/": Row("GET", A_RECORD_READ),
    "staff/mailbox/<int:pk>/<str:action>/": Row(  # 分类: sorted anew by A's handlers only
        "POST",
        A_RECORD_CHANGE,
        lambda w: {"category": other_than(w.letter().category, MAILBOX_CATEGORIES)},
        lambda w: w.letter().category,
    ),
    # 复议和诉讼 (gongkai.appeals): pk is a case against agency A
    "staff/appeals/": Row("GET", ANY_STAFF),
    "staff/appeals/<int:pk>/": Row("GET", A_RECORD_READ),
    # the case moves to another stage: A's handlers and the supervisors above A
    # (rules.can_keep_appeals: the county's 政务公开办 keeps its agencies' cases too)
    "staff/appeals/<int:pk>/<str:action>/": Row(
        "POST",
        A_KEEP_OR_SUPERVISE,
        lambda w: {"stage": other_than(w.case().stage, CASE_STAGES)},
        lambda w: w.case().stage,
    ),
    # 标准目录 (gongkai.catalogue): public pages, and agency A's catalogue
    "catalogue/": Row("GET", PUBLIC),
    "catalogue/<slug:agency>/<int:domain>/": Row("GET", PUBLIC),
    "catalogue/<slug:agency>/<int:domain>/xlsx/": Row("GET", PUBLIC),
    "staff/catalogue/": Row("GET", ANY_STAFF),
    "staff/catalogue/compliance/": Row("GET", ANY_STAFF),
    "staff/catalogue/domains/": Row("GET", SUPERVISORS),
    "staff/catalogue/<int:pk>/": Row("GET", A_RECORD_READ),
    "staff/catalogue/<int:pk>/xlsx/": Row("GET", A_RECORD_READ),
    "staff/catalogue/<int:pk>/entries/new/": Row("GET", A_KEEP_OR_SUPERVISE),
    "staff/catalogue/<int:pk>/entries/<int:entry_pk>/": Row("GET", A_KEEP_OR_SUPERVISE),
    "staff/catalogue/entries/<int:pk>/formed-on/": Row(
        "POST", A_KEEP_OR_SUPERVISE, {"formed_on": "2020-03-02"}
    ),
    "staff/catalogue/entries/<int:pk>/evidence/": Row(
        "POST", A_KEEP_OR_SUPERVISE, {"published_on": "2020-03-02", "reference": "000-2020-1"}
    ),
    "staff/catalogue/evidence/<int:pk>/remove/": Row("POST", A_KEEP_OR_SUPERVISE),
    # 培训 (gongkai.training): pk is agency A's training
    "staff/training/": Row("GET", ANY_STAFF),
    "staff/training/new/": Row("GET", ANY_STAFF),
    "staff/training/<int:pk>/": Row("GET", A_RECORD_READ),
    "staff/training/<int:pk>/edit/": Row("GET", A_KEEP_OR_SUPERVISE),
    "staff/training/<int:pk>/delete/": Row("POST", A_KEEP_OR_SUPERVISE),
    # 考核 (gongkai.assessment): pk is the county's scheme, changed by its supervisor only
    "staff/assessment/": Row("GET", ANY_STAFF),
    "staff/assessment/<int:pk>/": Row("GET", SCHEME_READ),
    "staff/assessment/<int:pk>/xlsx/": Row("GET", SCHEME_READ),
    "staff/assessment/<int:pk>/items/": Row(  # a new item
        "POST",
        SCHEME_MANAGE,
        lambda w: item_form("new", "新增考核项目"),
        lambda w: sorted(w.scheme().items.values_list("label", flat=True)),
    ),
    "staff/assessment/<int:pk>/assessed/": Row(  # one agency fewer assessed
        "POST",
        SCHEME_MANAGE,
        lambda w: {"assessed": w.assessed()[1:]},
        lambda w: w.assessed(),
    ),
    "staff/assessment/<int:pk>/items/<int:item_pk>/": Row(  # an item renamed
        "POST",
        SCHEME_MANAGE,
        lambda w: item_form(f"item-{w.records['item']}", "改名的考核项目"),
        lambda w: w.scheme().items.get(pk=w.records["item"]).label,
    ),
    "staff/assessment/<int:pk>/items/<int:item_pk>/delete/": Row("POST", SCHEME_MANAGE),
    # 年度报告 (gongkai.annualreport): pk is agency A's draft; the public pages a published one
    "staff/annual-reports/": Row("GET", ANY_STAFF),
    "staff/annual-reports/start/": Row("POST", ANY_STAFF),
    "staff/annual-reports/supervise/": Row("GET", SUPERVISORS),
    "staff/annual-reports/supervise/export.xlsx": Row("GET", SUPERVISORS),
    "staff/annual-reports/supervise/read/": Row("POST", SUPERVISORS),
    "staff/annual-reports/<int:pk>/": Row("GET", A_RECORD_READ),
    # edit, correct and the steps: A's handlers; anyone else gets 403 (the step's rule)
    "staff/annual-reports/<int:pk>/edit/": Row(
        "POST",
        A_RECORD_CHANGE,
        {"overview": "本机关总体情况（改）", "problems": "问题", "other": "无"},
        lambda w: w.annual_report().sections,
    ),
    # only a published report is corrected (A's is a draft: its handlers get a message)
    "staff/annual-reports/<int:pk>/correct/": Row(
        "POST",
        A_RECORD_CHANGE,
        {"reason": "更正数据"},
        lambda w: w.annual_report_versions(),
        served_changes=False,
    ),
    "staff/annual-reports/<int:pk>/actions/<str:action>/": Row(  # 审核: the draft is checked
        "POST", A_RECORD_CHANGE, None, lambda w: w.annual_report().state
    ),
    "staff/annual-reports/<int:pk>/report.<str:fmt>": Row("GET", A_RECORD_READ),
    "staff/annual-reports/<int:pk>/cells/<str:path>/": Row("GET", A_RECORD_READ),
    "annual-reports/": Row("GET", PUBLIC),
    "annual-reports/<int:pk>/": Row("GET", PUBLIC),
    "annual-reports/<int:pk>/report.<str:fmt>": Row("GET", PUBLIC),
    # 依申请公开 as people use it (gongkai.applications): the status pages read the 查询码 from
    # the session (the citizen's holds it); without one, the page sends you to the lookup form
    "apply/status/view/": Row("GET", PUBLIC),
    "apply/status/reply.docx": Row("GET", CODE_HOLDER),
    "apply/status/reply.pdf": Row("GET", CODE_HOLDER),
    "apply/status/supplement/": Row("POST", CODE_HOLDER),
    "staff/applications/export.xlsx": Row("GET", ANY_STAFF),
    "staff/applications/approvals/": Row("GET", ANY_STAFF),
    "staff/applications/overview/": Row("GET", SUPERVISORS),
    # 督办: a supervisor above A only; anyone else gets 403 (rules.can_supervise)
    "staff/applications/<int:pk>/urge/": Row(
        "POST",
        who(NO, anonymous=LOGIN, citizen=LOGIN, county_supervisor=IN),
        {"note": "请加快办理"},
        lambda w: w.urgings(),
    ),
    "staff/mailbox/<int:pk>/to-application/": Row("GET", A_RECORD_CHANGE),
    "staff/catalogue/entries/<int:pk>/evidence/publication/": Row(
        "POST", A_KEEP_OR_SUPERVISE, {"index_number": "000-2020-1"}
    ),
    # the site cluster (gongkai.sites): public columns of published items, the staff's list
    "gk/": Row("GET", PUBLIC),
    "gk/<slug:slug>/": Row("GET", PUBLIC),
    "gk/item/<int:pk>/": Row("GET", PUBLIC),
    "gk/item/<int:pk>/files/<int:attachment_pk>/": Row("GET", PUBLIC),
    "gk/search/": Row("GET", PUBLIC),
    "staff/sites/": Row("GET", ANY_STAFF),
    # the column's parts, column lists and feeds, sitemap, display modes (sites.portal_pages)
    "gk/normative-in-force/": Row("GET", PUBLIC),
    "gk/parts/<slug:part>/": Row("GET", PUBLIC),
    "gk/<slug:slug>/guide/": Row("GET", PUBLIC),
    "gk/<slug:slug>/rules/": Row("GET", PUBLIC),
    "gk/<slug:slug>/statutory/": Row("GET", PUBLIC),
    "gk/<slug:slug>/annual/": Row("GET", PUBLIC),
    "gk/<slug:slug>/apply/": Row("GET", PUBLIC),
    "sites/<slug:site_slug>/": Row("GET", PUBLIC),
    "sites/<slug:site_slug>/<slug:column_slug>/": Row("GET", PUBLIC),
    "sites/<slug:site_slug>/<slug:column_slug>/feed.atom": Row("GET", PUBLIC),
    "sitemap.xml": Row("GET", PUBLIC),
    "sitemap-pages.xml": Row("GET", PUBLIC),
    "sitemap-items-<int:n>.xml": Row("GET", PUBLIC),
    "display/": Row("GET", PUBLIC),
    # monitoring (gongkai.monitoring): rules.can_view_monitoring, rules.can_run_monitoring
    "staff/monitoring/": Row("GET", ANY_STAFF),
    "staff/monitoring/run/": Row("POST", SUPERVISORS),
}

#: One line per API operation (method, path as in the OpenAPI document).
OPERATIONS: dict[tuple[str, str], Row] = {
    ("GET", "/api/v1/applications/captcha"): Row("GET", PUBLIC),
    ("POST", "/api/v1/applications"): Row("POST", PUBLIC, {}),
    ("GET", "/api/v1/applications/status/{query_code}"): Row("GET", CODE_HOLDER),
    ("GET", "/api/v1/applications"): Row("GET", API_STAFF),
    ("GET", "/api/v1/applications/{pk}"): Row("GET", A_APPLICATION_READ),
    ("POST", "/api/v1/applications/{pk}/actions/{action}"): Row("POST", A_APPLICATION_CHANGE, {}),
    ("GET", "/api/v1/agencies"): Row("GET", PUBLIC),
    ("GET", "/api/v1/publications"): Row("GET", PUBLIC),  # published items only
    ("POST", "/api/v1/publications"): Row("POST", A_RECORD_CHANGE, {"agency": "county-office"}),
    ("GET", "/api/v1/publications/{pk}"): Row("GET", who(NO)),  # A's draft is not published
    ("PATCH", "/api/v1/publications/{pk}"): Row("PATCH", A_RECORD_CHANGE, {}),
    ("POST", "/api/v1/publications/{pk}/actions/{action}"): Row("POST", A_RECORD_CHANGE, {}),
    ("GET", "/api/v1/mailboxes"): Row("GET", PUBLIC),
    ("GET", "/api/v1/mailboxes/{slug}/stats"): Row("GET", PUBLIC),
    ("GET", "/api/v1/search"): Row("GET", PUBLIC),  # no q: 422
}

#: The back office: only the system admin gets past its login (then a read-only model may
#: still refuse a change with 403); everyone else is sent to the back office's login.
ADMIN_RULE = who(LOGIN, admin=IN)
#: Adding and deleting (most models are read-only or change through services), autocomplete
#: without a query, a record's public page, an unknown page: the system admin is past the gate.
ADMIN_GATE = who(LOGIN, admin=GATE)
#: Back-office routes that differ from the rule.
ADMIN_ROUTES: dict[str, Row] = {
    "admin/login/": Row("GET", PUBLIC),
    "admin/logout/": Row("POST", PUBLIC),  # logging out is harmless
    "admin/autocomplete/": Row("GET", ADMIN_GATE),
    "admin/r/<path:content_type_id>/<path:object_id>/": Row("GET", ADMIN_GATE),
    "admin/(?P<url>.*)$": Row("GET", ADMIN_GATE),
}


def admin_row(route: str, name: str) -> Row:
    if route in ADMIN_ROUTES:
        return ADMIN_ROUTES[route]
    if name.endswith(("_add", "_delete")):
        return Row("GET", ADMIN_GATE)
    return Row("GET", ADMIN_RULE)


# -- walking the URL map and the API --------------------------------------------------------


def routes(resolver=None, prefix: str = "", namespace: str = "") -> list[tuple[str, str]]:
    """Every URL pattern, with its view name: ``("staff/applications/<int:pk>/", "applications:detail")``."""
    found = []
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            ns = namespace + (f"{entry.namespace}:" if entry.namespace else "")
            found += routes(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            found.append((prefix + str(entry.pattern), namespace + (entry.name or "")))
    return found


def operations() -> set[tuple[str, str]]:
    schema = api.get_openapi_schema()
    return {
        (method.upper(), path)
        for path, methods in schema["paths"].items()
        for method in methods
        if method in ("get", "post", "put", "patch", "delete")
    }


def is_api_operation_route(route: str) -> bool:
    path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
    return any(path == op_path for _method, op_path in operations())


def test_every_route_and_operation_has_a_row():
    walked = [route for route, _name in routes()]
    assert len(walked) > 50  # the walk found the back office and the apps
    missing = sorted(
        route
        for route in set(walked)
        if not route.startswith("admin/")
        and not is_api_operation_route(route)
        and route not in ROUTES
    )
    assert not missing, f"routes without a row in tests/test_access_matrix.py ROUTES: {missing}"
    stale = sorted(set(ROUTES) - set(walked))
    assert not stale, f"rows for routes that no longer exist: {stale}"
    found = operations()
    assert found - set(OPERATIONS) == set(), "API operations without a row in OPERATIONS"
    assert set(OPERATIONS) - found == set(), "rows for API operations that no longer exist"


# -- the people and the records ------------------------------------------------------------


@dataclass
class World:
    clients: dict[str, Client]
    tokens: dict[str, str]
    application: Application
    attachment: Attachment
    letter_pk: int
    code: str
    batch_pk: int
    report_pk: int
    b_application: Application
    a_open: Application
    #: agency A's records of the newer apps, by the route prefix that opens them
    records: dict[str, object]

    # what the change rows change, read afresh from the database

    def letter(self):
        from gongkai.mailbox.models import Letter

        return Letter.objects.get(pk=self.records["staff/mailbox/"])

    def case(self):
        from gongkai.appeals.models import Case

        return Case.objects.get(pk=self.records["staff/appeals/"])

    def scheme(self):
        from gongkai.assessment.models import Scheme

        return Scheme.objects.get(pk=self.records["staff/assessment/"])

    def assessed(self) -> list[int]:
        from gongkai.assessment import selectors

        return sorted(line.agency.pk for line in selectors.scorecard(self.scheme()).lines)

    def annual_report(self):
        from gongkai.annualreport.models import AnnualReport

        return AnnualReport.objects.get(pk=self.records["staff/annual-reports/"])

    def annual_report_versions(self) -> int:
        from gongkai.annualreport.models import AnnualReport

        report = self.annual_report()
        return AnnualReport.objects.filter(agency_id=report.agency_id, year=report.year).count()

    def normative(self):
        from gongkai.normative.models import NormativeDocument

        return NormativeDocument.objects.get(pk=self.records["staff/normative/"])

    def urgings(self) -> int:
        from gongkai.auditlog.models import AuditEntry

        return AuditEntry.objects.filter(action="urge", object_id=self.application.pk).count()


@pytest.fixture
def world(demo_county, tmp_path, settings) -> World:
    from gongkai.annual.parse.bounded import shutdown_workers

    # "staff/monitoring/run/" runs every check for whoever is served; the crawler stops after a
    # few pages (the default, 200 pages of the demo's site, three times, was 46 % of a py-spy
    # sample of test_the_access_matrix). Who is served is what the matrix checks; what the
    # crawler finds over the whole demo site is tests/monitoring/test_demo.py's subject.
    settings.MONITORING = {**getattr(settings, "MONITORING", {}), "CRAWL_MAX_PAGES": 3}
    from gongkai.applications.services import submit_online

    users = {
        "clerk_a": "clerk",
        "clerk_b": "gaj-clerk",
        "approver_a": "approver",
        "county_supervisor": "supervisor",
        "admin": "admin",
    }
    from gongkai.accounts.models import User

    accounts = {person: User.objects.get(username=name) for person, name in users.items()}
    accounts["town_supervisor"] = f.staff(
        "town-supervisor", Agency.objects.get(slug="gecheng"), "supervisor"
    )
    application = Application.objects.filter(
        agency__slug="county-office", reply__letter__isnull=False
    ).first()
    assert application is not None, "the demo county has a replied application of agency A"
    attachment = Attachment(
        application=application,
        kind=Attachment.Kind.ID_COPY,
        original_name="身份证.png",
        content_type="image/png",
        size=8,
    )
    attachment.file.save("id.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=True)
    b_application = submit_online(agency=Agency.objects.get(slug="gaj"), data=f.person_data())
    a_open = submit_online(agency=application.agency, data=f.person_data())
    corpus = Path(__file__).resolve().parent / "corpus" / "000-chengkou-2020.txt"
    outcome = upload_reports(
        actor=accounts["clerk_a"], files=[ContentFile(corpus.read_bytes(), name="a-report.txt")]
    )
    shutdown_workers()
    from gongkai.auditor.tasks import audit_uploaded_batch

    audit_uploaded_batch.enqueue(outcome.batch.pk)  # a queued task, for the back office's list
    report = AuditedReport.objects.get(batch=outcome.batch)
    assert report.status == AuditedReport.Status.READ, report.reason
    clients = {"anonymous": Client(), "citizen": Client()}
    tokens = {}
    for person, user in accounts.items():
        clients[person] = Client()
        clients[person].force_login(user)
        with transaction.atomic():
            _row, tokens[person] = issue_api_token(actor=rules.COMMAND_LINE, user=user)
    records = a_records(application.agency, accounts)
    from gongkai.applications.views.status import SESSION_KEY

    session = clients["citizen"].session  # the citizen has given the 查询码 (session-bound pages)
    session[SESSION_KEY] = application.pk
    session.save()
    return World(
        records=records,
        clients=clients,
        tokens=tokens,
        application=application,
        attachment=attachment,
        letter_pk=application.reply.letter.pk,
        code=application.tracking_code,
        batch_pk=outcome.batch.pk,
        report_pk=report.pk,
        b_application=b_application,
        a_open=a_open,
    )


def a_records(agency_a: Agency, accounts) -> dict[str, object]:
    """Agency A's records of the newer apps (from the demo county, or made here), plus the
    public ones their public pages show."""
    from django.utils import timezone

    from gongkai.annualreport.engine import Subject, compute
    from gongkai.annualreport.models import AnnualReport
    from gongkai.annualreport.services import start_report, subject_of
    from gongkai.appeals.models import Case
    from gongkai.assessment.models import Item, Scheme
    from gongkai.catalogue.models import Catalogue, Domain, Entry, Evidence
    from gongkai.catalogue.services import open_catalogue
    from gongkai.intake.codes import new_code
    from gongkai.mailbox.models import Letter, Mailbox
    from gongkai.normative.models import CleanupCampaign, NormativeDocument
    from gongkai.normative.steps import draft_document
    from gongkai.publications.models import Attachment as PublicationAttachment
    from gongkai.publications.models import Publication, State
    from gongkai.training.models import Training

    def first(qs, what, **copied):
        """Agency A's first record in ``qs``, or a copy of the demo's first one made A's."""
        row = qs.filter(agency=agency_a).order_by("pk").first()
        if row is None:
            row = copy_to(qs.order_by("pk").first(), agency=agency_a, **copied)
        assert row is not None, f"the demo county has {what}"
        return row

    def copy_to(row, **fields):
        """A copy of a demo record, made agency A's (the demo has none of A's own)."""
        assert row is not None
        row.pk = row.id = None
        for name, value in fields.items():
            setattr(row, name, value)
        row.save()
        return row

    draft = first(Publication.objects.filter(state=State.DRAFT), "a draft")
    pub_attachment = PublicationAttachment.objects.filter(publication=draft).first()
    if pub_attachment is None:
        pub_attachment = PublicationAttachment(
            publication=draft, name="附件.pdf", content_type="application/pdf", size=15
        )
        pub_attachment.file.save("a.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    open_letters = [row.pk for row in Letter.objects.all() if row.is_open]  # one can be converted
    letter = first(
        Letter.objects.filter(pk__in=open_letters), "an open letter", tracking_code=new_code()
    )
    published_letter = first(Letter.objects.filter(published=True), "a published letter")
    catalogue = Catalogue.objects.filter(agency=agency_a).order_by("pk").first()
    if catalogue is None:
        catalogue = open_catalogue(
            actor=accounts["clerk_a"], agency=agency_a, domain=Domain.objects.order_by("pk")[0]
        )
    entry = Entry.objects.filter(catalogue=catalogue).order_by("pk").first()
    if entry is None:
        entry = copy_to(Entry.objects.order_by("pk").first(), catalogue=catalogue)
    evidence = Evidence.objects.filter(entry__catalogue=catalogue).order_by("pk").first()
    if evidence is None:
        evidence = copy_to(Evidence.objects.order_by("pk").first(), entry=entry)
    training = Training.objects.filter(agency=agency_a).order_by("pk").first()
    if training is None:
        training = copy_to(Training.objects.order_by("pk").first(), agency=agency_a)
    scheme = Scheme.objects.order_by("pk")[0]
    normative_draft = draft_document(  # the next step is 合法性审核 (the change row's step)
        actor=accounts["clerk_a"],
        agency=agency_a,
        kind=NormativeDocument.Kind.values[-1],
        title="关于规范某事项的通知（草案）",
        drafted_on=timezone.localdate(),
    )
    year = timezone.localdate().year - 1
    report = start_report(actor=accounts["clerk_a"], subject=Subject.of(agency_a), year=year)
    b_report = start_report(
        actor=accounts["clerk_b"], subject=Subject.of(Agency.objects.get(slug="gaj")), year=year
    )
    computed = compute(subject_of(b_report), year, sections=b_report.sections)
    AnnualReport.objects.filter(pk=b_report.pk).update(  # published, as the publish step does
        state=AnnualReport.State.PUBLISHED,
        document=computed.document,
        findings=computed.findings,
        published_at=timezone.now(),
    )
    published = Publication.objects.filter(state=State.PUBLISHED, attachments__isnull=False)
    published = published.order_by("pk").first()
    assert published is not None, "the demo county has a published item with a file"
    return {
        "gk/item/": published.pk,
        "published_attachment": published.attachments.order_by("pk")[0].pk,
        "staff/publications/": draft.pk,
        "publication_attachment": pub_attachment.pk,
        "staff/normative/cleanups/": first(CleanupCampaign.objects.all(), "a cleanup campaign").pk,
        "staff/normative/": normative_draft.pk,
        "staff/mailbox/": letter.pk,
        "letter_code": letter.tracking_code,
        "mailbox/letters/": published_letter.pk,
        "mailbox": Mailbox.objects.order_by("pk").first().slug,
        "staff/appeals/": first(Case.objects.filter(closed_on=None), "an open case").pk,
        "staff/catalogue/entries/": entry.pk,
        "staff/catalogue/evidence/": evidence.pk,
        "staff/catalogue/": catalogue.pk,
        "catalogue_agency": catalogue.agency.slug,
        "catalogue_domain": catalogue.domain_id,
        "entry": entry.pk,
        "staff/training/": training.pk,
        "staff/assessment/": scheme.pk,
        "item": Item.objects.filter(scheme=scheme).order_by("pk")[0].pk,
        "staff/annual-reports/": report.pk,
        "annual-reports/": b_report.pk,
    }


WRONG_CODE = "ZZZZZZZZZZZZ"


def values(world: World, route: str, person: str) -> dict[str, object]:
    """What each path parameter of ``route`` is for ``person``: agency A's records."""
    reports = route.startswith("staff/reports/")
    newer = [key for key in world.records if "/" in key and route.startswith(key)]
    if reports:
        pk = world.batch_pk if "batches/" in route else world.report_pk
    elif newer:
        pk = world.records[max(newer, key=len)]
    else:
        pk = world.application.pk
    if route.startswith("api/v1/publications") or route.startswith("/api/v1/publications"):
        pk = world.records["staff/publications/"]
    letter_code = world.records["letter_code"] if person == "citizen" else WRONG_CODE
    code = world.code if person == "citizen" else WRONG_CODE
    return {
        "pk": pk,
        "attachment_pk": world.records["publication_attachment"]
        if route.startswith("staff/publications/")
        else world.records["published_attachment"]
        if route.startswith("gk/")
        else world.attachment.pk,
        "letter_pk": world.letter_pk,
        "action": ACTIONS.get(route.split("/")[1] if route.startswith("staff/") else "", "")
        or ("submit" if "publications" in route else "request_correction"),
        "name": "review",
        "code": letter_code if route.startswith("mailbox/") else code,
        "query_code": code,
        "slug": world.application.agency.slug
        if route.startswith("gk/")
        else world.records["mailbox"],
        "agency": world.records["catalogue_agency"],
        "domain": world.records["catalogue_domain"],
        "entry_pk": world.records["entry"],
        "item_pk": world.records["item"],
        "fmt": "json",
        "path": "applications.new_received.total",
        "part": "guide",
        "site_slug": "main",
        "column_slug": "zfxxgk",
        "n": 1,
    }


#: Values of a letter's category and a case's stage (the change rows pick another one).
MAILBOX_CATEGORIES = ("consultation", "suggestion", "complaint", "help", "other")
CASE_STAGES = ("filed", "hearing", "first_instance", "second_instance", "retrial")


def other_than(current: str, choices: tuple[str, ...]) -> str:
    return next(choice for choice in choices if choice != current)


def item_form(prefix: str, label: str) -> dict[str, str]:
    """A valid assessment item form (gongkai.assessment.forms.ItemForm) under ``prefix``."""
    from gongkai.assessment.facts import FACTS

    fields = {"label": label, "fact": next(iter(FACTS)), "weight": "5",
              "when_no_data": "full", "position": "9"}  # fmt: skip
    return {f"{prefix}-{name}": value for name, value in fields.items()}


#: The action each staff app's action route is tried with (one whose rule is the app's own).
ACTIONS = {"mailbox": "sort", "appeals": "stage", "annual-reports": "check"}


def fill(route: str, given: dict[str, object]) -> str:
    return "/" + re.sub(
        r"<(?:\w+:)?(\w+)>|\{(\w+)\}", lambda m: str(given[m.group(1) or m.group(2)]), route
    ).lstrip("/")


def outcome(response) -> str:
    code = response.status_code
    assert code < 500, f"{code} {response.request['PATH_INFO']}"
    assert code != 405, f"405: the row's method is wrong for {response.request['PATH_INFO']}"
    if code == 401:
        return LOGIN
    if code in (301, 302, 303) and "/login/" in response.get("Location", ""):
        return LOGIN
    if code in (403, 404):
        return NO
    return IN


def attempt(
    world: World, person: str, method: str, url: str, data=None, *, api_call=False, changes=None
):
    """Make the request as ``person`` and undo what it changed; return the response, and with
    ``changes`` what it reads before and after the request (inside the undone transaction)."""
    client = world.clients[person]
    if callable(data):
        data = data(world)
    cookies = copy.deepcopy(client.cookies)  # a logout or a language switch is undone too
    headers = {}
    if api_call and person in world.tokens:
        headers["Authorization"] = f"Bearer {world.tokens[person]}"
    with transaction.atomic():  # whatever a request changes is undone for the next person
        before = changes(world) if changes else None
        if method == "GET":
            response = client.get(url, headers=headers)
        elif method == "PATCH":
            response = client.patch(
                url, data or {}, content_type="application/json", headers=headers
            )
        elif api_call:
            response = client.post(
                url, data or {}, content_type="application/json", headers=headers
            )
        else:
            response = client.post(url, data or {}, headers=headers)
        after = changes(world) if changes else None
        transaction.set_rollback(True)
    client.cookies = cookies
    if changes:
        return response, (before, after)
    return response


def check(world: World, rows: list[tuple[str, str, Row]], api_call: bool, tried: list) -> list[str]:
    wrong = []
    for label, url_route, row in rows:
        for person in PEOPLE:
            url = fill(url_route, values(world, url_route, person))
            before = after = None
            if row.changes:
                response, (before, after) = attempt(world, person, row.method, url, row.data,
                                                    api_call=api_call, changes=row.changes)  # fmt: skip
            else:
                response = attempt(world, person, row.method, url, row.data, api_call=api_call)
            tried.append((label, person))
            try:
                got = outcome(response)
            except AssertionError as error:  # a 5xx or a 405: every one is reported together
                wrong.append(f"{row.method} {url} as {person}: {error}")
                continue
            want = row.expect[person]
            if row.changes and got == want == IN and before == after and row.served_changes:
                wrong.append(f"{row.method} {url} as {person}: served, but nothing changed")
            if row.changes and want != IN and before != after:
                wrong.append(f"{row.method} {url} as {person}: refused, but it changed")
            if want == GATE and got in (IN, NO):
                continue
            if got != want:
                wrong.append(
                    f"{row.method} {url} as {person}: {got}, expected {row.expect[person]}"
                )
    return wrong


def admin_urls(world: World) -> list[tuple[str, str, str]]:
    """A concrete URL for every back-office route: an existing object where one is needed."""
    from django.apps import apps

    urls = []
    for route, name in routes():
        if not route.startswith("admin/"):
            continue
        short = name.removeprefix("admin:")
        if "(?P<url>" in route:
            urls.append((route, name, "/admin/no-such-page/"))
            continue
        if "(?P<app_label>" in route:
            urls.append((route, name, "/admin/auditlog/"))
            continue
        if short == "view_on_site":
            kind = ContentType.objects.get_for_model(Application).pk
            urls.append((route, name, f"/admin/r/{kind}/{world.application.pk}/"))
            continue
        given = {"object_id": "", "id": ""}
        label = route.split("/")[1:3]
        if "<" in route:
            model = apps.get_model(label[0], label[1])
            obj = model._default_manager.order_by("pk").first()
            # a model with no rows yet (e.g. the day's visit counts): an unknown object
            given = {"object_id": obj.pk if obj else 0, "id": obj.pk if obj else 0}
        urls.append((route, name, fill(route, given)))
    return urls


def test_the_access_matrix(world):
    tried: list = []
    rows = [(route, route, row) for route, row in ROUTES.items()]
    wrong = check(world, rows, api_call=False, tried=tried)
    api_rows = [(f"{m} {p}", p, row) for (m, p), row in OPERATIONS.items()]
    wrong += check(world, api_rows, api_call=True, tried=tried)
    admin_rows = [
        (route, url, admin_row(route, name) if "/0/" not in url else Row("GET", ADMIN_GATE))
        for route, name, url in admin_urls(world)
    ]
    wrong += check(world, admin_rows, api_call=False, tried=tried)
    assert not wrong, "\n".join(wrong)
    # Every person tried every route and operation.
    assert len(tried) == len(PEOPLE) * (len(rows) + len(api_rows) + len(admin_rows))
    print(f"access matrix: {len(tried)} route × person checks")


# -- object level in lists: B never sees A's records ----------------------------------------


def test_lists_never_show_another_agencys_records(world):
    a, b = world.a_open, world.b_application  # both open, so both on a queue
    bclient = world.clients["clerk_b"]
    queue = bclient.get("/staff/applications/").content.decode()
    assert b.reference in queue and a.reference not in queue
    listed = bclient.get(
        "/api/v1/applications?page_size=200",
        headers={"Authorization": f"Bearer {world.tokens['clerk_b']}"},
    ).json()
    pks = {item["id"] for item in listed["items"]}
    assert b.pk in pks and a.pk not in pks
    reports = bclient.get("/staff/reports/").content.decode()
    assert "a-report.txt" not in reports
    assert "a-report.txt" in world.clients["clerk_a"].get("/staff/reports/").content.decode()
    town = world.clients["town_supervisor"].get("/staff/applications/").content.decode()
    assert a.reference not in town and b.reference not in town
    county = world.clients["county_supervisor"].get("/staff/applications/").content.decode()
    assert a.reference in county and b.reference in county


def test_the_table_is_what_the_rules_say(world):
    """A few cells cross-checked against gongkai.accounts.rules directly, so the table and the
    predicates cannot drift apart unnoticed."""
    from gongkai.accounts.models import User

    agency_a = world.application.agency
    people = {
        "clerk_a": "clerk",
        "clerk_b": "gaj-clerk",
        "approver_a": "approver",
        "town_supervisor": "town-supervisor",
        "county_supervisor": "supervisor",
    }
    for person, name in people.items():
        user = User.objects.get(username=name)
        assert rules.can_handle(user, agency_a) == (A_APPLICATION_CHANGE[person] == IN), person
        assert rules.can_view(user, agency_a) == (A_APPLICATION_READ[person] == IN), person


def test_lists_never_show_another_agencys_newer_records(world):
    """The newer apps' staff lists: A's draft publication is linked from A's clerk's list
    and never from B's clerk's or the township supervisor's."""
    lists = {
        "staff/publications/": "/staff/publications/?state=draft",
    }
    for prefix, page in lists.items():
        link = f'href="/{prefix}{world.records[prefix]}/"'
        seen = {
            person: link in world.clients[person].get(page).content.decode()
            for person in ("clerk_a", "clerk_b", "town_supervisor")
        }
        assert seen == {"clerk_a": True, "clerk_b": False, "town_supervisor": False}, (page, seen)
