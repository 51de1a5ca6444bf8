"""Attachments: checked by content, size and name before anything is saved, then stored.

The content is checked twice: its first bytes say what it claims to be (:func:`sniff`), and
:func:`unreadable` then opens it as that — a PDF must open in PDFium with 1 to
:data:`MAX_PAGES` pages, a PNG must have every chunk intact, a JPEG must decode, and a .docx or
.xlsx must be a ZIP whose parts are what they claim (its main part declared with its content
type and parsing as that XML), at most :data:`MAX_UNPACKED_BYTES` unpacked in at most
:data:`MAX_ENTRIES` parts, every part's checksum right. None of this decodes more than the file
says it holds: a PDF's page streams are not read, a PNG's pixels are not unpacked, a JPEG is
decoded at an eighth of its size, and the ZIP's unpacked size is checked before anything is
unpacked.

``check_files`` takes ``(kind, uploaded file)`` pairs and returns :class:`CheckedFile`s or
raises one ValidationError under ``attachments`` naming every bad file (Chinese first).
:func:`store` writes a checked file under a random name and registers it with
:func:`gongkai.records.files.remember_file`, so it is deleted if the change fails.
"""

from __future__ import annotations

import io
import secrets
import zipfile
import zlib
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db.models.fields.files import FieldFile

from gongkai.records.files import remember_file

__all__ = [
    "DOCX",
    "IMAGES_PDF_DOCX",
    "JPEG",
    "MAX_FILE_BYTES",
    "PDF",
    "PNG",
    "XLSX",
    "CheckedFile",
    "check_files",
    "sniff",
    "store",
    "unreadable",
]

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_FILES = 10
#: Most pages of an attached PDF (an ID copy or a letter of authorisation has a few).
MAX_PAGES = 500
#: Most pixels of an attached image (an A4 page scanned at 600 dpi is about 35 million).
MAX_PIXELS = 80_000_000
#: Most bytes a .docx or .xlsx may unpack to, and most parts in it.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_ENTRIES = 2000

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: What a citizen's application may carry.
IMAGES_PDF_DOCX = frozenset({PDF, JPEG, PNG, DOCX})

EXTENSIONS = {
    PDF: (".pdf",),
    JPEG: (".jpg", ".jpeg"),
    PNG: (".png",),
    DOCX: (".docx",),
    XLSX: (".xlsx",),
}
NAMES = {PDF: "PDF", JPEG: "JPG", PNG: "PNG", DOCX: "DOCX", XLSX: "XLSX"}


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed the checks: its kind, name, detected type and content."""

    kind: str
    name: str
    content_type: str
    content: bytes

    @property
    def suffix(self) -> str:
        return self.name.rsplit(".", 1)[-1].lower()


def sniff(content: bytes) -> str | None:
    """Return the content type the bytes really are (PDF, JPEG, PNG, DOCX, XLSX), or None."""
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        if "word/document.xml" in names:
            return DOCX
        if "xl/workbook.xml" in names:
            return XLSX
    return None


#: The main part of an Office file and the content type [Content_Types].xml must give it.
MAIN_PARTS = {
    DOCX: (
        "word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "document",
    ),
    XLSX: (
        "xl/workbook.xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        "workbook",
    ),
}


def _xml(data: bytes):
    """Parse ``data`` as XML without entities, network or huge trees (lxml)."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    return etree.fromstring(data, parser)


def _pdf_problem(content: bytes) -> str | None:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(content)
    except pdfium.PdfiumError:
        return "无法作为PDF文件打开 / does not open as a PDF"
    try:
        pages = len(document)
    finally:
        document.close()
    if pages < 1:
        return "PDF文件没有页面 / the PDF has no pages"
    if pages > MAX_PAGES:
        return (
            f"PDF文件共{pages}页，超过{MAX_PAGES}页 / the PDF has {pages} pages (limit {MAX_PAGES})"
        )
    return None


