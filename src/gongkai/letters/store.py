"""Issuing letters: number, render and store a composed letter for a record of an agency.

Any app issues its letters here (依申请公开 replies and notices, mailbox replies, publication
notices): :func:`issue` takes a composed :class:`~gongkai.letters.model.Letter` — built from
the app's template and context — and stores it with its 文号 and the context it came from.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import models
from django.db.models import Max

from gongkai.auditlog.services import jsonable
from gongkai.intake.numbering import next_number
from gongkai.letters.docx import render_docx
from gongkai.letters.model import Letter, LetterRenderError
from gongkai.letters.models import IssuedLetter
from gongkai.letters.pdf import pdf_available, render_pdf
from gongkai.records.files import remember_file

__all__ = ["issue", "letters_of", "number_letter", "pdf_of"]


def number_letter(*, agency: Any, series: str, year: int) -> int:
    """Take the next serial of ``series`` for the agency and year (inside the transaction)."""
    return next_number(
        agency_id=agency.pk,
        series=f"letter:{series}",
        year=year,
        start_after=lambda: IssuedLetter.objects.filter(
            agency=agency, series=series, number_year=year
        ).aggregate(n=Max("number_serial"))["n"],
    )


def issue(
    *,
    record: models.Model,
    agency: Any,
    actor: Any,
    key: str,
    compose: Callable[[str], Letter],
    context: Mapping[str, Any],
    issued_on: dt.date,
    series: str = "",
    number_format: str = "",
    draft: bool = False,
    file_stem: str = "",
) -> IssuedLetter:
    """Number, render and store the letter ``compose(number)`` returns (inside the transaction).

    ``series`` and ``number_format`` (e.g. ``"{agency}公开〔{year}〕{serial}号"``) give it a 文号;
    a draft, or a letter without a series, has none (``compose`` marks a draft's title). ``context`` is stored as JSON so the
    letter can be rendered again.
    """
    serial = None
    number = ""
    if series and not draft:
        serial = number_letter(agency=agency, series=series, year=issued_on.year)
        name = agency.short_name or agency.name
        number = number_format.format(agency=name, year=issued_on.year, serial=serial)
    letter = compose(number)
    row = IssuedLetter(
        agency=agency,
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        key=key,
        title=letter.title[:120],
        series=series,
        number=number,
        number_year=issued_on.year if serial else None,
        number_serial=serial,
        issued_on=issued_on,
        draft=draft,
        context=jsonable(dict(context)),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    mark = "-draft" if draft else ""
    stem = file_stem or f"{record._meta.model_name}-{record.pk}"
    row.docx.save(
        f"{stem}-{key}{mark}-{secrets.token_hex(4)}.docx",
        ContentFile(render_docx(letter)),
        save=False,
    )
    remember_file(row.docx)
    row.save()
    return row


def letters_of(record: models.Model):
    """Return the letters about ``record`` (drafts included), oldest first."""
    return IssuedLetter.objects.filter(
        content_type=ContentType.objects.get_for_model(record), object_id=record.pk
    )


def pdf_of(letter: IssuedLetter, compose: Callable[[], Letter]) -> bytes:
    """Return the letter as PDF, rendering ``compose()`` and storing it the first time.

    Raise ``LetterRenderError`` (Chinese first) where no CJK font is installed: offer the DOCX.
    """
    if letter.pdf:
        with letter.pdf.open("rb") as handle:
            return handle.read()
    if not pdf_available():
        from gongkai.letters.pdf import NO_CJK_FONT

        raise LetterRenderError(NO_CJK_FONT)
    content = render_pdf(compose())
    letter.pdf.save(
        letter.docx.name.rsplit("/", 1)[-1].replace(".docx", ".pdf"),
        ContentFile(content),
        save=False,
    )
    letter.save(update_fields=["pdf"])
    return content
