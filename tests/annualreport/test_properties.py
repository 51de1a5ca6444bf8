"""Properties: any generated set of application records gives a report that passes every check;
changing one cell of it gives exactly the findings that cell should raise."""

from datetime import date, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.annual.checks import check_report
from gongkai.annual.document import get_cell, iter_cells, set_cell
from gongkai.annual.formats import APPLICANT_COLUMN_KEYS, format_for_year
from gongkai.annualreport import figures as fig
from gongkai.annualreport.engine import Subject, compute
from gongkai.law.dispositions import Disposition
from tests.annualreport.conftest import make_application

KINDS = list(APPLICANT_COLUMN_KEYS)

records = st.lists(
    st.tuples(
        st.sampled_from(KINDS),
        st.integers(min_value=0, max_value=800),  # received this many days after 1 Jan 2020
        st.one_of(st.none(), st.tuples(st.integers(0, 60), st.sampled_from(list(Disposition)))),
        st.integers(min_value=-5, max_value=25),  # due this many days after receipt
    ),
    max_size=20,
)


class Rollback(Exception):
    pass


def _load(office, rows):
    for kind, offset, end, due in rows:
        received = date(2020, 1, 1) + timedelta(days=offset)
        closed, disposition = (None, "")
        if end is not None:
            closed, disposition = received + timedelta(days=end[0]), end[1].value
        make_application(
            office,
            kind=kind,
            received_on=received,
            closed_on=closed,
            disposition=disposition,
            due_on=received + timedelta(days=due),
        )


@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=records, year=st.sampled_from([2020, 2021, 2022]))
@pytest.mark.django_db
def test_any_records_give_a_report_that_passes_every_check(rows, year, office, sources):
    try:
        with transaction.atomic():
            _load(office, rows)
            computed = compute(Subject.of(office), year)
            assert computed.findings == []
            doc = computed.document
            assert doc["format"] == format_for_year(year).code
            received = sum(
                1
                for _, offset, _, _ in rows
                if (date(2020, 1, 1) + timedelta(days=offset)).year == year
            )
            assert doc["applications"]["new_received"]["total"] == received
            assert f"共收到政府信息公开申请{received}件" in doc["sections"]["overview"]
            raise Rollback
    except Rollback:
        pass


def _rules(found) -> set[tuple[str, str]]:
    """(rule, the column or row or group it is about) for each finding."""
    out = set()
    for f in found:
        cells = f.cells
        if f.rule == "t3.row_total":
            out.add((f.rule, cells[0].split(".")[1]))
        elif f.rule in ("t3.balance", "t3.outcome_sum"):
            out.add((f.rule, cells[0].split(".")[2]))
        elif f.rule == "t4.total":
            out.add((f.rule, cells[0].split(".")[1]))
        else:
            out.add((f.rule, cells[0] if cells else ""))
    return out


def expected_findings(fmt, path: str) -> set[tuple[str, str]]:
    """The oracle: what changing the cell at ``path`` (by a positive amount) must raise."""
    part, row, col = path.split(".", 2)
    if part == "review_litigation":
        out = {("t4.total", row)}
        if col == "total":  # the draft says 「没有…行政复议和…行政诉讼」
            first = "review" if row == "review" else "litigation_direct"
            out.add(("narrative.mismatch", f"review_litigation.{first}.total"))
        return out
    if part == "proactive":
        return set()  # table 二 has no arithmetic in either template
    outcomes = set(fmt.outcome_row_keys)
    out = {("t3.row_total", row)}
    if row in ("new_received", "carried_over", "carried_forward"):
        out.add(("t3.balance", col))
    elif row == "total_processed":
        out |= {("t3.balance", col), ("t3.outcome_sum", col)}
    elif row in outcomes:
        out.add(("t3.outcome_sum", col))
    if col == "total" and row == "new_received":
        out.add(("narrative.mismatch", "applications.new_received.total"))
    if col == "total" and row == "total_processed":
        out.add(("narrative.mismatch", "applications.total_processed.total"))
    if row == "carried_over":
        out.add(("cross_year.carry", path))
    return out


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=records,
    year=st.sampled_from([2020, 2022]),
    pick=st.integers(0, 10_000),
    delta=st.integers(1, 9),
)
@pytest.mark.django_db
def test_changing_one_cell_gives_exactly_the_expected_finding(
    rows, year, pick, delta, office, sources
):
    try:
        with transaction.atomic():
            _load(office, rows)
            doc = compute(Subject.of(office), year).document
            raise Rollback(doc)
    except Rollback as done:
        doc = done.args[0]
    fmt = format_for_year(year)
    paths = [p for p, _ in iter_cells(doc)]
    path = paths[pick % len(paths)]
    previous = {
        "year": year - 1,
        "format": format_for_year(year - 1).code,
        "applications": {"carried_forward": dict(doc["applications"]["carried_over"])},
    }
    set_cell(doc, path, get_cell(doc, path) + delta)
    found = check_report(doc, previous=previous)
    found += fig.check_figures(doc["sections"], {})
    found = [f for f in found if f.rule != "narrative.unverified"]
    assert _rules(found) == expected_findings(fmt, path), (path, [f.message for f in found])


def test_the_oracle_is_not_empty_for_table_three():
    fmt = format_for_year(2022)
    assert expected_findings(fmt, "applications.granted.research") == {
        ("t3.row_total", "granted"),
        ("t3.outcome_sum", "research"),
    }
