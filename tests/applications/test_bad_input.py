"""Hostile input gets a 4xx with the usual error shape, never a 500 — on SQLite and PostgreSQL.

The cases an outside probe found: a 5,000-digit captcha answer, a NUL byte in the agency
and applicant fields, integers beyond 64 bits in ids and page numbers, and JSON nested deeper
than Python's recursion limit.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client

from gongkai.accounts.tokens import create_api_token
from gongkai.applications.models import Application
from gongkai.intake import captcha
from gongkai.testing import factories as f
from tests.applications.test_views_public import form_post

pytestmark = pytest.mark.usefixtures("empty_cache")

HUGE = "9" * 30  # beyond a signed 64-bit integer
NESTED = "[" * 100_000 + "]" * 100_000


@pytest.fixture
def client_500():
    """A client that returns a 500 response instead of raising the view's exception."""
    return Client(raise_request_exception=False)


def api_payload(office, **overrides):
    challenge = captcha.new_challenge()
    a, op, b = challenge.question.replace("等于多少？", "").split()
    answer = int(a) + int(b) if op == "加" else int(a) - int(b)
    data = {
        **f.person_data(),
        "agency": office.slug,
        "captcha_token": challenge.token,
        "captcha_answer": str(answer),
    }
    data.update(overrides)
    return data


def post_json(client, url, data, **extra):
    body = data if isinstance(data, str) else json.dumps(data)
    return client.post(url, body, content_type="application/json", **extra)


def assert_problem(response, status=422):
    assert response.status_code == status, response.content[:300]
    body = response.json()
    assert body["detail"], body
    return body


def test_a_5000_digit_captcha_answer(client_500, office):
    response = post_json(
        client_500, "/api/v1/applications", api_payload(office, captcha_answer="7" * 5000)
    )
    assert "captcha_answer" in assert_problem(response)["errors"]
    form, _data = form_post(client_500, office, captcha_answer="7" * 5000)
    assert form.status_code == 400 and "captcha_answer-error" in form.content.decode()
    assert Application.objects.count() == 0


@pytest.mark.parametrize("answer", ["²", "١٢", "12\x00"])
def test_a_captcha_answer_of_other_digits(client_500, office, answer):
    response = post_json(
        client_500, "/api/v1/applications", api_payload(office, captcha_answer=answer)
    )
    assert "captcha_answer" in assert_problem(response)["errors"]


def test_a_nul_byte_in_the_agency(client_500, office):
    response = post_json(
        client_500, "/api/v1/applications", api_payload(office, agency="office\x00")
    )
    assert "agency" in assert_problem(response)["errors"]
    form, _data = form_post(client_500, office, agency="1\x00")
    assert form.status_code == 400


@pytest.mark.parametrize(
    "field", ["applicant_name", "phone", "id_number", "address", "email", "description", "purpose"]
)
def test_a_nul_byte_in_an_applicant_field_is_refused_not_stored(client_500, office, field):
    value = f.person_data()[field] or "x"
    response = post_json(
        client_500, "/api/v1/applications", api_payload(office, **{field: value + "\x00"})
    )
    assert field in assert_problem(response)["errors"]
    form, _data = form_post(client_500, office, **{field: value + "\x00"})
    assert form.status_code == 400
    assert Application.objects.count() == 0


def test_a_nul_byte_in_a_query_code(client_500, db):
    assert client_500.get("/apply/status/ABCD%00EFGH-JKLM/").status_code == 404
    assert client_500.get("/apply/status/", {"code": "ABCD\x00EFGHJKLM"}).status_code in (200, 400)
    response = client_500.get("/api/v1/applications/status/ABCD%00EFGHJKLM")
    assert_problem(response, 404)


@pytest.fixture
def token(clerk):
    _row, value = create_api_token(user=clerk, name="test")
    return {"Authorization": f"Bearer {value}"}


def test_huge_ids_and_pages_on_the_web(client_500, clerk):
    client_500.force_login(clerk)
    for url in [
        f"/staff/applications/{HUGE}/",
        f"/staff/applications/{HUGE}/attachments/1/",
        f"/staff/applications/1/attachments/{HUGE}/",
        f"/staff/applications/{HUGE}/letters/{HUGE}/",
        f"/staff/reports/{HUGE}/",
        f"/staff/reports/batches/{HUGE}/",
    ]:
        assert client_500.get(url).status_code == 404, url
    assert client_500.get("/staff/applications/", {"page": HUGE}).status_code == 200
    assert client_500.get("/staff/applications/", {"page": "-" + HUGE}).status_code == 200


def test_huge_ids_and_pages_in_the_api(client_500, token):
    assert_problem(client_500.get(f"/api/v1/applications/{HUGE}", headers=token), 404)
    response = post_json(
        client_500, f"/api/v1/applications/{HUGE}/actions/accept", {}, headers=token
    )
    assert_problem(response, 404)
    for query in [{"page": HUGE}, {"page": "-" + HUGE}, {"page_size": HUGE}, {"agency": HUGE}]:
        response = client_500.get("/api/v1/applications", query, headers=token)
        assert response.status_code in (200, 422), (query, response.status_code)
        if response.status_code == 200:
            assert response.json()["items"] == []


def test_deeply_nested_json(client_500, office, clerk, token):
    from datetime import date

    application = f.received_application(
        actor=clerk, agency_obj=office, received_on=date(2025, 3, 3), accept=False
    )
    response = post_json(
        client_500, f"/api/v1/applications/{application.pk}/actions/accept", NESTED, headers=token
    )
    assert response.status_code in (400, 422), response.status_code
    assert response.json()["detail"]
    response = post_json(client_500, "/api/v1/applications", NESTED)
    assert response.status_code in (400, 422), response.status_code
    assert response.json()["detail"]


def test_huge_ids_in_the_back_office(client_500, db):
    from gongkai.accounts.models import User

    client_500.force_login(User.objects.create_superuser("root", password="x" * 12))
    for url in [
        f"/admin/applications/application/{HUGE}/change/",
        f"/admin/accounts/user/{HUGE}/change/",
        f"/admin/agencies/agency/{HUGE}/change/",
    ]:
        assert client_500.get(url).status_code in (302, 404), url


def test_an_api_path_no_route_matches_answers_in_the_api_shape(client_500, token):
    for url in ["/api/v1/applications/abc", "/api/v1/applications/1/actions/", "/api/v1/nothing"]:
        assert_problem(client_500.get(url, headers=token), 404)
    page = client_500.get("/no-such-page/")
    assert page.status_code == 404 and "text/html" in page["Content-Type"]
