"""Stand-ins for the apps that feed the report but are not on this branch (tests only).

Each function keeps the contract of gongkai.annualreport.sources and returns the seed report's
2020 figures (tests/corpus/000-chengkou-2020.txt) for any agency, or a 2021-format table 二.
``STATE`` lets a test change a figure the records would give.
"""

from __future__ import annotations

import copy

SEED_FIGURES = {
    "normative": {
        "normative_made": 15,
        "normative_abolished": 15,
        "abolish_batches": 2,
        "normative_in_force": 102,
        "regulations_made": 0,
    },
    "publications": {
        "items_published": 4891,
        "items_by_channel": {"政府网站": 2183, "微信公众号": 2708},
        "website_items": 2183,
        "documents_issued": 15,
        "interpretations": 3,
    },
    "mailbox": {
        "letters_received": 255,
        "letters_answered": 255,
        "answer_rate": 100,
        "answered_online": 255,
    },
    "sites": {"sites": 1, "sub_sites": 51},
    "new_media": {
        "new_media_accounts": 40,
        "new_media_by_kind": {"微信公众号": 32, "政务微博": 4, "其他平台政务新媒体": 4},
    },
    "visits": {"website_visits": 567_123},
    "trainings": {"trainings": 2},
}

TABLE_TWO_2019 = {
    "规章": {"本年新制作数量": 0, "本年新公开数量": 0, "对外公开总数量": 0},
    "规范性文件": {"本年新制作数量": 15, "本年新公开数量": 15, "对外公开总数量": 102},
    "行政许可": {"上一年项目数量": 0, "本年增/减": 0, "处理决定数量": 0},
    "其他对外管理服务事项": {"上一年项目数量": 0, "本年增/减": 0, "处理决定数量": 0},
    "行政处罚": {"上一年项目数量": 0, "本年增/减": 0, "处理决定数量": 0},
    "行政强制": {"上一年项目数量": 0, "本年增/减": 0, "处理决定数量": 0},
    "行政事业性收费": {"上一年项目数量": 0, "本年增/减": 0},
    "政府集中采购": {"采购项目数量": 0, "采购总金额": 0},
}
TABLE_TWO_2021 = {
    "规章": {"本年制发件数": 0, "本年废止件数": 0, "现行有效件数": 0},
    "行政规范性文件": {"本年制发件数": 15, "本年废止件数": 15, "现行有效件数": 102},
    "行政许可": {"本年处理决定数量": 31},
    "行政处罚": {"本年处理决定数量": 7},
    "行政强制": {"本年处理决定数量": 1},
    "行政事业性收费": {"本年收费金额（单位：万元）": 12},
}
TABLE_FOUR = {
    "review": {"upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0},
    "litigation_direct": {"upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0},
    "litigation_after_review": {"upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0},
}

#: What the sources answer now; tests change it and :func:`reset` puts it back.
STATE: dict = {}


def reset() -> None:
    STATE.clear()
    STATE.update(copy.deepcopy(SEED_FIGURES))
    STATE["table_four"] = copy.deepcopy(TABLE_FOUR)
    STATE["table_two"] = {
        "2019": copy.deepcopy(TABLE_TWO_2019),
        "2021": copy.deepcopy(TABLE_TWO_2021),
    }


reset()

CALLS: list[tuple[str, tuple[int, ...], int]] = []


def _record(name, agency_ids, year):
    CALLS.append((name, tuple(agency_ids), year))


def table_two(*, agency_ids, year, fmt):
    _record("table_two", agency_ids, year)
    return copy.deepcopy(STATE["table_two"][fmt])


def table_four(*, agency_ids, year):
    _record("table_four", agency_ids, year)
    return copy.deepcopy(STATE["table_four"])


def _figures(name):
    def source(*, agency_ids, year):
        _record(name, agency_ids, year)
        return copy.deepcopy(STATE[name])

    source.__name__ = name
    return source


normative = _figures("normative")
publications = _figures("publications")
mailbox = _figures("mailbox")
sites = _figures("sites")
new_media = _figures("new_media")
visits = _figures("visits")
trainings = _figures("trainings")

SOURCES = {
    name: f"tests.annualreport.fake_sources.{name}"
    for name in (
        "table_two",
        "table_four",
        "normative",
        "publications",
        "mailbox",
        "sites",
        "new_media",
        "visits",
        "trainings",
    )
}
