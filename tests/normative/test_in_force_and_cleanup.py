"""The list of documents in force on a day, and cleanup campaigns abolishing in batches."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from gongkai.normative.cleanup import close_campaign, decide_batch, open_campaign, put_under_review
from gongkai.normative.models import CampaignReview, CleanupBatch, NormativeDocument
from gongkai.normative.selectors import in_force
from gongkai.normative.steps import STEPS

pytestmark = pytest.mark.django_db
D = dt.date


def test_in_force_on_given_dates(keeper, publish, government, office, unit):
    old = publish(D(2015, 6, 1))
    office_doc = publish(D(2019, 12, 31), agency=office)
    new = publish(D(2020, 7, 1))
    STEPS.run("abolish", actor=keeper, record=old, on=D(2020, 7, 1), decision_title="废止决定")
    regulation = publish(D(2020, 8, 1), kind=NormativeDocument.Kind.REGULATION)
    both = [government.pk, office.pk]
    assert set(in_force(agency_ids=both, on=D(2019, 12, 30))) == {old}
    assert set(in_force(agency_ids=both, on=D(2019, 12, 31))) == {old, office_doc}
    # abolished on the day the new one is published: one out, one in, the same day
    assert set(in_force(agency_ids=both, on=D(2020, 7, 1))) == {office_doc, new}
    assert set(in_force(agency_ids=both, on=D(2020, 12, 31))) == {office_doc, new, regulation}
    assert set(in_force(agency_ids=both, on=D(2020, 12, 31), kind="normative")) == {
        office_doc,
        new,
    }
    assert set(in_force(agency_ids=[office.pk], on=D(2020, 12, 31))) == {office_doc}
    assert not in_force(agency_ids=both, on=D(2015, 5, 31)).exists()


def test_a_draft_is_never_in_force(keeper, government):
    from gongkai.normative.steps import draft_document

    draft_document(
        actor=keeper, agency=government, kind="normative", title="草稿", drafted_on=D(2020, 1, 1)
    )
    assert not in_force(agency_ids=[government.pk], on=D(2030, 1, 1)).exists()


def test_a_cleanup_abolishes_and_amends_in_batches(keeper, publish, government):
    docs = [publish(D(2016, 1, 1) + dt.timedelta(days=30 * i)) for i in range(6)]
    campaign = open_campaign(
        actor=keeper,
        agency=government,
        title="2020年行政规范性文件清理",
        started_on=D(2020, 3, 1),
        basis="渝府办发〔2020〕1号",
    )
    assert put_under_review(actor=keeper, campaign=campaign, documents=docs) == 6
    assert put_under_review(actor=keeper, campaign=campaign, documents=docs[:2]) == 0
    first = decide_batch(
        actor=keeper,
        campaign=campaign,
        action="abolish",
        documents=docs[:2],
        decided_on=D(2020, 6, 1),
        decision_title="城口县人民政府关于废止部分行政规范性文件的决定",
        decision_number="城府发〔2020〕20号",
    )
    second = decide_batch(
        actor=keeper,
        campaign=campaign,
        action="abolish",
        documents=docs[2:3],
        decided_on=D(2020, 11, 1),
        decision_title="城口县人民政府关于废止第二批行政规范性文件的决定",
        decision_number="城府发〔2020〕35号",
    )
    amended = decide_batch(
        actor=keeper,
        campaign=campaign,
        action="amend",
        documents=docs[3:4],
        decided_on=D(2020, 11, 1),
        decision_title="城口县人民政府关于修改部分行政规范性文件的决定",
    )
    assert [b.number for b in (first, second, amended)] == [1, 2, 3]
    assert close_campaign(actor=keeper, campaign=campaign, closed_on=D(2020, 12, 1)) == 2
    for doc in docs:
        doc.refresh_from_db()
    assert [d.state for d in docs] == ["abolished"] * 3 + ["published"] * 3
    assert docs[0].ended_by_batch == first and docs[0].ended_on == D(2020, 6, 1)
    assert docs[0].end_ref == "城口县人民政府关于废止部分行政规范性文件的决定（城府发〔2020〕20号）"
    assert docs[3].amended_on == D(2020, 11, 1) and docs[3].amendments.get().batch == amended
    verdicts = dict(campaign.reviews.values_list("document_id", "verdict"))
    assert [verdicts[d.pk] for d in docs] == ["abolish"] * 3 + ["amend", "keep", "keep"]
    assert set(in_force(agency_ids=[government.pk], on=D(2020, 12, 31))) == set(docs[3:])
    assert [e.action for e in docs[0].events][-1] == "abolish"
    assert docs[0].events.last().after["ended_by_batch"] == first.pk
    assert [e.action for e in campaign.events] == [
        "open_campaign",
        "review_documents",
        "review_documents",
        "close_campaign",
    ]
    assert first.events.get().data["documents"] == [docs[0].pk, docs[1].pk]


def test_a_batch_is_all_or_nothing(keeper, publish, government):
    docs = [publish(D(2017, 1, 1)), publish(D(2017, 2, 1))]
    campaign = open_campaign(
        actor=keeper, agency=government, title="清理", started_on=D(2020, 3, 1)
    )
    put_under_review(actor=keeper, campaign=campaign, documents=docs)
    # the second was abolished on its own meanwhile: the batch cannot abolish it again
    STEPS.run("abolish", actor=keeper, record=docs[1], on=D(2020, 4, 1), decision_title="单独废止")
    with pytest.raises(ValidationError) as caught:
        decide_batch(
            actor=keeper,
            campaign=campaign,
            action="abolish",
            documents=docs,
            decided_on=D(2020, 6, 1),
            decision_title="关于废止的决定",
        )
    assert caught.value.message_dict["documents"][0].startswith(
        f"「{docs[1]}」：「废止」只能在文件已公布时进行"
    )
    docs[0].refresh_from_db()
    assert docs[0].state == "published" and docs[0].ended_on is None
    assert not CleanupBatch.objects.exists()
    assert set(campaign.reviews.values_list("verdict", flat=True)) == {"pending"}


def test_only_documents_in_force_and_under_review_enter_a_batch(keeper, publish, government):
    later = publish(D(2020, 5, 1))
    reviewed = publish(D(2019, 5, 1))
    campaign = open_campaign(
        actor=keeper, agency=government, title="清理", started_on=D(2020, 3, 1)
    )
    with pytest.raises(ValidationError) as caught:
        put_under_review(actor=keeper, campaign=campaign, documents=[later])
    assert "在清理开始时不是现行有效文件" in caught.value.message_dict["documents"][0]
    put_under_review(actor=keeper, campaign=campaign, documents=[reviewed])
    with pytest.raises(ValidationError) as caught:
        decide_batch(
            actor=keeper,
            campaign=campaign,
            action="abolish",
            documents=[later],
            decided_on=D(2020, 6, 1),
            decision_title="决定",
        )
    assert "未列入本次清理" in caught.value.message_dict["documents"][0]
    with pytest.raises(ValidationError) as caught:
        decide_batch(
            actor=keeper,
            campaign=campaign,
            action="abolish",
            documents=[reviewed],
            decided_on=D(2020, 2, 1),
            decision_title="决定",
        )
    assert caught.value.message_dict["decided_on"][0].startswith(
        "决定日期（2020-02-01）不能早于清理开始日期"
    )
    close_campaign(actor=keeper, campaign=campaign, closed_on=D(2020, 12, 1))
    with pytest.raises(ValidationError, match="已结束"):
        put_under_review(actor=keeper, campaign=campaign, documents=[reviewed])
    assert CampaignReview.objects.get().verdict == "keep"
