"""Render a letter as DOCX, laid out after GB/T 9704-2012《党政机关公文格式》.

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; title 2号 (22 pt) 小标宋 centred;
body 3号 (16 pt) 仿宋, fixed 28 pt line spacing, first line indented two characters; 落款 and
成文日期 right-aligned, the signature centred over the date; page numbers 「— 1 —」 in 4号
(14 pt) 宋体, odd pages on the right and even pages on the left, one character in.
"""

from __future__ import annotations

import io
import re

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from gongkai.letters.fonts import LetterFonts
from gongkai.letters.model import Letter, signature_indents

__all__ = ["render_docx"]

TITLE_PT = 22  # 2号
BODY_PT = 16  # 3号
NUMBER_PT = 14  # 4号
LINE_PT = 28
BODY_CONDENSE_TWIPS = -5  # twentieths of a point
RED = RGBColor(0xE6, 0x00, 0x12)
GREY = RGBColor(0x99, 0x99, 0x99)
TEXT_WIDTH_PT = Mm(210 - 28 - 26).pt  # 版心 156 mm
LOWER_RULE_MM = 20  # 信函格式: the lower red double rule, 20 mm above the page's bottom edge
HEADING_1 = re.compile(r"^[一二三四五六七八九十]+、")
HEADING_2 = re.compile(r"^（[一二三四五六七八九十]+）")
#: What Word and WPS put in place of a GB/T 9704 face a PC lacks (w:altName in the font table).
ALT_NAMES = {
    "方正小标宋简体": "宋体",
    "仿宋_GB2312": "仿宋",
    "楷体_GB2312": "楷体",
    "黑体": "SimHei",
}


def render_docx(letter: Letter, *, fonts: LetterFonts | None = None) -> bytes:
    """Return the letter as a .docx file's bytes.

    The faces named are GB/T 9704's own (:meth:`LetterFonts.standard`) unless ``fonts`` says
    otherwise: the file is opened on an office PC, not on the server.
    """
    fonts = fonts or LetterFonts.standard()
    doc = Document()
    _set_defaults(doc, fonts)
    _set_page(doc, fonts, letter_style=letter.style)
    _font_table(doc, fonts)
    _letterhead(doc, letter, fonts)
    _para(doc, "", fonts.body)
    title = _para(doc, letter.title, fonts.title, size=TITLE_PT, align="center", line=36)
    title.runs[0].font.bold = fonts.title_bold
    _para(doc, "", fonts.body)
    _para(doc, f"{letter.recipient}：", fonts.body, indent=False)
    for text in letter.paragraphs:
        _body_para(doc, text, fonts)
    last = None
    if letter.remedy:
        last = _para(doc, letter.remedy, fonts.body, align="justify")
    if letter.closing:
        last = _para(doc, letter.closing, fonts.body, align="justify")
    if last is not None:
        # GB/T 9704 §7.3.5.4: the signature and date never stand alone on a page.
        last.paragraph_format.keep_with_next = True
    if letter.attachments:
        _para(doc, "", fonts.body).paragraph_format.keep_with_next = True
        for line in letter.attachment_lines():
            _para(doc, line, fonts.body).paragraph_format.keep_with_next = True
    _signature(doc, letter, fonts)
    if letter.contact_line:
        # 附注: in brackets, two characters in, on the line after the date (GB/T 9704 §7.3.6).
        _para(doc, letter.contact_line, fonts.body)
    if letter.cc:
        _para(doc, "", fonts.body)
        # 版记: rules the full width of the text block, the text one character in (§7.4.2).
        cc = _para(doc, f"\u3000抄送：{letter.cc}", fonts.body, size=NUMBER_PT, indent=False)
        _border(cc, "top", "single", 4, "000000")
        _border(cc, "bottom", "single", 4, "000000")
    props = doc.core_properties
    props.title = letter.title
    props.author = letter.agency
    props.subject = letter.doc_number
    props.keywords = letter.key
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _set_defaults(doc, fonts: LetterFonts) -> None:
    style = doc.styles["Normal"]
    style.font.size = Pt(BODY_PT)
    _fonts_on(style.element.get_or_add_rPr(), fonts.body)
    rpr = style.element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    rpr.append(lang)
    pf = style.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(LINE_PT)


