"""Attachments are checked by opening them as what their first bytes claim
(gongkai.intake.files): the magic bytes alone no longer pass. Real files pass; a file that
merely starts like a PDF, PNG, JPEG or .docx, an Office ZIP whose parts are not what they
claim, a decompression bomb and a PDF with too many pages are refused, naming the file, Chinese
first."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.intake.files import MAX_PAGES, check_files
from gongkai.testing.files import docx_bytes, jpeg_bytes, pdf_bytes, png_bytes

KINDS = {"id_copy"}


def refusal(name: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        check_files([("id_copy", SimpleUploadedFile(name, content))], kinds=KINDS)
    [message] = caught.value.message_dict["attachments"]
    assert message.startswith(f"{name}：")
    chinese, _, english = message.partition(" / ")
    assert any("\u4e00" <= ch <= "\u9fff" for ch in chinese) and english.isascii()
    return message


def office(parts: dict[str, bytes | str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def real_docx_parts() -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(docx_bytes())) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("身份证.pdf", pdf_bytes()),
        ("委托书.pdf", pdf_bytes(pages=3)),
        ("身份证.png", png_bytes(b"x")),
        ("身份证.jpg", jpeg_bytes()),
        ("委托书.docx", docx_bytes()),
    ],
)
def test_real_files_pass(name, content):
    [checked] = check_files([("id_copy", SimpleUploadedFile(name, content))], kinds=KINDS)
    assert checked.content == content


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("假.pdf", b"%PDF-1.4\n%%EOF\n", "无法作为PDF文件打开"),
        ("程序.pdf", b"%PDF-1.7\n" + b"MZ\x90\x00" * 1000, "无法作为PDF文件打开"),
        ("假.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "无法作为PNG图片打开"),
        ("假.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64, "无法作为JPG图片打开"),
        ("零页.pdf", pdf_bytes(pages=0), "PDF"),  # PDFium does not open it, or it has no pages
        ("多页.pdf", pdf_bytes(pages=MAX_PAGES + 1), f"超过{MAX_PAGES}页"),
    ],
)
def test_files_that_only_start_right_are_refused(name, content, says):
    assert says in refusal(name, content)


def test_a_png_with_a_broken_chunk_is_refused():
    good = png_bytes(b"x")
    at = good.index(b"IDAT") + 4  # the first byte of the pixel data
    broken = good[:at] + bytes([good[at] ^ 0xFF]) + good[at + 1 :]
    assert "无法作为PNG图片打开" in refusal("坏.png", broken)


def test_a_zip_with_a_word_part_name_is_not_a_docx():
    # what used to pass: any ZIP holding word/document.xml
    assert "不是完整的DOCX文件" in refusal(
        "假.docx", office({"word/document.xml": "<w:document/>"})
    )


@pytest.mark.parametrize(
    "change",
    [
        "not xml",  # the main part does not parse
        "other root",  # it parses, but is not a document
        "macros",  # [Content_Types].xml declares another kind of document
        "no types",  # no [Content_Types].xml at all
    ],
)
def test_a_docx_whose_parts_are_not_what_they_claim_is_refused(change):
    parts = real_docx_parts()
    if change == "not xml":
        parts["word/document.xml"] = b"MZ\x90\x00 an executable"
    elif change == "other root":
        parts["word/document.xml"] = b'<?xml version="1.0"?><html><body/></html>'
    elif change == "macros":
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            b"document.main+xml", b"document.macroEnabled.main+xml"
        )
    else:
        del parts["[Content_Types].xml"]
    assert "不是完整的DOCX文件" in refusal("委托书.docx", office(parts))


def test_a_docx_that_unpacks_to_more_than_the_limit_is_refused_unpacked():
    parts = real_docx_parts()
    parts["word/media/padding.bin"] = b"\x00" * (101 * 1024 * 1024)
    bomb = office(parts)
    assert len(bomb) < 1024 * 1024  # a small upload
    assert "压缩炸弹" in refusal("炸弹.docx", bomb)


def test_a_docx_whose_part_lies_about_its_size_is_refused():
    parts = real_docx_parts()
    content = bytearray(office(parts))
    # make the central directory claim document.xml is 1 byte long: its checksum then fails
    name = b"word/document.xml"
    at = content.index(b"PK\x01\x02")  # the central directory's first entry
    while content[at + 46 : at + 46 + len(name)] != name:
        at = content.index(b"PK\x01\x02", at + 4)
    content[at + 24 : at + 28] = struct.pack("<I", 1)
    assert "不是完整的DOCX文件" in refusal("短.docx", bytes(content))
