"""Identify a report: the agency, the year it covers and the template format it uses."""

from __future__ import annotations

import re

from gongkai.annual.formats import format_for_year

_TITLE = re.compile(
    r"(?P<year>20\d{2})\s*年\s*度?\s*(?:的)?\s*(?:政府信息公开|政务公开|信息公开)[^。;；]{0,12}?报告"
)
_ANY_YEAR = re.compile(r"(20[0-4]\d)\s*年")
_PREFIX = re.compile(r"^(?:.*?(?:标题|名称|题目)\s*[:：]|[#*>\s]+)\s*")
_PLACE = re.compile(r"([\u4e00-\u9fff]{2}(?:省|市|自治州|州|盟|地区))$")
_MARKERS_2021 = (
    "本年制发件数",
    "本年废止件数",
    "现行有效件数",
    "本年处理决定数量",
    "本年收费金额",
    "逾期不补正",
    "收费通知",
    "行政规范性文件",
)
_MARKERS_2019 = (
    "本年新制作数量",
    "本年新公开数量",
    "对外公开总数量",
    "上一年项目数量",
    "本年增/减",
    "采购项目数量",
    "采购总金额",
    "其他对外管理服务事项",
    "政府集中采购",
)


def identify_title(lines: list[str]) -> tuple[str, int | None]:
    """Return (agency, year) from the report's title, looked for in its first lines."""
    texts = [line.strip() for line in lines if line.strip()]
    for index, line in enumerate(texts[:40]):
        match = _TITLE.search(line)
        if not match and index + 1 < len(texts) and len(line) < 60:
            # A long title wrapped over two lines (「…2024年政府信息公开工作年」「度报告」).
            joined = line + texts[index + 1]
            match = _TITLE.search(joined)
            if match and match.start("year") < len(line):
                line = joined
            else:
                match = None
        if not match:
            continue
        agency = _PREFIX.sub("", line[: match.start()]).strip(" -—:：|")
        if not agency and index > 0:
            agency = _PREFIX.sub("", texts[index - 1]).strip(" -—:：|")
            if len(agency) > 40 or _TITLE.search(agency):
                agency = ""
        agency = agency.replace(" ", "")
        if len(agency) > 40 or not re.search(r"[\u4e00-\u9fff]", agency):
            agency = ""
        return agency, int(match.group("year"))
    for line in texts:
        match = _TITLE.search(line)
        if match:
            return "", int(match.group("year"))
    return "", None


def expand_agency(agency: str, body: str) -> str:
    """Prefix the city when the body names the agency in full (「洪泽区人民政府」→「淮安市洪泽区…」)."""
    if not agency or len(agency) < 3:
        return agency
    for match in re.finditer(re.escape(agency), body):
        place = _PLACE.search(body[max(0, match.start() - 8) : match.start()])
        if place and not agency.startswith(place.group(1)):
            return place.group(1) + agency
    return agency


def guess_year(text: str) -> int | None:
    """The most frequent year in the text, when the title names none."""
    counts: dict[int, int] = {}
    for match in _ANY_YEAR.finditer(text):
        year = int(match.group(1))
        counts[year] = counts.get(year, 0) + 1
    return max(counts, key=lambda y: (counts[y], y)) if counts else None


def identify_format(compact_tables: str, year: int | None) -> str:
    """Return ``"2019"`` or ``"2021"`` from the tables' own labels (the year breaks a tie)."""
    score_2021 = sum(compact_tables.count(marker) for marker in _MARKERS_2021)
    score_2019 = sum(compact_tables.count(marker) for marker in _MARKERS_2019)
    # 「行政规范性文件」 also contains 2019's 「规范性文件」, so only distinct markers count.
    if score_2021 > score_2019:
        return "2021"
    if score_2019 > score_2021:
        return "2019"
    return format_for_year(year).code if year else "2021"
