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


@dataclass(frozen=True)
class Row:
    method: str
    expect: dict[str, str]
    data: dict | None = None


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


@pytest.fixture
def world(demo_county, tmp_path) -> World:
    from gongkai.annual.parse.bounded import shutdown_workers
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
    return World(
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


WRONG_CODE = "ZZZZZZZZZZZZ"


def values(world: World, route: str, person: str) -> dict[str, object]:
    """What each path parameter of ``route`` is for ``person``: agency A's records."""
    reports = route.startswith("staff/reports/")
    return {
        "pk": (world.batch_pk if "batches/" in route else world.report_pk)
        if reports
        else world.application.pk,
        "attachment_pk": world.attachment.pk,
        "letter_pk": world.letter_pk,
        "action": "request_correction",
        "code": world.code if person == "citizen" else WRONG_CODE,
        "query_code": world.code if person == "citizen" else WRONG_CODE,
    }


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


def attempt(world: World, person: str, method: str, url: str, data=None, *, api_call=False):
    client = world.clients[person]
    cookies = copy.deepcopy(client.cookies)  # a logout or a language switch is undone too
    headers = {}
    if api_call and person in world.tokens:
        headers["Authorization"] = f"Bearer {world.tokens[person]}"
    with transaction.atomic():  # whatever a request changes is undone for the next person
        if method == "GET":
            response = client.get(url, headers=headers)
        elif api_call:
            response = client.post(
                url, data or {}, content_type="application/json", headers=headers
            )
        else:
            response = client.post(url, data or {}, headers=headers)
        transaction.set_rollback(True)
    client.cookies = cookies
    return response


def check(world: World, rows: list[tuple[str, str, Row]], api_call: bool, tried: list) -> list[str]:
    wrong = []
    for label, url_route, row in rows:
        for person in PEOPLE:
            url = fill(url_route, values(world, url_route, person))
            got = outcome(attempt(world, person, row.method, url, row.data, api_call=api_call))
            tried.append((label, person))
            want = row.expect[person]
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
            assert obj is not None, f"no {label} to open in the back office"
            given = {"object_id": obj.pk, "id": obj.pk}
        urls.append((route, name, fill(route, given)))
    return urls


def test_the_access_matrix(world):
    tried: list = []
    rows = [(route, route, row) for route, row in ROUTES.items()]
    wrong = check(world, rows, api_call=False, tried=tried)
    api_rows = [(f"{m} {p}", p, row) for (m, p), row in OPERATIONS.items()]
    wrong += check(world, api_rows, api_call=True, tried=tried)
    admin_rows = [(route, url, admin_row(route, name)) for route, name, url in admin_urls(world)]
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
