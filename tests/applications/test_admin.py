"""The back office lists and shows applications with personal data masked."""

from datetime import date

from gongkai.accounts.models import User
from gongkai.testing import factories as f


def test_admin_shows_applications_masked(office, clerk, client):
    number = f.resident_id("19830303")
    app = f.received_application(
        actor=clerk,
        agency_obj=office,
        received_on=date(2026, 3, 2),
        data=f.person_data(id_number=number),
    )
    admin = User.objects.create_superuser("root", "root@example.com", "pw-123456789")
    client.force_login(admin)
    for url in (
        "/admin/applications/application/",
        f"/admin/applications/application/{app.pk}/change/",
    ):
        page = client.get(url)
        assert page.status_code == 200
        text = page.content.decode()
        assert app.reference in text
        assert number not in text and "13812345678" not in text and "张三丰" not in text


def test_admin_never_shows_the_query_code(office, clerk, client):
    """The 查询码 opens the public status page and the reply letter (which names the applicant
    in full), so the back office, which sees applicants masked, does not show it either."""
    from gongkai.applications import services as s

    app = f.received_application(actor=clerk, agency_obj=office, received_on=date(2026, 3, 2))
    letter = s.generate_letter(actor=clerk, application=app, key="receipt")
    admin = User.objects.create_superuser("root", "root@example.com", "pw-123456789")
    client.force_login(admin)
    for url in (
        "/admin/applications/application/",
        f"/admin/applications/application/{app.pk}/change/",
        "/admin/letters/issuedletter/",
        f"/admin/letters/issuedletter/{letter.pk}/change/",
    ):
        page = client.get(url)
        assert page.status_code == 200, url
        text = page.content.decode()
        assert app.tracking_code not in text and app.tracking_code_display not in text, url


def test_admin_hides_an_organisations_representative_and_contact(office, clerk, client):
    """They are natural persons: the API's masked view leaves them out, and so does the admin."""
    data = f.organisation_data(representative="欧阳明远", contact_name="司马光华")
    app = f.received_application(
        actor=clerk, agency_obj=office, received_on=date(2026, 3, 2), data=data
    )
    admin = User.objects.create_superuser("root", "root@example.com", "pw-123456789")
    client.force_login(admin)
    text = client.get(f"/admin/applications/application/{app.pk}/change/").content.decode()
    assert app.reference in text
    assert "欧阳明远" not in text and "司马光华" not in text
