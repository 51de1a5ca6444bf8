"""A normative document and the item that published it: linked at 公布 (or later by 索引号),
created as a draft through the publications flow, and the item's 效力 kept in step with the
register's 修订 / 废止 / 失效 steps, each change audited."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from gongkai.auditlog.models import AuditEntry
from gongkai.normative.models import NormativeDocument
from gongkai.normative.steps import STEPS, draft_document
from gongkai.publications import services as pub
from gongkai.publications.models import Publication, State, Validity
from gongkai.testing import factories as f
from tests.publications.conftest import draft_data, publish, walk_to_approved

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def approver(office):
    return f.staff("approver", office, "approver")


@pytest.fixture
def item(keeper, approver, office):
    """A published item of the office with the document's 发文字号."""
    draft = pub.create_draft(
        actor=keeper,
        agency=office,
        data=draft_data(
            title="城口县城区电动自行车管理办法",
            doc_number="城府办发〔2020〕9号",
            category="a20-01",
        ),
    )
    walk_to_approved(draft, keeper, approver)
    return publish(draft, keeper, day=D(2020, 4, 13))


def deliberated(keeper, office, title="城口县城区电动自行车管理办法"):
    doc = draft_document(
        actor=keeper, agency=office, kind="normative", title=title, drafted_on=D(2020, 3, 2)
    )
    STEPS.run("review", actor=keeper, record=doc, on=D(2020, 3, 20), ref="城司审〔2020〕8号")
    STEPS.run("deliberate", actor=keeper, record=doc, on=D(2020, 4, 8), ref="第52次常务会议")
    return doc


def publish_doc(keeper, doc, **params):
    return STEPS.run(
        "publish",
        actor=keeper,
        record=doc,
        doc_number=params.pop("doc_number", "城府办发〔2020〕9号"),
        signed_on=D(2020, 4, 10),
        published_on=D(2020, 4, 13),
        **params,
    )


def test_publish_links_the_item_and_the_register_keeps_its_validity(keeper, office, item):
    doc = publish_doc(keeper, deliberated(keeper, office), index_number=item.index_number)
    assert doc.publication_id == item.pk
    item.refresh_from_db()
    assert item.validity == Validity.IN_FORCE and item.normative_document == doc

    STEPS.run("amend", actor=keeper, record=doc, on=D(2021, 6, 1), decision_title="修改决定")
    item.refresh_from_db()
    assert item.validity == Validity.AMENDED

    STEPS.run(
        "abolish",
        actor=keeper,
        record=doc,
        on=D(2023, 1, 1),
        decision_title="关于废止部分行政规范性文件的决定",
        decision_number="城府办发〔2022〕30号",
    )
    item.refresh_from_db()
    assert (item.validity, item.repealed_on) == (Validity.REPEALED, D(2023, 1, 1))
    entry = AuditEntry.objects.filter(action="publication.validity").latest("pk")
    assert entry.object_id == str(item.pk) or int(entry.object_id) == item.pk
    assert entry.after["validity"] == "repealed" and entry.before["validity"] == "amended"
    assert "城府办发〔2022〕30号" in entry.note


def test_expiry_sets_the_items_expiry_date(keeper, office, item):
    doc = publish_doc(keeper, deliberated(keeper, office), index_number=item.index_number)
    STEPS.run("expire", actor=keeper, record=doc, on=D(2025, 4, 12), decision_title="有效期届满")
    item.refresh_from_db()
    assert (item.validity, item.expired_on) == (Validity.EXPIRED, D(2025, 4, 12))


def test_a_document_already_abolished_is_linked_later_and_the_item_follows(keeper, office, item):
    doc = publish_doc(keeper, deliberated(keeper, office))
    assert doc.publication_id is None
    STEPS.run("abolish", actor=keeper, record=doc, on=D(2022, 1, 1), decision_title="废止决定")
    STEPS.run("link_publication", actor=keeper, record=doc, index_number=item.index_number)
    item.refresh_from_db()
    assert (item.validity, item.repealed_on) == (Validity.REPEALED, D(2022, 1, 1))


