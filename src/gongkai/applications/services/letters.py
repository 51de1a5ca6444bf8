"""Letters for an application (告知书、答复书), composed by ``gongkai.letters`` and stored.

The case's facts fill the template (``base_context``); the handler adds what only a person can
write (reasons, the provision method, …, see ``gongkai.letters.catalog.VARIABLES``). The DOCX
is stored under MEDIA_ROOT/letters/<year>/; the PDF is made on demand where a CJK font exists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError

from gongkai.applications.models import Application
from gongkai.applications.services.common import today
from gongkai.applications.services.steps import ApplicationStep
from gongkai.law.applicants import Channel
from gongkai.letters.catalog import LETTERS
from gongkai.letters.compose import compose_letter, compose_reply
from gongkai.letters.model import Letter, LetterRenderError
from gongkai.letters.models import IssuedLetter
from gongkai.letters.store import issue, pdf_of

__all__ = ["base_context", "compose_for", "generate_letter", "letter_pdf"]

#: Step letters that carry no 文号 (the receipt is a slip, not a 公文).
UNNUMBERED = frozenset({"receipt"})


def base_context(application: Application) -> dict[str, Any]:
    """Return the letter variables the application itself supplies."""
    agency = application.agency
    handler = application.handler
    return {
        "agency_name": agency.name,
        "applicant_name": application.applicant_name,
        "applicant_is_org": application.is_organisation,
        "received_on": application.received_on,
        "channel": Channel(application.channel).label_zh,
        "request_summary": application.description,
        "query_code": application.tracking_code_display,
        "due_on": application.due_on,
        "contact_person": (handler.display_name or handler.username) if handler else "",
    }


#: The 文号 of the letters of 依申请公开: 县政府办公室公开〔2026〕3号.
SERIES = "公开"
NUMBER_FORMAT = "{agency}公开〔{year}〕{serial}号"


def compose_for(
    application: Application,
    key: str,
    context: Mapping[str, Any] | None = None,
    *,
    disposition: str | None = None,
    issued_on: dt.date | None = None,
    doc_number: str = "",
) -> Letter:
    """Compose (without storing) letter ``key`` — or the reply for ``disposition`` — for preview.

    Raise ValidationError under ``letter`` naming what is missing, Chinese first. A context
    with ``draft`` true (a reply awaiting approval) gives the title the mark 「（草稿）」.
    """
    ctx = {**base_context(application), **(context or {})}
    draft = bool(ctx.pop("draft", False))
    ctx.setdefault("date_style", letter_date_style())
    if draft:  # where the seal will go; an issued letter prints none (GB/T 9704 §7.3.5)
        ctx.setdefault("seal", "（印章）")
    ctx["issued_on"] = issued_on or ctx.get("issued_on") or today()
    ctx["doc_number"] = doc_number or ctx.get("doc_number", "")
    try:
        if disposition is not None:
            letter = compose_reply(disposition, ctx)
        else:
            letter = compose_letter(key, ctx)
    except LetterRenderError as error:
        raise ValidationError({"letter": str(error)}) from None
    return replace(letter, title=f"{letter.title}（草稿）") if draft else letter


def letter_date_style() -> str:
    """``GONGKAI_LETTER_DATE_STYLE``: "arabic" (GB/T 9704-2012, the default) or "chinese"."""
    style = getattr(settings, "GONGKAI_LETTER_DATE_STYLE", "arabic") or "arabic"
    if style not in ("arabic", "chinese"):
        raise ImproperlyConfigured(
            f"GONGKAI_LETTER_DATE_STYLE 应为 arabic 或 chinese，实际为 {style!r} / "
            "GONGKAI_LETTER_DATE_STYLE must be arabic or chinese"
        )
    return style


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def store_letter(
    application: Application,
    *,
    actor: Any,
    key: str,
    context: Mapping[str, Any] | None = None,
    disposition: str | None = None,
    issued_on: dt.date | None = None,
    draft: bool = False,
) -> IssuedLetter:
    """Compose, number, render and store a letter (inside the caller's transaction; no checks).

    A ``draft`` (a reply awaiting approval) gets no 文号 and is marked 草稿 in its title and file.
    """
    issued_on = issued_on or today()
    # the style it was issued in, so a PDF made later says the same date the same way
    context = {"date_style": letter_date_style(), **(context or {})}
    if draft:
        context = {**context, "draft": True}
    letter_key = key
    if disposition is not None:
        from gongkai.law.dispositions import Disposition

        letter_key = Disposition(disposition).info.letter
    stored = _jsonable({**(context or {}), **({"ground": disposition} if disposition else {})})
    return issue(
        record=application,
        agency=application.agency,
        actor=actor,
        key=letter_key,
        compose=lambda number: compose_for(
            application,
            letter_key,
            context,
            disposition=disposition,
            issued_on=issued_on,
            doc_number=number,
        ),
        context=stored,
        issued_on=issued_on,
        series="" if letter_key in UNNUMBERED else SERIES,
        number_format=NUMBER_FORMAT,
        draft=draft,
    )


class GenerateLetter(ApplicationStep):
    """Generate and store a step letter (登记回执, 征询函, …) on demand; staff of the agency only."""

    action = "letter"

    def validate(self) -> None:
        if self.params["key"] not in LETTERS:
            key = self.params["key"]
            raise ValidationError({"letter": f"没有名为 {key} 的文书 / no letter named {key!r}"})

    def change(self, application: Application) -> IssuedLetter:
        key = self.params["key"]
        row = store_letter(
            application,
            actor=self.actor,
            key=key,
            context=self.params.get("context"),
            issued_on=self.params.get("issued_on"),
        )
        self.label = f"生成《{row.title}》"
        self.data = {"letter": row.pk, "key": key, "number": row.number}
        return row


def generate_letter(
    *,
    actor: Any,
    application: Application,
    key: str,
    context: Mapping[str, Any] | None = None,
    issued_on: dt.date | None = None,
) -> IssuedLetter:
    return GenerateLetter(
        actor=actor, record=application, key=key, context=context, issued_on=issued_on
    ).run()


generate_letter.__doc__ = GenerateLetter.__doc__


def letter_pdf(*, letter: IssuedLetter) -> bytes:
    """Return the letter as PDF, rendering and storing it the first time.

    Raise ``LetterRenderError`` (Chinese first) where no CJK font is installed: offer the DOCX.
    """
    return pdf_of(
        letter,
        lambda: compose_for(
            letter.record,
            letter.key,
            letter.context,
            issued_on=letter.issued_on,
            doc_number=letter.number,
            disposition=None,
        ),
    )