def _set_page(doc, fonts: LetterFonts, *, letter_style: str = "letter") -> None:
    section = doc.sections[0]
    assert section.start_type == WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance = Mm(15)
    # 页码: 一字线上距版心下边缘 7 mm, so the 14 pt line ends about 23 mm above the page edge.
    section.footer_distance = Mm(23)
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], fonts, odd=True)
    _page_number(section.even_page_footer.paragraphs[0], fonts, odd=False)
    if letter_style == "letter":
        # 信函格式 (GB/T 9704-2012 §10.1): no page number on the first page, and a red double
        # rule (thin over thick) 20 mm above the bottom edge of the page.
        section.different_first_page_header_footer = True
        section.footer_distance = Mm(LOWER_RULE_MM)
        first = section.first_page_footer.paragraphs[0]
        first.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        first.paragraph_format.line_spacing = Pt(2)
        _border(first, "top", "thinThickMediumGap", 18, "E60012")
        # the odd and even footers keep their place (the distance is per section)
        for footer in (section.footer, section.even_page_footer):
            footer.paragraphs[0].paragraph_format.space_after = Mm(23 - LOWER_RULE_MM)


def _page_number(paragraph, fonts: LetterFonts, *, odd: bool) -> None:
    pf = paragraph.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    pf.first_line_indent = Pt(0)
    if odd:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        pf.right_indent = Pt(NUMBER_PT)
    else:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
        pf.left_indent = Pt(NUMBER_PT)
    _run(paragraph, "— ", fonts.number, NUMBER_PT)
    run = _run(paragraph, "", fonts.number, NUMBER_PT)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1")):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == " PAGE ":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._r.append(el)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)
    _run(paragraph, " —", fonts.number, NUMBER_PT)


