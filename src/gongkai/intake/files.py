"""Attachments: checked by content, size and name before anything is saved, then stored.

``check_files`` takes ``(kind, uploaded file)`` pairs and returns :class:`CheckedFile`s or
raises one ValidationError under ``attachments`` naming every bad file (Chinese first).
:func:`store` writes a checked file under a random name and registers it with
:func:`gongkai.records.files.remember_file`, so it is deleted if the change fails.
"""

from __future__ import annotations

import io
import secrets
import zipfile
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
]

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_FILES = 10

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
