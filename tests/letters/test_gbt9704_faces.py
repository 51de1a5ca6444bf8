"""A letter's DOCX names the GB/T 9704-2012 faces, whatever the server has installed, dates
itself in Arabic numerals, and lays out the 信函格式 first page (read as XML, as Word does)."""

import io
import re
import zipfile

from gongkai.letters.compose import compose_letter
from gongkai.letters.docx import render_docx
from gongkai.letters.samples import sample_context

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def xml_of(docx: bytes, part: str) -> str:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return archive.read(part).decode("utf-8")


def runs(document_xml: str) -> list[tuple[str, str]]:
    """(east-Asian font, text) of each run of the body."""
    found = []
    for run in re.findall(r"<w:r>.*?</w:r>|<w:r .*?</w:r>", document_xml, flags=re.S):
        face = re.search(r'w:eastAsia="([^"]+)"', run)
        text = "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", run))
        found.append((face.group(1) if face else "", text))
    return found


def test_the_body_names_fangsong_gb2312_and_the_date_is_in_arabic_numerals():
    letter = compose_letter("reply_granted", sample_context("reply_granted"))
    docx = render_docx(letter)  # no fonts given: what an issued letter gets
    document = xml_of(docx, "word/document.xml")
    faces = dict((text, face) for face, text in runs(document) if text)
    assert faces[letter.paragraphs[0]] == "仿宋_GB2312"
    assert faces[letter.title] == "方正小标宋简体"
    assert re.search(r'w:eastAsia="仿宋_GB2312"', document)
    assert 'w:hint="eastAsia"' in document
    assert "2026年11月27日" in faces and faces["2026年11月27日"] == "仿宋_GB2312"
    assert "二〇二六" not in document
    styles = xml_of(docx, "word/styles.xml")
    assert 'w:eastAsia="仿宋_GB2312"' in styles  # the Normal style too


def test_the_font_table_gives_each_face_its_fallback():
    docx = render_docx(compose_letter("receipt", sample_context("receipt")))
    table = xml_of(docx, "word/fontTable.xml")
    for face, alt in (("仿宋_GB2312", "仿宋"), ("方正小标宋简体", "宋体"), ("楷体_GB2312", "楷体")):
        entry = re.search(rf'<w:font w:name="{face}">(.*?)</w:font>', table, flags=re.S)
        assert entry, face
        assert f'<w:altName w:val="{alt}"/>' in entry.group(1)
        assert '<w:charset w:val="86"/>' in entry.group(1)


def test_headings_in_the_body_are_heiti_and_kaiti():
    letter = compose_letter("reply_granted", sample_context("reply_granted"))
    letter = letter.__class__(
        **{
            **letter.__dict__,
            "paragraphs": ("一、关于申请的内容。本机关经检索。", "（一）公开的部分。其余内容。"),
        }
    )
    found = runs(xml_of(render_docx(letter), "word/document.xml"))
    assert ("黑体", "一、关于申请的内容。") in found and ("仿宋_GB2312", "本机关经检索。") in found
    assert ("楷体_GB2312", "（一）公开的部分。") in found and ("仿宋_GB2312", "其余内容。") in found


def test_the_letter_format_has_its_lower_red_rule_and_no_number_on_the_first_page():
    docx = render_docx(compose_letter("reply_granted", sample_context("reply_granted")))
    document = xml_of(docx, "word/document.xml")
    assert "<w:titlePg/>" in document  # a first page of its own
    first = re.search(r'<w:footerReference w:type="first" r:id="(rId\d+)"', document).group(1)
    rels = xml_of(docx, "word/_rels/document.xml.rels")
    target = re.search(rf'Id="{first}"[^>]*Target="([^"]+)"', rels) or re.search(
        rf'Target="([^"]+)"[^>]*Id="{first}"', rels
    )
    footer = xml_of(docx, "word/" + target.group(1))
    assert re.search(r'<w:top w:val="thinThickMediumGap"[^>]*w:color="E60012"', footer)
    assert "PAGE" not in footer
    # the other pages keep their page numbers
    assert document.count('w:type="default"') >= 1 and document.count('w:type="even"') == 1


def test_the_document_format_keeps_its_first_page_number():
    context = {**sample_context("reply_granted"), "letter_style": "document"}
    document = xml_of(render_docx(compose_letter("reply_granted", context)), "word/document.xml")
    assert "<w:titlePg/>" not in document


def test_no_seal_placeholder_unless_asked_for():
    letter = compose_letter("reply_granted", sample_context("reply_granted"))
    assert "（印章）" not in xml_of(render_docx(letter), "word/document.xml")
    draft = compose_letter("reply_granted", {**sample_context("reply_granted"), "seal": "（印章）"})
    assert "（印章）" in xml_of(render_docx(draft), "word/document.xml")
