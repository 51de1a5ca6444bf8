"""The training register: recorded through its services, its figures for the annual report."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from gongkai.auditlog.models import AuditEntry
from gongkai.testing import factories as f
from gongkai.training import selectors, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def county(db):
    return f.agency("county", "城口县人民政府")


@pytest.fixture
def supervisor(county):
    return f.staff("sup", county, "supervisor")


def training(actor, organiser, day, audience=(), title="政务公开工作培训"):
    return services.save_training(
        actor=actor,
        agency=organiser,
        held_on=day,
        title=title,
        topics="《政府信息公开条例》\n依申请公开办理规范",
        audience_roles="分管负责人、具体业务人员",
        audience=audience,
    )


def test_narrative_figures_count_trainings_and_the_people_who_came(county, supervisor, office):
    office.parent = county
    office.save()
    august = training(supervisor, county, date(2020, 8, 20), audience=[office])
    december = training(supervisor, county, date(2020, 12, 10), audience=[office])
    training(supervisor, county, date(2021, 3, 1))
    assert selectors.narrative_figures(agency_ids=[county.pk], year=2020) == {
        "trainings": 2,
        "trainees": None,  # no attendance recorded yet: no partial sum
    }
    services.record_attendance(
        actor=supervisor, training=august, people={county.pk: 3, office.pk: 2}
    )
    assert selectors.narrative_figures(agency_ids=[county.pk], year=2020)["trainees"] is None
    services.record_attendance(actor=supervisor, training=december, people={office.pk: 4})
    assert selectors.narrative_figures(agency_ids=[county.pk], year=2020) == {
        "trainings": 2,
        "trainees": 9,
    }
    assert selectors.narrative_figures(agency_ids=[office.pk], year=2020) == {
        "trainings": 0,
        "trainees": 0,
    }
    assert AuditEntry.objects.filter(action="training.attendance").count() == 2


def test_attendance_fact_names_the_trainings_missed(county, supervisor, office, police):
    for agency in (office, police):
        agency.parent = county
        agency.save()
    august = training(supervisor, county, date(2020, 8, 20), audience=[office, police])
    training(supervisor, county, date(2020, 12, 10), audience=[office, police], title="年终培训")
    services.record_attendance(
        actor=supervisor, training=august, people={office.pk: 2, police.pk: 0}
    )
    fact = selectors.attendance_fact(agency=office, year=2020)
    assert (fact["ratio"], fact["value"]) == (0.5, "1/2")
    assert "未参加：12月10日年终培训" in fact["explanation"]
    assert selectors.attendance_fact(agency=police, year=2020)["ratio"] == 0
    assert selectors.attendance_fact(agency=office, year=2019)["ratio"] is None


def test_only_the_organiser_and_its_supervisors_record_and_only_the_audience_attends(
    county, supervisor, office, police, clerk
):
    with pytest.raises(PermissionDenied):
        training(clerk, county, date(2020, 8, 20))
    held = training(supervisor, county, date(2020, 8, 20), audience=[office])
    with pytest.raises(ValidationError):
        services.record_attendance(actor=supervisor, training=held, people={police.pk: 1})
    assert not held.attendance.exists()


def test_the_register_pages(client, county, supervisor, office):
    office.parent = county
    office.save()
    client.force_login(supervisor)
    response = client.post(
        reverse("training:new"),
        {
            "agency": county.pk,
            "held_on": "2020-08-20",
            "kind": "training",
            "title": "全县政务公开工作培训",
            "topics": "条例",
            "audience_roles": "具体业务人员",
            "audience": [office.pk],
        },
    )
    assert response.status_code == 302
    detail = response["Location"]
    bad = client.post(detail, {f"people-{office.pk}": "两"})
    assert bad.status_code == 400 and "人数应为整数" in bad.content.decode()
    client.post(detail, {f"people-{office.pk}": "5", f"people-{county.pk}": "3"})
    html = client.get(reverse("training:list") + "?year=2020").content.decode()
    assert (
        "全县政务公开工作培训" in html and "组织培训和会议 1 次" in html and "参加 8 人次" in html
    )
    assert "<h1>培训与会议（2020年）</h1>" in html
    # In English the title is one sentence, the year in its place.
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("training:list") + "?year=2020").content.decode()
    assert "<h1>Training and meetings (2020)</h1>" in html and "8 attendances" in html


def test_a_training_is_corrected_and_deleted_through_the_pages(client, county, supervisor, office):
    held = training(supervisor, county, date(2020, 8, 20), audience=[office])
    client.force_login(supervisor)
    edit = reverse("training:edit", args=[held.pk])
    assert "全县" not in client.get(edit).content.decode()
    response = client.post(
        edit,
        {
            "agency": county.pk,
            "held_on": "2020-08-21",
            "kind": "meeting",
            "title": "全县政务公开工作会议",
            "audience": [office.pk],
        },
    )
    assert response.status_code == 302
    held.refresh_from_db()
    assert (held.held_on, held.kind, held.title) == (
        date(2020, 8, 21),
        "meeting",
        "全县政务公开工作会议",
    )
    row = AuditEntry.objects.filter(action="training.save").latest("pk")
    assert (
        row.before["title"] == "政务公开工作培训" and row.after["title"] == "全县政务公开工作会议"
    )
    client.post(reverse("training:delete", args=[held.pk]))
    assert not type(held).objects.filter(pk=held.pk).exists()
    assert AuditEntry.objects.filter(action="training.delete").count() == 1
