"""The public home page, the staff login and the staff home (工作台)."""

import pytest
from django.urls import reverse

from gongkai.accounts.models import User
from gongkai.agencies.models import Agency

pytestmark = pytest.mark.django_db


def test_home_page_works_without_an_account_and_lists_the_county(client, demo_county):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>城口县人民政府 政府信息公开</title>" in html
    for name in (
        "城口县人民政府办公室",
        "城口县公安局",
        "城口县葛城街道办事处",
        "城口县明中乡人民政府",
    ):
        assert name in html
    assert '县政府部门 <span class="count">（14）</span>' in html
    assert "工作人员登录" in html


def test_home_page_groups_agencies_by_kind_in_order(client, demo_county):
    html = client.get("/").content.decode()
    positions = [
        html.index(f"<h3>{heading}") for heading in ("县政府及办公室", "县政府部门", "街道", "乡镇")
    ]
    assert positions == sorted(positions)
    assert "其他机关" not in html


def test_home_page_runs_a_fixed_number_of_queries(
    client, demo_county, django_assert_max_num_queries
):
    Agency.objects.create(
        name="城口县新设局", slug="new", parent=Agency.objects.get(slug="county-government")
    )
    with django_assert_max_num_queries(3):
        client.get("/")


def test_home_page_on_an_empty_installation_points_to_the_back_office(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "政府信息公开平台" in html
    assert "尚未设置行政机关" in html


def test_home_page_is_accessible_scaffolding(client, demo_county):
    html = client.get("/").content.decode()
    assert '<html lang="zh-Hans">' in html
    assert 'href="#main"' in html and 'id="main"' in html
    assert "<nav " in html and "<footer" in html
    assert (
        "http://" not in html.replace("http://testserver", "") and "https://" not in html
    )  # no CDN


def test_login_page_has_labelled_fields(client):
    html = client.get(reverse("accounts:login")).content.decode()
    assert '<label for="id_username">用户名</label>' in html
    assert '<label for="id_password">密码</label>' in html
    assert 'autocomplete="current-password"' in html


def test_staff_home_needs_a_login(client):
    response = client.get(reverse("portal:staff_home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_clerk_logs_in_and_sees_agency_and_role(client, demo_county):
    response = client.post(
        reverse("accounts:login"), {"username": "gaj-clerk", "password": demo_county}, follow=True
    )
    html = response.content.decode()
    assert response.request["PATH_INFO"] == reverse("portal:staff_home")
    assert "工作台" in html
    assert "城口县公安局" in html and "公开专员" in html
    assert "后台管理" not in html


def test_wrong_password_is_refused_with_a_message(client, demo_county):
    response = client.post(reverse("accounts:login"), {"username": "clerk", "password": "wrong"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_supervisor_sees_how_many_agencies_they_oversee(client, demo_county):
    client.force_login(User.objects.get(username="supervisor"))
    html = client.get(reverse("portal:staff_home")).content.decode()
    assert f"可查看 {Agency.objects.count()} 个机关" in html


def test_admin_gets_a_back_office_link(client, demo_county):
    client.force_login(User.objects.get(username="admin"))
    html = client.get(reverse("portal:staff_home")).content.decode()
    assert reverse("admin:index") in html


def test_user_without_agency_is_told_so(client, db):
    client.force_login(User.objects.create_user(username="new", password="x"))
    assert "尚未分配到任何机关" in client.get(reverse("portal:staff_home")).content.decode()


def test_static_stylesheet_is_served(client):
    response = client.get("/static/portal/site.css")
    assert response.status_code == 200


def test_site_name_can_be_configured(client, demo_county, settings):
    settings.GONGKAI_SITE_NAME = "城口县政务公开"
    assert "<title>城口县政务公开</title>" in client.get("/").content.decode()


@pytest.mark.django_db
def test_login_page_shows_the_county_not_the_host(client, demo_county):
    # Django's LoginView puts the request host in its own "site_name" context variable.
    html = client.get(reverse("accounts:login")).content.decode()
    assert "城口县人民政府 政府信息公开" in html
    assert "testserver" not in html
