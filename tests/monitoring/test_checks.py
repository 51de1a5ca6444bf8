"""The pure parts of the checks and the crawler, and each check against a small database."""

from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.test import override_settings

from gongkai.law.identifiers import resident_id_check_char
from gongkai.monitoring import checks
from gongkai.monitoring.checks import months_before, personal_numbers
from gongkai.monitoring.crawl import LinkChecker, links_in
from gongkai.publications.selectors import publication_url

BODY = "11010519491231002"
ID = BODY + resident_id_check_char(BODY)


def test_valid_id_and_mobile_are_found_masked():
    found = personal_numbers(f"身份证{ID}，电话138 0013 8000。")
    assert found == [("身份证号", ID[:4] + "*" * 10 + ID[-4:]), ("手机号码", "138****8000")]


def test_dates_serials_landlines_and_masked_numbers_are_not_flagged():
    wrong_check = ID[:-1] + ("0" if ID[-1] != "0" else "1")
    text = (
        f"索引号 11500229009377085Q/2020-00012，流水 202012010000012345，{wrong_check}，"
        "电话 023-59221234，已遮盖 1101**********002X 与 138****8000，日期 20201231"
    )
    assert personal_numbers(text) == []


def test_months_before_keeps_the_day_or_the_months_last():
    assert months_before(date(2026, 12, 4), 3) == date(2026, 9, 4)
    assert months_before(date(2026, 5, 31), 3) == date(2026, 2, 28)
    assert months_before(date(2026, 2, 15), 3) == date(2025, 11, 15)


def test_links_in_reads_anchors_images_and_survives_broken_html():
    html = '<p><a href="/a/">a</a><img src="/b.png"><a name="x">no</a><a href="mailto:x@y"'
    assert links_in(html) == ["/a/", "/b.png"]


@pytest.mark.django_db
def test_checker_tells_dead_from_live_internal_links_and_skips_external():
    checker = LinkChecker(external=False)
    assert checker.problem("/") is None
    assert checker.problem("/mailbox/letters/999999/") == "HTTP 404"
    assert checker.problem("/static/no-such-file.css").startswith("静态文件不存在")
    assert checker.problem("https://example.invalid/") is None  # off: not fetched
    assert checker.problem("mailto:a@b.cn") is None


def test_external_fetches_wait_between_requests_to_one_host():
    waits = []
    checker = LinkChecker(external=True, sleep=waits.append)
    with override_settings(MONITORING={"HOST_DELAY": 30, "EXTERNAL_TIMEOUT": 0.5}):
        first = checker.problem("http://192.0.2.1:9/a")
        second = checker.problem("http://192.0.2.1:9/b")
    assert first and first.startswith("无法访问") and second
    assert len(waits) == 1 and waits[0] > 25


def _published(agency, clerk, **data):
    from gongkai.publications.models import Publication, State

    defaults = {"title": "标题", "kind": "information", "published_on": date.today()}
    defaults.update(data)
    return Publication.objects.create(
        agency=agency, state=State.PUBLISHED, created_by=clerk, **defaults
    )


@pytest.mark.django_db
def test_each_content_check_finds_its_problem(office, clerk):
    from gongkai.publications.models import Attachment

    today = date.today()
    ctx = checks.Context(as_of=today)
    late = _published(office, clerk, title="迟发", formed_on=today - timedelta(60), days_late=12)
    _published(office, clerk, title="准时", formed_on=today - timedelta(3), days_late=0)
    policy = _published(office, clerk, title="政策", kind="document", is_policy=True)
    explained = _published(office, clerk, title="已解读政策", kind="document", is_policy=True)
    reading = _published(office, clerk, title="解读", kind="interpretation")
    reading.explains.add(explained)
    linked = _published(
        office, clerk, title="死链", body='<a href="/nope/404/">x</a><a href="/">ok</a>'
    )
    pii = _published(office, clerk, title="名单", body=f"<p>{ID}</p>")
    gone = Attachment(publication=late, name="a.pdf", content_type="application/pdf", size=1)
    gone.file.name = "publications/none/a.pdf"
    gone.save()
    kept = Attachment(
        publication=late, name="b.pdf", content_type="application/pdf", size=3, text=""
    )
    kept.file.save("b.pdf", ContentFile(b"pdf"), save=True)

    assert [f.key for f in checks.late_items(ctx)] == [f"late:{late.pk}"]
    assert [f.key for f in checks.policies_without_interpretation(ctx)] == [f"policy:{policy.pk}"]
    assert [f.key for f in checks.missing_attachments(ctx)] == [f"attachment:{gone.pk}"]
    (leak,) = checks.unmasked_personal_data(ctx)
    assert leak.agency_id == office.pk and ID not in leak.message and str(pii.pk) in leak.key
    assert leak.where == "主动公开「名单」正文"
    assert (
        leak.where_url == publication_url(pii) and leak.fix_url == f"/staff/publications/{pii.pk}/"
    )
    body_links = [f for f in checks.dead_links(ctx) if f.key.startswith("link:pub:")]
    assert [f.key for f in body_links] == [f"link:pub:{linked.pk}:/nope/404/"]
    assert body_links[0].fix_url == f"/staff/publications/{linked.pk}/"


