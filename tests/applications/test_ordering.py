"""The workbench order: by due date, no due date last, then oldest first — on every database."""

from datetime import date

from gongkai.accounts.rules import COMMAND_LINE
from gongkai.accounts.services import issue_api_token
from gongkai.applications import services as s
from gongkai.applications.selectors import applications_for_user
from gongkai.testing import factories as f


def test_undated_applications_come_last_then_by_pk(client, office, clerk):
    undated_first = s.submit_online(agency=office, data=f.person_data())  # 待确认: no due date
    later = f.received_application(actor=clerk, agency_obj=office, received_on=date(2026, 3, 2))
    undated_second = s.submit_online(agency=office, data=f.person_data())
    sooner = f.received_application(actor=clerk, agency_obj=office, received_on=date(2026, 2, 2))
    expected = [sooner.pk, later.pk, undated_first.pk, undated_second.pk]
    assert undated_first.due_on is None and undated_second.due_on is None

    assert [a.pk for a in applications_for_user(clerk)] == expected

    _row, token = issue_api_token(actor=COMMAND_LINE, user=clerk, name="test")
    listed = client.get("/api/v1/applications", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert [item["id"] for item in listed["items"]] == expected

    client.force_login(clerk)
    page = client.get("/staff/applications/").content.decode()
    shown = sorted(expected, key=lambda pk: page.index(f"/staff/applications/{pk}/"))
    assert shown == expected
