"""The two annual-report formats as data.

国办公开办函〔2019〕60号 (``"2019"``, reports for 2019 and 2020) and 国办公开办函〔2021〕30号
(``"2021"``, reports for 2021 onward). Labels are verbatim from docs/law/ogi-spec.md
(Appendix A); keys are those of docs/spec/annual-report-json.md and must never be renamed.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from gongkai.law.report_formats import FORMATS, check_format_code

SCHEMA = "gongkai.annual-report/1"


@dataclass(frozen=True)
class Row:
    """One numeric row of a table: its key, its verbatim label and the group it sits under."""

    key: str
    label: str
    group: str = ""


@dataclass(frozen=True)
class ProactiveTable:
    """One table of section 二 (one item of 条例第二十条)."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[str, ...]


@dataclass(frozen=True)
class Format:
    """Everything that differs between the 2019 and the 2021 report format."""

    code: str
    notice: str
    sections: tuple[str, ...]
    proactive: tuple[ProactiveTable, ...]
    application_rows: tuple[Row, ...]

    @functools.cached_property
    def application_row_keys(self) -> tuple[str, ...]:
        return tuple(row.key for row in self.application_rows)

    @functools.cached_property
    def outcome_row_keys(self) -> tuple[str, ...]:
        """The leaf rows of 三、本年度办理结果 whose sum is （七）总计."""
        return tuple(row.key for row in self.application_rows if row.key in OUTCOME_KEYS)

    def proactive_cells(self) -> list[tuple[str, str]]:
        """Every (row, column) of section 二, in table order."""
        return [
            (row, col) for table in self.proactive for row in table.rows for col in table.columns
        ]


#: Columns of table 三 (申请人情况), in table order. The middle five sit under 「法人或其他组织」.
APPLICANT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("natural_person", "自然人"),
    ("commercial", "商业企业"),
    ("research", "科研机构"),
    ("social_welfare", "社会公益组织"),
    ("legal_service", "法律服务机构"),
    ("other_org", "其他"),
)
TOTAL_COLUMN = ("total", "总计")
APPLICATION_COLUMNS: tuple[tuple[str, str], ...] = (*APPLICANT_COLUMNS, TOTAL_COLUMN)
APPLICATION_COLUMN_KEYS = tuple(key for key, _ in APPLICATION_COLUMNS)
APPLICANT_COLUMN_KEYS = tuple(key for key, _ in APPLICANT_COLUMNS)

TABLE3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
RESULTS_GROUP = "三、本年度办理结果"
G_DENIED = "（三）不予公开"
G_UNABLE = "（四）无法提供"
G_NOT_PROCESSED = "（五）不予处理"
G_OTHER = "（六）其他处理"

_HEAD_ROWS = (
    Row("new_received", "一、本年新收政府信息公开申请数量"),
    Row("carried_over", "二、上年结转政府信息公开申请数量"),
)
_OUTCOME_ROWS_COMMON = (
    Row("granted", "（一）予以公开", RESULTS_GROUP),
    Row("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", RESULTS_GROUP),
    Row("denied_state_secret", "1.属于国家秘密", G_DENIED),
    Row("denied_law_forbidden", "2.其他法律行政法规禁止公开", G_DENIED),
    Row("denied_three_safety", "3.危及“三安全一稳定”", G_DENIED),
    Row("denied_third_party", "4.保护第三方合法权益", G_DENIED),
    Row("denied_internal_affairs", "5.属于三类内部事务信息", G_DENIED),
    Row("denied_process_info", "6.属于四类过程性信息", G_DENIED),
    Row("denied_enforcement_file", "7.属于行政执法案卷", G_DENIED),
    Row("denied_query_matter", "8.属于行政查询事项", G_DENIED),
    Row("unable_not_held", "1.本机关不掌握相关政府信息", G_UNABLE),
    Row("unable_need_create", "2.没有现成信息需要另行制作", G_UNABLE),
    Row("unable_unclear", "3.补正后申请内容仍不明确", G_UNABLE),
    Row("not_processed_petition", "1.信访举报投诉类申请", G_NOT_PROCESSED),
    Row("not_processed_repeat", "2.重复申请", G_NOT_PROCESSED),
    Row("not_processed_publication", "3.要求提供公开出版物", G_NOT_PROCESSED),
    Row("not_processed_massive", "4.无正当理由大量反复申请", G_NOT_PROCESSED),
    Row("not_processed_confirm", "5.要求行政机关确认或重新出具已获取信息", G_NOT_PROCESSED),
)
_OTHER_2019 = (Row("other", "（六）其他处理", RESULTS_GROUP),)
_OTHER_2021 = (
    Row(
        "other_overdue_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        G_OTHER,
    ),
    Row(
        "other_overdue_fee",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        G_OTHER,
    ),
    Row("other_other", "3.其他", G_OTHER),
)
_TAIL_ROWS = (
    Row("total_processed", "（七）总计", RESULTS_GROUP),
    Row("carried_forward", "四、结转下年度继续办理"),
)

