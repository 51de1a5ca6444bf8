"""The supervisor's overview per agency and 督办: figures, export, the note on the case and on
the agency's workbench, and who may do what."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from gongkai.applications import services as s
from gongkai.applications.models import Application
from gongkai.applications.services.deadlines import estimated
from gongkai.applications.services.supervision import overview, urge
from gongkai.holidays.services import load_calendar
from gongkai.testing import factories as f

QUEUE = "/staff/applications/"
OVERVIEW = QUEUE + "overview/"


@pytest.fixture
def supervisor(office):
    return f.staff("supervisor", office, "supervisor")


@pytest.fixture
def approver(office):
    return f.staff("approver", office, "approver")


@pytest.fixture
def cases(office, clerk, approver):
    today = timezone.localdate()
    late = today - timedelta(days=60)
    overdue = f.received_application(actor=clerk, agency_obj=office, received_on=late)
    fresh = f.received_application(actor=clerk, agency_obj=office, received_on=today)
    on_time = f.received_application(actor=clerk, agency_obj=office, received_on=today)
    s.reply(actor=approver, application=on_time, disposition="not_exist")
    late_reply = f.received_application(actor=clerk, agency_obj=office, received_on=late)
    s.reply(actor=approver, application=late_reply, disposition="not_exist")
    return {"overdue": overdue, "fresh": fresh, "on_time": on_time, "late": late_reply}


def test_the_figures_per_agency(supervisor, office, cases):
    today = timezone.localdate()
    calendar = load_calendar()
    rows = {r.agency.pk: r for r in overview(supervisor, today=today, calendar=calendar)}
    mine = rows[office.pk]
    assert (mine.open, mine.overdue) == (2, 1)
    if today.year == (today - timedelta(days=60)).year:  # replies dated this year
        assert (mine.answered, mine.on_time) == (2, 1)
        assert mine.on_time_label == "50.0%（1/2）"
        counted = estimated(calendar, today.year + 1)
        expected = (0 + counted.working_days_between(today - timedelta(days=60), today)) / 2
        assert mine.average_working_days == pytest.approx(expected)


def test_only_supervisors_see_it_and_it_exports(client, clerk, supervisor, office, cases):
    client.force_login(clerk)
    assert client.get(OVERVIEW).status_code == 403
    client.force_login(supervisor)
    page = client.get(OVERVIEW)
    assert page.status_code == 200 and office.name in page.content.decode()
    export = client.get(OVERVIEW, {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("机关", "办理中", "3个工作日内到期", "已超期")
    row = next(r for r in rows if r[0] == office.name)
    assert row[1] == 2 and row[3] == 1


def test_urging_is_recorded_and_shown_on_the_case_and_the_workbench(
    client, clerk, supervisor, cases
):
    overdue = cases["overdue"]
    client.force_login(supervisor)
    page = client.get(f"{QUEUE}{overdue.pk}/").content.decode()
    assert 'id="urge"' in page
    response = client.post(f"{QUEUE}{overdue.pk}/urge/", {"note": "请于三日内答复并报告"})
    assert response.status_code == 302
    event = Application.objects.get(pk=overdue.pk).events.get(action="urge")
    assert event.actor == supervisor and event.note == "请于三日内答复并报告"
    client.force_login(clerk)
    detail = client.get(f"{QUEUE}{overdue.pk}/").content.decode()
    assert 'id="urgings"' in detail and "请于三日内答复并报告" in detail
    assert 'id="urge"' not in detail  # a clerk does not urge
    queue = client.get(QUEUE).content.decode()
    box = queue.split('id="urgings"', 1)[1].split("</section>", 1)[0]
    assert "请于三日内答复并报告" in box and overdue.reference in box


def test_a_clerk_cannot_urge_and_a_note_is_required(clerk, supervisor, cases):
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(PermissionDenied):
        urge(actor=clerk, application=cases["overdue"], note="快")
    with pytest.raises(ValidationError):
        urge(actor=supervisor, application=cases["overdue"], note="  ")
