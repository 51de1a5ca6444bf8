"""The review and litigation register through its services, and table 四 from it."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.appeals import services
from gongkai.appeals.models import Case
from gongkai.appeals.selectors import open_follow_ups, table_four
from gongkai.applications import services as applications
from gongkai.applications.models import Application
from gongkai.holidays.services import load_calendar
from gongkai.testing import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def approver(office):
    return f.staff("approver", office, "approver")


@pytest.fixture
def replied(office, clerk, approver):
    application = f.received_application(
        actor=clerk, agency_obj=office, received_on=date(2022, 3, 1)
    )
    applications.reply(
        actor=approver,
        application=application,
        disposition="denied_third_party",
        replied_on=date(2022, 3, 20),
        letter_context={"reasons": "涉及第三方商业秘密，第三方不同意公开。"},
    )
    return Application.objects.get(pk=application.pk)


def review(actor, application, number, filed, **kw):
    return services.register_case(
        actor=actor,
        application=application,
        route="review",
        case_number=number,
        body="城口县人民政府",
        filed_on=filed,
        decision=application.reply,
        **kw,
    )


def test_a_case_is_linked_to_the_application_and_its_reply(replied, clerk):
    case = review(clerk, replied, "城府复〔2022〕3号", date(2022, 4, 10))
    assert (case.agency_id, case.decision_id, case.result) == (
        replied.agency_id,
        replied.reply.pk,
        "pending",
    )
    assert case.events.get().action == "register_case"


def test_bad_input_names_every_problem_and_saves_nothing(replied, clerk, police):
    with pytest.raises(ValidationError) as error:
        services.register_case(
            actor=clerk,
            application=replied,
            route="litigation_after_review",
            case_number="",
            body="",
            filed_on=date(2030, 1, 1),
        )
    assert set(error.value.message_dict) == {
        "case_number",
        "body",
        "filed_on",
        "decision_note",
        "after_review_of",
    }
    assert Case.objects.count() == 0
    stranger = f.staff("police-clerk", police, "clerk")
    with pytest.raises(PermissionDenied):
        review(stranger, replied, "x", date(2022, 4, 10))


def test_a_corrected_result_flags_the_application_and_puts_a_new_reply_on_the_clock(replied, clerk):
    case = review(clerk, replied, "城府复〔2022〕3号", date(2022, 4, 10))
    case = services.close_case(
        actor=clerk,
        case=case,
        result="corrected",
        closed_on=date(2022, 6, 1),
        new_decision_ordered=True,
        note="责令重新答复",
    )
    assert case.follow_up_required
    assert case.follow_up_due == load_calendar().add_working_days(date(2022, 6, 1), 20)
    flagged = replied.events.filter(action="appeal_corrected").get()
    assert "应于" in flagged.note and "城府复〔2022〕3号" in flagged.note
    assert list(open_follow_ups(clerk)) == [case]
    services.complete_follow_up(actor=clerk, case=case, on=date(2022, 6, 20), note="已重新答复")
    assert list(open_follow_ups(clerk)) == []


def test_a_suit_after_review_names_the_review(replied, clerk):
    first = review(clerk, replied, "城府复〔2022〕3号", date(2022, 4, 10))
    services.close_case(actor=clerk, case=first, result="upheld", closed_on=date(2022, 6, 1))
    suit = services.register_case(
        actor=clerk,
        application=replied,
        route="litigation_after_review",
        case_number="（2022）渝0229行初15号",
        body="城口县人民法院",
        filed_on=date(2022, 6, 20),
        decision=replied.reply,
        after_review_of=first,
    )
    assert suit.after_review_of_id == first.pk
    with pytest.raises(ValidationError):  # the same number at the same court again
        services.register_case(
            actor=clerk,
            application=replied,
            route="litigation_direct",
            case_number="（2022）渝0229行初15号",
            body="城口县人民法院",
            filed_on=date(2022, 6, 20),
            decision_note="逾期未答复",
        )


def test_table_four_counts_a_year_with_open_cases_as_pending(replied, clerk, office, police):
    a = review(clerk, replied, "复1", date(2022, 4, 10))
    services.close_case(actor=clerk, case=a, result="upheld", closed_on=date(2022, 6, 1))
    b = review(clerk, replied, "复2", date(2022, 5, 10))
    services.close_case(actor=clerk, case=b, result="corrected", closed_on=date(2022, 8, 1))
    c = review(clerk, replied, "复3", date(2022, 11, 10))  # decided next year: pending in 2022
    services.close_case(actor=clerk, case=c, result="other", closed_on=date(2023, 2, 1))
    d = services.register_case(
        actor=clerk,
        application=replied,
        route="litigation_direct",
        case_number="诉1",
        body="城口县人民法院",
        filed_on=date(2022, 12, 1),
        decision=replied.reply,
    )
    services.register_case(
        actor=clerk,
        application=replied,
        route="litigation_after_review",
        case_number="诉2",
        body="城口县人民法院",
        filed_on=date(2022, 9, 1),
        decision=replied.reply,
        after_review_of=a,
    )
    assert d.is_open
    table = table_four(agency_ids=[office.pk], year=2022)
    assert table == {
        "review": {"upheld": 1, "corrected": 1, "other": 0, "pending": 1, "total": 3},
        "litigation_direct": {"upheld": 0, "corrected": 0, "other": 0, "pending": 1, "total": 1},
        "litigation_after_review": {
            "upheld": 0,
            "corrected": 0,
            "other": 0,
            "pending": 1,
            "total": 1,
        },
    }
    assert table_four(agency_ids=[office.pk], year=2023)["review"]["total"] == 0
    assert table_four(agency_ids=[police.pk], year=2022)["review"]["total"] == 0