#: Every outcome leaf row key of either format (the rows that add up to （七）总计).
OUTCOME_KEYS = frozenset(row.key for row in (*_OUTCOME_ROWS_COMMON, *_OTHER_2019, *_OTHER_2021))

#: Section 四: groups and columns, in table order (15 cells).
REVIEW_GROUPS: tuple[tuple[str, str], ...] = (
    ("review", "行政复议"),
    ("litigation_direct", "行政诉讼/未经复议直接起诉"),
    ("litigation_after_review", "行政诉讼/复议后起诉"),
)
REVIEW_COLUMNS: tuple[tuple[str, str], ...] = (
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
)

SECTIONS_2019 = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、政府信息公开工作存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)
SECTIONS_2021 = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)

FORMAT_2019 = Format(
    code="2019",
    notice="国办公开办函〔2019〕60号",
    sections=SECTIONS_2019,
    proactive=(
        ProactiveTable(
            "第二十条第（一）项",
            ("本年新制作数量", "本年新公开数量", "对外公开总数量"),
            ("规章", "规范性文件"),
        ),
        ProactiveTable(
            "第二十条第（五）项",
            ("上一年项目数量", "本年增/减", "处理决定数量"),
            ("行政许可", "其他对外管理服务事项"),
        ),
        ProactiveTable(
            "第二十条第（六）项",
            ("上一年项目数量", "本年增/减", "处理决定数量"),
            ("行政处罚", "行政强制"),
        ),
        ProactiveTable("第二十条第（八）项", ("上一年项目数量", "本年增/减"), ("行政事业性收费",)),
        ProactiveTable("第二十条第（九）项", ("采购项目数量", "采购总金额"), ("政府集中采购",)),
    ),
    application_rows=(*_HEAD_ROWS, *_OUTCOME_ROWS_COMMON, *_OTHER_2019, *_TAIL_ROWS),
)

FORMAT_2021 = Format(
    code="2021",
    notice="国办公开办函〔2021〕30号",
    sections=SECTIONS_2021,
    proactive=(
        ProactiveTable(
            "第二十条第（一）项",
            ("本年制发件数", "本年废止件数", "现行有效件数"),
            ("规章", "行政规范性文件"),
        ),
        ProactiveTable("第二十条第（五）项", ("本年处理决定数量",), ("行政许可",)),
        ProactiveTable("第二十条第（六）项", ("本年处理决定数量",), ("行政处罚", "行政强制")),
        ProactiveTable("第二十条第（八）项", ("本年收费金额（单位：万元）",), ("行政事业性收费",)),
    ),
    application_rows=(*_HEAD_ROWS, *_OUTCOME_ROWS_COMMON, *_OTHER_2021, *_TAIL_ROWS),
)

BY_CODE = dict(zip(FORMATS, (FORMAT_2019, FORMAT_2021), strict=True))

#: Money columns of section 二: their values may be decimals.
MONEY_COLUMNS = frozenset({"采购总金额", "本年收费金额（单位：万元）"})


def format_for_year(year: int) -> Format:
    """Return the format a report for ``year`` must use (60号 for 2019–2020, 30号 from 2021)."""
    return FORMAT_2019 if year <= 2020 else FORMAT_2021


def get_format(code: str) -> Format:
    """Return the format named ``code`` ("2019" or "2021"); ValueError for any other."""
    return BY_CODE[check_format_code(code)]
