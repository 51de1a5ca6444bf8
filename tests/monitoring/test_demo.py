"""A monitoring run against the demo county finds exactly the planted problems, each once.

The expected set, made explicit:

- the four problems of the demo step ``monitoring`` (gongkai/demo/monitoring.py): an old
  unanswered letter, a policy without an interpretation, an unmasked ID number in an
  attachment, a dead internal link in an item's body;
- the two catalogue entries of 县发展改革委 that the step ``catalogue`` leaves past their time
  limit (its ``FORMED`` list; the third, published late, is not a monitoring finding).

The other steps generate their history up to 2025 (a few late items, policies explained later,
letters left open at the end of a year, demo.mailbox.YEARS). The run here looks back 180 days
(``MONITORING["LOOKBACK_DAYS"]``), so that history is outside the period; the test checks that
premise rather than assume it.

The demo's site cluster and 政务新媒体 accounts (step ``sites``) are the seed report's 2020
snapshot: as of today every site, column and account is stale, which is true of the data rather
than a planted problem, so the site checks are turned off here (``CHECKS_OFF``; the run lists
them as not run) and tested on their own in test_checks.py.
"""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from gongkai.accounts.rules import COMMAND_LINE
from gongkai.demo import monitoring as planted
from gongkai.mailbox.models import Letter
from gongkai.monitoring.services import run_checks
from gongkai.publications.models import Publication

pytestmark = pytest.mark.django_db

LOOKBACK = 180


def _found(run):
    return sorted((f.kind, f.where) for f in run.findings.all())


SITE_CHECKS = ["home_page_stale", "column_stale", "column_empty", "new_media_silent"]


@override_settings(MONITORING={"LOOKBACK_DAYS": LOOKBACK, "CHECKS_OFF": SITE_CHECKS})
def test_demo_run_finds_exactly_the_planted_problems_and_fixing_one_clears_it(demo_county):
    today = timezone.localdate()
    since = today - timedelta(days=LOOKBACK)
    generated = Publication.objects.exclude(
        title__in=[planted.POLICY_TITLE, planted.PII_TITLE, planted.DEAD_LINK_TITLE]
    )
    assert not generated.filter(published_on__gte=since, published_on__lte=today).exists()
    letter = Letter.objects.get(idempotency_key=planted.LETTER_KEY)
    policy = Publication.objects.get(title=planted.POLICY_TITLE)
    pii = Publication.objects.get(title=planted.PII_TITLE)
    dead = Publication.objects.get(title=planted.DEAD_LINK_TITLE)

    run = run_checks(actor=COMMAND_LINE)
    assert sorted(u["kind"] for u in run.unavailable) == sorted(SITE_CHECKS)
    by_kind = {}
    for f in run.findings.all():
        by_kind.setdefault(f.kind, []).append(f)
    assert sorted((k, len(v)) for k, v in by_kind.items()) == [
        ("catalogue_overdue", 2),
        ("dead_link", 1),
        ("policy_without_interpretation", 1),
        ("unanswered_letter", 1),
        ("unmasked_personal_data", 1),
    ]
    assert by_kind["unanswered_letter"][0].fix_url == f"/staff/mailbox/{letter.pk}/"
    assert by_kind["unanswered_letter"][0].is_veto
    assert by_kind["policy_without_interpretation"][0].fix_url.endswith(f"/{policy.pk}/")
    leak = by_kind["unmasked_personal_data"][0]
    assert leak.fix_url.endswith(f"/{pii.pk}/") and "临时救助名单.docx" in leak.where
    assert planted.ID_NUMBER not in leak.message
    link = by_kind["dead_link"][0]
    assert link.fix_url.endswith(f"/{dead.pk}/") and planted.DEAD_LINK in link.message
    assert {f.where for f in by_kind["catalogue_overdue"]} == {
        "标准目录「重大建设项目」项目实施／招标投标",
        "标准目录「公共资源交易」成交信息／中标结果公示",
    }

    # fix one (the body's link now points at the published letters) and run again
    Publication.objects.filter(pk=dead.pk).update(
        body='<p>已公开的来信见<a href="/mailbox/letters/">公开信件</a>。</p>'
    )
    again = run_checks(actor=COMMAND_LINE)
    assert _found(again) == sorted(x for x in _found(run) if x[0] != "dead_link")
