"""Due dates follow the database calendar; colour bands; reminders; reads across permissions."""

from datetime import date
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from gongkai.applications import services as s
from gongkai.applications.selectors import (
    application_for_user,
    applications_for_user,
    may_see_personal_data,
)
from gongkai.applications.services.deadlines import DeadlineBand, deadline_band
from gongkai.applications.services.reminders import send_deadline_reminders
from gongkai.applications.tasks import send_deadline_reminders as reminder_task
from gongkai.holidays.services import delete_year, import_year, load_calendar
from gongkai.testing import factories as f

#: A made-up 2026 arrangement (NOT the State Council's notice): the real one (国办发明电〔2025〕7号)
#: makes Sunday 4 January 2026 a working day; this one does not, and then adds 5–6 January off.
MADE_UP_2026 = "放假 2026-01-01..2026-01-03 元旦\n"
MOVED_2026 = "放假 2026-01-01..2026-01-06 元旦\n"


def test_calendar_import_recomputes_the_due_date_and_logs_it(office, clerk):
    app = f.received_application(actor=clerk, agency_obj=office, received_on=date(2025, 12, 15))
    app.refresh_from_db()
    # 16–19, 22–26, 29–31 December (12), Sunday 4 January (调休上班, 13), 5–9 and 12–13 January.
    assert app.due_on == date(2026, 1, 13)

    import_year(year=2026, text=MADE_UP_2026, actor=clerk, source="测试")
    app.refresh_from_db()
    assert app.due_on == date(2026, 1, 14)  # 4 January no longer counts
    import_year(year=2026, text=MOVED_2026, actor=clerk, source="测试（调整）")
    app.refresh_from_db()
    assert app.due_on == date(2026, 1, 16)  # two more days off, two working days later
    delete_year(year=2026, actor=clerk)
    app.refresh_from_db()
    assert app.due_on is None  # never guessed: a clear note until the year is loaded again
    assert "2026" in app.clock_explanation and app.clock_basis["missing_year"] == 2026
    notes = list(app.events.filter(action="recompute").values_list("note", flat=True))
    assert notes == [
        "因节假日安排变更，答复期限由2026-01-13改为2026-01-14",
        "因节假日安排变更，答复期限由2026-01-14改为2026-01-16",
        "因节假日安排变更，答复期限由2026-01-16改为（未定）",
    ]
    assert app.events.filter(action="recompute").first().actor == clerk


def test_closed_applications_keep_their_due_date(office, clerk, approver):
    app = f.received_application(actor=clerk, agency_obj=office, received_on=date(2025, 12, 15))
    s.reply(
        actor=approver,
        application=app,
        disposition="not_exist",
        replied_on=date(2025, 12, 16),
        letter_context={},
    )
    import_year(year=2026, text=MADE_UP_2026)
    app.refresh_from_db()
    assert app.due_on == date(2026, 1, 13)  # answered: the old date stays on the record
    assert not app.events.filter(action="recompute").exists()


@pytest.mark.parametrize(
    ("today", "band"),
    [
        (date(2026, 3, 24), DeadlineBand.ON_TRACK),  # 4 working days before 30 March
        (date(2026, 3, 25), DeadlineBand.DUE_SOON),  # 3 working days before
        (date(2026, 3, 28), DeadlineBand.DUE_SOON),  # a Saturday, 1 working day before
        (date(2026, 3, 30), DeadlineBand.DUE_SOON),  # due today
        (date(2026, 3, 31), DeadlineBand.OVERDUE),
    ],
)
def test_deadline_band(db, today, band):
    calendar = load_calendar()
    app = SimpleNamespace(state="accepted", due_on=date(2026, 3, 30))
    assert deadline_band(app, today, calendar) is band


