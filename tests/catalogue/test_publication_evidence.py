"""A published item (政府信息), picked by its 索引号, as evidence for a catalogue entry: the
compliance view reads the item's 发布日期; a missing, unpublished or repeated item is refused
with a message and nothing is saved."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from gongkai.auditlog.models import AuditEntry
from gongkai.catalogue import selectors, services
from gongkai.catalogue.models import Domain, Evidence
from gongkai.catalogue.selectors import Status
from gongkai.catalogue.sheet import write_rows
from gongkai.holidays.services import load_calendar
from gongkai.publications import services as pub
from gongkai.publications.models import Publication
from gongkai.testing import factories as f
from tests.catalogue.test_sheet import ROWS
from tests.publications.conftest import draft_data, publish, walk_to_approved

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(office, clerk):
    services.seed_domains()
    domain = Domain.objects.get(name="重大建设项目")
    catalogue = services.open_catalogue(actor=clerk, agency=office, domain=domain)
    services.import_catalogue(actor=clerk, catalogue=catalogue, data=write_rows(ROWS, title="t"))
    entry = catalogue.entries.get(item_l2="审批结果")
    # formed Friday 2020-09-25: due Thursday 2020-10-29 (20 working days, 国庆 off)
    services.set_formed_on(actor=clerk, entry=entry, formed_on=date(2020, 9, 25))
    return entry


@pytest.fixture
def item(office, clerk):
    approver = f.staff("approver", office, "approver")
    draft = pub.create_draft(
        actor=clerk, agency=office, data=draft_data(title="某项目审批结果公示", doc_number="")
    )
    walk_to_approved(draft, clerk, approver)
    return publish(draft, clerk, day=date(2020, 10, 28))


def standing_of(entry):
    (found,) = [
        s
        for s in selectors.standings(
            [entry.catalogue.agency_id], as_of=date(2020, 12, 31), calendar=load_calendar()
        )
        if s.entry.pk == entry.pk
    ]
    return found


def test_a_linked_item_is_evidence_with_its_publication_date(entry, clerk, item):
    assert standing_of(entry).status == Status.OVERDUE
    evidence = services.link_publication(actor=clerk, entry=entry, index_number=item.index_number)
    assert evidence.publication_id == item.pk
    assert (evidence.published_on, evidence.reference) == (date(2020, 10, 28), item.index_number)
    assert evidence.title == "某项目审批结果公示"
    found = standing_of(entry)
    assert found.status == Status.ON_TIME and "2020-10-28 公开" in found.explanation
    # the compliance view reads the item's 发布日期, not a copy
    Publication.objects.filter(pk=item.pk).update(published_on=date(2020, 11, 2))
    assert standing_of(entry).status == Status.LATE
    logged = AuditEntry.objects.filter(action="catalogue.evidence").latest("pk")
    assert logged.data["publication"] == item.pk


@pytest.mark.parametrize(
    ("number", "message"), [("", "请填写索引号"), ("none/2020-00009", "没有索引号")]
)
def test_a_missing_item_is_refused(entry, clerk, number, message):
    with pytest.raises(ValidationError, match=message):
        services.link_publication(actor=clerk, entry=entry, index_number=number)
    assert not Evidence.objects.exists()


def test_a_withdrawn_item_or_the_same_item_twice_is_refused(entry, clerk, item):
    services.link_publication(actor=clerk, entry=entry, index_number=item.index_number)
    with pytest.raises(ValidationError, match="已是该事项的公开佐证"):
        services.link_publication(actor=clerk, entry=entry, index_number=item.index_number)
    pub.run_step("withdraw", actor=clerk, publication=item, reason="内容有误")
    other = entry.catalogue.entries.get(item_l2="核准结果")
    with pytest.raises(ValidationError, match="已撤回"):
        services.link_publication(actor=clerk, entry=other, index_number=item.index_number)
    assert Evidence.objects.count() == 1


def test_a_clerk_links_an_item_on_the_catalogue_page(client, entry, clerk, item):
    client.force_login(clerk)
    response = client.post(
        reverse("catalogue:link_publication", args=[entry.pk]),
        {"index_number": item.index_number},
    )
    assert response.status_code == 302
    html = client.get(reverse("catalogue:staff_detail", args=[entry.catalogue.pk])).content
    html = html.decode()
    assert reverse("publications:detail", args=[item.pk]) in html and "2020-10-28" in html
    response = client.post(
        reverse("catalogue:link_publication", args=[entry.pk]), {"index_number": "x"}, follow=True
    )
    assert "没有索引号为「x」的政府信息" in response.content.decode()
    assert Evidence.objects.count() == 1
