"""The scorecard: items from registered facts, weights set by the supervisor, cells explained."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from gongkai.assessment import selectors, services
from gongkai.assessment.facts import DEFAULT_ITEMS, FACTS, UnknownFact, measure
from gongkai.assessment.scoring import score
from gongkai.testing import factories as f
from gongkai.training import services as training

pytestmark = pytest.mark.django_db


@pytest.fixture
def county(office, police):
    county = f.agency("county", "城口县人民政府")
    for agency in (office, police):
        agency.parent = county
        agency.save()
    return county


@pytest.fixture
def supervisor(county):
    return f.staff("sup", county, "supervisor")


@pytest.mark.parametrize(
    ("ratio", "no_data", "points", "says"),
    [
        (1.0, "exclude", Decimal("30.00"), "100.0% × 30 分 = 30.00 分"),
        (0.5, "exclude", Decimal("15.00"), "1/2 = 50.0% × 30 分 = 15.00 分"),
        (2 / 3, "exclude", Decimal("20.00"), "66.7% × 30 分 = 20.00 分"),
        (None, "full", Decimal("30"), "无可计数据，按规则得满分"),
        (None, "zero", Decimal("0"), "无可计数据，按规则得 0 分"),
        (None, "exclude", None, "本项不计分"),
    ],
)
def test_a_cell_is_weight_times_share_and_says_so(ratio, no_data, points, says):
    value = "1/2" if ratio == 0.5 else "x"
    cell = score(weight=Decimal(30), ratio=ratio, value=value, fact="事实", no_data=no_data)
    assert cell.points == points and says in cell.explanation


def test_the_demo_year_scorecard_is_explained_and_exported(county, supervisor, office, police):
    august = training.save_training(
        actor=supervisor,
        agency=county,
        held_on=date(2020, 8, 20),
        title="培训",
        audience=[office, police],
    )
    training.record_attendance(actor=supervisor, training=august, people={office.pk: 2})
    scheme = services.create_scheme(actor=supervisor, agency=county, year=2020)
    assert [i.label for i in scheme.items.all()] == [FACTS[path] for path, _ in DEFAULT_ITEMS]
    card = selectors.scorecard(scheme)
    by_name = {line.agency.name: line for line in card.lines}
    office_line = by_name["城口县人民政府办公室"]
    # no replies and no catalogue in 2020: those items do not count; training 1/1 = 30 points
    assert [c.points for c in office_line.cells] == [None, Decimal("30.00"), None]
    assert (office_line.points, office_line.maximum) == (Decimal("30.00"), Decimal("30"))
    assert "应参加培训1次，参加1次" in office_line.cells[1].explanation
    police_line = by_name["城口县公安局"]
    assert police_line.cells[1].points == Decimal("0.00")
    assert "未参加：08月20日培训" in police_line.cells[1].explanation
    assert [line.agency.name for line in card.lines][0] == "城口县人民政府办公室"
    book = load_workbook(io.BytesIO(selectors.export_scorecard(card)))
    scores, notes = book["得分"], book["计分说明"]
    assert scores["A1"].value == "2020年度政务公开工作考核"
    assert [c.value for c in scores[2]] == [
        "机关",
        "依申请公开按时答复率（40.00分）",
        "参加政务公开培训（30.00分）",
        "标准目录事项按时公开（30.00分）",
        "得分",
        "满分",
    ]
    rows = {r[0].value: [c.value for c in r] for r in scores.iter_rows(min_row=3)}
    assert rows["城口县公安局"] == ["城口县公安局", "不计", 0, "不计", 0, 30]
    (police_row,) = [r for r in scores.iter_rows(min_row=3) if r[0].value == "城口县公安局"]
    assert "未参加：08月20日培训" in police_row[2].comment.text
    assert notes.max_row == 1 + 2 * 3


def test_the_supervisor_edits_items_and_weights_and_nobody_else_does(county, supervisor, clerk):
    scheme = services.create_scheme(
        actor=supervisor, agency=county, year=2020, with_default_items=False
    )
    with pytest.raises(PermissionDenied):
        services.save_item(actor=clerk, scheme=scheme, label="x", fact=next(iter(FACTS)), weight=10)
    with pytest.raises(ValidationError):
        services.save_item(actor=supervisor, scheme=scheme, label="x", fact="os.system", weight=10)
    item = services.save_item(
        actor=supervisor,
        scheme=scheme,
        label="",
        fact="gongkai.training.selectors.attendance_fact",
        weight=50,
    )
    assert item.label == "参加政务公开培训"
    services.save_item(
        actor=supervisor, scheme=scheme, item=item, label="=培训", fact=item.fact, weight=20
    )
    item.refresh_from_db()
    assert (item.label, item.weight) == ("=培训", Decimal("20.00"))
    book = load_workbook(io.BytesIO(selectors.export_scorecard(selectors.scorecard(scheme))))
    assert book["得分"]["B2"].value == "=培训（20.00分）" and book["得分"]["B2"].data_type == "s"
    with pytest.raises(ValidationError):
        services.create_scheme(actor=supervisor, agency=county, year=2020)
    with pytest.raises(UnknownFact):
        measure("gongkai.assessment.facts.measure", agency=county, year=2020)


def test_the_scorecard_pages(client, county, supervisor, clerk):
    client.force_login(supervisor)
    response = client.post(reverse("assessment:list"), {"agency": county.pk, "year": 2020})
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert 'id="scorecard"' in html and "本项不计分" in html
    scheme_url = response["Location"]
    assert client.get(scheme_url + "xlsx/")["Content-Type"].startswith("application/vnd.openxml")
    client.force_login(clerk)
    assert client.get(scheme_url).status_code == 404


@pytest.mark.parametrize("path", list(FACTS))
def test_every_registered_fact_keeps_the_contract(path, county, office):
    found = measure(path, agency=office, year=2020)
    assert found.ratio is None and found.value == "—" and "2020年" in found.explanation


def test_on_time_replies_counts_replies_by_their_due_date(county, office, clerk):
    from gongkai.applications import services as applications

    approver = f.staff("approver", office, "approver")
    late = f.received_application(actor=clerk, agency_obj=office, received_on=date(2020, 3, 2))
    on_time = f.received_application(actor=clerk, agency_obj=office, received_on=date(2020, 3, 2))
    assert on_time.due_on is not None
    for application, replied_on in ((late, date(2020, 12, 1)), (on_time, on_time.due_on)):
        applications.reply(
            actor=approver,
            application=application,
            disposition="granted",
            replied_on=replied_on,
            letter_context={"provision_method": "电子邮件"},
        )
    found = measure("gongkai.assessment.facts.on_time_replies", agency=office, year=2020)
    assert (found.ratio, found.value) == (0.5, "1/2")
    late.refresh_from_db()
    assert "逾期：" + (late.reference or late.tracking_code) in found.explanation


def test_the_supervisor_chooses_the_agencies_assessed(client, county, supervisor, office, police):
    scheme = services.create_scheme(actor=supervisor, agency=county, year=2020)
    assert set(scheme.assessed.all()) == {office, police}
    with pytest.raises(ValidationError):
        services.set_assessed(actor=supervisor, scheme=scheme, agencies=[county])
    client.force_login(supervisor)
    client.post(reverse("assessment:assessed", args=[scheme.pk]), {"assessed": [police.pk]})
    assert [line.agency for line in selectors.scorecard(scheme).lines] == [police]
