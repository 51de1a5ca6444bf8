"""The catalogue's, the training register's and the assessment's predicates (accounts.rules)."""

import pytest

from gongkai.accounts import rules
from gongkai.testing import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(office, police):
    county = f.agency("county", "城口县人民政府")
    for agency in (office, police):
        agency.parent = county
        agency.save()
    return county


def test_own_staff_and_supervisors_above_keep_the_catalogue_in_one_query(
    tree, office, police, clerk, django_assert_num_queries
):
    supervisor = f.staff("sup", tree, "supervisor")
    office_supervisor = f.staff("office-sup", office, "supervisor")
    with django_assert_num_queries(1):
        assert rules.can_edit_catalogue(clerk, office)
    assert not rules.can_edit_catalogue(clerk, police)
    assert rules.can_edit_catalogue(supervisor, police) and rules.can_record_training(
        supervisor, tree
    )
    assert rules.can_edit_catalogue(office_supervisor, office)
    assert not rules.can_edit_catalogue(office_supervisor, police)
    assert not rules.can_edit_catalogue(None, office)


def test_domains_and_scorecards_are_for_supervisors(tree, office, clerk):
    supervisor = f.staff("sup", tree, "supervisor")
    assert rules.can_manage_domains(supervisor) and not rules.can_manage_domains(clerk)
    assert rules.can_manage_assessment(supervisor, tree)
    assert not rules.can_manage_assessment(clerk, office)
