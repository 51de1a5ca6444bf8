"""Who applies and how the application arrives (《政府信息公开条例》第二十九条、第三十一条).

The applicant's kind decides the column of table 三 of the annual report: the values of
:class:`ApplicantKind` are exactly the column keys of ../shared/spec/annual-report-json.md.
The channel decides how the receipt day (收到申请之日) is fixed under Art. 31.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

__all__ = [
    "ApplicantKind",
    "Channel",
    "ReceiptRule",
    "awaits_confirmation",
    "receipt_day",
    "receipt_rule",
]


class ApplicantKind(StrEnum):
    """The applicant columns of table 三 (申请人情况); values are the report column keys."""

    NATURAL_PERSON = "natural_person"
    COMMERCIAL = "commercial"
    RESEARCH = "research"
    SOCIAL_WELFARE = "social_welfare"
    LEGAL_SERVICE = "legal_service"
    OTHER_ORG = "other_org"

    @property
    def label_zh(self) -> str:
        return _KIND_LABELS[self]

    @property
    def is_organisation(self) -> bool:
        """True for 法人或其他组织 (every kind but 自然人)."""
        return self is not ApplicantKind.NATURAL_PERSON

    @property
    def choice_label_zh(self) -> str:
        """The label a form offers, with the group: 公民（自然人）, 法人或其他组织：商业企业."""
        if self.is_organisation:
            return f"法人或其他组织：{self.label_zh}"
        return f"公民（{self.label_zh}）"


_KIND_LABELS = {
    ApplicantKind.NATURAL_PERSON: "自然人",
    ApplicantKind.COMMERCIAL: "商业企业",
    ApplicantKind.RESEARCH: "科研机构",
    ApplicantKind.SOCIAL_WELFARE: "社会公益组织",
    ApplicantKind.LEGAL_SERVICE: "法律服务机构",
    ApplicantKind.OTHER_ORG: "其他",
}


class Channel(StrEnum):
    """How an application reaches the agency (Art. 29: 信件、数据电文, or orally in person)."""

    IN_PERSON = "in_person"
    REGISTERED_POST = "registered_post"
    ORDINARY_POST = "ordinary_post"
    ONLINE = "online"
    FAX = "fax"
    EMAIL = "email"

    @property
    def label_zh(self) -> str:
        return _CHANNEL_LABELS[self]


_CHANNEL_LABELS = {
    Channel.IN_PERSON: "当面提交",
    Channel.REGISTERED_POST: "挂号信/邮政EMS（需签收）",
    Channel.ORDINARY_POST: "平常信函",
    Channel.ONLINE: "互联网",
    Channel.FAX: "传真",
    Channel.EMAIL: "电子邮件",
}


class ReceiptRule(StrEnum):
    """How Art. 31 fixes the receipt day."""

    HANDED_IN = "handed_in"  # 当面提交：以提交之日为收到申请之日
    SIGNED_FOR = "signed_for"  # 邮寄需签收：以签收之日为收到申请之日
    CONFIRMED = "confirmed"  # 平常信函、互联网、传真：以确认之日为收到申请之日

    @property
    def label_zh(self) -> str:
        return _RULE_LABELS[self]


_RULE_LABELS = {
    ReceiptRule.HANDED_IN: "以申请人提交之日为收到申请之日",
    ReceiptRule.SIGNED_FOR: "以行政机关签收之日为收到申请之日",
    ReceiptRule.CONFIRMED: "以政府信息公开工作机构与申请人确认之日为收到申请之日",
}

# E-mail is a 数据电文 sent over the internet, so it follows the 互联网渠道 rule of Art. 31(3).
_RULES = {
    Channel.IN_PERSON: ReceiptRule.HANDED_IN,
    Channel.REGISTERED_POST: ReceiptRule.SIGNED_FOR,
    Channel.ORDINARY_POST: ReceiptRule.CONFIRMED,
    Channel.ONLINE: ReceiptRule.CONFIRMED,
    Channel.FAX: ReceiptRule.CONFIRMED,
    Channel.EMAIL: ReceiptRule.CONFIRMED,
}


def receipt_rule(channel: Channel | str) -> ReceiptRule:
    """Return how the receipt day is fixed for ``channel`` (《政府信息公开条例》第三十一条)."""
    return _RULES[_channel(channel)]


def awaits_confirmation(channel: Channel | str) -> bool:
    """Return True when a submission waits in 待确认 until the office confirms its receipt.

    《政府信息公开条例》第三十一条第（二）项、第（三）项: ordinary post is confirmed with the
    applicant on the day it arrives; internet and fax applications on the day both sides confirm.
    """
    return receipt_rule(channel) is ReceiptRule.CONFIRMED


def receipt_day(
    channel: Channel | str,
    *,
    handed_in: date | None = None,
    signed_for: date | None = None,
    confirmed: date | None = None,
) -> date:
    """Return the receipt day (收到申请之日) of 《政府信息公开条例》第三十一条 for ``channel``.

    Pass the date the channel's rule needs; the others are ignored. Raise ``ValueError`` (Chinese
    first) when that date is missing, e.g. an online application that nobody has confirmed yet.
    """
    rule = receipt_rule(channel)
    day = {
        ReceiptRule.HANDED_IN: handed_in,
        ReceiptRule.SIGNED_FOR: signed_for,
        ReceiptRule.CONFIRMED: confirmed,
    }[rule]
    if day is None:
        what_zh = {
            ReceiptRule.HANDED_IN: "提交日期",
            ReceiptRule.SIGNED_FOR: "签收日期",
            ReceiptRule.CONFIRMED: "确认日期",
        }[rule]
        raise ValueError(
            f"{_channel(channel).label_zh}渠道的申请须有{what_zh}才能确定收到申请之日"
            f"（《政府信息公开条例》第三十一条） / a {_channel(channel).value} application needs "
            f"its {rule.value} date to fix the receipt day (Art. 31)"
        )
    return day


def _channel(channel: Channel | str) -> Channel:
    try:
        return Channel(channel)
    except ValueError:
        choices = "、".join(c.value for c in Channel)
        raise ValueError(
            f"未知的申请渠道 {channel!r}（应为 {choices} 之一） / unknown channel {channel!r}"
        ) from None
