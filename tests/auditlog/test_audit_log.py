"""The platform audit log: written in the change's transaction, read within the rules."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction

from gongkai.auditlog.models import AuditEntry
from gongkai.auditlog.selectors import entries_for_user, history, history_for
from gongkai.auditlog.services import AuditOutsideTransaction, record
from gongkai.testing import factories as f


@pytest.fixture
def county(db):
    """A county government with an office under it, and a township elsewhere."""
    gov = f.agency("gov", "城口县人民政府")
    office = f.agency("office", "城口县人民政府办公室", parent=gov)
    town = f.agency("town", "城口县某镇人民政府")
    return gov, office, town


@pytest.mark.django_db(transaction=True)  # the plain db fixture wraps the test in a transaction
def test_a_row_outside_a_transaction_is_refused(county):
    _gov, office, _town = county
    with pytest.raises(AuditOutsideTransaction):
        record(actor=None, action="touch", obj=office)
    assert not AuditEntry.objects.filter(action="touch").exists()


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_leaves_no_row(county):
    _gov, office, _town = county
    with pytest.raises(RuntimeError), transaction.atomic():
        record(actor=None, action="touch", obj=office)
        raise RuntimeError("the change failed")
    assert not AuditEntry.objects.filter(action="touch").exists()


def test_the_row_keeps_who_what_and_before_after(county):
    _gov, office, _town = county
    clerk = f.staff("clerk", office, "clerk")
    with transaction.atomic():
        entry = record(
            actor=clerk,
            action="rename",
            obj=office,
            label="改名",
            before={"name": "旧名"},
            after={"name": office.name},
            data={"on": __import__("datetime").date(2026, 3, 2)},
        )
    entry.refresh_from_db()
    assert entry.agency_id == office.pk and entry.actor_name == "clerk"
    assert entry.before == {"name": "旧名"} and entry.data == {"on": "2026-03-02"}
    assert list(history(office)) == [entry]


def test_who_reads_what(county):
    gov, office, town = county
    clerk = f.staff("clerk", office, "clerk")
    supervisor = f.staff("sup", gov, "supervisor")
    town_clerk = f.staff("tclerk", town, "clerk")
    admin = f.staff("admin", gov, "admin")
    with transaction.atomic():
        in_office = record(actor=clerk, action="a", obj=office)
        in_town = record(actor=town_clerk, action="b", obj=town)
        county_wide = record(actor=admin, action="c")  # no agency: the calendar, say
    assert set(entries_for_user(clerk)) == {in_office}
    assert set(entries_for_user(supervisor)) == {in_office}  # its subtree, not the township
    assert set(entries_for_user(town_clerk)) == {in_town}
    assert set(entries_for_user(admin).filter(action__in=["a", "b", "c"])) == {
        in_office,
        in_town,
        county_wide,
    }
    assert not entries_for_user(supervisor).filter(agency=None).exists()
    assert list(history_for(supervisor, office)) == [in_office]
    with pytest.raises(PermissionDenied):
        history_for(town_clerk, office)
