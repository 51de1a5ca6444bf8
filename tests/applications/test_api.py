"""The REST API: OpenAPI and local docs, public submit and status, token auth, 409s, scoping."""

import re
from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone

from gongkai.accounts.models import ApiToken
from gongkai.accounts.rules import COMMAND_LINE
from gongkai.accounts.services import issue_api_token
from gongkai.applications import services as s
from gongkai.applications.models import Application
from gongkai.testing import factories as f

API = "/api/v1"


pytestmark = pytest.mark.usefixtures("empty_cache")


def bearer(user) -> dict:
    _row, token = issue_api_token(actor=COMMAND_LINE, user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def solved(client) -> dict:
    challenge = client.get(f"{API}/applications/captcha").json()
    a, op, b = re.search(r"(\d+) (加|减) (\d+)", challenge["question"]).groups()
    answer = int(a) + int(b) if op == "加" else int(a) - int(b)
    return {"captcha_token": challenge["token"], "captcha_answer": str(answer)}


def test_openapi_json_is_served_and_lists_the_paths(client, db):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in [
        "/api/v1/applications",
        "/api/v1/applications/status/{query_code}",
        "/api/v1/applications/{pk}",
        "/api/v1/applications/{pk}/actions/{action}",
    ]:
        assert path in paths, path


def test_openapi_lists_the_values_of_coded_fields(client, db):
    fields = client.get(f"{API}/openapi.json").json()["components"]["schemas"]["ApplicationIn"]
    props = fields["properties"]
    assert props["applicant_kind"]["enum"] == [
        "natural_person",
        "commercial",
        "research",
        "social_welfare",
        "legal_service",
        "other_org",
    ]
    assert "legal_service=法律服务机构" in props["applicant_kind"]["description"]
    for optional in ("id_type", "form_wanted", "delivery_method"):
        assert props[optional]["enum"][0] == "" and props[optional]["default"] == ""
        assert len(props[optional]["enum"]) > 2


def test_the_docs_page_uses_local_static_files_only(client, db):
    response = client.get(f"{API}/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn" not in html.lower() and "//unpkg" not in html
    scripts = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', html)
    assert scripts and all(url.startswith("/static/") for url in scripts)
    for url in scripts:
        asset = client.get(url)
        assert asset.status_code == 200, url
        b"".join(asset.streaming_content)


def test_public_submit_and_status(client, office):
    body = {**f.person_data(applicant_name="张三丰"), "agency": office.slug, **solved(client)}
    response = client.post(
        f"{API}/applications", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="abc"
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["state_label"] == "待确认"
    retry = client.post(
        f"{API}/applications", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="abc"
    )
    assert retry.status_code == 200 and retry.json()["query_code"] == created["query_code"]
    assert Application.objects.count() == 1
    status = client.get(f"{API}/applications/status/{created['query_code_display']}")
    assert status.status_code == 200
    data = status.json()
    assert data["applicant"] == "张**" and data["due_on"] is None
    assert "张三丰" not in status.content.decode()
    assert [e["label"] for e in data["events"]] == ["网上提交申请"]
    assert client.get(f"{API}/applications/status/AAAABBBBCCCC").status_code == 404


def test_public_submit_validation_is_422_with_field_messages(client, office):
    body = {**f.person_data(id_number="500229199001011234"), "agency": office.slug}
    body.update(solved(client))
    response = client.post(f"{API}/applications", body, content_type="application/json")
    assert response.status_code == 422
    assert "id_number" in response.json()["errors"]
    wrong = {**f.person_data(), "agency": office.slug, **solved(client), "captcha_answer": "99"}
    response = client.post(f"{API}/applications", wrong, content_type="application/json")
    assert response.status_code == 422 and "captcha_answer" in response.json()["errors"]
    assert Application.objects.count() == 0


def test_public_submit_is_rate_limited(client, office, settings):
    settings.GONGKAI_APPLY_RATE_LIMIT = 1
    body = {**f.person_data(), "agency": office.slug, **solved(client), "captcha_answer": "99"}
    assert (
        client.post(f"{API}/applications", body, content_type="application/json").status_code == 422
    )
    limited = client.post(f"{API}/applications", body, content_type="application/json")
    assert limited.status_code == 429 and "提交过于频繁" in limited.json()["detail"]


def test_staff_endpoints_need_a_valid_token(client, clerk):
    assert client.get(f"{API}/applications").status_code == 401
    bad = client.get(f"{API}/applications", HTTP_AUTHORIZATION="Bearer gk_nonsense")
    assert bad.status_code == 401
    headers = bearer(clerk)
    assert client.get(f"{API}/applications", **headers).status_code == 200
    ApiToken.objects.update(revoked=True)
    assert client.get(f"{API}/applications", **headers).status_code == 401


def test_list_is_scoped_paginated_and_masked(client, office, police, clerk, stranger):
    for _ in range(3):
        f.received_application(
            actor=clerk,
            agency_obj=office,
            received_on=date(2026, 3, 2),
            data=f.person_data(applicant_name="张三丰"),
        )
    mine = bearer(clerk)
    page = client.get(f"{API}/applications", {"page_size": 2}, **mine).json()
    assert page["count"] == 3 and len(page["items"]) == 2
    assert {i["applicant_name"] for i in page["items"]} == {"张**"}
    assert client.get(f"{API}/applications", {"page": 2, "page_size": 2}, **mine).json()["items"]
    other = client.get(f"{API}/applications", **bearer(stranger)).json()
    assert other["count"] == 0
    pk = Application.objects.first().pk
    assert client.get(f"{API}/applications/{pk}", **bearer(stranger)).status_code == 404
    detail = client.get(f"{API}/applications/{pk}", **mine).json()
    assert detail["applicant"]["name"] == "张三丰" and not detail["personal_data_masked"]
    assert "draft_reply" in detail["allowed_actions"]  # a clerk drafts; the approver replies
    assert "reply" not in detail["allowed_actions"]


def test_actions_run_the_services_and_refusals_are_409(client, office, clerk, approver, stranger):
    waiting = s.submit_online(agency=office, data=f.person_data())
    headers = bearer(clerk)
    url = f"{API}/applications/{waiting.pk}/actions"
    refused = client.post(
        f"{url}/draft_reply",
        {"disposition": "granted", "provision_method": "电子邮件"},
        content_type="application/json",
        **headers,
    )
    assert refused.status_code == 409
    assert refused.json() == {
        "code": "reply.not_accepted",
        "detail_zh": "申请尚未受理（待确认收到），不能答复",
        "detail_en": "the application has not been accepted yet (receipt unconfirmed); it cannot be answered",
    }
    accepted = client.post(f"{url}/accept", {}, content_type="application/json", **headers)
    assert accepted.status_code == 200
    assert accepted.json()["state"] == "accepted"
    assert accepted.json()["received_on"] == timezone.localdate().isoformat()
    invalid = client.post(
        f"{url}/request_correction", {}, content_type="application/json", **headers
    )
    assert invalid.status_code == 422 and "items" in invalid.json()["errors"]
    missing = client.post(
        f"{url}/draft_reply", {"disposition": "granted"}, content_type="application/json", **headers
    )
    assert missing.status_code == 422 and "letter" in missing.json()["errors"]
    drafted = client.post(
        f"{url}/draft_reply",
        {"disposition": "granted", "letter": {"provision_method": "电子邮件"}},
        content_type="application/json",
        **headers,
    )
    assert drafted.status_code == 200 and drafted.json()["state"] == "accepted"
    assert drafted.json()["awaiting_reply_approval"] is True
    assert drafted.json()["reply_draft"]["disposition"] == "granted"
    listed = client.get(f"{API}/applications", **headers).json()["items"]
    assert [i["awaiting_reply_approval"] for i in listed] == [True]
    for action in ["reply", "approve_reply"]:  # a clerk neither replies nor approves
        denied = client.post(
            f"{url}/{action}",
            {"disposition": "granted", "provision_method": "电子邮件"},
            content_type="application/json",
            **headers,
        )
        assert denied.status_code == 403, action
        assert "负责人" in denied.json()["detail"]
    approved = client.post(
        f"{url}/approve_reply", {}, content_type="application/json", **bearer(approver)
    )
    assert approved.status_code == 200 and approved.json()["disposition"] == "granted"
    assert approved.json()["state"] == "replied" and approved.json()["reply_draft"] is None
    again = client.post(
        f"{url}/reply",
        {"disposition": "granted", "provision_method": "电子邮件"},
        content_type="application/json",
        **bearer(approver),
    )
    assert again.status_code == 409 and again.json()["code"] == "state"
    foreign = client.post(f"{url}/archive", {}, content_type="application/json", **bearer(stranger))
    assert foreign.status_code == 404
    assert (
        client.post(f"{url}/fly", {}, content_type="application/json", **headers).status_code == 404
    )


def test_extension_by_a_clerk_is_403(client, office, clerk):
    application = f.received_application(
        actor=clerk, agency_obj=office, received_on=timezone.localdate()
    )
    response = client.post(
        f"{API}/applications/{application.pk}/actions/extend",
        {"days": 5, "reason": "量大"},
        content_type="application/json",
        **bearer(clerk),
    )
    assert response.status_code == 403


def test_detail_is_masked_for_a_viewer_who_does_not_handle(client, office, clerk):
    application = f.received_application(
        actor=clerk,
        agency_obj=office,
        received_on=date(2026, 3, 2),
        data=f.person_data(applicant_name="张三丰", phone="13812345678"),
    )
    admin = f.staff("sysadmin", office, "admin")
    data = client.get(f"{API}/applications/{application.pk}", **bearer(admin)).json()
    assert data["personal_data_masked"] and data["applicant"]["name"] == "张**"
    assert data["applicant"]["phone"] == "138****5678" and data["allowed_actions"] == []
    assert "query_code" not in data


def test_create_api_token_command(office, clerk, capsys):
    call_command("create_api_token", "clerk", "--name", "测试")
    token = capsys.readouterr().out.strip()
    assert token.startswith("gk_")
    row = ApiToken.objects.get()
    assert row.user == clerk and row.name == "测试" and token not in row.key_hash


def test_an_idempotency_key_never_reveals_someone_elses_application(client, office):
    """The key is the client's choice (``1``, a timestamp…): presenting it with a different
    application must not hand back the first applicant's 查询码 (status page, reply letter)."""
    first = {**f.person_data(applicant_name="张三丰"), "agency": office.slug, **solved(client)}
    created = client.post(
        f"{API}/applications", first, content_type="application/json", HTTP_IDEMPOTENCY_KEY="1"
    )
    assert created.status_code == 201, created.content
    code = created.json()["query_code"]
    other = {
        **f.person_data(applicant_name="李四", description="本县2025年财政预算执行情况"),
        "agency": office.slug,
        **solved(client),
    }
    response = client.post(
        f"{API}/applications", other, content_type="application/json", HTTP_IDEMPOTENCY_KEY="1"
    )
    assert response.status_code == 422, response.content
    assert code not in response.content.decode()
    assert "idempotency_key" in response.json()["errors"]
    assert Application.objects.count() == 1
