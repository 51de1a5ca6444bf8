"""Every ending → exactly one row of table 三 per format, its articles and its letter."""

import re

import pytest

from gongkai.annual.formats import BY_CODE, FORMAT_2019, FORMAT_2021
from gongkai.law.dispositions import (
    DISPOSITIONS,
    DecisionKind,
    Disposition,
    TransferCounting,
    row_for,
)

D = Disposition

# Known-answer table from docs/law/ogi-spec.md §3.7 (row → article) and the 2021 （六） sub-rows.
EXPECTED = [
    (D.GRANTED_ALREADY_PUBLIC, "granted", "granted", "第三十六条第（一）项"),
    (D.GRANTED, "granted", "granted", "第三十六条第（二）项"),
    (D.PARTIAL, "partial", "partial", "第三十七条"),
    (D.DENIED_STATE_SECRET, "denied_state_secret", "denied_state_secret", "第十四条"),
    (D.DENIED_LAW_FORBIDDEN, "denied_law_forbidden", "denied_law_forbidden", "第十四条"),
    (D.DENIED_THREE_SAFETY, "denied_three_safety", "denied_three_safety", "第十四条"),
    (D.DENIED_THIRD_PARTY, "denied_third_party", "denied_third_party", "第十五条"),
    (
        D.DENIED_INTERNAL_AFFAIRS,
        "denied_internal_affairs",
        "denied_internal_affairs",
        "第十六条第一款",
    ),
    (D.DENIED_PROCESS_INFO, "denied_process_info", "denied_process_info", "第十六条第二款"),
    (
        D.DENIED_ENFORCEMENT_FILE,
        "denied_enforcement_file",
        "denied_enforcement_file",
        "第十六条第二款",
    ),
    (D.DENIED_QUERY_MATTER, "denied_query_matter", "denied_query_matter", "第三十六条第（七）项"),
    (D.NOT_EXIST, "unable_not_held", "unable_not_held", "第三十六条第（四）项"),
    (D.NOT_RESPONSIBLE, "unable_not_held", "unable_not_held", "第三十六条第（五）项"),
    (D.NEED_CREATE, "unable_need_create", "unable_need_create", "第三十八条"),
    (D.UNCLEAR, "unable_unclear", "unable_unclear", "第三十条"),
    (
        D.NOT_PROCESSED_PETITION,
        "not_processed_petition",
        "not_processed_petition",
        "第三十九条第一款",
    ),
    (
        D.NOT_PROCESSED_REPEAT,
        "not_processed_repeat",
        "not_processed_repeat",
        "第三十六条第（六）项",
    ),
    (
        D.NOT_PROCESSED_PUBLICATION,
        "not_processed_publication",
        "not_processed_publication",
        "第三十九条第二款",
    ),
    (D.NOT_PROCESSED_MASSIVE, "not_processed_massive", "not_processed_massive", "第三十五条"),
    (D.NOT_PROCESSED_CONFIRM, "not_processed_confirm", "not_processed_confirm", None),
    (D.OVERDUE_CORRECTION, "other", "other_overdue_correction", "第三十条"),
    (D.OVERDUE_FEE, "other", "other_overdue_fee", "国办函〔2020〕109号"),
    (D.WITHDRAWN, "other", "other_other", None),
    (D.TRANSFERRED, "other", "other_other", None),
    (D.OTHER, "other", "other_other", None),
]


def test_the_table_covers_every_disposition_once() -> None:
    assert [d for d, *_ in EXPECTED] == list(Disposition)
    assert set(DISPOSITIONS) == set(Disposition)


@pytest.mark.parametrize(("disposition", "row_2019", "row_2021", "article"), EXPECTED)
def test_row_and_article(disposition, row_2019, row_2021, article) -> None:
    info = disposition.info
    assert (info.row_2019, info.row_2021) == (row_2019, row_2021)
    assert row_for(disposition, "2019") == row_2019
    assert row_for(disposition.value, "2021") == row_2021
    if article is None:
        assert not any("条例》第三十" in a for a in info.articles)
    else:
        assert any(article in a for a in info.articles), info.articles


