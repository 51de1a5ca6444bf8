"""Password guessing is slowed down on the staff login and the back-office login."""

import pytest

from gongkai.accounts.models import User
from gongkai.auditlog.models import AuditEntry

pytestmark = pytest.mark.usefixtures("empty_cache", "fast_hasher")

PASSWORD = "correct-horse-9"


@pytest.fixture
def fast_hasher(settings):
    """Dozens of logins per test: a weak hash keeps them quick (the throttle does not care)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def staff(db):
    return User.objects.create_user("clerk", password=PASSWORD, is_staff=True)


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


def test_twenty_failures_from_one_address_do_not_lock_the_owner_out_elsewhere(client, db):
    User.objects.create_user("admin", password=PASSWORD, is_staff=True, is_superuser=True)
    attacker = client.__class__()
    for _ in range(20):
        attacker.post(
            "/accounts/login/", {"username": "admin", "password": "guess"}, REMOTE_ADDR="10.6.6.6"
        )
    # The attacker's own address is stopped, even with the right password...
    attacker.post(
        "/accounts/login/", {"username": "admin", "password": PASSWORD}, REMOTE_ADDR="10.6.6.6"
    )
    assert "_auth_user_id" not in attacker.session
    # ...and the owner, from another address, logs in (the default limits).
    response = client.post(
        "/accounts/login/", {"username": "admin", "password": PASSWORD}, REMOTE_ADDR="10.0.0.7"
    )
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_ten_colleagues_behind_one_address_with_typos_all_get_in(db):
    from django.test import Client

    for i in range(10):
        User.objects.create_user(f"staff{i}", password=PASSWORD, is_staff=True)
    for i in range(10):
        person = Client()
        for _ in range(3):  # three typos each: 30 failures from the office's one address
            person.post(
                "/accounts/login/",
                {"username": f"staff{i}", "password": "typo"},
                REMOTE_ADDR="192.0.2.1",
            )
        response = person.post(
            "/accounts/login/",
            {"username": f"staff{i}", "password": PASSWORD},
            REMOTE_ADDR="192.0.2.1",
        )
        assert response.status_code == 302, f"staff{i} was locked out"


def test_one_address_spraying_many_user_names_is_stopped(client, staff, settings):
    settings.GONGKAI_LOGIN_RATE_LIMIT = 2  # 10 failures from one address for any names
    for i in range(10):
        client.post(
            "/accounts/login/", {"username": f"user{i}", "password": "x"}, REMOTE_ADDR="10.9.9.9"
        )
    _login(client, "/accounts/login/", PASSWORD, address="10.9.9.9")
    assert "_auth_user_id" not in client.session


def test_a_guesser_spread_over_many_addresses_does_not_stop_the_owners_browser(staff, settings):
    from django.test import Client

    settings.GONGKAI_LOGIN_RATE_LIMIT = 2
    owner = Client()
    assert _login(owner, "/accounts/login/", PASSWORD, address="10.0.0.1").status_code == 302
    device = owner.cookies["gongkai_device"]
    owner.logout()  # the test client forgets every cookie here; a browser keeps this one
    owner.cookies["gongkai_device"] = device.value
    for i in range(4):  # 2·L different addresses fail for "clerk"
        _login(Client(), "/accounts/login/", "wrong", address=f"10.8.0.{i}")
    stranger = Client()
    assert _login(stranger, "/accounts/login/", PASSWORD, address="10.7.0.1").status_code == 200
    # The owner's browser carries the cookie of an earlier login: it gets in, from a new address.
    assert _login(owner, "/accounts/login/", PASSWORD, address="10.7.0.2").status_code == 302
    # A forged or another user's cookie does not help.
    stranger.cookies["gongkai_device"] = "forged"
    assert _login(stranger, "/accounts/login/", PASSWORD, address="10.7.0.1").status_code == 200


def test_every_login_and_failed_login_is_recorded(client, staff, caplog):
    caplog.set_level("INFO", logger="gongkai.audit.login")
    _login(client, "/accounts/login/", "wrong")
    _login(client, "/admin/login/", "wrong")
    _login(client, "/accounts/login/", PASSWORD)
    records = [
        (r.login_outcome, r.login_username, r.path if hasattr(r, "path") else None)
        for r in caplog.records
        if r.name == "gongkai.audit.login"
    ]
    assert [(outcome, name) for outcome, name, _ in records] == [
        ("failed", "clerk"),
        ("failed", "clerk"),
        ("succeeded", "clerk"),
    ]
    lines = [r.getMessage() for r in caplog.records if r.name == "gongkai.audit.login"]
    assert "address=10.0.0.1" in lines[0] and "path=/admin/login/" in lines[1]
    assert all(PASSWORD not in line and "wrong" not in line for line in lines)
    rows = AuditEntry.objects.filter(action__startswith="login.").order_by("pk")
    assert [(r.action, r.data["username"], r.object_id) for r in rows] == [
        ("login.failed", "clerk", staff.pk),
        ("login.failed", "clerk", staff.pk),
        ("login.succeeded", "clerk", staff.pk),
    ]
    assert (
        rows[2].actor == staff and rows[0].actor is None and rows[1].data["path"] == "/admin/login/"
    )
    assert all(r.agency_id is None for r in rows)  # installation-wide: system admins read them


def test_a_refused_login_is_recorded_as_refused(client, staff, settings, caplog):
    settings.GONGKAI_LOGIN_RATE_LIMIT = 1
    caplog.set_level("INFO", logger="gongkai.audit.login")
    _login(client, "/accounts/login/", "wrong")
    _login(client, "/accounts/login/", PASSWORD)
    outcomes = [r.login_outcome for r in caplog.records if r.name == "gongkai.audit.login"]
    assert outcomes == ["failed", "refused"]
