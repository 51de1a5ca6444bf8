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
