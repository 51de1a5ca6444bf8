"""Every way an application can end: the report row, the legal basis and the reply letter.

Each :class:`Disposition` maps to exactly one row of table 三 in each report format (keys of
docs/spec/annual-report-json.md), to the 条例 articles it rests on, and to the key of the
letter that tells the applicant. The row → article table is docs/law/ogi-spec.md §3.7.

- Partial disclosure counts only as 部分公开 (the template's own note on row （二）).
- Art. 36(1) (already public, tell where) and 36(2) (provide) both count as （一）予以公开 but
  need different letters, so they are two dispositions; likewise 36(4) 不存在 and 36(5) 非本机关
  both count as （四）1.本机关不掌握相关政府信息.
- A withdrawal (申请人撤回) counts under （六）其他处理 (2019) / （六）3.其他 (2021).
- A transfer to another agency on the platform: see :class:`TransferCounting` and
  docs/adr/application-transfers-in-table-3.md. The receiving agency counts the application as
  newly received on its own receipt day; ``TRANSFERRED`` is only ever the *sender's* ending,
  and only when the sender had received the application (a submission transferred while still
  待确认 was never received and is not counted by the sender at all).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from gongkai.law.report_formats import check_format_code

__all__ = [
    "DISPOSITIONS",
    "DecisionKind",
    "Disposition",
    "DispositionInfo",
    "TransferCounting",
    "row_for",
]

_T = "《政府信息公开条例》"
_FEE_RULES = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"


def _art(text: str) -> str:
    return f"{_T}{text}"


class DecisionKind(StrEnum):
    """The group of table 三 an ending belongs to."""

    DISCLOSE = "disclose"  # （一）予以公开
    PARTIAL = "partial"  # （二）部分公开
    WITHHOLD = "withhold"  # （三）不予公开
    UNABLE = "unable"  # （四）无法提供
    NOT_PROCESSED = "not_processed"  # （五）不予处理
    OTHER = "other"  # （六）其他处理

    @property
    def label_zh(self) -> str:
        return {
            "disclose": "予以公开",
            "partial": "部分公开",
            "withhold": "不予公开",
            "unable": "无法提供",
            "not_processed": "不予处理",
            "other": "其他处理",
        }[self.value]


class Disposition(StrEnum):
    """How an application ended at this agency."""

    GRANTED_ALREADY_PUBLIC = "granted_already_public"
    GRANTED = "granted"
    PARTIAL = "partial"
    DENIED_STATE_SECRET = "denied_state_secret"
    DENIED_LAW_FORBIDDEN = "denied_law_forbidden"
    DENIED_THREE_SAFETY = "denied_three_safety"
    DENIED_THIRD_PARTY = "denied_third_party"
    DENIED_INTERNAL_AFFAIRS = "denied_internal_affairs"
    DENIED_PROCESS_INFO = "denied_process_info"
    DENIED_ENFORCEMENT_FILE = "denied_enforcement_file"
    DENIED_QUERY_MATTER = "denied_query_matter"
    NOT_EXIST = "not_exist"
    NOT_RESPONSIBLE = "not_responsible"
    NEED_CREATE = "need_create"
    UNCLEAR = "unclear"
    NOT_PROCESSED_PETITION = "not_processed_petition"
    NOT_PROCESSED_REPEAT = "not_processed_repeat"
    NOT_PROCESSED_PUBLICATION = "not_processed_publication"
    NOT_PROCESSED_MASSIVE = "not_processed_massive"
    NOT_PROCESSED_CONFIRM = "not_processed_confirm"
    OVERDUE_CORRECTION = "overdue_correction"
    OVERDUE_FEE = "overdue_fee"
    WITHDRAWN = "withdrawn"
    TRANSFERRED = "transferred"
    OTHER = "other"

    @property
    def info(self) -> DispositionInfo:
        return DISPOSITIONS[self]

    @property
    def label_zh(self) -> str:
        return DISPOSITIONS[self].label_zh


@dataclass(frozen=True)
class DispositionInfo:
    """What a disposition means: its report rows, legal basis and letter.

    ``is_reply``: the application ends with a reply (答复) under Arts. 35–39 (or Art. 30 for
    「补正后仍不明确」); False for endings without a decision on the request (lapse, withdrawal,
    transfer). ``gives_reasons``: the letter must state reasons (Art. 36(3), Art. 37).
    """

    label_zh: str
    row_2019: str
    row_2021: str
    articles: tuple[str, ...]
    letter: str
    decision_kind: DecisionKind
    is_reply: bool = True
    gives_reasons: bool = False

    def row(self, fmt: str) -> str:
        """Return the row key of table 三 in report format ``fmt`` ("2019" or "2021")."""
        check_format_code(fmt)
        return self.row_2019 if fmt == "2019" else self.row_2021


D = Disposition
K = DecisionKind
_36_3 = _art("第三十六条第（三）项")


def _info(
    label: str,
    row: str,
    articles: Sequence[str],
    letter: str,
    kind: DecisionKind,
    *,
    row_2021: str | None = None,
    **kw: bool,
) -> DispositionInfo:
    return DispositionInfo(label, row, row_2021 or row, tuple(articles), letter, kind, **kw)


def _denied(label: str, row: str, *articles: str) -> DispositionInfo:
    arts = (*(_art(a) for a in articles), _36_3)
    return _info(label, row, arts, "reply_denied", K.WITHHOLD, gives_reasons=True)


#: The table of every disposition. Row keys are checked against formats.py by the tests.
DISPOSITIONS: dict[Disposition, DispositionInfo] = {
    D.GRANTED_ALREADY_PUBLIC: _info(
        "予以公开（已主动公开，告知获取方式和途径）",
        "granted",
        [_art("第三十六条第（一）项")],
        "reply_already_public",
        K.DISCLOSE,
    ),
    D.GRANTED: _info(
        "予以公开", "granted", [_art("第三十六条第（二）项")], "reply_granted", K.DISCLOSE
    ),
    D.PARTIAL: _info(
        "部分公开",
        "partial",
        [_art("第三十七条")],
        "reply_partial",
        K.PARTIAL,
        gives_reasons=True,
    ),
    D.DENIED_STATE_SECRET: _denied("不予公开：属于国家秘密", "denied_state_secret", "第十四条"),
    D.DENIED_LAW_FORBIDDEN: _denied(
        "不予公开：其他法律行政法规禁止公开", "denied_law_forbidden", "第十四条"
    ),
    D.DENIED_THREE_SAFETY: _denied(
        "不予公开：危及“三安全一稳定”", "denied_three_safety", "第十四条"
    ),
    D.DENIED_THIRD_PARTY: _denied(
        "不予公开：保护第三方合法权益", "denied_third_party", "第十五条", "第三十二条"
    ),
    D.DENIED_INTERNAL_AFFAIRS: _denied(
        "不予公开：属于三类内部事务信息", "denied_internal_affairs", "第十六条第一款"
    ),
    D.DENIED_PROCESS_INFO: _denied(
        "不予公开：属于四类过程性信息", "denied_process_info", "第十六条第二款"
    ),
    D.DENIED_ENFORCEMENT_FILE: _denied(
        "不予公开：属于行政执法案卷", "denied_enforcement_file", "第十六条第二款"
    ),
    # docs/law/ogi-spec.md §3.7 maps （三）8 to Art. 36(7) (special access procedures) — an inference.
    D.DENIED_QUERY_MATTER: _info(
        "不予公开：属于行政查询事项（告知按有关规定办理）",
        "denied_query_matter",
        [_art("第三十六条第（七）项")],
        "reply_query_matter",
        K.WITHHOLD,
    ),
    D.NOT_EXIST: _info(
        "无法提供：经检索没有所申请公开的信息（该政府信息不存在）",
        "unable_not_held",
        [_art("第三十六条第（四）项")],
        "reply_not_exist",
        K.UNABLE,
    ),
    D.NOT_RESPONSIBLE: _info(
        "无法提供：不属于本机关负责公开（告知负责机关）",
        "unable_not_held",
        [_art("第三十六条第（五）项")],
        "reply_not_responsible",
        K.UNABLE,
    ),
    D.NEED_CREATE: _info(
        "无法提供：没有现成信息需要另行制作",
        "unable_need_create",
        [_art("第三十八条")],
        "reply_need_create",
        K.UNABLE,
    ),
    D.UNCLEAR: _info(
        "无法提供：补正后申请内容仍不明确",
        "unable_unclear",
        [_art("第三十条")],
        "reply_unclear",
        K.UNABLE,
    ),
    D.NOT_PROCESSED_PETITION: _info(
        "不予处理：信访举报投诉类申请",
        "not_processed_petition",
        [_art("第三十九条第一款")],
        "reply_petition",
        K.NOT_PROCESSED,
    ),
    D.NOT_PROCESSED_REPEAT: _info(
        "不予处理：重复申请",
        "not_processed_repeat",
        [_art("第三十六条第（六）项")],
        "reply_repeat",
        K.NOT_PROCESSED,
    ),
    D.NOT_PROCESSED_PUBLICATION: _info(
        "不予处理：要求提供公开出版物",
        "not_processed_publication",
        [_art("第三十九条第二款")],
        "reply_publication",
        K.NOT_PROCESSED,
    ),
    D.NOT_PROCESSED_MASSIVE: _info(
        "不予处理：无正当理由大量反复申请",
        "not_processed_massive",
        [_art("第三十五条")],
        "reply_massive",
        K.NOT_PROCESSED,
        gives_reasons=True,
    ),
    # No article names this case (docs/law/ogi-spec.md §3.7: 「no specific article — inference」).
    D.NOT_PROCESSED_CONFIRM: _info(
        "不予处理：要求行政机关确认或重新出具已获取信息",
        "not_processed_confirm",
        [],
        "reply_confirm",
        K.NOT_PROCESSED,
    ),
    D.OVERDUE_CORRECTION: _info(
        "申请人无正当理由逾期不补正，视为放弃申请",
        "other",
        [_art("第三十条")],
        "notice_overdue_correction",
        K.OTHER,
        row_2021="other_overdue_correction",
        is_reply=False,
    ),
    D.OVERDUE_FEE: _info(
        "申请人逾期未缴纳信息处理费，视为放弃申请",
        "other",
        [_art("第四十二条"), _FEE_RULES],
        "notice_overdue_fee",
        K.OTHER,
        row_2021="other_overdue_fee",
        is_reply=False,
    ),
    D.WITHDRAWN: _info(
        "申请人撤回申请",
        "other",
        [],
        "notice_withdrawn",
        K.OTHER,
        row_2021="other_other",
        is_reply=False,
    ),
    D.TRANSFERRED: _info(
        "转送其他机关办理",
        "other",
        [],
        "notice_transferred",
        K.OTHER,
        row_2021="other_other",
        is_reply=False,
    ),
    D.OTHER: _info("其他处理", "other", [], "reply_other", K.OTHER, row_2021="other_other"),
}


class TransferCounting(StrEnum):
    """How the sender counts an application it received and then transferred on the platform.

    The 2021 template has no transfer row and docs/law/ogi-spec.md has nothing on transfers (the
    条例 knows only Art. 36(5): tell the applicant which agency is responsible). ``OTHER`` (the default)
    counts it under （六）其他处理 / （六）3.其他; ``NOT_RESPONSIBLE`` counts it like an
    Art. 36(5) reply under （四）1.本机关不掌握相关政府信息, for offices that send the applicant a
    36(5) letter when they transfer.
    """

    OTHER = "other"
    NOT_RESPONSIBLE = "not_responsible"


def row_for(
    disposition: Disposition | str,
    fmt: str,
    *,
    transfer_counting: TransferCounting = TransferCounting.OTHER,
) -> str:
    """Return the table 三 row key ``disposition`` counts in, for report format ``fmt``."""
    disposition = Disposition(disposition)
    if (
        disposition is Disposition.TRANSFERRED
        and TransferCounting(transfer_counting) is TransferCounting.NOT_RESPONSIBLE
    ):
        disposition = Disposition.NOT_RESPONSIBLE
    return DISPOSITIONS[disposition].row(fmt)
