"""Every disposition, walked through the services, lands in the right cell of table 三.

2020 reports use the 2019 format (国办公开办函〔2019〕60号); 2022 reports use the 2021 format
(〔2021〕30号). The expected rows are the template's rows for each ending (docs/law/ogi-spec.md §3.7).
"""

from collections import Counter
from datetime import date

import pytest

from gongkai.agencies.models import ReportingUnit
from gongkai.annual.checks import check_document
from gongkai.applications import services as s
from gongkai.applications.models import Application
from gongkai.applications.services.reporting import (
    annual_document,
    application_records,
    applications_table,
)
from gongkai.law.dispositions import Disposition
from gongkai.testing import factories as f
from gongkai.testing.walks import walk

D = Disposition

#: Known answers: the row of each disposition in the 2019 and the 2021 template.
ROWS = {
    D.GRANTED_ALREADY_PUBLIC: ("granted", "granted"),
    D.GRANTED: ("granted", "granted"),
    D.PARTIAL: ("partial", "partial"),
    D.DENIED_STATE_SECRET: ("denied_state_secret", "denied_state_secret"),
    D.DENIED_LAW_FORBIDDEN: ("denied_law_forbidden", "denied_law_forbidden"),
    D.DENIED_THREE_SAFETY: ("denied_three_safety", "denied_three_safety"),
    D.DENIED_THIRD_PARTY: ("denied_third_party", "denied_third_party"),
    D.DENIED_INTERNAL_AFFAIRS: ("denied_internal_affairs", "denied_internal_affairs"),
    D.DENIED_PROCESS_INFO: ("denied_process_info", "denied_process_info"),
    D.DENIED_ENFORCEMENT_FILE: ("denied_enforcement_file", "denied_enforcement_file"),
    D.DENIED_QUERY_MATTER: ("denied_query_matter", "denied_query_matter"),
    D.NOT_EXIST: ("unable_not_held", "unable_not_held"),
    D.NOT_RESPONSIBLE: ("unable_not_held", "unable_not_held"),
    D.NEED_CREATE: ("unable_need_create", "unable_need_create"),
    D.UNCLEAR: ("unable_unclear", "unable_unclear"),
    D.NOT_PROCESSED_PETITION: ("not_processed_petition", "not_processed_petition"),
    D.NOT_PROCESSED_REPEAT: ("not_processed_repeat", "not_processed_repeat"),
    D.NOT_PROCESSED_PUBLICATION: ("not_processed_publication", "not_processed_publication"),
    D.NOT_PROCESSED_MASSIVE: ("not_processed_massive", "not_processed_massive"),
    D.NOT_PROCESSED_CONFIRM: ("not_processed_confirm", "not_processed_confirm"),
    D.OVERDUE_CORRECTION: ("other", "other_overdue_correction"),
    D.OVERDUE_FEE: ("other", "other_overdue_fee"),
    D.WITHDRAWN: ("other", "other_other"),
    D.TRANSFERRED: ("other", "other_other"),
    D.OTHER: ("other", "other_other"),
}

KINDS = ["natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org"]


def test_every_disposition_has_a_known_row():
    assert set(ROWS) == set(Disposition)


def _data(i: int) -> dict:
    kind = KINDS[i % len(KINDS)]
    if kind == "natural_person":
        return f.person_data(description=f"第{i}号文件及其附件")
    return f.organisation_data(kind, description=f"第{i}号文件及其附件")


