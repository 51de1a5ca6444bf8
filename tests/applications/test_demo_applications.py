"""The demo county's applications: the seed's 2020 table, and a live queue in every colour band."""

import json
from pathlib import Path

import pytest
from django.utils import timezone

from gongkai.agencies.models import ReportingUnit
from gongkai.applications.models import Application, GeneratedLetter
from gongkai.applications.services.deadlines import DeadlineBand, deadline_band
from gongkai.applications.services.reporting import applications_table
from gongkai.demo import load_demo
from gongkai.holidays.services import load_calendar

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parents[1] / "corpus" / "000-chengkou-2020.expected.json"


def test_2020_table_is_the_seed_reports(demo_county):
    unit = ReportingUnit.objects.get(slug="county-government-organs")
    expected = json.loads(SEED.read_text(encoding="utf-8"))["applications"]
    assert applications_table(unit, 2020) == expected
    replies = Application.objects.filter(received_on__year=2020)
    assert replies.count() == 2
    for app in replies:
        assert app.state == "archived" and app.disposition == "granted"
        assert app.closed_on <= app.due_on  # on time
        assert app.reply.letter.docx.name.endswith(".docx")
        assert app.deliveries.count() == 1
        assert app.reply.approved_by.username == "approver"  # 负责人审核签发


def test_live_queue_has_every_band_and_the_special_cases(demo_county):
    today = timezone.localdate()
    calendar = load_calendar()
    live = Application.objects.filter(idempotency_key__startswith="demo-live-")
    bands = {deadline_band(a, today, calendar) for a in live}
    assert {DeadlineBand.ON_TRACK, DeadlineBand.DUE_SOON, DeadlineBand.OVERDUE} <= bands
    assert live.filter(state="registered", received_on=None).count() == 2
    assert live.filter(state="correction_requested").count() == 1
    assert live.filter(state="consulting").count() == 1
    assert live.filter(extension__isnull=False).count() == 1
    assert live.filter(state="delivered").count() == 1
    waiting = [a for a in live if a.awaiting_reply_approval]
    assert len(waiting) == 1 and waiting[0].state == "accepted"  # 待审批答复; the clock runs
    assert live.values("agency").distinct().count() >= 3
    assert live.values("channel").distinct().count() >= 5


def test_loading_twice_adds_nothing(demo_county):
    before = (Application.objects.count(), GeneratedLetter.objects.count())
    load_demo(out=lambda _line: None)
    assert (Application.objects.count(), GeneratedLetter.objects.count()) == before
