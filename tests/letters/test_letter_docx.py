"""DOCX letters open in python-docx and follow GB/T 9704-2012: page, fonts, spacing, content."""

import io

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt

from gongkai.letters.catalog import LETTERS
from gongkai.letters.compose import compose_letter
from gongkai.letters.docx import render_docx
from gongkai.letters.fonts import LetterFonts
from gongkai.letters.samples import sample_context

STANDARD = LetterFonts.standard()


def _open(key: str, **overrides):
    letter = compose_letter(key, {**sample_context(key), **overrides})
    return letter, Document(io.BytesIO(render_docx(letter, fonts=STANDARD)))


def _texts(doc) -> list[str]:
    return [p.text for p in doc.paragraphs]


def _paragraph(doc, text: str):
    matches = [p for p in doc.paragraphs if p.text == text]
    assert matches, f"no paragraph {text!r}"
    return matches[0]


@pytest.mark.parametrize("key", sorted(LETTERS))
def test_docx_carries_every_part_of_the_letter(key: str) -> None:
    letter, doc = _open(key)
    texts = _texts(doc)
    full = "\n".join(texts)
    assert letter.title in texts
    if letter.doc_number:
        assert letter.doc_number in texts
    assert f"{letter.recipient}：" in texts
    for paragraph in letter.paragraphs:
        assert paragraph in texts
    for basis in letter.legal_basis:
        assert basis.rsplit("》", 1)[-1] in full
    if LETTERS[key].decides:
        remedy = [t for t in texts if t.startswith("如对本")]
        assert remedy and "60日" in remedy[0] and "6个月" in remedy[0]
    assert "2026年11月27日" in texts
    assert "城口县人民政府办公室" in texts
    assert "（联系人：李四；联系电话：023-59222222）" in texts


def test_page_is_a4_with_the_gbt_9704_margins() -> None:
    _, doc = _open("reply_granted")
    section = doc.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    for name, mm in (("top", 37), ("bottom", 35), ("left", 28), ("right", 26)):
        assert abs(getattr(section, f"{name}_margin").mm - mm) < 0.1, name


def test_every_run_names_its_east_asian_font() -> None:
    _, doc = _open("reply_partial")
    runs = list(doc.element.body.iter(qn("w:r")))
    assert runs
    for run in runs:
        rfonts = run.find(qn("w:rPr")).find(qn("w:rFonts"))
        assert rfonts is not None and rfonts.get(qn("w:eastAsia")), run.xml[:200]
    normal = doc.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert normal.get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_title_is_2hao_xiaobiaosong_centred() -> None:
    letter, doc = _open("reply_granted")
    title = _paragraph(doc, letter.title)
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    run = title.runs[0]
    assert run.font.size == Pt(22)
    assert run._r.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    assert not run.font.bold  # 小标宋 is heavy already


def test_a_fallback_title_face_is_set_bold() -> None:
    letter = compose_letter("reply_granted", sample_context("reply_granted"))
    fonts = LetterFonts.detect(frozenset({"Noto Serif CJK SC"}))
    assert fonts.title_bold and not LetterFonts.standard().title_bold
    doc = Document(io.BytesIO(render_docx(letter, fonts=fonts)))
    title = _paragraph(doc, letter.title)
    assert title.runs[0].font.bold
    assert title.runs[0]._r.rPr.rFonts.get(qn("w:eastAsia")) == "Noto Serif CJK SC"


def test_body_is_3hao_fangsong_28pt_exact_indented_two_characters() -> None:
    letter, doc = _open("reply_granted")
    body = _paragraph(doc, letter.paragraphs[0])
    fmt = body.paragraph_format
    assert fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert fmt.line_spacing == Pt(28)
    assert fmt.first_line_indent == Pt(32)
    assert body._p.pPr.ind.get(qn("w:firstLineChars")) == "200"
    run = body.runs[0]
    assert run.font.size == Pt(16)
    assert run._r.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    recipient = _paragraph(doc, f"{letter.recipient}：")
    assert not recipient.paragraph_format.first_line_indent


def test_signature_and_date_are_right_aligned_with_the_signature_centred_over_the_date() -> None:
    _, doc = _open("reply_granted")
    sign = [p for p in doc.paragraphs if p.text == "城口县人民政府办公室"][-1]  # not the letterhead
    date = _paragraph(doc, "2026年11月27日")
    assert sign.alignment == date.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert date.paragraph_format.right_indent == Pt(16 * 4)  # 右空四字
    # 10 characters centred over the 7 of 「2026年11月27日」: 1.5 characters out to the right.
    assert sign.paragraph_format.right_indent == Pt(16 * 2.5)


def test_letter_style_puts_the_number_on_the_right_document_style_in_the_centre() -> None:
    letter, doc = _open("reply_granted")
    assert _paragraph(doc, letter.doc_number).alignment == WD_ALIGN_PARAGRAPH.RIGHT
    letter, doc = _open("reply_granted", letter_style="document")
    assert _paragraph(doc, letter.doc_number).alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_page_numbers_are_dashed_4hao_on_odd_and_even_pages() -> None:
    _, doc = _open("reply_granted")
    section = doc.sections[0]
    assert doc.settings.odd_and_even_pages_header_footer
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        paragraph = footer.paragraphs[0]
        xml = paragraph._p.xml
        assert "PAGE" in xml and 'w:fldCharType="begin"' in xml
        assert paragraph.text.startswith("— ") and paragraph.text.endswith(" —")
        assert paragraph.alignment == align
        assert all(run.font.size == Pt(14) for run in paragraph.runs)


def test_attachments_are_listed_after_the_body() -> None:
    _, doc = _open("reply_granted", attachments=["低保资金发放情况表", "送达回证"])
    texts = _texts(doc)
    assert "附件：1.低保资金发放情况表" in texts
    assert "　　　2.送达回证" in texts
    assert texts.index("附件：1.低保资金发放情况表") < texts.index("2026年11月27日")


def test_fonts_fall_back_to_what_is_installed() -> None:
    server = LetterFonts.detect(frozenset({"Noto Serif CJK SC"}))
    assert (server.title, server.body, server.number, server.subheading) == (
        "Noto Serif CJK SC",
    ) * 4
    office = LetterFonts.detect(frozenset({"华文中宋", "仿宋", "宋体", "Noto Serif CJK SC"}))
    assert (office.title, office.body, office.number) == ("华文中宋", "仿宋", "宋体")
    assert LetterFonts.detect(frozenset()) == LetterFonts.standard()
