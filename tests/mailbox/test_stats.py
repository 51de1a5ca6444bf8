"""Figures per mailbox, agency and year, on the page and in the API; the annual report's
narrative figures (gongkai.mailbox.selectors.narrative_figures)."""

from datetime import date

import pytest
from django.urls import reverse

from gongkai.holidays.services import load_calendar
from gongkai.mailbox import services
from gongkai.mailbox.intake import take_letter
from gongkai.mailbox.selectors import mailbox_stats, narrative_figures
from gongkai.testing.factories import at
from tests.mailbox.conftest import letter_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]


def answered(mailbox, clerk, approver, received, days, category="consultation", channel=""):
    letter = take_letter(
        mailbox=mailbox, data=letter_data(category=category), submitted_at=at(received)
    )[0]
    letter = services.draft_reply(actor=clerk, letter=letter, text="答复")
    on = load_calendar().add_working_days(received, days)
    return services.approve_reply(actor=approver, letter=letter, on=on, channel=channel)


@pytest.fixture
def year_2024(mailbox, clerk, approver):
    answered(mailbox, clerk, approver, date(2024, 3, 4), 5)
    answered(mailbox, clerk, approver, date(2024, 5, 6), 15, category="complaint")
    answered(mailbox, clerk, approver, date(2024, 9, 2), 20, category="complaint", channel="phone")
    take_letter(
        mailbox=mailbox, data=letter_data(category="help"), submitted_at=at(date(2024, 12, 30))
    )
    # another year, not counted
    take_letter(mailbox=mailbox, data=letter_data(), submitted_at=at(date(2023, 6, 1)))


def test_the_figures_of_a_year(mailbox, year_2024):
    s = mailbox_stats(year=2024, mailbox_ids=[mailbox.pk])
    assert (s["received"], s["answered"], s["answered_on_time"]) == (4, 3, 2)
    assert s["answer_rate"] == 0.75
    assert s["average_working_days"] == round((5 + 15 + 20) / 3, 1)
    assert s["longest_working_days"] == 20
    assert s["answered_online"] == 2
    assert s["by_category"]["complaint"] == {"label": "投诉", "received": 2, "answered": 2}
    assert s["by_category"]["help"]["received"] == 1
    assert sum(c["received"] for c in s["by_category"].values()) == s["received"]


def test_the_narrative_figures_count_the_mailboxes_an_agency_runs(
    mailbox, office, police, year_2024
):
    assert narrative_figures(agency_ids=[office.pk], year=2024) == {
        "letters_received": 4,
        "letters_answered": 3,
        "answer_rate": 0.75,
        "answered_online": 2,
    }
    empty = narrative_figures(agency_ids=[police.pk], year=2024)
    assert empty == {
        "letters_received": 0,
        "letters_answered": 0,
        "answer_rate": None,
        "answered_online": 0,
    }


def test_the_api_and_the_page(client, mailbox, year_2024):
    listed = client.get("/api/v1/mailboxes").json()
    assert listed == [
        {
            "slug": "county-head",
            "name": "县长信箱",
            "kind": "leader",
            "agency": mailbox.agency.name,
            "reply_days": 15,
        }
    ]
    body = client.get("/api/v1/mailboxes/county-head/stats?year=2024").json()
    assert (body["received"], body["answered"], body["answered_on_time"]) == (4, 3, 2)
    assert body["answer_rate"] == 0.75 and body["longest_working_days"] == 20
    assert client.get("/api/v1/mailboxes/nope/stats?year=2024").status_code == 404
    assert client.get("/api/v1/mailboxes/county-head/stats?year=99999").status_code == 422
    page = client.get(
        reverse("mailbox:stats", args=["county-head"]) + "?year=2024"
    ).content.decode()
    assert "4 件" in page and "75%" in page