@pytest.mark.parametrize(("year", "fmt_index"), [(2020, 0), (2022, 1)], ids=["2020", "2022"])
def test_every_disposition_walked_lands_in_its_row(year, fmt_index, office, police, clerk):
    expected: Counter = Counter()
    for i, disposition in enumerate(Disposition):
        app = walk(
            disposition,
            clerk=clerk,
            office=office,
            elsewhere=police,
            received_on=date(year, 3, 2),
            data=_data(i),
        )
        assert app.disposition == disposition.value
        assert app.closed_on is not None and app.closed_on.year == year
        expected[(ROWS[disposition][fmt_index], KINDS[i % len(KINDS)])] += 1

    table = applications_table(office, year)
    n = len(Disposition)
    assert table["new_received"]["total"] == n
    assert table["carried_over"]["total"] == 0
    assert table["total_processed"]["total"] == n
    assert table["carried_forward"]["total"] == 0
    outcome_rows = {row for row, _ in expected}
    for (row, col), count in expected.items():
        assert table[row][col] == count, (row, col)
    for row, cells in table.items():
        if row in outcome_rows or row in {
            "new_received",
            "total_processed",
            "carried_over",
            "carried_forward",
        }:
            continue
        assert cells["total"] == 0, row
    if fmt_index == 0:
        assert (
            table["other"]["total"] == 5
        )  # overdue correction + fee, withdrawn, transferred, other
        assert table["granted"]["total"] == 2
    else:
        assert table["other_overdue_correction"]["total"] == 1
        assert table["other_overdue_fee"]["total"] == 1
        assert table["other_other"]["total"] == 3
    assert table["unable_not_held"]["total"] == 2  # 36(4) and 36(5)
    # The receiving agency counts the transfer as its own application only once it confirms it.
    received = Application.objects.get(agency=police)
    assert received.transferred_from.agency == office
    assert applications_table(police, year)["new_received"]["total"] == 0


def test_carry_over_across_the_year_end(office, police, clerk, approver):
    open_app = f.received_application(
        actor=clerk, agency_obj=office, received_on=date(2020, 12, 21)
    )
    walk(D.GRANTED, clerk=clerk, office=office, elsewhere=police, received_on=date(2020, 6, 1))
    t2020 = applications_table(office, 2020)
    assert t2020["new_received"]["natural_person"] == 2
    assert t2020["granted"]["natural_person"] == 1
    assert t2020["carried_forward"]["natural_person"] == 1
    assert "other_other" not in t2020  # the 2019 format

    s.reply(
        actor=approver,
        application=open_app,
        disposition="granted",
        replied_on=date(2021, 1, 8),
        letter_context={"provision_method": "电子邮件"},
    )
    t2021 = applications_table(office, 2021)
    assert t2021["carried_over"]["natural_person"] == 1
    assert t2021["new_received"]["total"] == 0
    assert t2021["granted"]["natural_person"] == 1
    assert t2021["carried_forward"]["total"] == 0
    assert "other_other" in t2021  # the 2021 format
    assert [r.received_on for r in application_records(office, 2021)] == [date(2020, 12, 21)]


def test_unconfirmed_and_withdrawn_before_receipt_are_not_counted(office, clerk):
    app = s.submit_online(agency=office, data=f.person_data(), submitted_at=f.at(date(2020, 5, 6)))
    assert applications_table(office, 2020)["new_received"]["total"] == 0
    s.withdraw(actor=clerk, application=app, on=date(2020, 5, 7))
    app.refresh_from_db()
    assert app.state == "withdrawn" and app.disposition == ""
    assert applications_table(office, 2020)["new_received"]["total"] == 0


def test_reporting_unit_document_passes_the_checks(office, police, clerk):
    county = f.agency("county", "城口县人民政府", short_name="县政府")
    unit = ReportingUnit.objects.create(name="城口县人民政府机关", slug="organs")
    unit.agencies.set([office, county])
    walk(D.GRANTED, clerk=clerk, office=office, elsewhere=police, received_on=date(2020, 4, 1))
    county_clerk = f.staff("county-clerk", county, "clerk")
    walk(
        D.PARTIAL, clerk=county_clerk, office=county, elsewhere=police, received_on=date(2020, 5, 6)
    )
    doc = annual_document(unit, 2020)
    assert doc["applications"]["new_received"]["natural_person"] == 2
    assert doc["applications"]["granted"]["total"] == 1
    assert doc["applications"]["partial"]["total"] == 1
    assert not [x for x in check_document(doc) if x.rule.startswith(("t3.", "format."))]
