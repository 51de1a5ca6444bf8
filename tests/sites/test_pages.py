"""The portal pages of the cluster: an agency's 政府信息公开 column (filters, paging, nothing
unpublished) and an item's page (metadata box, body, attachments, interpretations), each
counting one visit for a person and none for a robot; the staff list."""

from datetime import date

import pytest
from django.test import Client

from gongkai.publications import services as ps
from gongkai.publications.models import Placement
from gongkai.sites import services
from gongkai.sites.models import Column, ColumnKind, DailyVisits, Site
from gongkai.testing import factories as f
from tests.publications.conftest import draft_data, publish, walk_to_approved

pytestmark = pytest.mark.django_db

PHONE_UA = "Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36"


@pytest.fixture
def approver(office):
    return f.staff("approver", office, "approver")


@pytest.fixture
def sysadmin(office):
    return f.staff("sys", office, "admin")


@pytest.fixture
def main_site(sysadmin, office):
    site = services.save_site(
        actor=sysadmin,
        site=Site(agency=office, kind=Site.Kind.MAIN, name="城口县人民政府网", slug="main"),
    )
    services.save_column(
        actor=sysadmin,
        column=Column(site=site, kind=ColumnKind.OGI, name="政府信息公开", slug="zfxxgk"),
    )
    return site


def make(clerk, approver, office, title, day, **data):
    item = ps.create_draft(actor=clerk, agency=office, data=draft_data(title=title, **data))
    walk_to_approved(item, clerk, approver)
    return publish(item, clerk, day=day)


@pytest.fixture
def items(clerk, approver, office):
    policy = make(clerk, approver, office, "关于医保报销的通知", date(2020, 3, 2))
    made = [policy]
    for i in range(24):
        made.append(
            make(
                clerk,
                approver,
                office,
                f"第{i}号信息",
                date(2021, 1, 1 + i),
                doc_number=f"城府办发〔2021〕{i + 1}号",
            )
        )
    explainer = ps.create_draft(
        actor=clerk,
        agency=office,
        data=draft_data(
            title="《关于医保报销的通知》政策解读",
            kind="interpretation",
            doc_number="",
            interpretation_form="text",
            explains=[policy.pk],
        ),
    )
    walk_to_approved(explainer, clerk, approver)
    publish(explainer, clerk, day=date(2020, 3, 3))
    draft = ps.create_draft(actor=clerk, agency=office, data=draft_data(title="草稿不应出现"))
    return {"policy": policy, "explainer": explainer, "draft": draft, "all": made}


def visits():
    from gongkai.sites.visits import flush

    flush()
    return sum(DailyVisits.objects.values_list("count", flat=True))


def test_the_column_lists_published_items_filtered_and_paged(items, office, main_site):
    client = Client(HTTP_USER_AGENT=PHONE_UA)
    page = client.get(f"/gk/{office.slug}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "共 26 条" in text and "草稿不应出现" not in text
    assert "第23号信息" in text and "关于医保报销的通知" not in text  # newest first, 20 a page
    second = client.get(f"/gk/{office.slug}/?page=2").content.decode()
    assert "关于医保报销的通知" in second
    only_2020 = client.get(f"/gk/{office.slug}/?year=2020").content.decode()
    assert "共 2 条" in only_2020 and "第1号信息" not in only_2020
    interpretations = client.get(f"/gk/{office.slug}/?kind=interpretation").content.decode()
    assert "共 1 条" in interpretations
    assert visits() == 4  # four pages a person saw, counted for the agency's (main) site
    Client(HTTP_USER_AGENT="Baiduspider/2.0").get(f"/gk/{office.slug}/")
    assert visits() == 4
    assert Client().get("/gk/no-such-agency/").status_code == 404


def test_an_item_page_shows_its_metadata_body_and_interpretations(items, main_site):
    client = Client(HTTP_USER_AGENT=PHONE_UA)
    policy = items["policy"]
    text = client.get(f"/gk/item/{policy.pk}/").content.decode()
    for value in (policy.title, policy.index_number, "城府办发〔2020〕3号", "2020-03-02", "有效"):
        assert value in text, value
    assert "<p>现将有关事项通知如下。</p>" in text
    assert f'href="/gk/item/{items["explainer"].pk}/"' in text
    back = client.get(f"/gk/item/{items['explainer'].pk}/").content.decode()
    assert f'href="/gk/item/{policy.pk}/"' in back
    assert client.get(f"/gk/item/{items['draft'].pk}/").status_code == 404
    ps.run_step(
        "withdraw",
        actor=f.staff("ap2", policy.agency, "approver"),
        publication=policy,
        reason="内容有误",
    )
    assert client.get(f"/gk/item/{policy.pk}/").status_code == 404
    visits()
    assert DailyVisits.objects.get(path=f"/gk/item/{policy.pk}/").count == 1


def test_placing_an_item_in_a_column(items, main_site, clerk, sysadmin):
    column = main_site.columns.get()
    policy = items["policy"]
    services.place_in_column(actor=clerk, publication=policy, column=column)
    services.place_in_column(actor=clerk, publication=policy, column=column)
    assert Placement.objects.filter(publication=policy, site_column=column).count() == 1
    with pytest.raises(Exception, match="只能放置已发布的信息"):
        services.place_in_column(actor=clerk, publication=items["draft"], column=column)


def test_the_staff_list(client, sysadmin, main_site):
    services.enter_visit_history(actor=sysadmin, site=main_site, year=2020, visits=567_238)
    client.force_login(sysadmin)
    text = client.get("/staff/sites/?year=2020").content.decode()
    assert "城口县人民政府网" in text and "全年访问量 567238 人次" in text
    client.logout()
    assert client.get("/staff/sites/").status_code == 302
