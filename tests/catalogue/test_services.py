"""The catalogue through its services: import, export, round trip, refusals, compliance."""

import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from hypothesis import HealthCheck, given, settings
from openpyxl import load_workbook

from gongkai.auditlog.models import AuditEntry
from gongkai.catalogue import selectors, services
from gongkai.catalogue.models import Catalogue, Domain, Entry, Evidence
from gongkai.catalogue.selectors import Status
from gongkai.catalogue.sheet import SheetError, read_rows, write_rows
from gongkai.holidays.services import load_calendar
from gongkai.testing import factories as f
from tests.catalogue.test_sheet import ROWS, catalogues

pytestmark = pytest.mark.django_db


@pytest.fixture
def domain(db):
    services.seed_domains()
    return Domain.objects.get(name="重大建设项目")


@pytest.fixture
def catalogue(office, clerk, domain):
    return services.open_catalogue(actor=clerk, agency=office, domain=domain)


def state(catalogue):
    return [
        (e.pk, e.position, e.as_row(), e.formed_on)
        for e in Entry.objects.filter(catalogue=catalogue).order_by("position")
    ]


def test_the_seed_is_the_reconstructed_list_and_says_so():
    services.seed_domains()
    names = list(Domain.objects.values_list("name", flat=True))
    assert len(names) == 26 and names[0] == "重大建设项目" and names[-1] == "城市综合执法"
    assert all("官方名单未找到" in note for note in Domain.objects.values_list("note", flat=True))
    assert services.seed_domains() == 0


def test_import_then_export_then_import_changes_nothing(catalogue, clerk):
    summary = services.import_catalogue(
        actor=clerk, catalogue=catalogue, data=write_rows(ROWS, title="t")
    )
    assert (summary.created, summary.updated, summary.removed) == (3, 0, 0)
    services.set_formed_on(actor=clerk, entry=catalogue.entries.first(), formed_on=date(2020, 3, 2))
    before = state(catalogue)
    logged = AuditEntry.objects.count()
    exported = selectors.export_catalogue(catalogue)
    again = services.import_catalogue(actor=clerk, catalogue=catalogue, data=exported)
    assert not again.changed and again.unchanged == 3
    assert state(catalogue) == before
    assert AuditEntry.objects.count() == logged  # nothing changed, nothing to log
    assert read_rows(selectors.export_catalogue(catalogue)) == read_rows(exported) == ROWS


def test_an_edited_file_updates_in_place_and_keeps_formation_dates(catalogue, clerk):
    services.import_catalogue(actor=clerk, catalogue=catalogue, data=write_rows(ROWS, title="t"))
    first = catalogue.entries.get(item_l2="审批结果")
    services.set_formed_on(actor=clerk, entry=first, formed_on=date(2020, 3, 2))
    changed = [ROWS[2], ROWS[0].__class__(**{**ROWS[0].__dict__, "subject": "县发改委"})]
    summary = services.import_catalogue(
        actor=clerk, catalogue=catalogue, data=write_rows(changed, title="t")
    )
    assert (summary.created, summary.updated, summary.removed) == (0, 2, 1)
    first.refresh_from_db()
    assert (first.subject, first.position, first.formed_on) == ("县发改委", 2, date(2020, 3, 2))
    row = AuditEntry.objects.filter(action="catalogue.import").latest("pk")
    assert row.data["removed"] == ["项目审批·核准结果"] and row.agency_id == catalogue.agency_id


def test_a_bad_file_is_refused_and_nothing_of_it_is_saved(catalogue, clerk):
    services.import_catalogue(actor=clerk, catalogue=catalogue, data=write_rows(ROWS, title="t"))
    before = state(catalogue)
    book = load_workbook(io.BytesIO(write_rows(ROWS[:1] + [ROWS[2]], title="t")))
    book.worksheets[0]["G5"] = None  # 公开主体 of the second row; the first row is fine
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(SheetError) as caught:
        services.import_catalogue(actor=clerk, catalogue=catalogue, data=out.getvalue())
    assert [str(e) for e in caught.value.errors] == [
        "第5行G列（公开主体）：「公开主体」不能为空 / 公开主体 is required"
    ]
    assert state(catalogue) == before


def test_an_item_with_evidence_cannot_be_dropped_by_a_file(catalogue, clerk):
    services.import_catalogue(actor=clerk, catalogue=catalogue, data=write_rows(ROWS, title="t"))
    entry = catalogue.entries.get(item_l2="核准结果")
    services.add_evidence(
        actor=clerk, entry=entry, published_on=date(2020, 4, 1), reference="11500229/2020-00012"
    )
    before = state(catalogue)
    with pytest.raises(SheetError, match="项目审批·核准结果"):
        services.import_catalogue(
            actor=clerk, catalogue=catalogue, data=write_rows(ROWS[:1], title="t")
        )
    assert state(catalogue) == before