@pytest.mark.parametrize("code", sorted(BY_CODE))
def test_every_disposition_maps_to_an_outcome_row_of_the_format(code: str) -> None:
    outcome_rows = set(BY_CODE[code].outcome_row_keys)
    for disposition in Disposition:
        assert row_for(disposition, code) in outcome_rows, disposition


@pytest.mark.parametrize("spec", [FORMAT_2019, FORMAT_2021], ids=["2019", "2021"])
def test_every_outcome_row_is_reachable(spec) -> None:
    reached = {row_for(d, spec.code) for d in Disposition}
    assert reached == set(spec.outcome_row_keys)


def test_articles_are_written_out_in_full() -> None:
    pattern = re.compile(
        r"^(《政府信息公开条例》第[一二三四五六七八九十]+条(第[一二]款|第（[一二三四五六七]）项)?"
        r"|《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）)$"
    )
    for disposition, info in DISPOSITIONS.items():
        for article in info.articles:
            assert pattern.match(article), (disposition, article)


def test_every_refusal_cites_art_36_3_and_gives_reasons() -> None:
    for disposition, info in DISPOSITIONS.items():
        if info.decision_kind is DecisionKind.WITHHOLD and disposition is not D.DENIED_QUERY_MATTER:
            assert "《政府信息公开条例》第三十六条第（三）项" in info.articles
            assert info.gives_reasons
    assert D.PARTIAL.info.gives_reasons  # Art. 37: reasons for what is withheld


def test_letters_and_labels() -> None:
    for disposition, info in DISPOSITIONS.items():
        assert re.fullmatch(r"(reply|notice)_[a-z_]+", info.letter), disposition
        assert info.label_zh
        assert info.is_reply == info.letter.startswith("reply_"), disposition
    # 36(1) and 36(2) share a row but not a letter; so do 36(4) and 36(5).
    assert D.GRANTED_ALREADY_PUBLIC.info.letter != D.GRANTED.info.letter
    assert D.NOT_EXIST.info.letter != D.NOT_RESPONSIBLE.info.letter


def test_decision_kind_matches_the_group_of_the_row() -> None:
    group_of = {row.key: row.group for row in FORMAT_2021.application_rows}
    expected_group = {
        DecisionKind.WITHHOLD: "（三）不予公开",
        DecisionKind.UNABLE: "（四）无法提供",
        DecisionKind.NOT_PROCESSED: "（五）不予处理",
        DecisionKind.OTHER: "（六）其他处理",
    }
    for disposition, info in DISPOSITIONS.items():
        if info.decision_kind in expected_group:
            assert group_of[info.row_2021] == expected_group[info.decision_kind], disposition


def test_endings_without_a_reply() -> None:
    no_reply = {d for d, info in DISPOSITIONS.items() if not info.is_reply}
    assert no_reply == {D.OVERDUE_CORRECTION, D.OVERDUE_FEE, D.WITHDRAWN, D.TRANSFERRED}


def test_transfer_counting_is_configurable() -> None:
    assert row_for(D.TRANSFERRED, "2021") == "other_other"
    counted = TransferCounting.NOT_RESPONSIBLE
    assert row_for(D.TRANSFERRED, "2021", transfer_counting=counted) == "unable_not_held"
    assert row_for(D.TRANSFERRED, "2019", transfer_counting=counted) == "unable_not_held"
    # Only transfers are affected by the setting.
    assert row_for(D.WITHDRAWN, "2021", transfer_counting=counted) == "other_other"


def test_unknown_format_or_disposition_is_refused() -> None:
    with pytest.raises(ValueError, match="未知的年报格式"):
        row_for(D.GRANTED, "2020")
    with pytest.raises(ValueError):
        row_for("approved", "2021")
