"""Every step of a document's life through the services: dated, with its document, audited,
and refused (with a Chinese-first message, nothing changed) out of order or with bad dates."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from gongkai.auditlog.selectors import history_for
from gongkai.normative.models import NormativeDocument
from gongkai.normative.steps import STEPS, draft_document, validity_end
from gongkai.testing import factories as f

pytestmark = pytest.mark.django_db
D = dt.date
State = NormativeDocument.State


def draft(keeper, government, **fields):
    return draft_document(
        actor=keeper,
        agency=government,
        kind=fields.get("kind", NormativeDocument.Kind.NORMATIVE),
        title=fields.get("title", "城口县城区电动自行车管理办法"),
        drafted_on=fields.get("drafted_on", D(2020, 3, 2)),
        drafting_unit="县公安局",
    )


def test_a_document_walks_every_step_with_its_dates_and_documents(keeper, government):
    doc = draft(keeper, government)
    assert doc.state == State.DRAFTING
    STEPS.run("review", actor=keeper, record=doc, on=D(2020, 3, 20), ref="城司审〔2020〕8号")
    STEPS.run("deliberate", actor=keeper, record=doc, on=D(2020, 4, 8), ref="县政府第52次常务会议")
    STEPS.run(
        "publish",
        actor=keeper,
        record=doc,
        doc_number="城府发〔2020〕9号",
        signed_on=D(2020, 4, 10),
        published_on=D(2020, 4, 13),
        effective_on=D(2020, 5, 1),
    )
    STEPS.run(
        "file",
        actor=keeper,
        record=doc,
        on=D(2020, 4, 30),
        filed_with="重庆市人民政府",
        ref="城府文〔2020〕20号",
    )
    STEPS.run(
        "amend",
        actor=keeper,
        record=doc,
        on=D(2021, 6, 1),
        decision_title="城口县人民政府关于修改部分行政规范性文件的决定",
        decision_number="城府发〔2021〕12号",
        summary="第五条罚则调整",
    )
    STEPS.run(
        "abolish",
        actor=keeper,
        record=doc,
        on=D(2023, 1, 1),
        decision_title="城口县人民政府关于废止部分行政规范性文件的决定",
        decision_number="城府发〔2022〕40号",
        reason="上位法修改",
    )
    doc.refresh_from_db()
    assert (doc.state, doc.review_on, doc.deliberated_on) == (
        State.ABOLISHED,
        D(2020, 3, 20),
        D(2020, 4, 8),
    )
    assert (doc.doc_number, doc.published_on, doc.effective_on, doc.expires_on) == (
        "城府发〔2020〕9号",
        D(2020, 4, 13),
        D(2020, 5, 1),
        None,
    )
    assert (doc.filed_with, doc.filed_on, doc.amended_on) == (
        "重庆市人民政府",
        D(2020, 4, 30),
        D(2021, 6, 1),
    )
    assert doc.end_ref == "城口县人民政府关于废止部分行政规范性文件的决定（城府发〔2022〕40号）"
    assert doc.amendments.get().summary == "第五条罚则调整"
    assert doc.in_force_on(D(2022, 12, 31)) and not doc.in_force_on(D(2023, 1, 1))
    history = list(doc.events)
    assert [e.action for e in history] == [
        "draft",
        "review",
        "deliberate",
        "publish",
        "file",
        "amend",
        "abolish",
    ]
    assert history[3].after["doc_number"] == "城府发〔2020〕9号"
    assert history[-1].before["state"] == "published" and history[-1].after["state"] == "abolished"
    assert history[-1].actor_name == "keeper"


def test_expiry_is_a_step_too(keeper, publish):
    doc = publish(D(2019, 2, 1))
    STEPS.run("expire", actor=keeper, record=doc, on=D(2024, 2, 1), decision_title="有效期届满")
    doc.refresh_from_db()
    assert doc.state == State.EXPIRED and doc.ended_on == D(2024, 2, 1)
    assert doc.events.last().label == "失效"


def test_a_step_out_of_order_is_refused_and_changes_nothing(keeper, government):
    doc = draft(keeper, government)
    with pytest.raises(ValidationError) as caught:
        STEPS.run(
            "publish",
            actor=keeper,
            record=doc,
            doc_number="城府发〔2020〕1号",
            signed_on=D(2020, 4, 1),
            published_on=D(2020, 4, 2),
        )
    message = caught.value.messages[0]
    assert message.startswith("「公布」只能在文件已集体审议时进行，该文件现为起草中")
    doc.refresh_from_db()
    assert (doc.state, doc.doc_number) == (State.DRAFTING, "")
    assert [e.action for e in doc.events] == ["draft"]


def test_a_date_before_the_step_it_follows_is_refused(keeper, government):
    doc = draft(keeper, government, drafted_on=D(2020, 3, 2))
    with pytest.raises(ValidationError) as caught:
        STEPS.run("review", actor=keeper, record=doc, on=D(2020, 3, 1), ref="城司审〔2020〕1号")
    assert caught.value.message_dict["on"][0].startswith(
        "合法性审核日期（2020-03-01）不能早于起草日期"
    )
    doc.refresh_from_db()
    assert doc.state == State.DRAFTING and doc.review_on is None


def test_publication_dates_in_order_and_a_document_number_once(keeper, publish, government):
    publish(D(2020, 1, 10), doc_number="城府发〔2020〕1号")
    doc = draft(keeper, government)
    STEPS.run("review", actor=keeper, record=doc, on=D(2020, 3, 20), ref="意见")
    STEPS.run("deliberate", actor=keeper, record=doc, on=D(2020, 4, 8), ref="常务会议")
    with pytest.raises(ValidationError) as caught:
        STEPS.run(
            "publish",
            actor=keeper,
            record=doc,
            doc_number="城府发〔2020〕1号",
            signed_on=D(2020, 4, 10),
            published_on=D(2020, 4, 13),
        )
    assert caught.value.message_dict["doc_number"][0].startswith(
        "文号「城府发〔2020〕1号」已被另一件文件使用"
    )
    with pytest.raises(ValidationError) as caught:
        STEPS.run(
            "publish",
            actor=keeper,
            record=doc,
            doc_number="城府发〔2020〕2号",
            signed_on=D(2020, 4, 10),
            published_on=D(2020, 4, 9),
        )
    assert "公布日期（2020-04-09）不能早于成文日期" in caught.value.message_dict["published_on"][0]
    with pytest.raises(ValidationError) as caught:
        STEPS.run("publish", actor=keeper, record=doc, doc_number="", published_on=D(2020, 4, 9))
    assert caught.value.message_dict["doc_number"] == [
        "请填写文号 / the document number is required"
    ]
    doc.refresh_from_db()
    assert doc.state == State.DELIBERATED and doc.doc_number == ""


def test_someone_of_another_agency_may_not_keep_the_documents(keeper, government, police):
    outsider = f.staff("outsider", police, "clerk")
    with pytest.raises(PermissionDenied):
        draft(outsider, government)
    doc = draft(keeper, government)
    with pytest.raises(PermissionDenied):
        STEPS.run("review", actor=outsider, record=doc, on=D(2020, 3, 20), ref="x")
    with pytest.raises(PermissionDenied):
        history_for(outsider, doc)


def test_bad_draft_input_names_each_field(keeper, government):
    with pytest.raises(ValidationError) as caught:
        draft_document(actor=keeper, agency=government, kind="law", title=" ", drafted_on=None)
    errors = caught.value.message_dict
    assert errors["title"] == ["请填写标题 / the title is required"]
    assert errors["kind"][0].startswith("类别应为规章或行政规范性文件")
    assert errors["drafted_on"][0].startswith("请填写起草日期")
    assert not NormativeDocument.objects.exists()


def test_no_validity_period_by_default(publish):
    doc = publish(D(2020, 4, 13))
    assert doc.expires_on is None
    assert doc.in_force_on(D(2099, 1, 1))


@override_settings(GONGKAI_NORMATIVE_VALIDITY_YEARS=5)
def test_a_county_validity_period_ends_documents_by_itself(publish, government):
    from gongkai.normative.selectors import in_force

    doc = publish(D(2020, 4, 13))
    assert doc.expires_on == D(2025, 4, 12)
    own = publish(D(2020, 5, 1), expires_on=D(2022, 4, 30))  # the document's own 有效期
    assert own.expires_on == D(2022, 4, 30)
    ids = [government.pk]
    assert set(in_force(agency_ids=ids, on=D(2022, 4, 30))) == {doc, own}
    assert set(in_force(agency_ids=ids, on=D(2022, 5, 1))) == {doc}
    assert set(in_force(agency_ids=ids, on=D(2025, 4, 12))) == {doc}
    assert not in_force(agency_ids=ids, on=D(2025, 4, 13)).exists()


def test_validity_end_on_a_leap_day():
    assert validity_end(D(2020, 2, 29), 5) == D(2025, 2, 28)
    assert validity_end(D(2021, 1, 1), 2) == D(2022, 12, 31)


def test_a_number_taken_meanwhile_is_refused_not_an_error(keeper, government, publish):
    """The number check runs before the lock; the constraint catches a race after it."""
    from gongkai.normative.steps import Publish

    doc = draft(keeper, government)
    STEPS.run("review", actor=keeper, record=doc, on=D(2020, 3, 20), ref="意见")
    STEPS.run("deliberate", actor=keeper, record=doc, on=D(2020, 4, 8), ref="常务会议")
    step = Publish(
        actor=keeper,
        record=doc,
        doc_number="城府发〔2020〕5号",
        signed_on=D(2020, 4, 10),
        published_on=D(2020, 4, 13),
    )
    step.check()
    step.prepare()  # the number is free now ...
    publish(D(2020, 4, 1), doc_number="城府发〔2020〕5号")  # ... and taken before the lock
    step.prepare = lambda: None
    with pytest.raises(ValidationError) as caught:
        step.run()
    assert caught.value.message_dict["doc_number"][0].startswith("文号「城府发〔2020〕5号」已被")
    doc.refresh_from_db()
    assert doc.state == State.DELIBERATED and doc.doc_number == ""
