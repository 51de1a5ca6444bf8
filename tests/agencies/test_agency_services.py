"""Creating, moving and deleting agencies: audited services; a move into one's own subtree is
refused."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.accounts import rules
from gongkai.accounts.models import Role, User
from gongkai.agencies import services
from gongkai.agencies.models import Agency, ReportingUnit
from gongkai.auditlog.models import AuditEntry
from gongkai.auditlog.selectors import history
from gongkai.testing import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(db):
    return User.objects.create_user("root", password="x", is_superuser=True)


@pytest.fixture
def tree(admin):
    county = services.create_agency(actor=admin, name="县人民政府", slug="county")
    town = services.create_agency(actor=admin, name="葛城街道", slug="town", parent=county)
    village = services.create_agency(actor=admin, name="社区", slug="village", parent=town)
    police = services.create_agency(actor=admin, name="县公安局", slug="police", parent=county)
    return county, town, village, police


def test_creating_an_agency_is_logged(tree):
    county, town, _village, _police = tree
    (row,) = history(town)
    assert row.action == "agency.created" and row.agency_id == town.pk
    assert row.after["parent"] == county.pk and row.after["name"] == "葛城街道"


def test_moving_an_agency_moves_what_supervisors_see_and_is_logged(admin, tree):
    county, town, village, police = tree
    boss = f.staff("boss", town, Role.SUPERVISOR)
    assert rules.can_view(boss, village)
    village.parent = police
    services.save_agency(actor=admin, agency=village)
    assert not rules.can_view(boss, village)
    row = history(village).last()
    assert row.action == "agency.moved"
    assert row.before == {"parent": town.pk} and row.after == {"parent": police.pk}


@pytest.mark.parametrize("under", ["itself", "its child", "its grandchild"])
def test_a_move_into_its_own_subtree_is_refused_and_nothing_changes(admin, tree, under):
    county, town, village, _police = tree
    moving = county if under == "its grandchild" else town
    target = {"itself": town, "its child": village, "its grandchild": village}[under]
    moving.parent = target
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError, match="上级机关不能是本机关或其下级机关"):
        services.save_agency(actor=admin, agency=moving)
    moving.refresh_from_db()
    assert moving.parent_id != target.pk
    assert AuditEntry.objects.count() == before


def test_only_a_system_admin_changes_the_tree(tree):
    county, town, _village, _police = tree
    supervisor = f.staff("boss", county, Role.SUPERVISOR)
    town.name = "改名"
    with pytest.raises(PermissionDenied):
        services.save_agency(actor=supervisor, agency=town)
    with pytest.raises(PermissionDenied):
        services.create_agency(actor=supervisor, name="新局", slug="new")
    assert Agency.objects.get(pk=town.pk).name == "葛城街道"


def test_deleting_an_agency_with_sub_agencies_is_refused(admin, tree):
    county, _town, _village, police = tree
    with pytest.raises(ValidationError, match="不能删除"):
        services.delete_agency(actor=admin, agency=county)
    assert not AuditEntry.objects.filter(action="agency.deleted").exists()
    services.delete_agency(actor=admin, agency=police)
    assert not Agency.objects.filter(pk=police.pk).exists()
    (row,) = AuditEntry.objects.filter(action="agency.deleted")
    assert row.object_id == police.pk and row.before["name"] == "县公安局"


def test_a_reporting_unit_and_its_agencies_are_logged(admin, tree):
    county, town, _village, police = tree
    unit = services.save_reporting_unit(
        actor=admin, unit=ReportingUnit(name="县政府机关", slug="gov"), agencies=[county]
    )
    services.save_reporting_unit(actor=admin, unit=unit, agencies=[county, police])
    created, changed = history(unit)
    assert created.after["agencies"] == [county.pk]
    assert changed.before["agencies"] == [county.pk]
    assert changed.after["agencies"] == sorted([county.pk, police.pk])
