"""Who reaches what, through every door: the workbench, the API, attachments and letters.

A clerk of another agency gets 404 (never learning the application exists); a supervisor
sees everything in full but acts on nothing; a system admin sees the application masked
and opens no attachment or letter.
"""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.accounts.models import Membership, Role
from gongkai.accounts.rules import COMMAND_LINE
from gongkai.accounts.services import issue_api_token
from gongkai.applications import services as s
from gongkai.applications.models import Application
from gongkai.testing import factories as f
from gongkai.testing.files import pdf_bytes

PDF = pdf_bytes()


pytestmark = pytest.mark.usefixtures("empty_cache")


@pytest.fixture
def case(office, clerk):
    county = f.agency("county", "城口县人民政府")
    office.parent = county
    office.save()
    app = s.register_application(
        actor=clerk,
        agency=office,
        channel="in_person",
        data=f.person_data(applicant_name="张三丰"),
        received_on=date(2026, 3, 2),
        files=[("id_copy", SimpleUploadedFile("id.pdf", PDF))],
        accept=True,
    )
    letter = s.generate_letter(actor=clerk, application=app, key="receipt")
    base = f"/staff/applications/{app.pk}"
    return {
        "app": app,
        "county": county,
        "urls": {
            "detail": f"{base}/",
            "attachment": f"{base}/attachments/{app.attachments.get().pk}/",
            "letter": f"{base}/letters/{letter.pk}/",
            "letter_docx": f"{base}/letters/{letter.pk}/docx/",
        },
    }


def _api(client, user, method, path, **extra):
    _row, token = issue_api_token(actor=COMMAND_LINE, user=user)
    call = client.get if method == "get" else client.post
    return call(
        f"/api/v1/applications/{path}",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        **extra,
    )


def test_a_clerk_of_another_agency_gets_404_everywhere(client, case, stranger):
    client.force_login(stranger)
    for name, url in case["urls"].items():
        assert client.get(url).status_code == 404, name
    pk = case["app"].pk
    assert client.post(f"/staff/applications/{pk}/actions/archive/").status_code == 404
    assert _api(client, stranger, "get", f"{pk}").status_code == 404
    assert _api(client, stranger, "post", f"{pk}/actions/withdraw").status_code == 404


def test_a_supervisor_sees_in_full_but_cannot_act(client, case):
    supervisor = f.staff("zwgk", case["county"], "supervisor")
    app = case["app"]
    client.force_login(supervisor)
    for name, url in case["urls"].items():
        assert client.get(url).status_code == 200, name
    response = client.post(
        f"/staff/applications/{app.pk}/actions/withdraw/", {"withdraw-note": "x"}
    )
    assert response.status_code == 403
    api = _api(client, supervisor, "post", f"{app.pk}/actions/withdraw", data={"note": "x"})
    assert api.status_code == 403
    detail = _api(client, supervisor, "get", f"{app.pk}").json()
    assert detail["applicant"]["name"] == "张三丰" and detail["allowed_actions"] == []
    assert Application.objects.get(pk=app.pk).state == "accepted"


def test_a_system_admin_sees_masked_and_opens_no_file(client, case):
    admin = f.staff("sysadmin", case["county"], "admin")
    assert Membership.objects.filter(user=admin, role=Role.ADMIN).exists()
    app = case["app"]
    client.force_login(admin)
    html = client.get(case["urls"]["detail"]).content.decode()
    assert "张**" in html and "张三丰" not in html and app.id_number not in html
    assert app.tracking_code not in html
    for name in ("attachment", "letter", "letter_docx"):
        assert client.get(case["urls"][name]).status_code == 403, name
    detail = _api(client, admin, "get", f"{app.pk}").json()
    assert detail["personal_data_masked"] is True and "query_code" not in detail
    assert app.id_number not in str(detail) and app.phone not in str(detail)
