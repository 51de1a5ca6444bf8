"""Runs, the command, the dashboard's permissions and the assessment fact."""

import json
from datetime import date, timedelta

import pytest
from django.urls import reverse

from gongkai.accounts.rules import COMMAND_LINE
from gongkai.assessment.facts import FACTS, measure
from gongkai.cli import main
from gongkai.mailbox.models import Letter, Mailbox
from gongkai.monitoring.models import Run
from gongkai.monitoring.services import UnknownSite, run_checks
from gongkai.testing import factories as f

pytestmark = pytest.mark.django_db


def _old_letter(agency, *, received, state=Letter.State.ASSIGNED):
    box = Mailbox.objects.create(agency=agency, slug=f"box-{agency.slug}", name="信箱")
    return Letter.objects.create(
        agency=agency,
        mailbox=box,
        tracking_code=f"T{agency.pk:011d}",
        reference=f"信{agency.pk}",
        reference_year=received.year,
        reference_serial=1,
        writer_name="张三",
        phone="13800138000",
        category="consultation",
        subject="咨询",
        body="内容",
        notify_by="none",
        state=state,
        submitted_at=f.at(received),
        received_on=received,
    )


def test_old_unanswered_letter_is_a_single_veto_and_answering_clears_it(office, police):
    today = date(2026, 6, 30)
    letter = _old_letter(office, received=today - timedelta(days=100))
    _old_letter(police, received=today - timedelta(days=80))  # not yet 3 months
    run = run_checks(actor=COMMAND_LINE, as_of=today)
    (finding,) = run.findings.filter(kind="unanswered_letter")
    assert finding.is_veto and finding.agency == office
    assert finding.fix_url == reverse("mailbox:letter", args=[letter.pk])
    assert run.unavailable == []
    assert (
        measure("gongkai.monitoring.selectors.sites_healthy_fact", agency=office, year=2026).ratio
        == 0.0
    )
    assert (
        measure("gongkai.monitoring.selectors.sites_healthy_fact", agency=police, year=2026).ratio
        == 1.0
    )
    Letter.objects.filter(pk=letter.pk).update(state=Letter.State.ANSWERED)
    again = run_checks(actor=COMMAND_LINE, as_of=today)
    assert not again.findings.filter(kind="unanswered_letter").exists()
    assert (
        measure("gongkai.monitoring.selectors.sites_healthy_fact", agency=office, year=2026).ratio
        == 1.0
    )
    assert "gongkai.monitoring.selectors.sites_healthy_fact" in FACTS


def test_no_run_that_year_measures_nothing(office):
    result = measure("gongkai.monitoring.selectors.sites_healthy_fact", agency=office, year=2019)
    assert result.ratio is None


def test_monitor_command_prints_json_and_exits_1_on_a_veto(office, capsys):
    _old_letter(office, received=date(2026, 1, 5))
    assert main(["monitor", "--json", "--as-of", "2026-06-30"]) == 1
    payload = json.loads(capsys.readouterr().out)
    (finding,) = [x for x in payload["findings"] if x["kind"] == "unanswered_letter"]
    assert finding["severity"] == "veto" and finding["fix_url"].startswith("/staff/mailbox/")
    assert {"kind", "severity", "where", "fix_url"} <= set(finding)
    assert main(["monitor", "--as-of", "2025-01-01"]) == 0  # letter not yet received
    assert Run.objects.count() == 2


def test_an_unknown_site_is_refused(office, capsys):
    with pytest.raises(UnknownSite):
        run_checks(actor=COMMAND_LINE, site="nowhere")
    assert main(["monitor", "--site", "nowhere"]) == 2
    assert "nowhere" in capsys.readouterr().err


def test_bad_date_is_refused(capsys):
    assert main(["monitor", "--as-of", "2026-13-01"]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_cron_command_and_task(office):
    from django.core.management import call_command

    from gongkai.monitoring.tasks import run_monitoring

    _old_letter(office, received=date(2026, 1, 5))
    call_command("run_monitoring", "--as-of", "2026-06-30")
    assert run_monitoring.call(as_of="2026-06-30") == 1
    assert Run.objects.count() == 2


def test_dashboard_shows_each_user_their_agencies(client, office, police):

    township = f.agency("town", "城口县某镇", parent=police)
    _old_letter(office, received=date(2026, 1, 5))
    _old_letter(township, received=date(2026, 1, 6))
    run_checks(actor=COMMAND_LINE, as_of=date(2026, 6, 30))
    f.staff("clerk", office, "clerk")
    f.staff("boss", police, "supervisor")
    client.force_login(f.staff("clerk2", office, "clerk"))
    page = client.get(reverse("monitoring:dashboard")).content.decode()
    assert office.display_name in page and "城口县某镇" not in page
    client.force_login(f.staff("boss2", police, "supervisor"))
    page = client.get(reverse("monitoring:dashboard")).content.decode()
    assert "城口县某镇" in page and office.display_name not in page
    assert client.post(reverse("monitoring:run")).status_code == 302
    client.force_login(f.staff("clerk3", office, "clerk"))
    assert client.post(reverse("monitoring:run")).status_code == 403
    client.logout()
    assert client.get(reverse("monitoring:dashboard")).status_code == 302
