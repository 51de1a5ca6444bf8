"""Permission rules, role by role (gongkai.accounts.rules)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction

from gongkai.accounts import rules
from gongkai.accounts.models import Membership, Role, User
from gongkai.agencies.models import Agency

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    county = Agency.objects.create(
        name="县人民政府", slug="county", kind=Agency.Kind.COUNTY_GOVERNMENT
    )
    office = Agency.objects.create(name="县政府办公室", slug="office", parent=county)
    police = Agency.objects.create(name="县公安局", slug="police", parent=county)
    town = Agency.objects.create(name="葛城街道", slug="town", parent=county)
    village = Agency.objects.create(name="社区", slug="village", parent=town)
    other = Agency.objects.create(name="邻县人民政府", slug="other-county")
    return {a.slug: a for a in (county, office, police, town, village, other)}


def person(username, *roles):
    user = User.objects.create_user(username=username, password="x")
    for role, agency in roles:
        Membership.objects.create(user=user, agency=agency, role=role)
    return user


def visible(user):
    return sorted(rules.visible_agencies(user).values_list("slug", flat=True))


ALL = ["county", "office", "other-county", "police", "town", "village"]


def test_clerk_sees_and_handles_only_own_agency(tree):
    clerk = person("clerk", (Role.CLERK, tree["police"]))
    assert visible(clerk) == ["police"]
    assert rules.can_view(clerk, tree["police"])
    assert not rules.can_view(clerk, tree["county"])
    assert rules.can_handle(clerk, tree["police"])
    assert not rules.can_handle(clerk, tree["office"])
    assert not rules.can_approve(clerk, tree["police"])
    assert not rules.can_supervise(clerk, tree["police"])
    assert not rules.is_system_admin(clerk)


@pytest.mark.parametrize("role", [Role.APPROVER, Role.HEAD])
def test_approver_and_head_handle_and_approve_own_agency(tree, role):
    user = person("boss", (role, tree["police"]))
    assert visible(user) == ["police"]
    assert rules.can_handle(user, tree["police"])
    assert rules.can_approve(user, tree["police"])
    assert not rules.can_approve(user, tree["town"])
    assert not rules.can_supervise(user, tree["police"])


def test_clerk_of_a_parent_does_not_see_its_children(tree):
    clerk = person("clerk", (Role.CLERK, tree["town"]))
    assert visible(clerk) == ["town"]
    assert not rules.can_view(clerk, tree["village"])


def test_supervisor_sees_and_supervises_the_subtree_but_does_not_handle(tree):
    supervisor = person("sup", (Role.SUPERVISOR, tree["county"]))
    assert visible(supervisor) == ["county", "office", "police", "town", "village"]
    for slug in ("county", "office", "police", "village"):
        assert rules.can_view(supervisor, tree[slug])
        assert rules.can_supervise(supervisor, tree[slug])
        assert not rules.can_handle(supervisor, tree[slug])
        assert not rules.can_approve(supervisor, tree[slug])
    assert not rules.can_view(supervisor, tree["other-county"])
    assert not rules.can_supervise(supervisor, tree["other-county"])


def test_supervisor_of_a_township_does_not_supervise_upwards(tree):
    supervisor = person("sup", (Role.SUPERVISOR, tree["town"]))
    assert visible(supervisor) == ["town", "village"]
    assert rules.can_supervise(supervisor, tree["village"])
    assert not rules.can_supervise(supervisor, tree["county"])


def test_roles_combine(tree):
    user = person("both", (Role.CLERK, tree["police"]), (Role.SUPERVISOR, tree["town"]))
    assert visible(user) == ["police", "town", "village"]
    assert rules.can_handle(user, tree["police"])
    assert not rules.can_handle(user, tree["village"])
    assert rules.roles_in(user, tree["police"]) == {Role.CLERK}


def test_admin_role_sees_everything_but_handles_nothing(tree):
    admin = person("admin", (Role.ADMIN, tree["office"]))
    assert rules.is_system_admin(admin)
    assert visible(admin) == ALL
    assert rules.can_view(admin, tree["other-county"])
    assert not rules.can_handle(admin, tree["office"])
    assert not rules.can_approve(admin, tree["office"])
    assert not rules.can_supervise(admin, tree["office"])


def test_superuser_is_a_system_admin(tree):
    root = User.objects.create_superuser(username="root", password="x")
    assert rules.is_system_admin(root)
    assert visible(root) == ALL


def test_user_without_memberships_sees_nothing(tree):
    nobody = person("nobody")
    assert visible(nobody) == []
    assert not rules.can_view(nobody, tree["county"])


def test_anonymous_user_may_do_nothing(tree):
    anonymous = AnonymousUser()
    assert visible(anonymous) == []
    assert not rules.is_system_admin(anonymous)
    assert not rules.can_view(anonymous, tree["county"])
    assert not rules.can_handle(anonymous, tree["county"])
    assert not rules.can_approve(anonymous, tree["county"])
    assert not rules.can_supervise(anonymous, tree["county"])
    assert rules.roles_in(anonymous, tree["county"]) == set()


def test_inactive_user_loses_every_right(tree):
    user = person("gone", (Role.APPROVER, tree["police"]), (Role.ADMIN, tree["county"]))
    user.is_active = False
    user.save()
    assert visible(user) == []
    assert not rules.is_system_admin(user)
    assert not rules.can_handle(user, tree["police"])
    assert not rules.can_approve(user, tree["police"])


def test_predicates_accept_ids(tree):
    clerk = person("clerk", (Role.CLERK, tree["police"]))
    assert rules.can_handle(clerk, tree["police"].pk)
    assert rules.can_view(clerk, tree["police"].pk)


def test_visible_agencies_is_one_query(tree, django_assert_num_queries):
    user = person("both", (Role.CLERK, tree["police"]), (Role.SUPERVISOR, tree["town"]))
    with django_assert_num_queries(1):
        assert len(list(rules.visible_agencies(user))) == 3
    with django_assert_num_queries(1):
        assert rules.visible_agency_ids(user) == {tree[s].pk for s in ("police", "town", "village")}


def test_each_predicate_is_one_query(tree, django_assert_num_queries):
    user = person("sup", (Role.SUPERVISOR, tree["county"]))
    for predicate in (rules.can_view, rules.can_handle, rules.can_approve, rules.can_supervise):
        with django_assert_num_queries(1):
            predicate(user, tree["village"])


def test_a_role_is_held_once_per_agency(tree):
    user = person("clerk", (Role.CLERK, tree["police"]))
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, agency=tree["police"], role=Role.CLERK)
    Membership.objects.create(user=user, agency=tree["police"], role=Role.APPROVER)


def handled(user):
    return sorted(rules.handled_agencies(user).values_list("slug", flat=True))


def test_handled_agencies_are_the_agencies_can_handle_accepts(tree):
    user = person(
        "many",
        (Role.CLERK, tree["police"]),
        (Role.APPROVER, tree["police"]),
        (Role.HEAD, tree["town"]),
        (Role.SUPERVISOR, tree["county"]),
        (Role.ADMIN, tree["office"]),
    )
    assert handled(user) == ["police", "town"]
    assert handled(user) == sorted(a.slug for a in tree.values() if rules.can_handle(user, a))
    assert handled(AnonymousUser()) == []
    assert handled(person("sup", (Role.SUPERVISOR, tree["county"]))) == []
