"""A monitoring run against the demo county finds exactly the planted problems, each once.

The expected set is :data:`gongkai.demo.monitoring.PLANTED` (one problem of each kind the
monitor checks, and the two overdue catalogue entries of step ``catalogue``). The run is the
real one: every check, the default settings (the monitored period is the year before the run),
the crawler over the public pages. The demo dates its recent activity relative to the day it
was loaded (this session), which is the day the run looks from.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from gongkai.accounts.rules import COMMAND_LINE
from gongkai.demo import monitoring as planted
from gongkai.mailbox.models import Letter
from gongkai.monitoring import checks
from gongkai.monitoring.checks import CHECKS, Context
from gongkai.monitoring.services import run_checks
from gongkai.publications.models import Publication
from gongkai.sites.models import NewMediaAccount

pytestmark = pytest.mark.django_db


def _match(run) -> dict[tuple[str, str], list]:
    """planted entry -> the findings it names; a finding naming none is under (kind, "")."""
    matched: dict[tuple[str, str], list] = {entry: [] for entry in planted.PLANTED}
    for finding in run.findings.all():
        hits = [e for e in planted.PLANTED if e[0] == finding.kind and e[1] in finding.where]
        for entry in hits or [(finding.kind, "")]:
            matched.setdefault(entry, []).append(finding)
    return matched


def _where(findings) -> list[str]:
    return [f"{f.kind}: {f.where} — {f.message}" for f in findings]


def test_the_planted_set_has_one_problem_of_each_kind_the_monitor_checks():
    assert {kind for kind, _ in planted.PLANTED} == {check.kind for check in CHECKS}


def test_demo_run_finds_exactly_the_planted_problems_and_fixing_one_clears_it(demo_county):
    run = run_checks(actor=COMMAND_LINE)
    assert run.unavailable == []
    assert run.pages_crawled > 1
    matched = _match(run)
    unexpected = {e: _where(fs) for e, fs in matched.items() if e not in planted.PLANTED}
    assert unexpected == {}
    assert {e: len(fs) for e, fs in matched.items()} == {e: 1 for e in planted.PLANTED}
    assert run.findings.count() == len(planted.PLANTED)

    found = {e: fs[0] for e, fs in matched.items()}
    by_kind = {kind: found[(kind, where)] for kind, where in planted.PLANTED}
    letter = Letter.objects.get(idempotency_key=planted.LETTER_KEY)
    assert by_kind["unanswered_letter"].fix_url == f"/staff/mailbox/{letter.pk}/"
    assert by_kind["unanswered_letter"].is_veto
    policy = Publication.objects.get(title=planted.POLICY_TITLE)
    assert by_kind["policy_without_interpretation"].fix_url.endswith(f"/{policy.pk}/")
    leaks = [f for (kind, _), f in found.items() if kind == "unmasked_personal_data"]
    assert not any(planted.ID_NUMBER in f.message or planted.PHONE in f.message for f in leaks)
    dead = Publication.objects.get(title=planted.DEAD_LINK_TITLE)
    link = by_kind["dead_link"]
    assert link.fix_url.endswith(f"/{dead.pk}/") and planted.DEAD_LINK in link.message
    account = NewMediaAccount.objects.get(name=planted.SILENT_ACCOUNT)
    assert by_kind["new_media_silent"].fix_url.endswith(f"/{account.pk}/change/")

    # fix two (the body's link points at the published letters; the account posts today) and
    # run again: those two are gone, the rest stay
    Publication.objects.filter(pk=dead.pk).update(
        body='<p>已公开的来信见<a href="/mailbox/letters/">公开信件</a>。</p>'
    )
    NewMediaAccount.objects.filter(pk=account.pk).update(last_post_on=timezone.localdate())
    again = run_checks(actor=COMMAND_LINE)
    fixed = {("dead_link", link.key), ("new_media_silent", by_kind["new_media_silent"].key)}
    before = {(f.kind, f.key) for f in run.findings.all()}
    assert {(f.kind, f.key) for f in again.findings.all()} == before - fixed


def test_the_demo_is_current_as_of_the_day_it_loads(demo_county):
    """What keeps the real run quiet is dated relative to today, not a lucky window: a run a
    month later finds the news columns, home pages and accounts stale."""
    later = Context(as_of=timezone.localdate() + timedelta(days=30))
    assert len(list(checks.home_page_stale(later))) > 40
    assert len(list(checks.stale_columns(later))) > 40
    assert len(list(checks.silent_new_media(later))) == 40
