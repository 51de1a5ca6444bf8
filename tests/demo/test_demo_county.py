"""The demo county loader (gongkai.demo): the county of the seed report, idempotent."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth import authenticate

from gongkai.accounts import rules
from gongkai.accounts.models import Membership, Role, User
from gongkai.agencies.models import Agency, ReportingUnit
from gongkai.demo import DEMO_STEPS, load_demo
from gongkai.law.identifiers import is_valid_credit_code

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        sorted(
            Agency.objects.values_list(
                "slug", "name", "short_name", "kind", "credit_code", "parent__slug", "sort_order"
            )
        ),
        sorted(ReportingUnit.objects.values_list("slug", "name", "agencies__slug")),
        sorted(
            User.objects.values_list(
                "username", "password", "display_name", "is_staff", "is_superuser"
            )
        ),
        sorted(
            Membership.objects.values_list("user__username", "agency__slug", "role", "created_at")
        ),
    )


def test_every_step_is_a_module_with_a_load_function():
    assert DEMO_STEPS[:2] == ["agencies", "staff"]
    for name in DEMO_STEPS:
        assert callable(importlib.import_module(f"gongkai.demo.{name}").load)


def test_county_has_government_office_14_departments_streets_and_townships(demo_county):
    counts = {kind: Agency.objects.filter(kind=kind).count() for kind in Agency.Kind.values}
    assert counts == {
        "county_government": 1,
        "government_office": 1,
        "department": 14,
        "township": 22,
        "street": 2,
        "other": 0,
    }
    for short_name in ("县发展改革委", "县教委", "县公安局"):  # named in the seed report
        assert Agency.objects.filter(short_name=short_name).exists()


def test_everything_hangs_under_the_county_government(demo_county):
    root = Agency.objects.get(parent__isnull=True)
    assert root.name == "城口县人民政府"
    assert Agency.objects.exclude(pk=root.pk).exclude(parent=root).count() == 0


def test_credit_codes_are_valid_and_distinct(demo_county):
    codes = list(Agency.objects.values_list("credit_code", flat=True))
    assert all(is_valid_credit_code(code) for code in codes)
    assert all(code.startswith("11500229") for code in codes)
    assert len(set(codes)) == len(codes)


def test_reporting_unit_of_the_seed_report(demo_county):
    unit = ReportingUnit.objects.get()
    assert unit.name == "城口县人民政府机关"
    assert sorted(unit.agencies.values_list("name", flat=True)) == [
        "城口县人民政府",
        "城口县人民政府办公室",
    ]


def test_there_is_a_demo_account_for_every_role(demo_county):
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)


def test_demo_accounts_log_in_with_the_shared_password(demo_county):
    for username in (
        "admin",
        "supervisor",
        "clerk",
        "approver",
        "head",
        "gaj-clerk",
        "gecheng-clerk",
    ):
        assert authenticate(username=username, password=demo_county) is not None, username


def test_demo_roles_mean_what_they_say(demo_county):
    def user(name):
        return User.objects.get(username=name)

    police = Agency.objects.get(slug="gaj")
    office = Agency.objects.get(slug="county-office")
    assert rules.is_system_admin(user("admin"))
    assert rules.can_supervise(user("supervisor"), police)
    assert rules.can_handle(user("clerk"), office) and not rules.can_approve(user("clerk"), office)
    assert rules.can_approve(user("approver"), office)
    assert rules.can_approve(user("head"), office)
    assert rules.can_handle(user("gaj-clerk"), police) and not rules.can_view(
        user("gaj-clerk"), office
    )
    assert rules.can_handle(user("gecheng-clerk"), Agency.objects.get(slug="gecheng"))


def row_counts() -> dict[str, int]:
    """The number of rows of every model's table (the demo's applications, letters, cases,
    publications, audit rows, the search index's postings, …)."""
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }


def test_loading_twice_changes_nothing(demo_county):
    """One second load for every app's "loading twice adds nothing" (the applications and
    their letters, the mailbox's letters and cases, the publications, the audit rows of the
    catalogue steps: every table's row count), as each load of the demo costs seconds."""
    before = snapshot()
    counts = row_counts()
    lines = []
    load_demo(out=lines.append)
    assert snapshot() == before
    assert row_counts() == counts
    assert any("新建或更新 / created or updated: 0" in line for line in lines)


def test_loading_repairs_a_changed_demo_row_but_keeps_a_changed_password(demo_county):
    Agency.objects.filter(slug="gaj").update(name="改错的名字")
    clerk = User.objects.get(username="clerk")
    clerk.set_password("my own password")
    clerk.save()
    load_demo(out=lambda _line: None)
    assert Agency.objects.get(slug="gaj").name == "城口县公安局"
    assert authenticate(username="clerk", password="my own password") is not None


def test_readme_lists_the_demo_logins():
    from pathlib import Path

    from gongkai.demo.staff import DEMO_PASSWORD, STAFF

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert f"password `{DEMO_PASSWORD}`" in readme
    for username, _name, _role, _slug in STAFF:
        assert f"| `{username}` |" in readme


def test_the_demo_audit_log_chain_is_intact(demo_county):
    """The demo dates its history back (audit rows re-dated to their steps' days) and seals the
    chain again when it is complete: `gongkai audit-log verify` finds nothing on a demo."""
    from gongkai.auditlog.chain import verify

    checked, findings = verify()
    assert checked > 1000
    assert findings == []
