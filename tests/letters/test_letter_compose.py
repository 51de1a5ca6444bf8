"""Composing letters from the templates: every key, the law they cite, errors, admin overrides."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines

from gongkai.law.dispositions import DISPOSITIONS, Disposition
from gongkai.letters.catalog import DENIAL_GROUNDS, LETTERS
from gongkai.letters.compose import compose_letter, compose_reply
from gongkai.letters.model import LetterRenderError
from gongkai.letters.parse import parse_letter
from gongkai.letters.samples import sample_context

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "gongkai" / "letters" / "templates"
FULL_NAME = "《中华人民共和国政府信息公开条例》"
SHORT_NAME = "《政府信息公开条例》"


def _body(letter) -> str:
    return "".join(letter.paragraphs)


def test_every_catalogued_letter_has_a_template_and_every_template_is_catalogued() -> None:
    files = {p.stem for p in (TEMPLATES / "letters").glob("*.txt")}
    assert files == set(LETTERS)


def test_every_disposition_has_its_letter() -> None:
    missing = {d: info.letter for d, info in DISPOSITIONS.items() if info.letter not in LETTERS}
    assert not missing, f"dispositions without a letter template: {missing}"


@pytest.mark.parametrize("key", sorted(LETTERS))
def test_letter_renders_with_the_sample_context(key: str) -> None:
    context = sample_context(key)
    letter = compose_letter(key, context)
    assert letter.key == key
    assert letter.title.startswith("政府信息公开")
    assert letter.agency == "城口县人民政府办公室"
    assert letter.date_text == "2026年11月27日"  # Arabic numerals, as GB/T 9704-2012
    body = _body(letter)
    assert "{{" not in body and "{%" not in body and "【" not in body
    if "request_summary" in LETTERS[key].required:
        assert context["request_summary"] in body  # states what was requested
        assert "2026年11月2日" in body  # and when it was received
    for basis in letter.legal_basis:
        article = basis.rsplit("》", 1)[-1]
        assert article in body, f"{key}: cites {basis} in its header but not in its text"


@pytest.mark.parametrize("key", sorted(LETTERS))
def test_remedy_notice_exactly_on_letters_that_decide(key: str) -> None:
    letter = compose_letter(key, sample_context(key))
    if LETTERS[key].decides:
        assert "60日" in letter.remedy and "6个月" in letter.remedy
        assert "城口县人民政府" in letter.remedy and "重庆市万州区人民法院" in letter.remedy
    else:
        assert letter.remedy == ""


def test_every_reply_decides_and_so_carries_the_remedy_notice() -> None:
    replies = [key for key in LETTERS if key.startswith("reply_")]
    assert len(replies) >= 15
    assert all(LETTERS[key].decides for key in replies)


@pytest.mark.parametrize("disposition", list(Disposition), ids=str)
def test_reply_cites_the_articles_of_its_disposition(disposition: Disposition) -> None:
    info = DISPOSITIONS[disposition]
    letter = compose_reply(disposition, sample_context(info.letter))
    cited = {basis.replace(FULL_NAME, SHORT_NAME) for basis in letter.legal_basis}
    assert set(info.articles) <= cited, f"{disposition}: {info.articles} not all in {cited}"
    if info.is_reply:
        assert letter.remedy, f"{disposition} ends with a reply, which must say how to appeal"


@pytest.mark.parametrize("ground", DENIAL_GROUNDS)
def test_denial_letters_word_each_ground_differently(ground: str) -> None:
    letter = compose_letter("reply_denied", {**sample_context("reply_denied"), "ground": ground})
    assert "第三十六条第（三）项" in _body(letter)
    assert "决定不予公开" in _body(letter)
    others = [
        compose_letter("reply_denied", {**sample_context("reply_denied"), "ground": g})
        for g in DENIAL_GROUNDS
        if g != ground
    ]
    assert all(_body(other) != _body(letter) for other in others)


def test_denial_letter_refuses_an_unknown_ground() -> None:
    with pytest.raises(LetterRenderError, match="ground"):
        compose_letter("reply_denied", {**sample_context("reply_denied"), "ground": "granted"})


def test_missing_variable_is_named_chinese_first() -> None:
    context = sample_context("reply_granted")
    del context["provision_method"]
    with pytest.raises(LetterRenderError) as excinfo:
        compose_letter("reply_granted", context)
    message = str(excinfo.value)
    assert message.startswith("生成《") and "provision_method" in message


def test_unknown_key_is_refused() -> None:
    with pytest.raises(LetterRenderError, match="没有名为"):
        compose_letter("reply_maybe", sample_context("reply_granted"))


def test_dates_may_be_iso_strings() -> None:
    context = {**sample_context("extension"), "issued_on": "2030-10-10"}
    context["extended_due_on"] = "2026-12-28"
    letter = compose_letter("extension", context)
    assert letter.date_text == "2030年10月10日"
    assert "延长至2026年12月28日" in _body(letter)


def test_a_date_that_is_not_a_date_is_refused() -> None:
    with pytest.raises(LetterRenderError, match="extended_due_on"):
        compose_letter("extension", {**sample_context("extension"), "extended_due_on": "下周"})


def test_organisation_applicants_are_addressed_as_units() -> None:
    person = compose_letter("reply_granted", sample_context("reply_granted"))
    org = compose_letter(
        "reply_granted",
        {**sample_context("reply_granted"), "applicant_is_org": True, "applicant_name": "某公司"},
    )
    unknown = {**sample_context("reply_granted")}
    del unknown["applicant_is_org"]
    assert "收到你通过" in _body(person)
    assert "收到你单位通过" in _body(org)
    assert "收到你（单位）通过" in _body(compose_letter("reply_granted", unknown))


def test_generic_remedy_wording_when_review_body_and_court_are_unknown() -> None:
    context = {**sample_context("reply_not_exist"), "review_body": "", "court": ""}
    letter = compose_letter("reply_not_exist", context)
    assert "依法向有关行政机关申请行政复议" in letter.remedy


def test_user_input_is_not_html_escaped_in_the_letter_text() -> None:
    context = {**sample_context("receipt"), "applicant_name": "<script>A&B</script>"}
    letter = compose_letter("receipt", context)
    assert letter.recipient == "<script>A&B</script>"


def test_closing_formula_follows_the_remedy_notice() -> None:
    letter = compose_letter("reply_granted", sample_context("reply_granted"))
    assert letter.closing == "特此答复。"
    assert "特此答复。" not in letter.paragraphs


def test_correction_items_are_separate_numbered_paragraphs() -> None:
    letter = compose_letter("correction", sample_context("correction"))
    assert "2.请明确所申请信息的时间范围；" in letter.paragraphs


def test_unknown_directive_in_an_override_is_reported() -> None:
    text = "【标题】答复书\n【主送】张三\n【落款】城口县\n\n正文。"
    with pytest.raises(LetterRenderError, match="落款"):
        parse_letter(text, context={"agency_name": "城口县", "issued_on": dt.date(2026, 1, 1)})


def _reset_template_cache() -> None:
    for loader in engines["django"].engine.template_loaders:
        loader.reset()


def test_admin_override_in_the_data_dir_wins_over_the_built_in_template() -> None:
    override = Path(settings.DATA_DIR) / "templates" / "letters" / "receipt.txt"
    override.parent.mkdir(parents=True, exist_ok=True)
    override.write_text(
        "【标题】申请登记回执（本县格式）\n【主送】{{ applicant_name }}\n\n"
        "你的申请已于{{ received_on|date:'Y年n月j日' }}登记。\n\n特此回执。\n",
        encoding="utf-8",
    )
    _reset_template_cache()
    try:
        letter = compose_letter("receipt", sample_context("receipt"))
        assert letter.title == "申请登记回执（本县格式）"
        assert letter.paragraphs == ("你的申请已于2026年11月2日登记。",)
    finally:
        override.unlink()
        _reset_template_cache()
    assert compose_letter("receipt", sample_context("receipt")).title == "政府信息公开申请登记回执"


def test_date_is_in_arabic_numerals_as_gbt_9704_2012_writes_it_chinese_on_request() -> None:
    assert compose_letter("receipt", sample_context("receipt")).date_text == "2026年11月27日"
    for older in ({"date_style": "chinese"}, {"arabic_date": False}):
        letter = compose_letter("receipt", {**sample_context("receipt"), **older})
        assert letter.date_text == "二〇二六年十一月二十七日"
