"""The lifecycle of a publication through the services: attribute, review, 保密审查, publishing,
lateness (条例第二十六条), corrections and withdrawals with their history."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.auditlog.selectors import history
from gongkai.publications import services as s
from gongkai.publications.models import Placement, Publication, State, Version
from gongkai.testing import factories as f
from tests.publications.conftest import draft_data, publish, walk_to_approved

pytestmark = pytest.mark.django_db


def test_a_draft_without_an_attribute_cannot_move_on(office, clerk):
    item = s.create_draft(actor=clerk, agency=office, data=draft_data(attribute=""))
    with pytest.raises(ValidationError) as caught:
        s.run_step("submit", actor=clerk, publication=item)
    assert "公开属性" in caught.value.message_dict["attribute"][0]
    item.refresh_from_db()
    assert item.state == State.DRAFT
    assert [e.action for e in history(item)] == ["publication.create"]


@pytest.mark.parametrize("attribute", ["on_request", "withheld"])
def test_withholding_needs_a_legal_reason(office, clerk, attribute):
    with pytest.raises(ValidationError) as caught:
        s.create_draft(actor=clerk, agency=office, data=draft_data(attribute=attribute))
    assert "理由" in caught.value.message_dict["attribute_reason"][0]
    assert not Publication.objects.exists()
    item = s.create_draft(
        actor=clerk,
        agency=office,
        data=draft_data(attribute=attribute, attribute_reason="条例第十六条第二款：过程性信息"),
    )
    s.run_step("submit", actor=clerk, publication=item)
    assert Publication.objects.get().state == State.SUBMITTED


def test_the_attribute_is_proposed_reviewed_and_decided_by_three_people(office, clerk, approver):
    item = s.create_draft(actor=clerk, agency=office, data=draft_data())
    walk_to_approved(item, clerk, approver)
    item.refresh_from_db()
    assert item.attribute_proposed_by == clerk
    assert item.attribute_reviewed_by == clerk and item.attribute_reviewed_at
    assert item.attribute_decided_by == approver and item.attribute_decided_at
    assert item.secrecy_cleared_by == approver and item.secrecy_cleared_at
    actions = [e.action for e in history(item)]
    assert actions == [
        "publication.create",
        "publication.submit",
        "publication.review",
        "publication.approve",
        "publication.clear_secrecy",
    ]


def test_the_approver_may_change_the_attribute_only_with_a_reason(office, clerk, approver):
    item = s.create_draft(actor=clerk, agency=office, data=draft_data())
    s.run_step("submit", actor=clerk, publication=item)
    s.run_step("review", actor=clerk, publication=item)
    with pytest.raises(ValidationError):
        s.run_step("approve", actor=approver, publication=item, attribute="withheld", reason="")
    s.run_step(
        "approve",
        actor=approver,
        publication=item,
        attribute="withheld",
        reason="条例第十四条：涉及国家秘密",
    )
    item.refresh_from_db()
    assert item.attribute == "withheld" and item.state == State.APPROVED
    s.run_step("clear_secrecy", actor=approver, publication=item)
    with pytest.raises(ValidationError) as caught:
        publish(item, clerk)
    assert "不能主动公开" in caught.value.message_dict["attribute"][0]
    assert Publication.objects.get().state == State.APPROVED


def test_a_clerk_cannot_approve_and_a_stranger_cannot_draft(office, police, clerk, stranger):
    with pytest.raises(PermissionDenied):
        s.create_draft(actor=stranger, agency=office, data=draft_data())
    item = s.create_draft(actor=clerk, agency=office, data=draft_data())
    s.run_step("submit", actor=clerk, publication=item)
    s.run_step("review", actor=clerk, publication=item)
    with pytest.raises(PermissionDenied):
        s.run_step("approve", actor=clerk, publication=item)
    with pytest.raises(PermissionDenied):
        s.run_step("clear_secrecy", actor=clerk, publication=item)


def test_nothing_is_published_before_the_secrecy_review(office, clerk, approver):
    item = s.create_draft(actor=clerk, agency=office, data=draft_data())
    s.run_step("submit", actor=clerk, publication=item)
    s.run_step("review", actor=clerk, publication=item)
    s.run_step("approve", actor=approver, publication=item)
    with pytest.raises(ValidationError) as caught:
        publish(item, clerk)
    assert "保密审查" in caught.value.message_dict["secrecy"][0]
    item.refresh_from_db()
    assert item.state == State.APPROVED and item.index_number is None
    assert not Placement.objects.exists()


def test_publishing_gives_an_index_number_and_placements_counted_once(office, clerk, approver):
    office.credit_code = f.credit_code(7)
    office.save()
    item = s.create_draft(actor=clerk, agency=office, data=draft_data())
    walk_to_approved(item, clerk, approver)
    publish(item, clerk, channels=("website", "wechat"))
    item.refresh_from_db()
    assert item.state == State.PUBLISHED
    assert item.index_number == f"{office.credit_code}/2020-00001"
    assert item.days_late == 0
    assert sorted(item.placements.values_list("channel", flat=True)) == ["website", "wechat"]
    second = s.create_draft(actor=clerk, agency=office, data=draft_data(title="第二条"))
    walk_to_approved(second, clerk, approver)
    publish(second, clerk, day=date(2020, 2, 3))
    second.refresh_from_db()
    assert second.index_number == f"{office.credit_code}/2020-00002"


def test_the_index_number_pattern_is_configurable(office, clerk, approver, settings):
    settings.GONGKAI_INDEX_NUMBER_PATTERN = "{agency_code}-{year}{month}-{serial:04d}"
    item = s.create_draft(actor=clerk, agency=office, data=draft_data())
    walk_to_approved(item, clerk, approver)
    publish(item, clerk, day=date(2020, 3, 2))
    item.refresh_from_db()
    assert item.index_number == f"{office.slug}-202003-0001"


def test_an_imported_index_number_is_skipped_not_repeated(office, clerk, approver):
    Publication.objects.create(
        agency=office,
        title="迁移的旧信息",
        state=State.PUBLISHED,
        published_on=date(2020, 1, 2),
        index_number=f"{office.slug}/2020-00001",
    )
    item = s.create_draft(actor=clerk, agency=office, data=draft_data())
    walk_to_approved(item, clerk, approver)
    publish(item, clerk)
    item.refresh_from_db()
    assert item.index_number == f"{office.slug}/2020-00002"


def test_lateness_is_counted_in_working_days_with_the_platform_calendar(office, clerk, approver):
    """The seeded 2020 calendar: 国庆 10月1日–8日 off, 9月27日 and 10月10日 worked."""
    item = s.create_draft(
        actor=clerk, agency=office, data=draft_data(written_on="2020-09-25", formed_on="2020-09-25")
    )
    walk_to_approved(item, clerk, approver)
    publish(item, clerk, day=date(2020, 11, 2))
    item.refresh_from_db()
    assert item.days_late == 2
    assert item.is_late
    assert "2个工作日" in history(item).last().note


def test_returning_needs_a_note_and_clears_the_decisions(office, clerk, approver):
    item = s.create_draft(actor=clerk, agency=office, data=draft_data())
    s.run_step("submit", actor=clerk, publication=item)
    with pytest.raises(ValidationError):
        s.run_step("return", actor=clerk, publication=item, note=" ")
    s.run_step("return", actor=clerk, publication=item, note="请补充发文字号")
    item.refresh_from_db()
    assert item.state == State.DRAFT and item.return_note == "请补充发文字号"
    s.run_step("edit", actor=clerk, publication=item, data={"title": "改过的标题"})
    item.refresh_from_db()
    assert item.title == "改过的标题"
    edit = history(item).last()
    assert edit.before["title"] != edit.after["title"] == "改过的标题"


def test_a_published_item_cannot_be_edited_as_a_draft(office, clerk, approver):
    item = s.create_draft(actor=clerk, agency=office, data=draft_data())
    walk_to_approved(item, clerk, approver)
    publish(item, clerk)
    with pytest.raises(ValidationError):
        s.run_step("edit", actor=clerk, publication=item, data={"title": "偷偷修改"})
    assert Publication.objects.get().title == draft_data()["title"]


def test_correcting_keeps_the_old_version_and_needs_a_reason(office, clerk, approver):
    item = s.create_draft(actor=clerk, agency=office, data=draft_data())
    walk_to_approved(item, clerk, approver)
    publish(item, clerk)
    with pytest.raises(ValidationError) as caught:
        s.run_step("correct", actor=clerk, publication=item, data={"title": "新标题"}, reason="")
    assert "理由" in caught.value.message_dict["reason"][0]
    s.run_step(
        "correct", actor=clerk, publication=item, data={"title": "更正后的标题"}, reason="标题有误"
    )
    item.refresh_from_db()
    assert item.title == "更正后的标题" and item.version == 2 and item.is_published
    old = Version.objects.get(publication=item)
    assert old.number == 1 and old.data["title"] == draft_data()["title"]
    assert old.data["placements"][0]["channel"] == "website"
    entry = history(item).last()
    assert entry.action == "publication.correct" and entry.note == "标题有误"
    assert entry.before["title"] == draft_data()["title"]


def test_withdrawing_keeps_the_old_version(office, clerk, approver):
    item = s.create_draft(actor=clerk, agency=office, data=draft_data())
    walk_to_approved(item, clerk, approver)
    publish(item, clerk)
    with pytest.raises(ValidationError):
        s.run_step("withdraw", actor=clerk, publication=item)
    s.run_step("withdraw", actor=clerk, publication=item, reason="内容已过时")
    item.refresh_from_db()
    assert item.state == State.WITHDRAWN and item.withdrawn_reason == "内容已过时"
    assert Version.objects.get(publication=item).data["state"] == "published"
    assert history(item).last().after["state"] == "withdrawn"


def test_interpretations_link_both_ways(office, clerk, approver):
    policy = s.create_draft(actor=clerk, agency=office, data=draft_data(is_policy=True))
    with pytest.raises(ValidationError) as caught:
        s.create_draft(
            actor=clerk,
            agency=office,
            data=draft_data(kind="interpretation", title="解读", explains=[policy.pk]),
        )
    assert "interpretation_form" in caught.value.message_dict
    reading = s.create_draft(
        actor=clerk,
        agency=office,
        data=draft_data(
            kind="interpretation", title="图解", interpretation_form="graphic", explains=[policy.pk]
        ),
    )
    assert list(policy.interpretations.all()) == [reading]
    assert list(reading.explains.all()) == [policy]
    with pytest.raises(ValidationError):
        s.create_draft(
            actor=clerk,
            agency=office,
            data=draft_data(kind="interpretation", interpretation_form="text", explains=[99999]),
        )


def test_more_channels_are_added_to_one_item_counted_once(office, clerk, approver):
    item = s.create_draft(actor=clerk, agency=office, data=draft_data())
    walk_to_approved(item, clerk, approver)
    publish(item, clerk)
    with pytest.raises(ValidationError):
        s.run_step("place", actor=clerk, publication=item, placements=[])
    s.run_step(
        "place",
        actor=clerk,
        publication=item,
        placements=[
            {"channel": "gazette", "column": "2020年第1期", "placed_on": "2020-02-01"},
            {"channel": "website", "placed_on": "2020-01-15"},  # already there: not repeated
        ],
    )
    assert sorted(item.placements.values_list("channel", flat=True)) == ["gazette", "website"]
    assert Publication.objects.filter(state="published").count() == 1


def test_only_an_approver_returns_an_approved_item(office, clerk, approver):
    item = s.create_draft(actor=clerk, agency=office, data=draft_data())
    walk_to_approved(item, clerk, approver)
    with pytest.raises(PermissionDenied):
        s.run_step("return", actor=clerk, publication=item, note="再改改")
    s.run_step("return", actor=approver, publication=item, note="再改改")
    item.refresh_from_db()
    assert item.state == State.DRAFT and item.attribute_decided_by is None


def test_co_issuers_are_agencies_and_unknown_ones_are_named(office, police, clerk):
    with pytest.raises(ValidationError) as caught:
        s.create_draft(actor=clerk, agency=office, data=draft_data(co_issuers=["police", "mars"]))
    assert "mars" in caught.value.message_dict["co_issuers"][0]
    item = s.create_draft(actor=clerk, agency=office, data=draft_data(co_issuers=["police"]))
    assert list(item.co_issuers.all()) == [police]
