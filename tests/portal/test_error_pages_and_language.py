"""404, 403 and 500 pages in the site's style and the reader's language, saying what to do;
a message written 「中文 / English」 shows one language at a time."""

import pytest
from django.test import Client, RequestFactory
from django.utils import translation

from gongkai.portal.errors import server_error
from gongkai.portal.templatetags.one_language import pick


def english(client: Client) -> Client:
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


@pytest.mark.django_db
def test_404_is_a_site_page_in_chinese_then_in_english(client):
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert 'class="site-header"' in html and 'lang="zh-Hans"' in html
    assert "页面不存在" in html and "回到首页" in html and "/apply/status/" in html
    assert "Page not found" not in html
    html = english(client).get("/no-such-page/").content.decode()
    assert 'lang="en"' in html and "Page not found" in html and "页面不存在" not in html


@pytest.mark.django_db
def test_403_is_a_site_page(client, office):
    from gongkai.testing import factories as f

    client.force_login(f.staff("clerk9", office, "clerk"))
    response = client.get("/staff/applications/overview/")
    assert response.status_code == 403
    html = response.content.decode()
    assert 'class="site-header"' in html and "无权访问" in html and "系统管理员" in html


def test_500_needs_no_database_and_speaks_the_language():
    request = RequestFactory().get("/apply/")
    with translation.override("zh-hans"):
        html = server_error(request).content.decode()
    assert "系统出错" in html and "几分钟后重试" in html and "went wrong" not in html
    assert "portal/site.css" in html
    with translation.override("en"):
        html = server_error(request).content.decode()
    assert 'lang="en"' in html and "Something went wrong" in html and "系统出错" not in html
    api = server_error(RequestFactory().get("/api/v1/agencies"))
    assert api.status_code == 500 and api["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    ("text", "language", "shown"),
    [
        ("请填写联系电话 / this field is required", "zh-hans", "请填写联系电话"),
        ("请填写联系电话 / this field is required", "en", "this field is required"),
        (
            "提交过于频繁，请 3 分钟后再试 / too many requests",
            "zh-hans",
            "提交过于频繁，请 3 分钟后再试",
        ),
        ("a / b", "zh-hans", "a / b"),  # not bilingual: as it is
        ("只有中文", "en", "只有中文"),
        ("甲 / 乙 / only English here", "en", "only English here"),
    ],
)
def test_a_bilingual_message_shows_one_half(text, language, shown):
    assert pick(text, language) == shown


@pytest.mark.django_db
def test_form_errors_are_in_one_language(client, office):
    from tests.applications.test_views_public import form_post

    response, _ = form_post(client, office, phone="")
    html = response.content.decode()
    assert "请填写联系电话" in html and "this field is required" not in html
