"""The back office decides with gongkai.accounts.rules, not is_staff or model permissions, and its
changes to roles, tokens and agencies go through the audited services."""

import pytest
from django.contrib import admin
from django.urls import reverse

from gongkai.accounts.backoffice import ReadOnlyBackOffice, SystemAdminOnly
from gongkai.accounts.models import ApiToken, Membership, Role, User
from gongkai.accounts.tokens import user_for_token
from gongkai.agencies.models import Agency
from gongkai.auditlog.models import AuditEntry
from gongkai.testing import factories as f

pytestmark = pytest.mark.django_db

SYSTEM_ADMIN_MODELS = {
    "accounts.user",
    "accounts.membership",
    "accounts.apitoken",
    "agencies.agency",
    "agencies.reportingunit",
    "holidays.calendaryear",
    "mailbox.mailbox",
    "sites.site",
    "sites.column",
    "sites.newmediaaccount",
    "sites.visithistory",
    "guide.disclosureoffice",
}
READ_ONLY_MODELS = {
    "auditlog.auditentry",
    "applications.application",
    "letters.issuedletter",
    "reports.auditbatch",
    "reports.auditedreport",
    "django_tasks_database.dbtaskresult",
    "mailbox.letter",
    "appeals.case",
    "sites.dailyvisits",
}
# 主动公开: the taxonomies are configured here; publications change only through their steps.
SYSTEM_ADMIN_MODELS |= {"publications.topic", "publications.cataloguecategory"}
READ_ONLY_MODELS |= {"publications.publication"}


def inline_management(client, url) -> dict:
    """The management-form fields of the inlines on the page at ``url``, as a browser sends them."""
    data = {}
    for inline in client.get(url).context["inline_admin_formsets"]:
        form = inline.formset.management_form
        data.update({f"{form.prefix}-{name}": value for name, value in form.initial.items()})
    return data


def test_every_model_admin_decides_with_the_rules():
    registry = {model._meta.label_lower: type(a) for model, a in admin.site._registry.items()}
    assert set(registry) == SYSTEM_ADMIN_MODELS | READ_ONLY_MODELS
    for label, cls in registry.items():
        mixin = SystemAdminOnly if label in SYSTEM_ADMIN_MODELS else ReadOnlyBackOffice
        assert issubclass(cls, mixin), label
        for inline in cls.inlines:
            assert issubclass(inline, SystemAdminOnly | ReadOnlyBackOffice), (label, inline)


@pytest.fixture
def office(db):
    return f.agency()


@pytest.fixture
def sysadmin(office):
    """A system admin by role: not a superuser, no is_staff, no model permission."""
    user = f.staff("sys", office, Role.ADMIN)
    assert not (user.is_staff or user.is_superuser or user.user_permissions.exists())
    return user


def test_a_system_admin_by_role_runs_the_back_office(client, sysadmin):
    client.force_login(sysadmin)
    for model in sorted(SYSTEM_ADMIN_MODELS | READ_ONLY_MODELS):
        app, name = model.split(".")
        assert client.get(reverse(f"admin:{app}_{name}_changelist")).status_code == 200, model


def test_is_staff_alone_opens_nothing_and_a_clerk_is_kept_out(client, office):
    flagged = User.objects.create_user("flag", password="pw-123456789", is_staff=True)
    clerk = f.staff("clerk", office, Role.CLERK)
    for user in (flagged, clerk):
        client.force_login(user)
        response = client.get(reverse("admin:accounts_membership_changelist"))
        assert response.status_code == 302 and response.url.startswith("/admin/login/")


def test_the_back_office_login_admits_system_admins_only(client, office, sysadmin):
    sysadmin.set_password("pw-123456789")
    sysadmin.save()
    clerk = f.staff("clerk", office, Role.CLERK)
    clerk.set_password("pw-123456789")
    clerk.save()
    form = {"password": "pw-123456789", "next": "/admin/"}
    refused = client.post("/admin/login/", {"username": "clerk", **form})
    assert refused.status_code == 200 and "_auth_user_id" not in client.session
    assert client.post("/admin/login/", {"username": "sys", **form}).status_code == 302


def test_nobody_edits_applications_or_audit_rows(client, sysadmin):
    client.force_login(sysadmin)
    assert client.get(reverse("admin:auditlog_auditentry_add")).status_code == 403
    assert client.get(reverse("admin:applications_application_add")).status_code == 403