@pytest.mark.parametrize(
    ("index_number", "number", "message"),
    [
        ("nope/2020-00001", "城府办发〔2020〕9号", "没有索引号"),
        (None, "城府办发〔2020〕99号", "发文字号"),
    ],
)
def test_a_wrong_link_is_refused_and_nothing_changes(
    keeper, office, item, index_number, number, message
):
    doc = deliberated(keeper, office)
    with pytest.raises(ValidationError, match=message):
        publish_doc(keeper, doc, index_number=index_number or item.index_number, doc_number=number)
    doc.refresh_from_db()
    assert doc.state == NormativeDocument.State.DELIBERATED and doc.publication_id is None


def test_an_item_links_to_one_document_only(keeper, office, item):
    publish_doc(keeper, deliberated(keeper, office), index_number=item.index_number)
    other = deliberated(keeper, office, title="另一件文件")
    with pytest.raises(ValidationError, match="已关联另一件文件"):
        publish_doc(
            keeper, other, index_number=item.index_number, doc_number="城府办发〔2020〕10号"
        )
    assert NormativeDocument.objects.get(pk=other.pk).state == NormativeDocument.State.DELIBERATED


def test_another_agencys_item_is_refused(keeper, office, police, item):
    clerk = f.staff("p", police, "clerk")
    foreign = pub.create_draft(actor=clerk, agency=police, data=draft_data(doc_number=""))
    walk_to_approved(foreign, clerk, f.staff("pa", police, "approver"))
    foreign = publish(foreign, clerk)
    with pytest.raises(ValidationError, match="不是"):
        publish_doc(keeper, deliberated(keeper, office), index_number=foreign.index_number)


def test_publish_can_create_the_item_as_a_draft_of_the_publications_flow(keeper, office):
    doc = publish_doc(keeper, deliberated(keeper, office), create_publication=True)
    draft = Publication.objects.get(pk=doc.publication_id)
    assert draft.state == State.DRAFT and draft.index_number is None
    assert (draft.doc_number, draft.written_on) == ("城府办发〔2020〕9号", D(2020, 4, 10))
    assert draft.category.code == "a20-01" and draft.attribute == "proactive"
    assert AuditEntry.objects.filter(action="publication.create", object_id=str(draft.pk)).exists()


def test_the_pages_link_both_ways(client, keeper, office, item):
    client.force_login(keeper)
    doc = deliberated(keeper, office)
    response = client.post(
        reverse("normative:step", args=[doc.pk, "publish"]),
        {
            "publish-doc_number": "城府办发〔2020〕9号",
            "publish-signed_on": "2020-04-10",
            "publish-published_on": "2020-04-13",
            "publish-index_number": item.index_number,
        },
    )
    assert response.status_code == 302
    html = client.get(reverse("normative:detail", args=[doc.pk])).content.decode()
    assert reverse("publications:detail", args=[item.pk]) in html and item.index_number in html
    STEPS.run("abolish", actor=keeper, record=doc, on=D(2023, 1, 1), decision_title="废止决定")
    html = client.get(reverse("publications:detail", args=[item.pk])).content.decode()
    assert "已废止" in html and "2023-01-01废止" in html
    assert reverse("normative:detail", args=[doc.pk]) in html


def test_creating_the_item_needs_a_drafter_of_the_agency(keeper, government):
    """The office's clerk keeps the government's register but does not draft its items."""
    doc = deliberated(keeper, government)
    with pytest.raises(ValidationError, match="无权为该机关起草政府信息"):
        publish_doc(keeper, doc, create_publication=True)
    doc.refresh_from_db()
    assert doc.state == NormativeDocument.State.DELIBERATED and not Publication.objects.exists()
