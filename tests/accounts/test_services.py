"""Granting and revoking roles, saving accounts, issuing and revoking API tokens: audited
services that only a system admin (or the command line) may call."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from gongkai.accounts import rules, services
from gongkai.accounts.models import ApiToken, Membership, Role, User
from gongkai.accounts.tokens import user_for_token
from gongkai.auditlog.models import AuditEntry
from gongkai.auditlog.selectors import entries_for_user, history
from gongkai.testing import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(db):
    return User.objects.create_user("root", password="x", is_superuser=True)


@pytest.fixture
def office(db):
    return f.agency()


def test_granting_a_role_writes_an_audit_row_in_the_roles_agency(admin, office):
    person = User.objects.create_user("li")
    membership = services.grant_role(actor=admin, user=person, agency=office, role=Role.CLERK)
    assert rules.can_handle(person, office)
    (row,) = history(membership)
    assert (row.action, row.actor, row.agency_id) == ("role.granted", admin, office.pk)
    assert row.after == {"user": person.pk, "agency": office.pk, "role": "clerk"}
    # the agency's own supervisor reads it; a clerk elsewhere does not
    boss = f.staff("boss", office, Role.SUPERVISOR)
    assert entries_for_user(boss).filter(pk=row.pk).exists()
    stranger = f.staff("stranger", f.agency("other", "县公安局"), Role.CLERK)
    assert not entries_for_user(stranger).filter(pk=row.pk).exists()


def test_a_duplicate_role_is_refused_and_nothing_is_logged(admin, office):
    person = User.objects.create_user("li")
    services.grant_role(actor=admin, user=person, agency=office, role=Role.CLERK)
    with pytest.raises(ValidationError, match="已有此角色"):
        services.grant_role(actor=admin, user=person, agency=office, role=Role.CLERK)
    assert AuditEntry.objects.filter(action="role.granted").count() == 1


def test_an_unknown_role_is_refused(admin, office):
    with pytest.raises(ValidationError, match="没有角色"):
        services.grant_role(actor=admin, user=User.objects.create_user("li"), agency=office,
                            role="king")  # fmt: skip


@pytest.mark.parametrize("who", ["clerk", "supervisor", "nobody"])
def test_only_a_system_admin_manages_roles_and_tokens(office, who):
    actor = {
        "clerk": lambda: f.staff("c", office, Role.CLERK),
        "supervisor": lambda: f.staff("s", office, Role.SUPERVISOR),
        "nobody": lambda: None,
    }[who]()
    person = User.objects.create_user("li")
    logged = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        services.grant_role(actor=actor, user=person, agency=office, role=Role.CLERK)
    with pytest.raises(PermissionDenied):
        services.issue_api_token(actor=actor, user=person)
    assert not Membership.objects.filter(user=person).exists()
    assert not ApiToken.objects.exists() and AuditEntry.objects.count() == logged


def test_a_system_admin_by_role_may_grant(office):
    sysadmin = f.staff("sys", office, Role.ADMIN)
    person = User.objects.create_user("li")
    services.grant_role(actor=sysadmin, user=person, agency=office, role=Role.APPROVER)
    assert rules.can_approve(person, office)


def test_revoking_a_role_takes_the_right_away_and_is_logged(admin, office):
    person = User.objects.create_user("li")
    membership = services.grant_role(actor=admin, user=person, agency=office, role=Role.CLERK)
    services.revoke_role(actor=admin, membership=membership)
    assert not rules.can_handle(person, office)
    rows = list(history(membership).values_list("action", flat=True))
    assert rows == ["role.granted", "role.revoked"]
    assert history(membership).last().before["role"] == "clerk"


def test_changing_a_role_logs_before_and_after(admin, office):
    other = f.agency("police", "县公安局")
    person = User.objects.create_user("li")
    membership = services.grant_role(actor=admin, user=person, agency=office, role=Role.CLERK)
    services.change_role(actor=admin, membership=membership, agency=other, role=Role.HEAD)
    assert rules.can_approve(person, other) and not rules.can_handle(person, office)
    row = history(membership).last()
    assert row.action == "role.changed"
    assert row.before == {"user": person.pk, "agency": office.pk, "role": "clerk"}
    assert row.after == {"user": person.pk, "agency": other.pk, "role": "head"}


def test_saving_an_account_logs_the_fields_that_changed_never_the_password(admin):
    person = User(username="li", display_name="李")
    person.set_password("secret-1234567")
    services.save_user(actor=admin, user=person)
    person.is_superuser = True
    person.set_password("another-1234567")
    services.save_user(actor=admin, user=person)
    created, changed = history(person)
    assert created.action == "user.created" and created.data["password_set"] is True
    assert changed.after == {"is_superuser": True} and changed.before == {"is_superuser": False}
    text = str([created.before, created.after, created.data, changed.data])
    assert "secret" not in text and "another" not in text and "pbkdf2" not in text
    assert created.agency_id is None  # installation-wide: the system admin's only


def test_issuing_and_revoking_a_token_is_logged_without_the_token(admin):
    person = User.objects.create_user("li")
    row, token = services.issue_api_token(actor=admin, user=person, name="对接")
    assert user_for_token(token) == person
    services.revoke_api_token(actor=admin, token=row)
    assert user_for_token(token) is None
    issued, revoked = history(row)
    assert (issued.action, revoked.action) == ("token.issued", "token.revoked")
    assert issued.after["prefix"] == token[:8]
    everything = str([issued.after, issued.data, revoked.before, revoked.after, issued.note])
    assert token not in everything and row.key_hash not in everything


def test_an_inactive_user_gets_no_token(admin):
    person = User.objects.create_user("li", is_active=False)
    with pytest.raises(ValidationError, match="已停用"):
        services.issue_api_token(actor=admin, user=person)
    assert not ApiToken.objects.exists()


def test_the_create_api_token_command_is_logged_as_the_command_line(capsys):
    person = User.objects.create_user("li")
    call_command("create_api_token", "li", "--name", "对接")
    token = capsys.readouterr().out.strip()
    assert user_for_token(token) == person
    (row,) = AuditEntry.objects.filter(action="token.issued")
    assert row.actor is None and row.data["via"] == "command_line"
