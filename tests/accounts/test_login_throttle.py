"""Password guessing is slowed down on the staff login and the back-office login."""

import pytest

from gongkai.accounts.models import User

pytestmark = pytest.mark.usefixtures("empty_cache")

PASSWORD = "correct-horse-9"


@pytest.fixture
def staff(db):
    # a system admin, so both logins let them in (the back office admits only system admins)
    return User.objects.create_user("clerk", password=PASSWORD, is_superuser=True)


def _login(client, url, password, address="10.0.0.1"):
    return client.post(url, {"username": "clerk", "password": password}, REMOTE_ADDR=address)


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_after_too_many_failures_even_the_right_password_is_refused(client, staff, settings, url):
    settings.GONGKAI_LOGIN_RATE_LIMIT = 3
    for _ in range(3):
        assert _login(client, url, "wrong").status_code == 200  # the form again, with an error
    response = _login(client, url, PASSWORD)
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    # Another address still gets in: the limit is per address (and, higher, per user name).
    other = client.__class__()
    assert _login(other, url, PASSWORD, address="10.0.0.2").status_code == 302
    assert "_auth_user_id" in other.session


def test_a_few_mistakes_do_not_lock_anyone_out(client, staff, settings):
    settings.GONGKAI_LOGIN_RATE_LIMIT = 3
    for _ in range(2):
        _login(client, "/accounts/login/", "wrong")
    assert _login(client, "/accounts/login/", PASSWORD).status_code == 302


def test_one_user_name_is_limited_from_any_address(client, staff, settings):
    settings.GONGKAI_LOGIN_RATE_LIMIT = 2
    for i in range(4):  # twice the per-address limit, each from a new address
        _login(client, "/accounts/login/", "wrong", address=f"10.0.1.{i}")
    assert _login(client, "/accounts/login/", PASSWORD, address="10.0.2.1").status_code == 200


def test_the_login_page_says_why_it_refuses(client, staff, settings):
    settings.GONGKAI_LOGIN_RATE_LIMIT = 2
    for _ in range(2):
        _login(client, "/accounts/login/", "wrong")
    text = _login(client, "/accounts/login/", PASSWORD).content.decode()
    assert "登录失败次数过多" in text and "too many failed logins" in text


def test_the_window_opens_at_the_first_failure_not_at_a_clock_boundary(
    client, staff, settings, monkeypatch
):
    from gongkai.intake import ratelimit

    settings.GONGKAI_LOGIN_RATE_LIMIT = 3
    clock = [1_800_000_599.0]  # one second before a 600-second boundary of the wall clock
    monkeypatch.setattr(ratelimit.time, "time", lambda: clock[0])
    for _ in range(3):
        _login(client, "/accounts/login/", "wrong")
    clock[0] += 2  # past the boundary, well inside the 600 s since the first failure
    assert _login(client, "/accounts/login/", PASSWORD).status_code == 200
    assert "_auth_user_id" not in client.session