@pytest.mark.django_db
def test_site_checks_find_stale_home_pages_columns_and_silent_accounts(office, clerk):
    from gongkai.publications.models import Placement
    from gongkai.sites.models import Column, NewMediaAccount, Site

    today = date(2026, 6, 30)
    ctx = checks.Context(as_of=today)
    site = Site.objects.create(agency=office, name="办公室网站", slug="office-site")
    news = Column.objects.create(site=site, kind="news", name="要闻", slug="news")
    fresh = Column.objects.create(site=site, kind="ogi", name="信息公开", slug="ogi")
    for n in range(5):
        Column.objects.create(site=site, kind="notices", name=f"通知{n}", slug=f"n{n}")
    Column.objects.create(site=site, kind="interaction", name="互动", slug="hd")  # no window
    old = _published(office, clerk, title="旧闻", published_on=today - timedelta(20))
    new = _published(office, clerk, title="新", published_on=today - timedelta(3))
    Placement.objects.create(
        publication=old, channel="website", placed_on=old.published_on, site_column=news
    )
    Placement.objects.create(
        publication=new, channel="website", placed_on=new.published_on, site_column=fresh
    )
    quiet = NewMediaAccount.objects.create(
        agency=office, platform="wechat", name="城口发布", last_post_on=today - timedelta(15)
    )
    NewMediaAccount.objects.create(
        agency=office, platform="weibo", name="城口微博", last_post_on=today - timedelta(2)
    )

    assert list(checks.home_page_stale(ctx)) == []  # the OGI column got an item 3 days ago
    assert list(checks.home_page_stale(checks.Context(as_of=today + timedelta(12)))) != []
    assert [f.key for f in checks.stale_columns(ctx)] == [f"column:{news.pk}"]
    empty = list(checks.empty_columns(ctx))
    assert len(empty) == 6 and empty[-1].severity == "veto" and "5个及以上" in empty[-1].message
    assert [f.key for f in checks.silent_new_media(ctx)] == [f"account:{quiet.pk}"]


@pytest.mark.django_db
def test_a_guide_older_than_its_agencys_contact_data_is_found_until_it_is_updated(office, clerk):
    from django.utils import timezone

    from gongkai.accounts.rules import COMMAND_LINE
    from gongkai.guide.models import DisclosureOffice
    from gongkai.guide.services import save_office

    today = timezone.localdate()
    guide_day = today - timedelta(days=400)
    record = save_office(
        actor=COMMAND_LINE,
        office=DisclosureOffice(
            agency=office,
            name="县政府办公室政务公开科",
            address="城口县葛城街道演示路1号",
            hours="工作日",
            phone="023-59000001",
            updated_on=guide_day,
        ),
    )
    assert record.contact_changed_on == guide_day  # entered with the guide: as of its date
    ctx = checks.Context(as_of=today)
    assert list(checks.outdated_guides(ctx)) == []

    record.rules_text = "制度改了一段"  # not contact data: the date stays
    save_office(actor=COMMAND_LINE, office=record)
    record.refresh_from_db()
    assert record.contact_changed_on == guide_day

    record.phone = "023-59009999"
    save_office(actor=COMMAND_LINE, office=record)
    record.refresh_from_db()
    assert record.contact_changed_on == today
    (found,) = checks.outdated_guides(ctx)
    assert found.key == f"guide:{record.pk}" and found.agency_id == office.pk
    assert found.where == f"{office.name}政府信息公开指南"
    assert str(guide_day) in found.message and str(today) in found.message
    assert found.fix_url.endswith(f"/guide/disclosureoffice/{record.pk}/change/")

    # an older published 指南 does not help; one published after the change does
    _published(office, clerk, title="县政府办公室政府信息公开指南", published_on=guide_day)
    assert len(list(checks.outdated_guides(ctx))) == 1
    _published(office, clerk, title="县政府办公室政府信息公开指南（修订）", published_on=today)
    assert list(checks.outdated_guides(ctx)) == []


@pytest.mark.django_db
def test_updating_the_guides_date_clears_the_finding(office):
    from django.utils import timezone

    from gongkai.accounts.rules import COMMAND_LINE
    from gongkai.guide.models import DisclosureOffice
    from gongkai.guide.services import save_office

    today = timezone.localdate()
    record = save_office(
        actor=COMMAND_LINE,
        office=DisclosureOffice(
            agency=office,
            name="政务公开科",
            address="演示路1号",
            hours="工作日",
            phone="023-59000001",
            updated_on=today - timedelta(days=30),
        ),
    )
    record.address = "演示路2号"
    save_office(actor=COMMAND_LINE, office=record)
    ctx = checks.Context(as_of=today)
    assert len(list(checks.outdated_guides(ctx))) == 1
    record.updated_on = today
    save_office(actor=COMMAND_LINE, office=record)
    assert list(checks.outdated_guides(ctx)) == []
