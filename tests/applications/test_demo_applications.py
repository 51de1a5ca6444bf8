"""The demo county's applications: the seed's 2020 table, and a live queue in every colour band."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from gongkai.agencies.models import ReportingUnit
from gongkai.applications.models import Application
from gongkai.applications.services.deadlines import DeadlineBand, deadline_band
from gongkai.applications.services.reporting import applications_table
from gongkai.auditlog.models import AuditEntry
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


# Loading twice adds no application or letter: tests/demo/test_demo_county.py checks every
# table's row count after a second load.


def _step_dates(app: Application) -> dict:
    """The day each step of ``app`` is dated, read from the rows the steps made."""
    dates = {
        "register": timezone.localdate(app.submitted_at),
        "submit": timezone.localdate(app.submitted_at),
        "accept": app.received_on,
    }
    if hasattr(app, "reply"):
        dates["reply"] = app.reply.replied_on
    if hasattr(app, "correction"):
        dates["request_correction"] = app.correction.requested_on
    if hasattr(app, "extension"):
        dates["extend"] = app.extension.approved_on
    if hasattr(app, "reply_draft"):
        dates["draft_reply"] = app.reply_draft.drafted_on
    consultation = app.consultations.first()
    if consultation is not None:
        dates["open_consultation"] = consultation.sent_on
    delivery = app.deliveries.first()
    if delivery is not None:
        dates["deliver"] = delivery.delivered_on
    return dates


def test_every_demo_event_is_dated_on_the_day_of_its_step(demo_county):
    now = timezone.now()
    events = AuditEntry.objects.filter(
        content_type__model="application",
        object_id__in=Application.objects.filter(idempotency_key__startswith="demo-").values("pk"),
    )
    assert events.count() >= 30
    checked = set()
    for app in Application.objects.filter(idempotency_key__startswith="demo-"):
        dates = _step_dates(app)
        rows = list(app.events.order_by("pk"))
        assert [e.at for e in rows] == sorted(e.at for e in rows)  # the timeline keeps its order
        for event in rows:
            day = timezone.localdate(event.at)
            assert event.at <= now, (app.idempotency_key, event.action)
            if event.action == "archive":  # 归档 is kept nowhere but in the audit row
                delivered = dates["deliver"]
                assert delivered <= day <= delivered + timedelta(days=7)
            else:
                assert day == dates[event.action], (app.idempotency_key, event.action, day)
            checked.add(event.action)
    assert {"register", "submit", "accept", "reply", "deliver", "archive"} <= checked
    assert {"request_correction", "open_consultation", "extend", "draft_reply"} <= checked
    registered = Application.objects.get(idempotency_key="demo-2020-2").events.get(
        action="register"
    )
    assert timezone.localtime(registered.at).strftime("%Y-%m-%d %H:%M") == "2020-10-12 10:00"