def _letterhead(doc, letter: Letter, fonts: LetterFonts) -> None:
    """Print the 发文机关标志 in red, then the 文号 and the red rule (信函 or 文件 layout)."""
    size = max(22, min(36, int(TEXT_WIDTH_PT // max(len(letter.agency), 1))))
    head = _para(doc, letter.agency, fonts.title, size=size, align="center", line=size + 12)
    head.runs[0].font.color.rgb = RED
    head.runs[0].font.bold = fonts.title_bold
    if letter.style == "letter":
        # 信函格式: a red double rule (thick over thin) under the agency, 文号 flush right below.
        _border(head, "bottom", "thickThinMediumGap", 18, "E60012")
        number = _para(doc, letter.doc_number, fonts.body, align="right", indent=False)
        number.paragraph_format.space_before = Pt(6)
    else:
        # 文件格式: 文号 centred, a single red rule the width of the text block 4 mm below.
        _para(doc, "", fonts.body)
        number = _para(doc, letter.doc_number, fonts.body, align="center", indent=False)
        number.paragraph_format.space_after = Mm(4)
        _border(number, "bottom", "single", 12, "E60012")


def _signature(doc, letter: Letter, fonts: LetterFonts) -> None:
    """落款: the signature centred over the date; the date four characters in from the right."""
    date, name = letter.date_text, letter.signature
    seal_right, name_right, date_right = signature_indents(name, date, letter.seal)
    _para(doc, "", fonts.body).paragraph_format.keep_with_next = True
    seal = _para(doc, letter.seal, fonts.body, align="right", indent=False)
    seal.paragraph_format.keep_with_next = True
    seal.paragraph_format.right_indent = Pt(BODY_PT * seal_right)
    if seal.runs:
        seal.runs[0].font.color.rgb = GREY
    sig = _para(doc, name, fonts.body, align="right", indent=False)
    sig.paragraph_format.right_indent = Pt(BODY_PT * name_right)
    sig.paragraph_format.keep_with_next = True
    day = _para(doc, date, fonts.body, align="right", indent=False)
    day.paragraph_format.right_indent = Pt(BODY_PT * date_right)


def _body_para(doc, text: str, fonts: LetterFonts):
    """A body paragraph; a heading at its start (「一、」 黑体, 「（一）」 楷体) up to its first
    full stop is set in the heading's face, the rest in the body's (GB/T 9704-2012 §7.3.3)."""
    level = HEADING_1.match(text) and fonts.heading or HEADING_2.match(text) and fonts.subheading
    if not level:
        return _para(doc, text, fonts.body, align="justify")
    stop = text.find("。")
    head, rest = (text, "") if stop < 0 else (text[: stop + 1], text[stop + 1 :])
    paragraph = _para(doc, head, level, align="justify")
    if rest:
        _run(paragraph, rest, fonts.body, BODY_PT)
    return paragraph


def _font_table(doc, fonts: LetterFonts) -> None:
    """Declare the faces with their GB2312 charset and the face Word/WPS falls back to."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from lxml import etree

    table = next(
        (r.target_part for r in doc.part.rels.values() if r.reltype == RT.FONT_TABLE), None
    )
    if table is None:
        return
    root = etree.fromstring(table.blob)
    known = {el.get(qn("w:name")) for el in root.findall(qn("w:font"))}
    for face in dict.fromkeys((fonts.title, fonts.body, fonts.heading, fonts.subheading)):
        if face in known:
            continue
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), face)
        if face in ALT_NAMES:
            etree.SubElement(font, qn("w:altName")).set(qn("w:val"), ALT_NAMES[face])
        etree.SubElement(font, qn("w:charset")).set(qn("w:val"), "86")  # GB2312
        family = "modern" if face == fonts.heading else "roman"
        etree.SubElement(font, qn("w:family")).set(qn("w:val"), family)
    table._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


def _para(doc, text, face, *, size=BODY_PT, align="left", line=LINE_PT, indent=None):
    """Add a paragraph; body-like paragraphs (left or justified) get the two-character indent."""
    paragraph = doc.add_paragraph()
    paragraph.alignment = _ALIGN[align]
    pf = paragraph.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(line)
    if indent is None:
        indent = align in ("left", "justify") and bool(text)
    if indent:
        pf.first_line_indent = Pt(size * 2)
        ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
        ind.set(qn("w:firstLineChars"), "200")
    if text:
        _run(paragraph, text, face, size)
    return paragraph


def _run(paragraph, text, face, size):
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    rpr = run._r.get_or_add_rPr()
    _fonts_on(rpr, face)
    if size == BODY_PT:
        # 28 characters a line in the 156 mm text block (GB/T 9704 §5.2.2): 442 pt / 28 is
        # 15.8 pt a character, so condense the 16 pt characters by a quarter point.
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), str(BODY_CONDENSE_TWIPS))
        rpr.insert_element_before(spacing, *_AFTER_SPACING)
    return run


def _fonts_on(rpr, face: str) -> None:
    """Name the face for every script: w:eastAsia is what Word uses for Chinese characters."""
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), face)
    rfonts.set(qn("w:hint"), "eastAsia")


_AFTER_SPACING = (
    "w:w",
    "w:kern",
    "w:position",
    "w:sz",
    "w:szCs",
    "w:highlight",
    "w:u",
    "w:effect",
    "w:bdr",
    "w:shd",
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
)
_AFTER_PBDR = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


def _border(paragraph, side: str, kind: str, eighths: int, color: str) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        # Schema order: pBdr comes before shd, tabs, spacing, ind, jc … in w:pPr.
        ppr.insert_element_before(borders, *_AFTER_PBDR)
    edge = OxmlElement(f"w:{side}")
    edge.set(qn("w:val"), kind)
    edge.set(qn("w:sz"), str(eighths))
    edge.set(qn("w:space"), "4")
    edge.set(qn("w:color"), color)
    borders.append(edge)
