"""Letters as an office expects them: an issued reply carries no 「（印章）」 placeholder and its
date in Arabic numerals; a draft is marked and kept out of the list of issued letters; the
applicant downloads the issued reply as PDF (DOCX if the office allows), named by its 文号."""

import io
import zipfile
from urllib.parse import unquote

import pdfplumber
import pytest
from django.utils import timezone

from gongkai.applications import services as s
from gongkai.applications.models import Application
from gongkai.testing import factories as f


@pytest.fixture
def approver(office):
    return f.staff("approver", office, "approver")


@pytest.fixture
def answered(office, clerk, approver):
    application = f.received_application(
        actor=clerk, agency_obj=office, received_on=timezone.localdate()
    )
    s.draft_reply(actor=clerk, application=application, disposition="not_exist")
    draft = Application.objects.get(pk=application.pk).reply_draft.letter
    s.approve_reply(actor=approver, application=Application.objects.get(pk=application.pk))
    return Application.objects.get(pk=application.pk), draft


def document_xml(letter) -> str:
    with letter.docx.open("rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as z:
        return z.read("word/document.xml").decode()


def test_the_issued_reply_has_no_seal_placeholder_and_an_arabic_date(answered):
    application, draft = answered
    letter = application.reply.letter
    xml = document_xml(letter)
    issued = letter.issued_on
    assert "（印章）" not in xml
    assert f"{issued.year}年{issued.month}月{issued.day}日" in xml
    assert 'w:eastAsia="仿宋_GB2312"' in xml
    assert "（印章）" in document_xml(draft)  # the draft shows where the seal goes


def test_the_chinese_numeral_date_is_selectable(settings, office, clerk):
    settings.GONGKAI_LETTER_DATE_STYLE = "chinese"
    application = f.received_application(
        actor=clerk, agency_obj=office, received_on=timezone.localdate()
    )
    letter = s.generate_letter(actor=clerk, application=application, key="receipt")
    assert "〇" in document_xml(letter) and letter.context["date_style"] == "chinese"


def test_drafts_are_not_listed_beside_issued_letters(client, clerk, answered):
    application, draft = answered
    client.force_login(clerk)
    html = client.get(f"/staff/applications/{application.pk}/").content.decode()
    section = html.split('id="letters-heading"', 1)[1]
    assert application.reply.letter.title in section
    assert draft.title not in section  # 「…（草稿）」


def test_the_applicant_downloads_the_pdf_named_by_its_number(client, answered):
    application, _draft = answered
    letter = application.reply.letter
    assert letter.number
    client.post("/apply/status/", {"code": application.tracking_code})
    page = client.get("/apply/status/view/").content.decode()
    assert 'id="reply-pdf"' in page and "PDF" in page
    response = client.get("/apply/status/reply.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    disposition = unquote(response["Content-Disposition"])
    assert f"{letter.number} {letter.title}.pdf" in disposition
    with pdfplumber.open(io.BytesIO(response.content)) as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages)
    assert letter.number.replace(" ", "") in text.replace(" ", "")
    docx = client.get("/apply/status/reply.docx")
    assert docx.status_code == 200
    assert f"{letter.number} {letter.title}.docx" in unquote(docx["Content-Disposition"])


def test_docx_for_applicants_can_be_turned_off(client, settings, answered):
    settings.GONGKAI_APPLICANT_DOCX = False
    application, _draft = answered
    client.post("/apply/status/", {"code": application.tracking_code})
    assert 'id="reply-docx"' not in client.get("/apply/status/view/").content.decode()
    assert client.get("/apply/status/reply.docx").status_code == 404
    assert client.get("/apply/status/reply.pdf").status_code == 200
