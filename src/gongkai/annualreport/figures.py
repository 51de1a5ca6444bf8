"""The figures of section 一 总体情况: the draft's prose, and the check of the text on publish.

Plain Python (no Django), so it is tested without a database. A figure has a key, the source it
comes from (``gongkai.annualreport.sources``), and a pattern that finds it in the text. The
draft writes each figure in a sentence the pattern reads back; on publish every figure the
text still states is compared with the records (:func:`check_figures`): one that disagrees is an
error and blocks publishing. A figure whose source is not connected is never invented: the
draft writes :data:`PLACEHOLDER_MARK` in its place, and a placeholder left in the text also
blocks publishing.

The figures are those 《政府信息公开条例》第五十条 and the report templates (docs/law/ogi-spec.md,
Appendix A) expect section 一 to give: items published and channels, normative documents
made / abolished / in force, interpretations, documents issued, applications, mailbox letters,
sites and sub-sites, new-media accounts, website items and visits, trainings.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gongkai.annual.document import Finding
from gongkai.annual.narrative import normalize_text

__all__ = [
    "FIGURES",
    "NARRATIVE_FIGURE",
    "NARRATIVE_PLACEHOLDER",
    "NARRATIVE_UNVERIFIED",
    "PLACEHOLDER_MARK",
    "check_figures",
    "draft_overview",
    "stated_figures",
]

#: A figure in the text disagrees with the records (error: blocks publishing).
NARRATIVE_FIGURE = "narrative.figure"
#: The text still holds a placeholder for a figure without a source (error).
NARRATIVE_PLACEHOLDER = "narrative.placeholder"
#: A figure stated in the text whose source is not connected, so it cannot be checked (warning).
NARRATIVE_UNVERIFIED = "narrative.unverified"

PLACEHOLDER_MARK = "【待补充"

_N = r"(\d+(?:\.\d+)?)"
_GAP = r"[^。，,；;：:\d]{0,8}?"


@dataclass(frozen=True)
class FigureSpec:
    key: str
    source: str
    label: str  # what the figure is, in the placeholder and in messages
    pattern: re.Pattern[str]
    unit: str = "件"


def _p(text: str) -> re.Pattern[str]:
    return re.compile(text)


FIGURES: tuple[FigureSpec, ...] = (
    FigureSpec(
        "items_published",
        "publications",
        "主动公开政府信息条数",
        _p(rf"主动公开政府信息{_GAP}共计{_N}条"),
        "条",
    ),
    FigureSpec(
        "normative_made",
        "normative",
        "本年新制定行政规范性文件件数",
        _p(rf"新制定行政规范性文件{_N}件"),
    ),
    FigureSpec(
        "normative_abolished",
        "normative",
        "本年废止行政规范性文件件数",
        _p(rf"批废止行政规范性文件{_N}件"),
    ),
    FigureSpec(
        "abolish_batches",
        "normative",
        "废止批次数",
        _p(rf"分{_N}批废止"),
        "批",
    ),
    FigureSpec(
        "normative_in_force",
        "normative",
        "现行有效行政规范性文件件数",
        _p(rf"现行有效的?行政规范性文件{_N}件"),
    ),
    FigureSpec(
        "interpretations",
        "publications",
        "政策解读件数",
        _p(rf"发布政策解读(?:材料|文件)?{_N}件"),
    ),
    FigureSpec(
        "documents_issued",
        "publications",
        "本机关名义印发文件件数",
        _p(rf"名义印发的文件{_N}件"),
    ),
    FigureSpec(
        "applications_on_time",
        "applications",
        "按时答复申请件数",
        _p(rf"按时答复{_N}件"),
    ),
    FigureSpec(
        "letters_received",
        "mailbox",
        "公开信箱来信件数",
        _p(rf"公开信箱{_GAP}受理群众来信{_N}件"),
    ),
    FigureSpec(
        "letters_answered",
        "mailbox",
        "公开信箱答复件数",
        _p(rf"来信{_N}件[，,]答复{_N}件"),
    ),
    FigureSpec(
        "answer_rate",
        "mailbox",
        "公开信箱答复率",
        _p(rf"答复率{_N}%"),
        "%",
    ),
    FigureSpec("sites", "sites", "政府网站数", _p(rf"运行政府网站{_N}个"), "个"),
    FigureSpec("sub_sites", "sites", "子网站（子网页）数", _p(rf"子网站(?:子网页)?{_N}个"), "个"),
    FigureSpec(
        "new_media_accounts",
        "new_media",
        "政务新媒体账号数",
        _p(rf"开设政务新媒体{_N}个"),
        "个",
    ),
    FigureSpec(
        "website_items",
        "publications",
        "政府网站发布信息条数",
        _p(rf"网站全年累计发布信息{_N}条"),
        "条",
    ),
    FigureSpec(
        "website_visits",
        "visits",
        "政府网站年访问量",
        _p(rf"年访问量(?:达|约)?{_N}(万)?余?人次"),
        "人次",
    ),
    FigureSpec(
        "trainings",
        "trainings",
        "政务公开培训次数",
        _p(rf"开展政务公开(?:工作)?培训{_N}次"),
        "次",
    ),
)
BY_KEY = {spec.key: spec for spec in FIGURES}


def _value(figures: Mapping[str, Any], key: str) -> Any:
    return figures.get(key)


def _fmt_count(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def visits_text(visits: int) -> str:
    """「56.7万余」 for 567,000-odd visits (as reports write them), the exact number below 10,000."""
    if visits < 10000:
        return str(visits)
    tenth = visits // 1000  # whole thousands
    text = f"{tenth / 10:.1f}".rstrip("0").rstrip(".")
    return f"{text}万" + ("余" if visits % 1000 else "")


def placeholder(key: str, source: str) -> str:
    """The marker written where a figure has no source: never a number made up."""
    return f"{PLACEHOLDER_MARK}：{BY_KEY[key].label}（数据来源“{source}”未接入）】"


def draft_overview(*, name: str, year: int, figures: Mapping[str, Any]) -> str:
    """Return the draft 总体情况 as editable prose, one paragraph per line.

    ``figures`` maps figure keys (and ``items_by_channel``, ``new_media_by_kind``,
    ``applications_received``, ``applications_closed``, ``review``, ``litigation``) to their
    values; a key that is absent or ``None`` has no source and gets a placeholder.
    """

    def v(key: str) -> str:
        value = _value(figures, key)
        if value is None:
            return placeholder(key, BY_KEY[key].source)
        if key == "website_visits":
            return visits_text(int(value))
        return _fmt_count(value)

    channels = figures.get("items_by_channel") or {}
    channel_text = "、".join(str(c) for c in channels) if channels else "政府网站"
    abolished = figures.get("normative_abolished")
    batches = figures.get("abolish_batches")
    if abolished is None or batches is None:
        abolish = f"分{v('abolish_batches')}批废止行政规范性文件{v('normative_abolished')}件"
    elif abolished:
        abolish = f"分{batches}批废止行政规范性文件{abolished}件"
    else:
        abolish = "本年未废止行政规范性文件"
    kinds = figures.get("new_media_by_kind") or {}
    kind_text = (
        "，其中" + "、".join(f"{label}{count}个" for label, count in kinds.items()) if kinds else ""
    )
    received = figures.get("applications_received", 0)
    closed = figures.get("applications_closed", 0)
    review = figures.get("review")
    litigation = figures.get("litigation")
    if review is None or litigation is None:
        appeals = f"{PLACEHOLDER_MARK}：政府信息公开行政复议、行政诉讼情况（数据来源“table_four”未接入）】"
    elif review == 0 and litigation == 0:
        appeals = f"{name}没有因政府信息公开被申请行政复议和提起行政诉讼的情况。"
    else:
        appeals = f"因政府信息公开被申请行政复议{review}件、被提起行政诉讼{litigation}件。"
    rate = figures.get("answer_rate")
    if rate is not None:
        rate = _fmt_count(round(rate, 1) if isinstance(rate, float) else rate)
    letters = figures.get("letters_received")
    if letters == 0:
        mailbox = "公开信箱本年受理群众来信0件。"
    else:
        mailbox = (
            f"公开信箱受理群众来信{v('letters_received')}件，答复{v('letters_answered')}件，"
            f"答复率{rate if rate is not None else placeholder('answer_rate', 'mailbox')}%。"
        )
    lines = [
        f"（一）主动公开。{year}年，{name}通过{channel_text}等渠道主动公开政府信息"
        f"共计{v('items_published')}条，其中新制定行政规范性文件{v('normative_made')}件，"
        f"现行有效的行政规范性文件{v('normative_in_force')}件；{abolish}；"
        f"发布政策解读{v('interpretations')}件；主动公开本机关名义印发的文件"
        f"{v('documents_issued')}件。",
        f"（二）依申请公开。全年共收到政府信息公开申请{received}件，办结{closed}件，"
        f"其中按时答复{v('applications_on_time')}件。{appeals}",
        f"（三）平台建设。现运行政府网站{v('sites')}个，开设子网站{v('sub_sites')}个；"
        f"开设政务新媒体{v('new_media_accounts')}个{kind_text}。政府网站全年累计发布信息"
        f"{v('website_items')}条，年访问量{v('website_visits')}人次。{mailbox}",
        f"（四）监督保障。全年开展政务公开工作培训{v('trainings')}次。",
    ]
    return "\n".join(lines)


@dataclass(frozen=True)
class Stated:
    key: str
    value: float
    quote: str


def stated_figures(text: str) -> list[Stated]:
    """Return the figures of :data:`FIGURES` stated in ``text`` (full-width folded)."""
    text = normalize_text(text)
    out: list[Stated] = []
    for spec in FIGURES:
        for m in spec.pattern.finditer(text):
            raw = m.group(2) if spec.key == "letters_answered" else m.group(1)
            value = float(raw)
            if spec.key == "website_visits" and m.group(2):
                value *= 10000
            out.append(Stated(spec.key, value, m.group(0)))
    return out


def _agrees(spec: FigureSpec, stated: float, actual: Any, quote: str) -> bool:
    if spec.key == "website_visits" and "万" in quote:
        # 「56.7万余」: the visits rounded down to the stated thousand.
        return int(actual) // 1000 == round(stated / 1000)
    if spec.key == "answer_rate":
        return abs(float(actual) - stated) < 0.05 + 1e-9
    return float(actual) == stated


def check_figures(sections: Mapping[str, str], figures: Mapping[str, Any]) -> list[Finding]:
    """Compare every figure stated in ``sections`` with ``figures`` from the records.

    A disagreement is ``narrative.figure`` (error); a placeholder left is
    ``narrative.placeholder`` (error); a figure whose source is missing is
    ``narrative.unverified`` (warning, to be acknowledged).
    """
    findings: list[Finding] = []
    for part, text in sections.items():
        if not isinstance(text, str) or not text:
            continue
        if PLACEHOLDER_MARK in text:
            count = text.count(PLACEHOLDER_MARK)
            findings.append(
                Finding(
                    NARRATIVE_PLACEHOLDER,
                    "error",
                    f"正文仍有{count}处待补充的数字（数据来源未接入），请填写或删去 / "
                    f"{count} placeholder(s) left in the text",
                    (f"sections.{part}",),
                )
            )
        for stated in stated_figures(text):
            spec = BY_KEY[stated.key]
            actual = figures.get(stated.key)
            shown = _fmt_count(int(stated.value) if stated.value.is_integer() else stated.value)
            if actual is None:
                findings.append(
                    Finding(
                        NARRATIVE_UNVERIFIED,
                        "warning",
                        f"正文「{stated.quote}」中的{spec.label}无法核对：数据来源“{spec.source}”"
                        "未接入 / the figure cannot be checked: its source is not connected",
                        (f"sections.{part}",),
                    )
                )
            elif not _agrees(spec, stated.value, actual, stated.quote):
                findings.append(
                    Finding(
                        NARRATIVE_FIGURE,
                        "error",
                        f"正文「{stated.quote}」与记录不符：{spec.label}应为"
                        f"{_fmt_count(actual)}{spec.unit}，正文为{shown} / "
                        "a figure in the text disagrees with the records",
                        (f"sections.{part}",),
                    )
                )
    return findings
