"""Issued letters: 文号 unique per agency, series and year by a database constraint."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from gongkai.letters.compose import compose_letter
from gongkai.letters.models import IssuedLetter
from gongkai.letters.samples import sample_context
from gongkai.letters.store import issue, letters_of
from gongkai.testing import factories as f


def _issue(record, agency, *, series="公开", draft=False, on=date(2026, 3, 2)):
    context = {**sample_context("receipt"), "agency_name": agency.name}
    with transaction.atomic():
        return issue(
            record=record,
            agency=agency,
            actor=None,
            key="receipt",
            compose=lambda number: compose_letter("receipt", {**context, "doc_number": number}),
            context=context,
            issued_on=on,
            series=series,
            number_format="{agency}公开〔{year}〕{serial}号",
            draft=draft,
        )


def test_numbers_run_per_agency_series_and_year(db):
    office = f.agency("office", "城口县人民政府办公室", short_name="县政府办公室")
    police = f.agency("police", "城口县公安局")
    one, two = _issue(office, office), _issue(office, office)
    other = _issue(police, police)
    next_year = _issue(office, office, on=date(2027, 1, 4))
    assert (one.number, two.number) == (
        "县政府办公室公开〔2026〕1号",
        "县政府办公室公开〔2026〕2号",
    )
    assert other.number_serial == 1 and next_year.number_serial == 1
    assert list(letters_of(office)) == [one, two, next_year]


def test_a_draft_has_no_number_and_the_database_refuses_a_clash(db):
    office = f.agency("office", "城口县人民政府办公室")
    draft = _issue(office, office, draft=True)
    assert draft.number == "" and draft.number_serial is None
    first = _issue(office, office)
    clash = IssuedLetter(
        agency=office,
        content_type=first.content_type,
        object_id=office.pk,
        key="receipt",
        title="x",
        series="公开",
        number="重复",
        number_year=2026,
        number_serial=first.number_serial,
        issued_on=date(2026, 3, 2),
        docx=first.docx.name,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        clash.save()
    numbered_draft = IssuedLetter(
        agency=office,
        content_type=first.content_type,
        object_id=office.pk,
        key="receipt",
        title="x",
        number="某号",
        draft=True,
        issued_on=date(2026, 3, 2),
        docx=first.docx.name,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        numbered_draft.save()