def _image_problem(content: bytes, detected: str) -> str | None:
    from PIL import Image

    name = NAMES[detected]
    try:
        with Image.open(io.BytesIO(content)) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                return (
                    f"图片为{width}×{height}像素，过大 / the image is {width}×{height} pixels "
                    f"(limit {MAX_PIXELS:,})"
                )
            if detected == PNG:
                image.verify()  # every chunk and its checksum; the pixels stay packed
            else:
                image.draft("L", (max(width // 8, 1), max(height // 8, 1)))
                image.load()  # the whole JPEG stream, decoded at an eighth of its size
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError, zlib.error):
        return f"无法作为{name}图片打开 / does not open as a {name} image"
    return None


def _office_problem(content: bytes, detected: str) -> str | None:
    name = NAMES[detected]
    part, content_type, root = MAIN_PARTS[detected]
    broken = f"不是完整的{name}文件（内容损坏或部件不符） / not a sound {name} file"
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            infos = archive.infolist()
            unpacked = sum(info.file_size for info in infos)
            if len(infos) > MAX_ENTRIES or unpacked > MAX_UNPACKED_BYTES:
                return (
                    f"{name}文件解压后达{unpacked // (1024 * 1024)}MB、{len(infos)}个部件，"
                    f"疑似压缩炸弹 / the {name} file unpacks to {unpacked // (1024 * 1024)} MB "
                    f"in {len(infos)} parts: a decompression bomb"
                )
            if archive.testzip() is not None:  # bounded: the sizes were checked above
                return broken
            types = _xml(archive.read("[Content_Types].xml"))
            declared = {
                o.get("PartName", "").lstrip("/"): o.get("ContentType")
                for o in types
                if str(o.tag).endswith("}Override")
            }
            if declared.get(part) != content_type:
                return broken
            main = _xml(archive.read(part))
            if str(main.tag).rpartition("}")[2] != root:
                return broken
    # SyntaxError: lxml's XMLSyntaxError (an unparsable part)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError, SyntaxError, zlib.error):
        return broken
    return None


def unreadable(content: bytes, detected: str) -> str | None:
    """Open ``content`` as the ``detected`` type; return why it does not open, or None."""
    if detected == PDF:
        return _pdf_problem(content)
    if detected in (PNG, JPEG):
        return _image_problem(content, detected)
    return _office_problem(content, detected)


def _accepted(types: Collection[str]) -> str:
    names = "、".join(NAMES[t] for t in sorted(types, key=list(NAMES).index))
    return f"只接受{names}文件（按文件内容判断） / only {names.replace('、', ', ')} files are accepted (checked by content)"


def check_files(
    files: Iterable[tuple[str, Any]],
    *,
    kinds: Collection[str],
    types: Collection[str] = IMAGES_PDF_DOCX,
    max_bytes: int = MAX_FILE_BYTES,
    max_files: int = MAX_FILES,
) -> list[CheckedFile]:
    """Check ``(kind, uploaded file)`` pairs: ``kind`` one of ``kinds``, the content one of
    ``types`` with a matching extension, at most ``max_bytes`` each, at most ``max_files``.

    Raise one ValidationError under ``attachments`` naming every bad file.
    """
    checked: list[CheckedFile] = []
    problems: list[str] = []
    files = list(files)
    megabytes = max_bytes // (1024 * 1024)
    if len(files) > max_files:
        problems.append(f"附件不能超过{max_files}个 / at most {max_files} files")
    for kind, upload in files:
        name = (getattr(upload, "name", "") or "file").replace("\x00", "")
        if kind not in kinds:
            problems.append(f"{name}：附件类型无效 / unknown attachment kind {kind!r}")
            continue
        size = getattr(upload, "size", None)
        if size is not None and size > max_bytes:
            problems.append(f"{name}：文件超过{megabytes}MB / larger than {megabytes} MB")
            continue
        if hasattr(upload, "seek"):
            upload.seek(0)
        content = upload.read(max_bytes + 1)
        if len(content) > max_bytes:
            problems.append(f"{name}：文件超过{megabytes}MB / larger than {megabytes} MB")
            continue
        detected = sniff(content)
        suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if detected not in types or suffix not in EXTENSIONS[detected]:
            problems.append(f"{name}：{_accepted(types)}")
            continue
        problem = unreadable(content, detected)
        if problem:
            problems.append(f"{name}：{problem}")
            continue
        checked.append(CheckedFile(kind, name, detected, content))
    if problems:
        raise ValidationError({"attachments": problems})
    return checked


def store(field_file: FieldFile, checked: CheckedFile) -> None:
    """Write ``checked`` into ``field_file`` under a random name (the model is not saved)."""
    field_file.save(
        f"{secrets.token_hex(8)}.{checked.suffix}", ContentFile(checked.content), save=False
    )
    remember_file(field_file)