def test_only_the_agency_and_its_supervisors_change_its_catalogue(catalogue, police, office):
    outsider = f.staff("police-clerk", police, "clerk")
    with pytest.raises(PermissionDenied):
        services.import_catalogue(actor=outsider, catalogue=catalogue, data=b"")
    county = f.agency("county", "城口县人民政府")
    office.parent = county
    office.save()
    supervisor = f.staff("sup", county, "supervisor")
    services.import_catalogue(
        actor=supervisor, catalogue=catalogue, data=write_rows(ROWS, title="t")
    )
    assert catalogue.entries.count() == 3


@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=catalogues())
def test_any_catalogue_survives_export_and_import_unchanged(catalogue, clerk, rows):
    services.replace_entries(actor=clerk, catalogue=catalogue, rows=rows)
    before = state(catalogue)
    summary = services.import_catalogue(
        actor=clerk, catalogue=catalogue, data=selectors.export_catalogue(catalogue)
    )
    assert not summary.changed
    assert state(catalogue) == before
    assert [row for _pk, _pos, row, _f in before] == rows


# --- compliance ------------------------------------------------------------------------------


def test_compliance_finds_what_passed_its_time_limit_without_a_publication(catalogue, clerk):
    services.import_catalogue(actor=clerk, catalogue=catalogue, data=write_rows(ROWS, title="t"))
    approval, decision, tender = (
        catalogue.entries.get(item_l2=n) for n in ("审批结果", "核准结果", "")
    )
    # formed Friday 2020-09-25: 20 working days after it (国庆、中秋 off 10-1..8; Sunday 9-27
    # and Saturday 10-10 worked) is Thursday 2020-10-29
    services.set_formed_on(actor=clerk, entry=approval, formed_on=date(2020, 9, 25))
    services.set_formed_on(actor=clerk, entry=decision, formed_on=date(2020, 6, 1))
    services.set_formed_on(actor=clerk, entry=tender, formed_on=date(2020, 6, 1))
    services.add_evidence(
        actor=clerk, entry=decision, published_on=date(2020, 6, 12), reference="http://x/1"
    )
    calendar = load_calendar()
    found = {
        s.entry.pk: s
        for s in selectors.standings(
            [catalogue.agency_id], as_of=date(2020, 10, 30), calendar=calendar
        )
    }
    assert found[approval.pk].status == Status.OVERDUE
    assert found[approval.pk].due_on == date(2020, 10, 29)
    assert found[decision.pk].status == Status.LATE  # 7 working days from 6-1 is 6-10
    assert found[decision.pk].due_on == date(2020, 6, 10)
    assert found[tender.pk].status == Status.MANUAL  # 「每年6月底前」
    on_the_day = selectors.standings(
        [catalogue.agency_id], as_of=date(2020, 10, 29), calendar=calendar
    )
    assert {s.entry.pk: s.status for s in on_the_day}[approval.pk] == Status.PENDING
    services.add_evidence(
        actor=clerk, entry=approval, published_on=date(2020, 10, 28), reference="11500229/2020-1"
    )
    later = selectors.standings([catalogue.agency_id], as_of=date(2020, 10, 30), calendar=calendar)
    assert {s.entry.pk: s.status for s in later}[approval.pk] == Status.ON_TIME
    fact = selectors.compliance_fact(agency=catalogue.agency, year=2020, calendar=calendar)
    assert fact["value"] == "1/2" and fact["ratio"] == 0.5
    assert "超期公开1项" in fact["explanation"]


def test_evidence_before_the_information_was_formed_does_not_count(catalogue, clerk):
    services.import_catalogue(actor=clerk, catalogue=catalogue, data=write_rows(ROWS, title="t"))
    entry = catalogue.entries.get(item_l2="审批结果")
    services.add_evidence(
        actor=clerk, entry=entry, published_on=date(2019, 5, 1), reference="old version"
    )
    services.set_formed_on(actor=clerk, entry=entry, formed_on=date(2020, 3, 2))
    (found,) = [
        s
        for s in selectors.standings(
            [entry.catalogue.agency_id], as_of=date(2020, 12, 31), calendar=load_calendar()
        )
        if s.entry.pk == entry.pk
    ]
    assert found.status == Status.OVERDUE and "尚无公开佐证" in found.explanation
    assert Evidence.objects.filter(entry=entry).count() == 1
    assert Catalogue.objects.count() == 1


def test_an_empty_table_does_not_empty_a_catalogue(catalogue, clerk):
    template = selectors.export_catalogue(catalogue)  # the empty catalogue: the office template
    assert not services.import_catalogue(actor=clerk, catalogue=catalogue, data=template).changed
    services.import_catalogue(actor=clerk, catalogue=catalogue, data=write_rows(ROWS, title="t"))
    with pytest.raises(SheetError, match="文件中没有任何事项"):
        services.import_catalogue(actor=clerk, catalogue=catalogue, data=template)
    assert catalogue.entries.count() == 3
