"""Applicant kinds are the report's columns; channels fix the receipt day (条例第三十一条)."""

from datetime import date

import pytest

from gongkai.annual.formats import APPLICANT_COLUMNS
from gongkai.law.applicants import (
    ApplicantKind,
    Channel,
    ReceiptRule,
    awaits_confirmation,
    receipt_day,
    receipt_rule,
)


def test_kinds_are_exactly_the_report_columns_in_order() -> None:
    assert [(k.value, k.label_zh) for k in ApplicantKind] == list(APPLICANT_COLUMNS)


def test_only_natural_persons_are_not_organisations() -> None:
    assert [k for k in ApplicantKind if not k.is_organisation] == [ApplicantKind.NATURAL_PERSON]


# Art. 31, channel by channel (docs/law/ogi-spec.md §1.3).
ART_31 = [
    (Channel.IN_PERSON, ReceiptRule.HANDED_IN, False),
    (Channel.REGISTERED_POST, ReceiptRule.SIGNED_FOR, False),
    (Channel.ORDINARY_POST, ReceiptRule.CONFIRMED, True),
    (Channel.ONLINE, ReceiptRule.CONFIRMED, True),
    (Channel.FAX, ReceiptRule.CONFIRMED, True),
    (Channel.EMAIL, ReceiptRule.CONFIRMED, True),
]


@pytest.mark.parametrize(("channel", "rule", "waits"), ART_31)
def test_receipt_rule_per_channel(channel: Channel, rule: ReceiptRule, waits: bool) -> None:
    assert receipt_rule(channel) is rule
    assert receipt_rule(channel.value) is rule
    assert awaits_confirmation(channel) is waits


def test_every_channel_has_a_rule_and_a_chinese_label() -> None:
    assert {c for c, _, _ in ART_31} == set(Channel)
    assert all(c.label_zh for c in Channel)
    assert all(r.label_zh.endswith("为收到申请之日") for r in ReceiptRule)


def test_receipt_day_takes_the_date_the_rule_names() -> None:
    days = {
        "handed_in": date(2024, 3, 1),
        "signed_for": date(2024, 3, 4),
        "confirmed": date(2024, 3, 5),
    }
    assert receipt_day(Channel.IN_PERSON, **days) == date(2024, 3, 1)
    assert receipt_day(Channel.REGISTERED_POST, **days) == date(2024, 3, 4)
    for channel in (Channel.ORDINARY_POST, Channel.ONLINE, Channel.FAX, Channel.EMAIL):
        assert receipt_day(channel, **days) == date(2024, 3, 5)


def test_an_unconfirmed_online_application_has_no_receipt_day() -> None:
    with pytest.raises(ValueError, match="确认日期.*第三十一条") as err:
        receipt_day(Channel.ONLINE, handed_in=date(2024, 3, 1))
    assert "Art. 31" in str(err.value)


def test_unknown_channel_is_refused_with_a_clear_message() -> None:
    with pytest.raises(ValueError, match="未知的申请渠道 'pigeon'"):
        receipt_rule("pigeon")
