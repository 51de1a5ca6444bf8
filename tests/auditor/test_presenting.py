"""How a report is shown: marks on cells (errors win, numbered), names of cells, text joined."""

from __future__ import annotations

from gongkai.annual.document import empty_document
from gongkai.auditor.presenting import cell_label, finding_marks, shown_blocks, shown_findings


def test_a_cell_named_by_an_error_and_a_warning_is_an_error_with_both_numbers():
    findings = [
        {"rule": "cell.blank", "severity": "warning", "message": "空", "cells": ["a.b.c"]},
        {"rule": "t4.total", "severity": "error", "message": "和", "cells": ["a.b.c", "a.b.d"]},
    ]
    marks = finding_marks(findings)
    assert (marks["a.b.c"].kind, marks["a.b.c"].refs) == ("error", [1, 2])
    assert (marks["a.b.d"].kind, marks["a.b.d"].refs) == ("error", [2])


def test_cells_are_named_as_readers_know_them():
    doc = empty_document("某局", 2023, "2021")
    assert cell_label(doc, "applications.denied_state_secret.natural_person") == (
        "三、（三）1.属于国家秘密·自然人"
    )
    assert cell_label(doc, "review_litigation.review.total") == "四、行政复议·总计"
    assert cell_label(doc, "proactive.规章.本年制发件数") == "二、规章·本年制发件数"


def test_lines_a_pdf_wrapped_mid_sentence_are_joined_and_items_kept_apart():
    doc = empty_document("某局", 2023, "2021", fill=0)
    doc["sections"] = {
        "overview": "2023年，本机关坚持以\n人民为中心。\n（一）主动公开情况。\n全年公开"
    }
    paragraphs = [b["text"] for b in shown_blocks(doc, {}) if b["kind"] == "paragraph"]
    assert paragraphs == ["2023年，本机关坚持以人民为中心。", "（一）主动公开情况。", "全年公开"]


def test_a_finding_lists_at_most_eight_cells_and_counts_the_rest():
    doc = empty_document("某局", 2023, "2021")
    cells = [f"applications.granted.{c}" for c in doc["applications"]["granted"]]
    cells += [f"applications.partial.{c}" for c in doc["applications"]["partial"]]
    doc["findings"] = [{"rule": "cell.blank", "severity": "warning", "message": "", "cells": cells}]
    (shown,) = shown_findings(doc)
    assert len(shown["cells"]) == 8 and shown["more"] == len(cells) - 8
    assert shown["cells"][0]["anchor"] == "c-applications.granted.natural_person"
