"""The staff pages, through the test client: reads follow the rules, changes go through the
services, and bad input is shown beside the form (Chinese first) with nothing changed."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.normative.models import Article20Figure, CleanupCampaign, NormativeDocument
from gongkai.testing import factories as f
from tests.normative.test_figures import GOOD, xlsx

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def browser_of(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def test_the_register_filters_and_hides_other_agencies(browser_of, keeper, publish, police):
    publish(D(2020, 4, 1), title="城口县城区电动自行车管理办法")
    publish(D(2019, 4, 1), title="城口县农村公路养护管理办法")
    publish(D(2020, 5, 1), agency=police, actor=f.staff("p", police), title="公安局的文件")
    client = browser_of(keeper)
    html = client.get(reverse("normative:register")).content.decode()
    assert "城口县城区电动自行车管理办法" in html and "城口县农村公路养护管理办法" in html
    assert "公安局的文件" not in html
    html = client.get(reverse("normative:register"), {"year": 2020}).content.decode()
    assert "电动自行车" in html and "农村公路" not in html
    html = client.get(reverse("normative:register"), {"q": "公路"}).content.decode()
    assert "电动自行车" not in html and "农村公路" in html


def test_a_document_walks_its_steps_on_its_page(browser_of, keeper, government):
    client = browser_of(keeper)
    response = client.post(
        reverse("normative:draft"),
        {
            "agency": government.pk,
            "kind": "normative",
            "title": "城口县物业服务管理办法",
            "drafted_on": "2021-02-01",
        },
    )
    doc = NormativeDocument.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "normative:detail", args=[doc.pk]
    )
    step = lambda name, **data: client.post(  # noqa: E731
        reverse("normative:step", args=[doc.pk, name]), {f"{name}-{k}": v for k, v in data.items()}
    )
    assert step("review", on="2021-03-01", ref="城司审〔2021〕3号").status_code == 302
    # a date before the review: refused beside the form, nothing changed
    response = step("deliberate", on="2021-02-20", ref="县政府第5次常务会议")
    assert response.status_code == 400
    assert (
        "集体审议日期（2021-02-20）不能早于合法性审核日期（2021-03-01）"
        in response.content.decode()
    )
    doc.refresh_from_db()
    assert doc.state == "reviewed"
    assert step("deliberate", on="2021-03-10", ref="县政府第5次常务会议").status_code == 302
    response = step(
        "publish", doc_number="城府发〔2021〕8号", signed_on="2021-03-12", published_on="2021-03-15"
    )
    assert response.status_code == 302
    assert step("file", on="2021-03-30", filed_with="重庆市人民政府").status_code == 302
    html = client.get(reverse("normative:detail", args=[doc.pk])).content.decode()
    for text in (
        "城司审〔2021〕3号",
        "县政府第5次常务会议",
        "城府发〔2021〕8号",
        "报重庆市人民政府",
        "现行有效",
    ):
        assert text in html, text
    assert html.count("<tr><td>") >= 5  # the history: draft, review, deliberate, publish, file
    assert "记录废止" in html and "记录合法性审核" not in html


def test_someone_else_gets_404_and_cannot_take_steps(client, publish, police):
    doc = publish(D(2020, 4, 1))
    client.force_login(f.staff("outsider", police))
    assert client.get(reverse("normative:detail", args=[doc.pk])).status_code == 404
    response = client.post(
        reverse("normative:step", args=[doc.pk, "abolish"]),
        {"abolish-on": "2021-01-01", "abolish-decision_title": "x"},
    )
    assert response.status_code == 404
    doc.refresh_from_db()
    assert doc.state == "published"


def test_the_in_force_list_for_a_unit_on_a_day(browser_of, keeper, publish, office, unit):
    publish(D(2019, 4, 1), title="早的文件")
    publish(D(2020, 6, 1), agency=office, title="办公室的文件")
    client = browser_of(keeper)
    url = reverse("normative:in_force")
    html = client.get(url, {"unit": unit.pk, "on": "2020-01-01"}).content.decode()
    assert "现行有效 1 件" in html and "早的文件" in html and "办公室的文件" not in html
    html = client.get(url, {"unit": unit.pk, "on": "2020-12-31"}).content.decode()
    assert "现行有效 2 件" in html
    html = client.get(url, {"agency": office.pk, "on": "2020-12-31"}).content.decode()
    assert "现行有效 1 件" in html and "办公室的文件" in html
    response = client.get(url, {"agency": office.pk, "on": "2020-13-01"})
    assert response.status_code == 400 and "请填写正确的日期" in response.content.decode()


def test_a_cleanup_on_its_pages(browser_of, keeper, publish, government):
    docs = [publish(D(2018, 1, 1) + dt.timedelta(days=40 * i)) for i in range(3)]
    client = browser_of(keeper)
    response = client.post(
        reverse("normative:campaigns"),
        {"agency": government.pk, "title": "2020年清理", "started_on": "2020-03-01"},
    )
    campaign = CleanupCampaign.objects.get()
    url = reverse("normative:campaign", args=[campaign.pk])
    assert response.url == url
    assert (
        client.post(url, {"form": "review", "review-documents": [d.pk for d in docs]}).status_code
        == 302
    )
    response = client.post(
        url,
        {
            "form": "batch",
            "batch-documents": [docs[0].pk, docs[1].pk],
            "batch-action": "abolish",
            "batch-decided_on": "2020-06-01",
            "batch-decision_title": "城口县人民政府关于废止部分行政规范性文件的决定",
            "batch-decision_number": "城府发〔2020〕20号",
        },
    )
    assert response.status_code == 302
    response = client.post(url, {"form": "close", "close-closed_on": "2020-02-01"})
    assert response.status_code == 400 and "结束日期不能早于开始日期" in response.content.decode()
    html = client.get(url).content.decode()
    assert "第1批 · 2020-06-01 · 废止 2 件" in html
    assert "清理第1批（废止）" in html  # the batch in the campaign's history
    assert [d.state for d in NormativeDocument.objects.order_by("published_on")] == [
        "abolished",
        "abolished",
        "published",
    ]


def test_figures_are_entered_and_imported_on_one_page(browser_of, keeper, government, office):
    client = browser_of(keeper)
    url = reverse("normative:figures")
    page = f"{url}?agency={government.pk}&year=2020"
    data = {"form": "enter", "licensing-decisions": "12", "penalty-decisions": "-3"}
    response = client.post(page, data)
    assert response.status_code == 400
    assert "处理决定数量：不能为负数" in response.content.decode()
    assert not Article20Figure.objects.exists()  # every item or none
    data["penalty-decisions"] = "3"
    assert client.post(page, data).status_code == 302
    html = client.get(page).content.decode()
    assert "录入：keeper" in html and "本年处理决定数量：12" in html
    bad = xlsx([*GOOD, ["county-government", 2020, "行政强制", None, None, "x", None, None]])
    response = client.post(
        page,
        {
            "form": "import",
            "import-agency": office.pk,
            "import-file": SimpleUploadedFile("统计.xlsx", bad),
        },
    )
    assert response.status_code == 400
    assert "第5行「处理决定数量」列：应为整数" in response.content.decode()
    assert set(Article20Figure.objects.values_list("item", flat=True)) == {"licensing", "penalty"}
    response = client.post(
        page,
        {
            "form": "import",
            "import-agency": office.pk,
            "import-file": SimpleUploadedFile("统计.xlsx", xlsx(GOOD)),
        },
    )
    assert response.status_code == 302
    assert (
        Article20Figure.objects.get(agency=government, year=2020, item="licensing").decisions == 140
    )


def test_the_staff_home_links_here(browser_of, keeper):
    html = browser_of(keeper).get(reverse("portal:staff_home")).content.decode()
    assert reverse("normative:register") in html


def test_list_pages_do_not_grow_queries_with_rows(browser_of, keeper, publish, unit):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = browser_of(keeper)
    urls = [
        reverse("normative:register"),
        reverse("normative:in_force") + f"?unit={unit.pk}&on=2021-12-31",
    ]

    def counts():
        out = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            out.append(len(queries))
        return out

    publish(D(2020, 1, 10))
    few = counts()
    for i in range(12):
        publish(D(2020, 2, 1) + dt.timedelta(days=i))
    assert counts() == few


def test_the_in_force_list_is_one_query(publish, government, django_assert_num_queries):
    from gongkai.normative.selectors import in_force

    for i in range(5):
        publish(D(2019, 1, 1) + dt.timedelta(days=i))
    with django_assert_num_queries(1):
        assert len(list(in_force(agency_ids=[government.pk], on=D(2020, 1, 1)))) == 5


def test_a_supervisor_reads_the_figures_but_does_not_enter_them(client, keeper, government):
    from gongkai.normative.figures import save_figures

    save_figures(
        actor=keeper, agency=government, year=2020, item="penalty", values={"decisions": 4}
    )
    client.force_login(f.staff("sup", government, "supervisor"))
    page = f"{reverse('normative:figures')}?agency={government.pk}&year=2020"
    html = client.get(page).content.decode()
    assert "行政处罚：上一年项目数量 （空），本年增/减 （空），处理决定数量 4（录入：keeper" in html
    assert 'id="enter"' not in html and 'id="import"' not in html
    response = client.post(page, {"form": "enter", "penalty-decisions": "9"})
    assert response.status_code == 403
    assert Article20Figure.objects.get().decisions == 4
