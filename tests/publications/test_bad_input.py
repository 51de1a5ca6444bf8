"""Bad input gets a clear message, Chinese first, and nothing is half-saved (no row, no file)."""

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from gongkai.auditlog.models import AuditEntry
from gongkai.intake.files import MAX_FILE_BYTES
from gongkai.publications import services as s
from gongkai.publications.models import Attachment, Publication
from tests.publications.conftest import draft_data, publish, walk_to_approved

pytestmark = pytest.mark.django_db


def docx_bytes(text: str) -> bytes:
    document = Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def refused(clerk, office, field, **overrides):
    with pytest.raises(ValidationError) as caught:
        s.create_draft(actor=clerk, agency=office, data=draft_data(**overrides))
    assert not Publication.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="publication").exists()
    message = " ".join(caught.value.message_dict[field])
    assert " / " in message and message.split(" / ")[0].strip()  # Chinese first, then English
    return message


def test_unknown_category_and_topic(office, clerk):
    assert "公开目录" in refused(clerk, office, "category", category="a99-99")
    assert "主题分类" in refused(clerk, office, "topic", topic="没有这个分类")


def test_dates_out_of_order(office, clerk):
    message = refused(
        clerk, office, "effective_on", written_on="2020-05-01", effective_on="2020-04-01"
    )
    assert "成文日期" in message
    assert "生效" in refused(
        clerk, office, "repealed_on", effective_on="2020-02-01", repealed_on="2020-01-20"
    )
    assert "有效日期" in refused(clerk, office, "written_on", written_on="2020-02-30")


def test_a_repealed_item_needs_its_date(office, clerk):
    assert "废止日期" in refused(clerk, office, "repealed_on", validity="repealed")


def test_unknown_choice_lists_the_allowed_values(office, clerk):
    assert "主动公开" in refused(clerk, office, "attribute", attribute="公开一半")


@pytest.mark.parametrize(
    "body",
    [
        "<p>通知</p><script>alert(1)</script>",
        '<p onclick="steal()">通知</p>',
        '<a href="javascript:alert(1)">附件</a>',
        "<iframe src=//evil></iframe>",
    ],
)
def test_a_body_with_a_script_is_refused(office, clerk, body):
    assert "脚本" in refused(clerk, office, "body", body=body)


def test_harmless_markup_is_kept_and_cleaned(office, clerk):
    item = s.create_draft(
        actor=clerk,
        agency=office,
        data=draft_data(body='<p style="color:red">正文</p><table><tr><td>1</td></tr></table>'),
    )
    assert item.body.startswith("<p>正文</p>") and "<td>1</td>" in item.body


def test_a_disguised_attachment_is_refused(office, clerk, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    fake = SimpleUploadedFile("通知.pdf", b"MZ\x90\x00 this is an executable")
    with pytest.raises(ValidationError) as caught:
        s.create_draft(actor=clerk, agency=office, data=draft_data(), attachments=[fake])
    assert "按文件内容判断" in caught.value.message_dict["attachments"][0]
    assert not Publication.objects.exists() and not Attachment.objects.exists()
    assert not list(tmp_path.rglob("*.*"))


def test_a_docx_named_pdf_is_refused(office, clerk):
    wrong = SimpleUploadedFile("通知.pdf", docx_bytes("正文"))
    with pytest.raises(ValidationError):
        s.create_draft(actor=clerk, agency=office, data=draft_data(), attachments=[wrong])
    assert not Publication.objects.exists()


def test_an_oversized_attachment_is_refused(office, clerk):
    big = SimpleUploadedFile("大文件.pdf", b"%PDF-1.4\n" + b"0" * MAX_FILE_BYTES)
    with pytest.raises(ValidationError) as caught:
        s.create_draft(actor=clerk, agency=office, data=draft_data(), attachments=[big])
    assert "MB" in caught.value.message_dict["attachments"][0]
    assert not Publication.objects.exists()


def test_attachment_text_is_extracted_for_search(office, clerk, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    good = SimpleUploadedFile("实施细则.docx", docx_bytes("复工复产补贴申领条件"))
    item = s.create_draft(actor=clerk, agency=office, data=draft_data(), attachments=[good])
    attachment = Attachment.objects.get(publication=item)
    assert "复工复产补贴申领条件" in attachment.text
    assert attachment.file.read()[:2] == b"PK"


def test_an_index_number_clash_is_refused_by_name(office, clerk, approver, settings):
    settings.GONGKAI_INDEX_NUMBER_PATTERN = "{agency_code}/{year}-fixed"
    first = s.create_draft(actor=clerk, agency=office, data=draft_data())
    walk_to_approved(first, clerk, approver)
    publish(first, clerk)
    second = s.create_draft(actor=clerk, agency=office, data=draft_data(title="另一条"))
    walk_to_approved(second, clerk, approver)
    with pytest.raises(ValidationError) as caught:
        publish(second, clerk, day=date(2020, 1, 16))
    assert "索引号" in caught.value.message_dict["index_number"][0]
    second.refresh_from_db()
    assert second.state == "approved" and second.index_number is None
    assert not second.placements.exists()


def test_an_unknown_channel_publishes_nothing(office, clerk, approver):
    item = s.create_draft(actor=clerk, agency=office, data=draft_data())
    walk_to_approved(item, clerk, approver)
    with pytest.raises(ValidationError) as caught:
        publish(item, clerk, channels=("website", "carrier-pigeon"))
    assert "渠道" in caught.value.message_dict["placements"][0]
    item.refresh_from_db()
    assert item.state == "approved" and not item.placements.exists()
