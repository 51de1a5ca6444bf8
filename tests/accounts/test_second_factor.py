"""Two-factor staff login (gongkai.accounts.second_factor): who must give a second factor,
enrolment with a locally drawn QR code, recovery codes that work once, every check in the
audit log, short staff sessions and the password policy."""

from __future__ import annotations

import re
from base64 import b32encode
from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.auditlog.models import AuditEntry
from gongkai.testing import factories as f
from gongkai.testing.second_factor import enrol_totp, totp_code

pytestmark = pytest.mark.usefixtures("empty_cache", "fast_hasher", "no_otp_throttle")

PASSWORD = "correct-horse-9"


@pytest.fixture
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def no_otp_throttle(settings):
    """django-otp doubles the wait after each wrong code; these tests try again at once."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def person(username, office, role):
    user = f.staff(username, office, role)
    user.set_password(PASSWORD)
    user.save()
    return user


def password_login(username) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def actions(username) -> list[str]:
    return list(
        AuditEntry.objects.filter(data__username=username)
        .order_by("pk")
        .values_list("action", flat=True)
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["supervisor", "admin"])
def test_a_supervisor_or_admin_with_a_password_only_cannot_reach_the_workbench(office, role):
    person("boss", office, role)
    client = password_login("boss")
    for path in ("/staff/", "/staff/applications/", "/staff/reports/", "/admin/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/2fa/setup/?next="), path


@pytest.mark.django_db
def test_a_clerk_needs_no_second_factor_unless_the_installation_says_so(office, settings):
    person("clerk1", office, "clerk")
    assert password_login("clerk1").get("/staff/").status_code == 200
    settings.GONGKAI_2FA_ALL_STAFF = True
    response = password_login("clerk1").get("/staff/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/2fa/setup/")


@pytest.mark.django_db
def test_the_second_factor_lets_in_and_every_check_is_in_the_audit_log(office):
    boss = person("boss", office, "supervisor")
    device = enrol_totp(boss)
    client = password_login("boss")
    response = client.get("/staff/applications/")
    assert response["Location"] == "/accounts/2fa/?next=%2Fstaff%2Fapplications%2F"
    wrong = client.post("/accounts/2fa/", {"code": "000000", "next": "/staff/applications/"})
    assert wrong.status_code == 400 and "验证码不正确" in wrong.content.decode()
    assert client.get("/staff/").status_code == 302  # still locked out
    right = client.post(
        "/accounts/2fa/", {"code": totp_code(device), "next": "/staff/applications/"}
    )
    assert right.status_code == 302 and right["Location"] == "/staff/applications/"
    assert client.get("/staff/applications/").status_code == 200
    assert actions("boss") == ["login.succeeded", "login.second_factor_failed", "login.verified"]
    failed = AuditEntry.objects.get(action="login.second_factor_failed")
    assert failed.data["reason"] == "authenticator" and failed.actor is None
    # Failed passwords are there too.
    Client().post("/accounts/login/", {"username": "boss", "password": "nope"})
    assert actions("boss")[-1] == "login.failed"


@pytest.mark.django_db
def test_enrolment_shows_a_local_qr_code_and_the_secret_and_gives_recovery_codes(office):
    person("boss", office, "supervisor")
    client = password_login("boss")
    page = client.get("/accounts/2fa/setup/?next=/staff/")
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    html = page.content.decode()
    assert "<svg" in html and "<path d=" in html  # drawn on the server
    assert not re.search(r"""(src|href)=["']https?://""", html)  # no outside service
    device = TOTPDevice.objects.get(user__username="boss", confirmed=False)
    secret = b32encode(device.bin_key).decode().rstrip("=")
    shown = re.search(r'id="otp-secret">([A-Z2-7 ]+)<', html).group(1).replace(" ", "")
    assert shown == secret
    done = client.post("/accounts/2fa/setup/", {"code": totp_code(device), "next": "/staff/"})
    assert done.status_code == 200
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", done.content.decode())
    assert len(codes) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/staff/").status_code == 200  # this session passed the second factor
    assert AuditEntry.objects.filter(action="user.second_factor_enrolled").count() == 1


