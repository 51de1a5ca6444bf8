"""The 总体情况 figures (pure): the draft states each figure so the check reads it back; a changed
figure is exactly one ``narrative.figure``; placeholders and unverifiable figures are said."""

import pytest

from gongkai.annual.narrative import find_figures
from gongkai.annualreport import figures as fig
from tests.annualreport.fake_sources import SEED_FIGURES

FIGURES = {k: v for group in SEED_FIGURES.values() for k, v in group.items()}
FIGURES |= {
    "applications_received": 2,
    "applications_closed": 2,
    "applications_on_time": 2,
    "review": 0,
    "litigation": 0,
}


def draft(figures=FIGURES) -> str:
    return fig.draft_overview(name="城口县人民政府机关", year=2020, figures=figures)


def test_every_figure_is_stated_and_read_back():
    stated = {s.key: s.value for s in fig.stated_figures(draft())}
    checked = {spec.key for spec in fig.FIGURES}
    assert set(stated) == checked
    for key in checked - {"website_visits"}:
        assert stated[key] == FIGURES[key], key
    assert stated["website_visits"] == 567_000.0
    assert fig.check_figures({"overview": draft()}, FIGURES) == []


def test_the_auditors_narrative_check_reads_the_application_figures():
    found = {(f.key, f.value) for f in find_figures(draft())}
    assert {("received", 2), ("answered", 2), ("review", 0), ("litigation", 0)} <= found


@pytest.mark.parametrize("spec", fig.FIGURES, ids=lambda s: s.key)
def test_a_changed_figure_is_exactly_one_finding(spec):
    records = dict(FIGURES)
    records[spec.key] = FIGURES[spec.key] * 3 + 7  # the records now say something else
    found = fig.check_figures({"overview": draft()}, records)
    assert [f.rule for f in found] == ["narrative.figure"], [f.message for f in found]
    assert found[0].severity == "error" and spec.label in found[0].message


def test_missing_sources_give_placeholders_never_numbers():
    partial = {k: v for k, v in FIGURES.items() if k not in ("sites", "sub_sites", "trainings")}
    text = draft(partial)
    assert text.count(fig.PLACEHOLDER_MARK) == 3
    assert "政府网站数（数据来源“sites”未接入）" in text
    found = fig.check_figures({"overview": text}, partial)
    assert [f.rule for f in found] == ["narrative.placeholder"]
    # A clerk who types the number in cannot have it checked: a warning to acknowledge.
    typed = text.replace(fig.placeholder("sites", "sites"), "1")
    found = fig.check_figures({"overview": typed}, partial)
    assert sorted(f.rule for f in found) == ["narrative.placeholder", "narrative.unverified"]


@pytest.mark.parametrize(
    ("visits", "text"), [(567_123, "56.7万余"), (560_000, "56万"), (9_999, "9999"), (10_000, "1万")]
)
def test_visits_as_reports_write_them(visits, text):
    assert fig.visits_text(visits) == text


def test_no_letters_is_said_without_a_rate():
    """An agency whose mailbox got no letter has no 答复率 to state: no placeholder for it."""
    quiet = FIGURES | {"letters_received": 0, "letters_answered": 0, "answer_rate": None}
    text = draft(quiet)
    assert "公开信箱本年受理群众来信0件。" in text and "答复率" not in text
    assert fig.check_figures({"overview": text}, quiet) == []
    # The figure is still read back: a letter found later is a disagreement.
    found = fig.check_figures({"overview": text}, quiet | {"letters_received": 1})
    assert [f.rule for f in found] == ["narrative.figure"]


def test_channels_are_named_as_the_source_gives_them():
    text = draft(FIGURES | {"items_by_channel": {"政府网站": 9, "新闻发布会": 1}})
    assert "通过政府网站、新闻发布会等渠道主动公开" in text