def test_granting_a_role_in_the_back_office_writes_the_audit_row(client, sysadmin, office):
    person = User.objects.create_user("li")
    client.force_login(sysadmin)
    response = client.post(
        reverse("admin:accounts_membership_add"),
        {"user": person.pk, "agency": office.pk, "role": Role.CLERK},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=person)
    row = AuditEntry.objects.get(action="role.granted")
    assert (row.actor, row.object_id, row.agency_id) == (sysadmin, membership.pk, office.pk)
    client.post(reverse("admin:accounts_membership_delete", args=[membership.pk]), {"post": "yes"})
    assert not Membership.objects.filter(user=person).exists()
    assert AuditEntry.objects.filter(action="role.revoked", object_id=membership.pk).exists()


def test_roles_edited_beside_the_account_are_audited(client, sysadmin, office):
    person = User.objects.create_user("li", display_name="李")
    client.force_login(sysadmin)
    url = reverse("admin:accounts_user_change", args=[person.pk])
    data = {
        "username": "li",
        "display_name": "李四",
        "first_name": "",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-05",
        "date_joined_1": "09:00:00",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-agency": office.pk,
        "memberships-0-role": Role.APPROVER,
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert Membership.objects.filter(user=person, role=Role.APPROVER).exists()
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"role.granted", "user.changed"} <= actions
    assert AuditEntry.objects.get(action="user.changed").after == {"display_name": "李四"}


def test_a_token_issued_and_revoked_in_the_back_office_is_audited(client, sysadmin):
    person = User.objects.create_user("li")
    client.force_login(sysadmin)
    response = client.post(
        reverse("admin:accounts_apitoken_add"), {"user": person.pk, "name": "对接"}, follow=True
    )
    shown = [str(m) for m in response.context["messages"]]
    token = next(m.split(": ")[-1] for m in shown if "shown only once" in m)
    assert user_for_token(token) == person
    row = ApiToken.objects.get()
    url = reverse("admin:accounts_apitoken_change", args=[row.pk])
    assert client.post(url, {"revoked": "on", **inline_management(client, url)}).status_code == 302
    assert user_for_token(token) is None
    assert list(
        AuditEntry.objects.filter(object_id=row.pk, action__startswith="token.").values_list(
            "action", flat=True
        )
    ) == ["token.issued", "token.revoked"]
    assert client.get(reverse("admin:accounts_apitoken_delete", args=[row.pk])).status_code == 403


def test_moving_an_agency_under_its_own_child_is_refused_in_the_back_office(client, sysadmin):
    county = Agency.objects.create(name="县人民政府", slug="county")
    town = Agency.objects.create(name="葛城街道", slug="town", parent=county)
    client.force_login(sysadmin)
    url = reverse("admin:agencies_agency_change", args=[county.pk])
    data = {"name": "县人民政府", "short_name": "", "slug": "county", "kind": "department"}
    data.update(inline_management(client, url))
    refused = client.post(url, {**data, "parent": town.pk, "credit_code": "", "sort_order": 0})
    assert refused.status_code == 200 and "其下级机关" in refused.content.decode()
    county.refresh_from_db()
    assert county.parent_id is None
    other = Agency.objects.create(name="邻县", slug="other")
    moved = client.post(url, {**data, "parent": other.pk, "credit_code": "", "sort_order": 0})
    assert moved.status_code == 302
    assert AuditEntry.objects.get(action="agency.moved").after == {"parent": other.pk}


def test_an_account_created_in_the_back_office_is_audited_without_its_password(client, sysadmin):
    client.force_login(sysadmin)
    url = reverse("admin:accounts_user_add")
    response = client.post(
        url,
        {
            **inline_management(client, url),
            "username": "wang",
            "usable_password": "true",
            "password1": "a-long-pass-9876",
            "password2": "a-long-pass-9876",
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    person = User.objects.get(username="wang")
    assert person.check_password("a-long-pass-9876")
    row = AuditEntry.objects.get(action="user.created", object_id=person.pk)
    assert row.actor == sysadmin and row.data["password_set"] is True
    assert "a-long-pass" not in str([row.before, row.after, row.data])
    assert client.get(reverse("admin:accounts_user_delete", args=[person.pk])).status_code == 403


def test_a_password_set_in_the_back_office_is_logged_not_stored_in_the_log(client, sysadmin):
    person = User.objects.create_user("li", password="old-pass-1234567")
    client.force_login(sysadmin)
    url = reverse("admin:auth_user_password_change", args=[person.pk])
    response = client.post(
        url,
        {
            "usable_password": "true",
            "password1": "new-pass-7654321",
            "password2": "new-pass-7654321",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password("new-pass-7654321")
    row = AuditEntry.objects.get(action="user.password_set", object_id=person.pk)
    assert row.actor == sysadmin
    assert "pass" not in str([row.before, row.after, row.data]).replace("password_set", "")