@pytest.mark.django_db
def test_a_recovery_code_works_once(office):
    boss = person("boss", office, "supervisor")
    enrol_totp(boss)
    from gongkai.accounts.second_factor import new_recovery_codes

    first, second, *_ = new_recovery_codes(actor=boss)
    client = password_login("boss")
    assert client.post("/accounts/2fa/", {"code": first.upper()}).status_code == 302
    assert client.get("/staff/").status_code == 200
    again = password_login("boss")
    assert again.post("/accounts/2fa/", {"code": first}).status_code == 400
    assert again.get("/staff/").status_code == 302
    assert again.post("/accounts/2fa/", {"code": second}).status_code == 302
    assert again.get("/staff/").status_code == 200
    assert [e.data["reason"] for e in AuditEntry.objects.filter(action__startswith="login.v")] == [
        "recovery code",
        "recovery code",
    ]


@pytest.mark.django_db
def test_a_password_alone_cannot_enrol_another_phone(office):
    boss = person("boss", office, "supervisor")
    enrol_totp(boss)
    thief = password_login("boss")
    response = thief.get("/accounts/2fa/setup/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/2fa/?")
    assert thief.post("/accounts/2fa/recovery/").status_code == 302
    assert TOTPDevice.objects.filter(user=boss).count() == 1


@pytest.mark.django_db
def test_a_clerk_who_enrolled_of_their_own_accord_needs_the_code(office):
    clerk = person("clerk1", office, "clerk")
    enrol_totp(clerk)
    response = password_login("clerk1").get("/staff/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/2fa/?")


@pytest.mark.django_db
def test_force_login_in_tests_is_a_full_login_unless_asked(client, office):
    boss = f.staff("boss", office, "supervisor")
    client.force_login(boss)
    assert client.get("/staff/").status_code == 200
    other = Client()
    other.force_login(boss, second_factor=False)
    assert other.get("/staff/").status_code == 302


@pytest.mark.django_db
def test_staff_sessions_expire_after_half_an_hour_idle(client, office):
    person("clerk1", office, "clerk")
    client = password_login("clerk1")
    session = Session.objects.get()
    assert client.get("/staff/").status_code == 200
    left = Session.objects.get().expire_date - timezone.now()
    assert timedelta(minutes=29) < left <= timedelta(minutes=30)
    # Idle past the limit (the session's expiry is behind us): the next request is logged out.
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/staff/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_the_session_is_kept_alive_by_activity(client, office):
    person("clerk1", office, "clerk")
    client = password_login("clerk1")
    session = client.session
    session["_gk_seen"] = 0  # last refreshed long ago
    session.save()
    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=2))
    assert client.get("/staff/").status_code == 200
    assert Session.objects.get().expire_date - timezone.now() > timedelta(minutes=29)


def test_passwords_need_twelve_characters():
    with pytest.raises(ValidationError, match="12"):
        validate_password("Xq7#vLp2!aa")  # 11 characters
    validate_password("Xq7#vLp2!aaz")  # 12: accepted


@pytest.mark.django_db
def test_a_lost_phone_is_reset_from_the_command_line(office):
    from django.core.management import call_command

    boss = person("boss", office, "supervisor")
    enrol_totp(boss)
    from gongkai.accounts.second_factor import new_recovery_codes

    new_recovery_codes(actor=boss)
    call_command("reset_second_factor", "boss")
    response = password_login("boss").get("/staff/")
    assert response["Location"].startswith("/accounts/2fa/setup/")  # enrols again
    entry = AuditEntry.objects.get(action="user.second_factor_reset")
    assert entry.data == {"devices": 2, "via": "command_line"}
