"""Pairing reports of one agency across years (pure core: ``gongkai.annual.pairing``)."""

from __future__ import annotations

import pytest

from gongkai.annual.document import empty_document
from gongkai.annual.pairing import (
    carry_findings,
    consecutive,
    order_by_year,
    previous_year_index,
    unreadable_cells,
)


def doc(agency: str, year: int | None) -> dict:
    d = empty_document(agency, year or 2022, "2021", fill=0)
    d["year"] = year
    return d


def test_previous_year_pairs_only_the_year_before_of_the_same_agency():
    docs = [
        doc("甲局", 2022),
        doc("乙局", 2021),
        doc("甲局", 2021),
        doc("甲局", 2019),
        doc("", 2020),
    ]
    assert previous_year_index(docs) == {0: 2}


def test_the_first_of_two_copies_of_a_year_is_the_one_paired():
    docs = [doc("甲局", 2021), doc("甲局", 2021), doc("甲局", 2022)]
    assert previous_year_index(docs) == {2: 0}


def test_order_and_consecutive():
    a, b, c = doc("甲局", 2022), doc("甲局", 2021), doc("甲局", None)
    assert order_by_year(a, b) == (b, a)
    assert order_by_year(b, a) == (b, a)
    assert order_by_year(c, a) == (a, c)
    assert consecutive(b, a) and not consecutive(a, b) and not consecutive(b, c)


def test_carry_findings_name_the_columns_that_disagree_and_skip_unreadable_cells():
    before, after = doc("甲局", 2021), doc("甲局", 2022)
    before["applications"]["carried_forward"]["natural_person"] = 2
    before["applications"]["carried_forward"]["total"] = 2
    found = carry_findings(after, before)
    assert [f.cells for f in found] == [
        ("applications.carried_over.natural_person",),
        ("applications.carried_over.total",),
    ]
    assert all(f.rule == "cross_year.carry" and f.severity == "warning" for f in found)
    after["findings"] = [
        {
            "rule": "cell.unreadable",
            "severity": "error",
            "message": "",
            "cells": ["applications.carried_over.total"],
        }
    ]
    assert unreadable_cells(after) == {"applications.carried_over.total"}
    assert [f.cells for f in carry_findings(after, before)] == [
        ("applications.carried_over.natural_person",)
    ]


def test_carry_against_a_report_that_is_not_the_year_before_is_refused():
    with pytest.raises(ValueError):
        carry_findings(doc("甲局", 2022), doc("甲局", 2019))
