"""Find the template's row labels in a report's text, tolerating typos and drift.

Each row is looked for exactly (after folding, see :func:`normalize.label_key`), then by a
short distinctive key (「国家秘密」, 「逾期不补正」), then fuzzily between its neighbours. Anything
but an exact match is label drift, reported by the caller as ``format.layout``.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from gongkai.annual.parse.normalize import label_key

EXACT = "exact"
KEY = "key"
PREFIX = "prefix"
FUZZY = "fuzzy"
#: The shortest beginning of a label taken for the label cut short (「5.要求行政机关确认或重」).
MIN_PREFIX = 6

#: Distinctive parts of labels, tried in order when the full label is not found.
ROW_KEYS: dict[str, tuple[str, ...]] = {
    "new_received": ("本年新收", "新收"),
    "carried_over": ("上年结转",),
    "granted": ("予以公开",),
    "partial": ("部分公开",),
    "denied_state_secret": ("国家秘密",),
    "denied_law_forbidden": ("禁止公开", "其他法律"),
    "denied_three_safety": ("三安全", "一稳定"),
    "denied_third_party": ("第三方",),
    "denied_internal_affairs": ("内部事务",),
    "denied_process_info": ("过程性",),
    "denied_enforcement_file": ("执法案卷",),
    "denied_query_matter": ("查询事项",),
    "unable_not_held": ("不掌握",),
    "unable_need_create": ("另行制作", "没有现成"),
    "unable_unclear": ("仍不明确", "补正后"),
    "not_processed_petition": ("信访", "举报投诉"),
    "not_processed_repeat": ("重复申请",),
    "not_processed_publication": ("出版物",),
    "not_processed_massive": ("大量反复",),
    "not_processed_confirm": ("重新出具", "确认或"),
    "other": ("其他处理",),
    "other_overdue_correction": ("逾期不补正", "不补正"),
    "other_overdue_fee": ("收费通知", "缴纳费用"),
    "other_other": ("3.其他",),
    "total_processed": ("(七)总计", "七)总计"),
    "carried_forward": ("结转下年度", "下年度继续"),
    # section 二
    "规章": ("规章",),
    "规范性文件": ("规范性文件",),
    "行政规范性文件": ("规范性文件",),
    "行政许可": ("行政许可",),
    "其他对外管理服务事项": ("对外管理服务", "管理服务事项"),
    "行政处罚": ("行政处罚",),
    "行政强制": ("行政强制",),
    "行政事业性收费": ("事业性收费", "收费"),
    "政府集中采购": ("集中采购", "采购"),
}


@dataclass(frozen=True)
class Anchor:
    key: str
    pos: int  # offset of the label's start in the compact text
    end: int
    how: str  # EXACT, KEY or FUZZY
    found: str  # the text matched


def find_rows(compact: str, rows: list[tuple[str, str]], start: int, end: int) -> dict[str, Anchor]:
    """Locate ``rows`` (key, label) in order within ``compact[start:end]``."""
    anchors: dict[str, Anchor] = {}
    cursor = start
    for key, label in rows:
        wanted = label_key(label)
        pos = compact.find(wanted, cursor, end)
        if pos >= 0:
            anchors[key] = Anchor(key, pos, pos + len(wanted), EXACT, wanted)
            cursor = pos + len(wanted)
    keys = [key for key, _ in rows]
    for index, (key, label) in enumerate(rows):
        if key in anchors:
            continue
        low = max((anchors[k].end for k in keys[:index] if k in anchors), default=start)
        high = min((anchors[k].pos for k in keys[index + 1 :] if k in anchors), default=end)
        anchor = (
            _by_key(compact, key, low, high)
            or _by_prefix(compact, key, label, low, high)
            or _fuzzy(compact, key, label, low, high)
        )
        if anchor is not None:
            anchors[key] = anchor
    return anchors


def _by_key(compact: str, key: str, low: int, high: int) -> Anchor | None:
    for part in ROW_KEYS.get(key, ()):
        pos = compact.find(part, low, high)
        if pos >= 0:
            # Back up over the enumerator that starts the printed label (「2.」「(三)」).
            begin = pos
            while begin > low and compact[begin - 1] in "0123456789.()一二三四五六七八":
                begin -= 1
            return Anchor(key, begin, pos + len(part), KEY, compact[begin : pos + len(part)])
    return None


def _by_prefix(compact: str, key: str, label: str, low: int, high: int) -> Anchor | None:
    """The label cut short: its longest beginning (at least :data:`MIN_PREFIX` characters)
    printed once between the neighbouring rows."""
    wanted = label_key(label)
    for size in range(len(wanted) - 1, MIN_PREFIX - 1, -1):
        part = wanted[:size]
        pos = compact.find(part, low, high)
        if pos >= 0:
            if compact.find(part, pos + 1, high) >= 0:
                return None  # printed twice: which is this row's?
            return Anchor(key, pos, pos + size, PREFIX, part)
    return None


def _fuzzy(compact: str, key: str, label: str, low: int, high: int) -> Anchor | None:
    """The window of ``compact[low:high]`` most like the label's core, if similar enough."""
    core = label_key(label).lstrip("0123456789.")
    if len(core) < 4 or high - low > 400 or high <= low:
        return None
    best: tuple[float, int] = (0.0, -1)
    size = len(core)
    for pos in range(low, max(low, high - size // 2)):
        window = compact[pos : pos + size]
        if window[:1] != core[:1] and window[1:2] != core[1:2]:
            continue
        ratio = SequenceMatcher(None, core, window, autojunk=False).ratio()
        if ratio > best[0]:
            best = (ratio, pos)
    if best[0] < 0.7:
        return None
    pos = best[1]
    return Anchor(key, pos, pos + size, FUZZY, compact[pos : pos + size])
