"""The standard parts of an agency's 政府信息公开 column (指南 from its records, 制度, 法定主动公开
内容 by category and year, 年报, 依申请公开), a column's paged list and Atom feed, the normative
documents in force, sitemap.xml as one file, the display modes and the 404."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from gongkai.auditlog.models import AuditEntry
from gongkai.guide import services as guide_services
from gongkai.guide.models import DisclosureOffice
from gongkai.publications import services as ps
from gongkai.sites import services
from gongkai.sites.models import Column, ColumnKind, Site
from gongkai.testing import factories as f
from tests.publications.conftest import draft_data, publish, walk_to_approved

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def approver(office):
    return f.staff("approver", office, "approver")


@pytest.fixture
def sysadmin(office):
    return f.staff("sys", office, "admin")


def make(clerk, approver, office, title, day, **data):
    item = ps.create_draft(actor=clerk, agency=office, data=draft_data(title=title, **data))
    walk_to_approved(item, clerk, approver)
    return publish(item, clerk, day=day)


@pytest.fixture
def items(clerk, approver, office):
    made = [
        make(clerk, approver, office, "2020年第一条", date(2020, 3, 2), category="a20-13"),
        make(clerk, approver, office, "2020年第二条", date(2020, 5, 2), category="a20-13"),
        make(clerk, approver, office, "2021年财政预算", date(2021, 2, 1), category="a20-07"),
    ]
    draft = ps.create_draft(actor=clerk, agency=office, data=draft_data(title="草稿不应出现"))
    return {"all": made, "draft": draft}


@pytest.fixture
def contact(sysadmin, office):
    return guide_services.save_office(
        actor=sysadmin,
        office=DisclosureOffice(
            agency=office,
            name="城口县人民政府办公室政务公开科",
            address="城口县葛城街道北大街1号",
            postcode="405900",
            hours="工作日9:00—12:00，14:30—18:00",
            phone="023-59220000",
            fax="023-59221111",
            email="gk@example.org",
            rules_text="第一条 本办法依据条例制定。\n\n第二条 公开前进行保密审查。",
            updated_on=date(2021, 1, 15),
        ),
    )


def test_the_guide_is_generated_from_the_agency_records(client, office, items, contact):
    text = client.get(f"/gk/{office.slug}/guide/").content.decode()
    # Art. 12: the office's name, address, hours, phone, fax and internet contact.
    for value in (
        "城口县人民政府办公室政务公开科",
        "城口县葛城街道北大街1号",
        "405900",
        "工作日9:00—12:00，14:30—18:00",
        "023-59220000",
        "023-59221111",
        "gk@example.org",
        "2021-01-15",
    ):
        assert value in text, value
    # the catalogue's categories with their counts, and the application channels of Art. 28
    assert "本机关已主动公开 3 条" in text
    assert f'href="/gk/{office.slug}/?category=a20-13"' in text
    assert 'href="/apply/"' in text and "传真申请" in text and "电子邮件申请" in text


def test_a_guide_without_contact_data_says_so(client, office, items):
    text = client.get(f"/gk/{office.slug}/guide/").content.decode()
    assert "尚未登记政府信息公开工作机构的联系方式" in text
    assert "传真申请" not in text  # no channel is offered that nobody answers
    assert 'href="/apply/"' in text


def test_only_a_system_admin_sets_the_office_and_it_is_audited(office, clerk, contact, sysadmin):
    with pytest.raises(PermissionDenied):
        guide_services.save_office(actor=clerk, office=contact)
    contact.phone = "023-59229999"
    guide_services.save_office(actor=sysadmin, office=contact)
    rows = AuditEntry.objects.filter(action="guide.office").order_by("pk")
    assert [r.label for r in rows] == ["公开工作机构", "修改公开工作机构"]
    assert rows.last().before["phone"] == "023-59220000"


def test_the_rules_page_shows_the_agency_text(client, office, contact):
    text = client.get(f"/gk/{office.slug}/rules/").content.decode()
    assert (
        "<p>第一条 本办法依据条例制定。</p>" in text
        and "<p>第二条 公开前进行保密审查。</p>" in text
    )


def test_statutory_content_counts_by_category_and_year(client, office, items):
    text = client.get(f"/gk/{office.slug}/statutory/").content.decode()
    assert '<th scope="col">2021</th><th scope="col">2020</th>' in text
    assert f'href="/gk/{office.slug}/?category=a20-13&amp;year=2020">2</a>' in text
    assert f'href="/gk/{office.slug}/?category=a20-07&amp;year=2021">1</a>' in text
    filtered = client.get(f"/gk/{office.slug}/?category=a20-13&year=2020").content.decode()
    assert "共 2 条" in filtered


def test_the_annual_report_and_apply_parts(client, office):
    annual = client.get(f"/gk/{office.slug}/annual/")
    assert annual.status_code == 200 and "暂无已发布的年度报告" in annual.content.decode()
    apply = client.get(f"/gk/{office.slug}/apply/").content.decode()
    assert 'href="/apply/"' in apply and 'href="/apply/status/"' in apply
    assert client.get("/gk/no-such-agency/guide/").status_code == 404
    index = client.get("/gk/parts/statutory/").content.decode()
    assert f'href="/gk/{office.slug}/statutory/"' in index
    assert client.get("/gk/parts/nonsense/").status_code == 404


def test_a_column_list_is_paged_and_its_feed_is_atom(client, office, clerk, sysadmin, items):
    site = services.save_site(
        actor=sysadmin, site=Site(agency=office, kind=Site.Kind.MAIN, name="门户", slug="main")
    )
    column = services.save_column(
        actor=sysadmin,
        column=Column(site=site, kind=ColumnKind.NOTICES, name="通知公告", slug="tzgg"),
    )
    for item in items["all"][:2]:
        services.place_in_column(actor=clerk, publication=item, column=column)
    text = client.get("/sites/main/tzgg/").content.decode()
    assert "共 2 条" in text and "2020年第二条" in text and "2021年财政预算" not in text
    assert text.index("2020年第二条") < text.index("2020年第一条")  # newest first
    feed = ET.fromstring(client.get("/sites/main/tzgg/feed.atom").content)
    assert feed.tag == f"{ATOM}feed"
    assert feed.find(f"{ATOM}title").text == "门户 · 通知公告"
    assert feed.find(f"{ATOM}id").text and feed.find(f"{ATOM}updated").text
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["2020年第二条", "2020年第一条"]
    for entry in entries:
        assert entry.find(f"{ATOM}id").text.startswith("http://testserver/gk/item/")
        assert entry.find(f"{ATOM}updated").text.startswith("2020-0")
        assert entry.find(f"{ATOM}link").get("href") == entry.find(f"{ATOM}id").text
    assert client.get("/sites/main/none/feed.atom").status_code == 404


def test_the_sitemap_in_one_file_lists_the_published_items_only(client, office, items):
    root = ET.fromstring(b"".join(client.get("/sitemap.xml").streaming_content))
    assert root.tag == f"{SITEMAP}urlset"
    locs = [e.text for e in root.iter(f"{SITEMAP}loc")]
    for item in items["all"]:
        assert f"http://testserver/gk/item/{item.pk}/" in locs
    assert f"http://testserver/gk/item/{items['draft'].pk}/" not in locs
    assert f"http://testserver/gk/{office.slug}/guide/" in locs


def test_above_the_limit_the_sitemap_is_an_index(client, office, items, settings):
    settings.GONGKAI_SITEMAP_LIMIT = 2
    index = ET.fromstring(b"".join(client.get("/sitemap.xml").streaming_content))
    assert index.tag == f"{SITEMAP}sitemapindex"
    files = [e.text for e in index.iter(f"{SITEMAP}loc")]
    assert files[1:] == [
        "http://testserver/sitemap-items-1.xml",
        "http://testserver/sitemap-items-2.xml",
    ]
    second = ET.fromstring(b"".join(client.get("/sitemap-items-2.xml").streaming_content))
    assert [e.text for e in second.iter(f"{SITEMAP}loc")] == [
        f"http://testserver/gk/item/{items['all'][2].pk}/"
    ]
    assert client.get("/sitemap-items-3.xml").status_code == 404


def test_the_display_modes_persist_in_a_cookie_without_javascript(client, office):
    response = client.get("/display/", {"toggle": "large", "next": f"/gk/{office.slug}/"})
    assert response.status_code == 302 and response["Location"] == f"/gk/{office.slug}/"
    assert client.cookies["gk_display"].value == "large"
    page = client.get(f"/gk/{office.slug}/").content.decode()
    assert '<html lang="zh-Hans" class="gk-large">' in page
    assert 'data-display="large" aria-pressed="true"' in page
    client.get("/display/", {"toggle": "contrast", "next": "/"})
    assert 'class="gk-large gk-contrast"' in client.get("/").content.decode()
    client.get("/display/", {"toggle": "large", "next": "/"})
    client.get("/display/", {"toggle": "contrast", "next": "/"})
    assert '<html lang="zh-Hans">' in client.get("/").content.decode()
    outside = client.get("/display/", {"toggle": "large", "next": "https://evil.example/"})
    assert outside["Location"] == "/"


def test_the_404_offers_search_and_the_ways_in(client):
    response = client.get("/gk/item/999999/")
    text = response.content.decode()
    assert response.status_code == 404
    assert 'action="/gk/search/"' in text and 'href="/gk/"' in text and 'href="/apply/"' in text