def test_deadline_band_for_stopped_and_closed(db):
    calendar = load_calendar()
    today = date(2026, 3, 2)
    # An unconfirmed online submission, a real pause and a date that cannot be computed each
    # have their own band: 「暂停计时」 is only the pause.
    waiting = SimpleNamespace(state="registered", received_on=None, due_on=None)
    assert deadline_band(waiting, today, calendar) is DeadlineBand.AWAITING
    paused = SimpleNamespace(state="correction_requested", received_on=today, due_on=None)
    assert deadline_band(paused, today, calendar) is DeadlineBand.STOPPED
    undated = SimpleNamespace(
        state="accepted", received_on=today, due_on=None, provisional_due_on=None
    )
    assert deadline_band(undated, today, calendar) is DeadlineBand.UNDATED
    assert (
        deadline_band(SimpleNamespace(state="replied", due_on=date(2026, 1, 1)), today, calendar)
        is None
    )


@pytest.fixture
def reminders_setup(office, police, clerk, approver, stranger):
    for user, address in (
        (clerk, "clerk@example.com"),
        (approver, "approver@example.com"),
        (stranger, "police@example.com"),
    ):
        user.email = address
        user.save()
    overdue = f.received_application(actor=clerk, agency_obj=office, received_on=date(2026, 3, 2))
    soon = f.received_application(actor=clerk, agency_obj=office, received_on=date(2026, 3, 5))
    f.received_application(actor=clerk, agency_obj=office, received_on=date(2026, 3, 30))
    police_app = f.received_application(
        actor=stranger, agency_obj=police, received_on=date(2026, 3, 30)
    )
    return overdue, soon, police_app


def test_reminders_email_each_handler_and_approver_once(reminders_setup):
    overdue, soon, _ = reminders_setup
    digests = send_deadline_reminders(today=date(2026, 3, 31))
    assert sorted(m.to[0] for m in mail.outbox) == ["approver@example.com", "clerk@example.com"]
    assert [d.email for d in digests] == ["approver@example.com", "clerk@example.com"]
    message = mail.outbox[0]
    assert "已超期1件，即将到期1件" in message.subject
    assert message.body.index(overdue.reference) < message.body.index(soon.reference)
    assert overdue.id_number not in message.body and overdue.applicant_name not in message.body


def test_reminder_command_dry_run_sends_nothing(reminders_setup, capsys):
    call_command("send_deadline_reminders", "--today", "2026-03-31", "--dry-run")
    out = capsys.readouterr().out
    assert "clerk@example.com: 2 件" in out and "2 digest(s)" in out
    assert mail.outbox == []


def test_reminder_task_sends_the_digest(reminders_setup):
    assert reminder_task.call(today="2026-03-31") == 2
    assert len(mail.outbox) == 2


def test_nothing_due_sends_nothing(reminders_setup):
    assert send_deadline_reminders(today=date(2026, 3, 10)) == []
    assert mail.outbox == []


def test_applications_for_user_sees_only_own_agency(reminders_setup, clerk, stranger):
    overdue, _, police_app = reminders_setup
    assert police_app not in applications_for_user(clerk)
    assert list(applications_for_user(stranger)) == [police_app]
    assert application_for_user(clerk, overdue.pk) == overdue
    with pytest.raises(PermissionDenied):
        application_for_user(stranger, overdue.pk)
    assert may_see_personal_data(clerk, overdue)
    assert not may_see_personal_data(stranger, overdue)


def test_supervisor_sees_the_subtree_and_personal_data(office, clerk):
    county = f.agency("county", "城口县人民政府")
    office.parent = county
    office.save()
    supervisor = f.staff("supervisor", county, "supervisor")
    app = f.received_application(actor=clerk, agency_obj=office, received_on=date(2026, 3, 2))
    assert application_for_user(supervisor, app.pk) == app
    assert may_see_personal_data(supervisor, app)
    with pytest.raises(PermissionDenied):
        s.reply(actor=supervisor, application=app, disposition="not_exist", letter_context={})


def test_workbench_list_query_count_does_not_grow(office, clerk, django_assert_max_num_queries):
    for i in range(12):
        f.received_application(actor=clerk, agency_obj=office, received_on=date(2026, 3, 2 + i % 5))
    with django_assert_max_num_queries(1):
        rows = [
            (a.reference, a.agency.name, a.handler, a.due_on) for a in applications_for_user(clerk)
        ]
    assert len(rows) == 12
