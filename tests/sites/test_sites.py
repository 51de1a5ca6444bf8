"""The site cluster, the 政务新媒体 register and visit counts: through their services, and the
annual report's figures (which sites and accounts count for a reporting unit)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse

from gongkai.accounts.models import Role
from gongkai.auditlog.models import AuditEntry
from gongkai.sites import selectors, services, visits
from gongkai.sites.models import Column, ColumnKind, DailyVisits, NewMediaAccount, Site
from gongkai.testing import factories as f

pytestmark = pytest.mark.django_db

Platform = NewMediaAccount.Platform


@pytest.fixture
def county(db):
    return f.agency("county", "城口县人民政府")


@pytest.fixture
def dept(county):
    return f.agency("fgw", "城口县发展和改革委员会", parent=county)


@pytest.fixture
def town(county):
    return f.agency("bashan", "城口县巴山镇人民政府", parent=county)


@pytest.fixture
def admin_user(county):
    return f.staff("sys", county, Role.ADMIN)


@pytest.fixture
def clerk(dept):
    return f.staff("clerk", dept, Role.CLERK)


def site(actor, agency, slug, *, parent=None, opened=date(2016, 1, 1), closed=None):
    kind = Site.Kind.SUB if parent else Site.Kind.MAIN
    return services.save_site(
        actor=actor,
        site=Site(
            agency=agency,
            kind=kind,
            parent=parent,
            name=f"{agency.name}网站",
            slug=slug,
            opened_on=opened,
            closed_on=closed,
        ),
    )


def account(actor, agency, platform, name, **dates):
    return services.save_account(
        actor=actor,
        account=NewMediaAccount(agency=agency, platform=platform, name=name, **dates),
    )


@pytest.fixture
def cluster(admin_user, county, dept, town):
    main = site(admin_user, county, "main")
    return (
        main,
        site(admin_user, dept, "fgw", parent=main),
        site(admin_user, town, "bashan", parent=main),
    )


def test_sites_and_columns_are_kept_by_system_admins_and_audited(admin_user, clerk, county):
    with pytest.raises(PermissionDenied):
        site(clerk, county, "main")
    main = site(admin_user, county, "main")
    column = services.save_column(
        actor=admin_user, column=Column(site=main, kind=ColumnKind.NEWS, name="要闻", slug="yw")
    )
    notices = services.save_column(
        actor=admin_user,
        column=Column(site=main, kind=ColumnKind.NOTICES, name="通知公告", slug="tz"),
    )
    # The update window follows docs/law/ogi-spec.md §6.5: two weeks for news, six months else.
    assert (column.update_days, notices.update_days) == (14, 183)
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert actions.count("sites.site") == 1 and actions.count("sites.column") == 2


def test_bad_dates_are_refused_in_chinese_and_nothing_is_saved(admin_user, county):
    with pytest.raises(ValidationError) as error:
        site(admin_user, county, "main", opened=date(2020, 5, 1), closed=date(2019, 1, 1))
    assert "关停日期不能早于开通日期" in str(error.value)
    assert not Site.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="sites.").exists()


def test_a_new_media_account_is_kept_by_its_agency(clerk, dept, town):
    with pytest.raises(PermissionDenied):
        account(clerk, town, Platform.WECHAT, "巴山发布")
    kept = account(clerk, dept, Platform.WECHAT, "城口发改", closed_on=date(2021, 3, 1))
    assert kept.status == NewMediaAccount.Status.CLOSED
    assert AuditEntry.objects.filter(action="sites.new_media").count() == 1


def test_the_county_reports_its_cluster_a_department_its_own(
    admin_user, cluster, county, dept, town
):
    main, fgw, bashan = cluster
    site(admin_user, town, "closed", parent=main, closed=date(2019, 6, 30))
    account(admin_user, county, Platform.WECHAT, "城口发布")
    account(admin_user, dept, Platform.WECHAT, "城口发改")
    account(admin_user, town, Platform.WEIBO, "巴山镇")
    account(admin_user, town, Platform.OTHER, "巴山镇头条", opened_on=date(2021, 1, 1))
    services.enter_visit_history(actor=admin_user, site=main, year=2020, visits=500_000)
    services.enter_visit_history(actor=admin_user, site=bashan, year=2020, visits=1_000)
    visits.count(site_id=fgw.pk, path="/a", day=date(2020, 3, 1))
    visits.count(site_id=fgw.pk, path="/a", day=date(2020, 3, 1))
    visits.count(site_id=fgw.pk, path="/b", day=date(2021, 3, 1))

    assert selectors.site_figures(agency_ids=[county.pk], year=2020) == {"sites": 1, "sub_sites": 2}
    assert selectors.site_figures(agency_ids=[county.pk], year=2019) == {"sites": 1, "sub_sites": 3}
    assert selectors.site_figures(agency_ids=[dept.pk], year=2020) == {"sites": 0, "sub_sites": 1}
    assert selectors.new_media_figures(agency_ids=[county.pk], year=2020) == {
        "new_media_accounts": 3,
        "new_media_by_kind": {"微信公众号": 2, "政务微博": 1},
    }
    assert selectors.new_media_figures(agency_ids=[dept.pk], year=2021)["new_media_accounts"] == 1
    assert selectors.visit_figures(agency_ids=[county.pk], year=2020) == {"website_visits": 501_002}
    assert selectors.visit_figures(agency_ids=[dept.pk], year=2021) == {"website_visits": 1}


def test_entered_history_replaces_the_counted_days_of_its_year(admin_user, cluster):
    main = cluster[0]
    for _ in range(3):
        visits.count(site_id=main.pk, path="/", day=date(2022, 1, 5))
    assert selectors.yearly_visits(main, 2022) == 3
    services.enter_visit_history(actor=admin_user, site=main, year=2022, visits=10)
    services.enter_visit_history(actor=admin_user, site=main, year=2022, visits=12)
    assert selectors.yearly_visits(main, 2022) == 12
    assert dict((s.slug, n) for s, n in selectors.yearly_totals(2022))["main"] == 12


def test_one_row_per_site_page_and_day_and_nothing_about_the_visitor(cluster):
    main = cluster[0]
    for _ in range(5):
        visits.count(site_id=main.pk, path="/x", day=date(2020, 1, 1))
    visits.count(site_id=main.pk, path="/x", day=date(2020, 1, 2))
    rows = list(DailyVisits.objects.order_by("day").values_list("path", "day", "count"))
    assert rows == [("/x", date(2020, 1, 1), 5), ("/x", date(2020, 1, 2), 1)]
    columns = {
        c.name
        for c in connection.introspection.get_table_description(
            connection.cursor(), DailyVisits._meta.db_table
        )
    }
    assert columns == {"id", "site_id", "path", "day", "count"}


@pytest.mark.parametrize(
    ("agent", "bot"),
    [
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148 MicroMessenger/8.0",
            False,
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36",
            False,
        ),
        (
            "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
            True,
        ),
        ("Mozilla/5.0 (compatible; Googlebot/2.1)", True),
        ("Sogou web spider/4.0", True),
        ("curl/8.5.0", True),
        ("python-requests/2.31", True),
        ("", True),
        (None, True),
    ],
)
def test_robots_are_not_counted(agent, bot):
    assert visits.is_bot(agent) is bot


def test_the_back_office_lists_the_register(client, admin_user, cluster):
    client.force_login(admin_user)
    for name in ("site", "column", "newmediaaccount", "visithistory", "dailyvisits"):
        assert client.get(reverse(f"admin:sites_{name}_changelist")).status_code == 200, name


def test_views_are_written_in_batches_and_a_gone_site_is_skipped(cluster):
    main = cluster[0]
    for _ in range(visits.BATCH - 1):
        visits.record(site_id=main.pk, path="/p")
    assert not DailyVisits.objects.exists()
    visits.record(site_id=main.pk, path="/p")  # the batch is full: written
    assert DailyVisits.objects.get(path="/p").count == visits.BATCH
    visits.record(site_id=main.pk, path="/p")
    visits.record(site_id=999_999, path="/p")  # a site deleted meanwhile
    assert visits.flush() == 2
    assert DailyVisits.objects.get(path="/p").count == visits.BATCH + 1
    assert DailyVisits.objects.count() == 1
