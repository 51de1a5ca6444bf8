"""The facts other apps now give the scorecard: mailbox letters answered on time
(gongkai.mailbox.selectors) and the annual report published on time without errors
(gongkai.annualreport.selectors), each measured through gongkai.assessment.facts."""

from datetime import date, datetime, time

import pytest
from django.utils import timezone

from gongkai.annualreport.models import AnnualReport
from gongkai.annualreport.selectors import report_fact
from gongkai.assessment.facts import FACTS, measure
from gongkai.mailbox import services
from tests.mailbox.conftest import mailbox  # noqa: F401  (a fixture)
from tests.mailbox.test_stats import year_2024  # noqa: F401  (a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]
MAILBOX = "gongkai.mailbox.selectors.answered_on_time_fact"
REPORT = "gongkai.annualreport.selectors.report_fact"


@pytest.fixture
def approver(office):
    from gongkai.testing import factories as f

    return f.staff("approver", office, "approver")


def test_both_facts_are_registered():
    assert FACTS[MAILBOX] == "信箱来信按期答复"
    assert FACTS[REPORT] == "年报按时发布且无错误"


def test_letters_answered_on_time_of_the_handling_agency(year_2024, office, police):  # noqa: F811
    found = measure(MAILBOX, agency=office, year=2024)
    # four letters received in 2024: three answered (5, 15, 20 working days; the period is
    # 15), one not answered
    assert (found.ratio, found.value) == (0.5, "2/4")
    assert "收到来信4件，已答复3件，按期答复2件；未答复1件" in found.explanation
    assert measure(MAILBOX, agency=police, year=2024).ratio is None


def test_a_transferred_letter_counts_for_the_department_that_answers(
    mailbox,  # noqa: F811
    clerk,
    police,
):
    from gongkai.mailbox.intake import take_letter
    from gongkai.testing.factories import at
    from tests.mailbox.conftest import letter_data

    letter = take_letter(mailbox=mailbox, data=letter_data(), submitted_at=at(date(2024, 3, 4)))[0]
    services.transfer(actor=clerk, letter=letter, to_agency=police)
    assert measure(MAILBOX, agency=police, year=2024).value == "0/1"
    assert measure(MAILBOX, agency=mailbox.agency, year=2024).ratio is None


def report(office, *, state, published_on=None, errors=0, version=1):
    return AnnualReport.objects.create(
        agency=office,
        year=2020,
        version=version,
        state=state,
        findings=[{"severity": "error", "rule": "x"}] * errors
        + [{"severity": "warning", "rule": "y"}],
        published_at=published_on and timezone.make_aware(datetime.combine(published_on, time(10))),
    )


def test_the_report_published_on_time_without_errors_scores_in_full(office):
    report(office, state="published", published_on=date(2021, 1, 20))
    found = report_fact(agency=office, year=2020, today=date(2021, 6, 1))
    assert (found["ratio"], found["value"]) == (1.0, "按时/无错误")
    assert "期限2021-01-31" in found["explanation"] and "审核无错误" in found["explanation"]


def test_late_or_with_errors_scores_half_and_both_score_nothing(office):
    report(office, state="published", published_on=date(2021, 2, 3))
    found = report_fact(agency=office, year=2020, today=date(2021, 6, 1))
    assert (found["ratio"], found["value"]) == (0.5, "逾期/无错误")
    report(office, state="draft", errors=2, version=2)
    found = report_fact(agency=office, year=2020, today=date(2021, 6, 1))
    assert found["ratio"] == 0.0 and "审核错误2项" in found["explanation"]


def test_nothing_to_measure_before_the_deadline_or_without_a_record(office):
    assert report_fact(agency=office, year=2020, today=date(2021, 6, 1))["ratio"] is None
    report(office, state="draft")
    found = report_fact(agency=office, year=2020, today=date(2021, 1, 15))
    assert found["ratio"] is None and "尚未到期" in found["explanation"]
    assert report_fact(agency=office, year=2020, today=date(2021, 2, 1))["ratio"] == 0.5
