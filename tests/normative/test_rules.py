"""Who keeps normative documents (gongkai.accounts.rules), one query per decision."""

import pytest

from gongkai.accounts import rules
from gongkai.testing import factories as f

pytestmark = pytest.mark.django_db


def test_who_keeps_whose_documents(unit, government, office, police, django_assert_num_queries):
    head = f.staff("head", office, "head")
    clerk = f.staff("pclerk", police, "clerk")
    supervisor = f.staff("sup", government, "supervisor")
    inactive = f.staff("gone", office, "clerk")
    inactive.is_active = False
    inactive.save()
    with django_assert_num_queries(1):
        assert rules.can_keep_normative(head, government)  # reports with the office
    assert rules.can_keep_normative(head, office.pk)
    assert not rules.can_keep_normative(head, police)
    assert rules.can_keep_normative(clerk, police) and not rules.can_keep_normative(clerk, office)
    assert not rules.can_keep_normative(supervisor, government)  # supervising is not keeping
    assert not rules.can_keep_normative(inactive, office)
    assert rules.can_keep_normative(rules.COMMAND_LINE, police)
    with django_assert_num_queries(1):
        assert set(rules.normative_keeping_agencies(head)) == {government, office}
    assert set(rules.normative_keeping_agencies(clerk)) == {police}
    assert not rules.normative_keeping_agencies(supervisor).exists()
    assert not rules.normative_keeping_agencies(inactive).exists()
