"""Attachments of publications: checked by content (gongkai.intake.files), text extracted."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable
from typing import Any

from gongkai.intake import files
from gongkai.publications.models import Attachment, Publication

__all__ = ["TYPES", "add_attachments", "check_attachments", "extract_text"]

logger = logging.getLogger("gongkai.publications")

#: What a publication may carry: PDF, DOCX, XLSX and images.
TYPES = frozenset({files.PDF, files.DOCX, files.XLSX, files.JPEG, files.PNG})
MAX_TEXT = 200_000


def check_attachments(uploads: Iterable[Any]) -> list[files.CheckedFile]:
    """Check uploads by content, size and name (ValidationError under ``attachments``)."""
    return files.check_files(
        [("attachment", upload) for upload in uploads], kinds={"attachment"}, types=TYPES
    )


def extract_text(checked: files.CheckedFile) -> str:
    """Return the text of a PDF, DOCX or XLSX (for search later); '' for images or on failure."""
    try:
        if checked.content_type == files.PDF:
            import pdfplumber

            with pdfplumber.open(io.BytesIO(checked.content)) as pdf:
                text = "\n".join((page.extract_text() or "") for page in pdf.pages[:200])
        elif checked.content_type == files.DOCX:
            from docx import Document

            document = Document(io.BytesIO(checked.content))
            parts = [p.text for p in document.paragraphs]
            for table in document.tables:
                for row in table.rows:
                    parts.append("\t".join(cell.text for cell in row.cells))
            text = "\n".join(parts)
        elif checked.content_type == files.XLSX:
            from openpyxl import load_workbook

            book = load_workbook(io.BytesIO(checked.content), read_only=True, data_only=True)
            parts = []
            for sheet in book.worksheets:
                for row in sheet.iter_rows(values_only=True):
                    cells = [str(v) for v in row if v not in (None, "")]
                    if cells:
                        parts.append("\t".join(cells))
            book.close()
            text = "\n".join(parts)
        else:
            return ""
    except Exception:  # a damaged file still passed the type check: keep it, without text
        logger.warning("could not read the text of an attachment (%s)", checked.content_type)
        return ""
    return text.replace("\x00", "")[:MAX_TEXT]


def add_attachments(publication: Publication, checked: list[files.CheckedFile]) -> list[str]:
    """Store checked files for ``publication`` (inside its transaction); return their names."""
    names = []
    for item in checked:
        row = Attachment(
            publication=publication,
            name=item.name[:200],
            content_type=item.content_type,
            size=len(item.content),
            text=extract_text(item),
        )
        files.store(row.file, item)
        row.save()
        names.append(row.name)
    return names
