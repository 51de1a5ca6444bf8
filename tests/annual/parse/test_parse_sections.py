"""A report without one of the six sections of 条例第五十条 gets ``section.missing``."""

from pathlib import Path

import pytest

from gongkai.annual.parse import parse_text

SEED = Path(__file__).resolve().parents[2] / "corpus" / "000-chengkou-2020.txt"


def _missing(doc: dict) -> list[str]:
    return [f["message"] for f in doc["findings"] if f["rule"] == "section.missing"]


def test_the_seed_has_every_section():
    assert _missing(parse_text(SEED.read_text(encoding="utf-8"))) == []


@pytest.mark.parametrize(
    ("heading", "label"),
    [("五、存在的主要问题及改进情况", "五"), ("六、其他需要报告的事项", "六")],
)
def test_a_report_without_a_section_heading_is_flagged(heading, label):
    text = SEED.read_text(encoding="utf-8")
    assert heading in text
    doc = parse_text(text.replace(heading, ""))
    messages = _missing(doc)
    assert len(messages) == 1 and f"「{label}、" in messages[0]
    finding = next(f for f in doc["findings"] if f["rule"] == "section.missing")
    assert finding["severity"] == "error"
