"""Intake: validation per field with nothing half-saved, idempotency, files by content, masking."""

import logging
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.applications import services as s
from gongkai.applications.models import Application, Attachment
from gongkai.auditlog.models import AuditEntry
from gongkai.intake.codes import TRACKING_ALPHABET
from gongkai.testing import factories as f
from gongkai.testing.files import docx_bytes, pdf_bytes, png_bytes

DAY = date(2026, 3, 2)
PDF = pdf_bytes()
PNG = png_bytes()


def upload(name, content):
    return SimpleUploadedFile(name, content)


def test_online_submission_waits_for_confirmation(office, clerk):
    app = s.submit_online(agency=office, data=f.person_data(), submitted_at=f.at(DAY))
    assert app.state == "registered" and app.received_on is None and app.due_on is None
    assert app.awaiting_confirmation
    assert app.reference == "县政府办公室依申〔2026〕1号"
    assert len(app.tracking_code) == 12 and set(app.tracking_code) <= set(TRACKING_ALPHABET)
    assert s.find_by_tracking_code(app.tracking_code_display.lower()) == app
    s.confirm_receipt(actor=clerk, application=app, confirmed_on=date(2026, 3, 3))
    app.refresh_from_db()
    assert app.state == "accepted" and app.received_on == date(2026, 3, 3)
    assert app.due_on == date(2026, 3, 31)
    with pytest.raises(s.TransitionRefused):
        s.confirm_receipt(actor=clerk, application=app, confirmed_on=date(2026, 3, 4))


def test_tracking_codes_are_distinct_and_references_count_up(office):
    apps = [
        s.submit_online(agency=office, data=f.person_data(), submitted_at=f.at(DAY))
        for _ in range(5)
    ]
    assert len({a.tracking_code for a in apps}) == 5
    assert [a.reference_serial for a in apps] == [1, 2, 3, 4, 5]


def test_the_same_idempotency_key_never_creates_two(office):
    data = f.person_data()
    first = s.submit_online(agency=office, data=data, idempotency_key="k-1", submitted_at=f.at(DAY))
    again, created = s.take_online_submission(
        agency=office, data=dict(data), idempotency_key="k-1", submitted_at=f.at(DAY)
    )
    assert again.pk == first.pk and not created
    assert Application.objects.count() == 1
    assert AuditEntry.objects.filter(action="submit").count() == 1


@pytest.mark.parametrize("field", ["phone", "id_number", "applicant_name", "description"])
def test_a_reused_key_with_any_field_changed_is_refused_by_the_service(office, field):
    data = f.person_data()
    s.submit_online(agency=office, data=data, idempotency_key="k-1", submitted_at=f.at(DAY))
    changed = {**data, field: f.resident_id() if field == "id_number" else data[field] + "改"}
    if field == "phone":
        changed["phone"] = "13900009999"
    with pytest.raises(ValidationError) as refused:
        s.submit_online(agency=office, data=changed, idempotency_key="k-1")
    assert "已用于另一份内容不同的提交" in refused.value.message_dict["idempotency_key"][0]
    assert Application.objects.count() == 1


def test_staff_registration_is_idempotent_too(office, clerk):
    kwargs = dict(
        actor=clerk,
        agency=office,
        channel="registered_post",
        data=f.person_data(),
        received_on=DAY,
        idempotency_key="post-7",
    )
    assert s.register_application(**kwargs).pk == s.register_application(**kwargs).pk
    assert Application.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("id_number", "WRONG_CHECK", "校验位"),
        ("id_number", "", "证件号码"),
        ("applicant_name", "", "申请人姓名"),
        ("description", "", "特征性描述"),
        ("email", "not-an-address", "电子邮箱"),
        ("applicant_kind", "alien", "申请人类型"),
    ],
)
def test_bad_fields_are_reported_beside_the_field_and_nothing_is_saved(office, field, value, words):
    if value == "WRONG_CHECK":
        valid = f.resident_id()
        value = valid[:-1] + ("0" if valid[-1] != "0" else "1")
    data = f.person_data(**{field: value})
    with pytest.raises(ValidationError) as excinfo:
        s.submit_online(agency=office, data=data, submitted_at=f.at(DAY))
    errors = excinfo.value.message_dict
    assert field in errors, errors
    assert words in " ".join(errors[field])
    assert " / " in errors[field][0]  # Chinese first, then English
    assert Application.objects.count() == 0


def test_organisation_needs_a_valid_credit_code(office):
    with pytest.raises(ValidationError) as excinfo:
        s.submit_online(
            agency=office,
            data=f.organisation_data(credit_code="91500229MA5U00001A"),
            submitted_at=f.at(DAY),
        )
    assert "credit_code" in excinfo.value.message_dict
    app = s.submit_online(
        agency=office, data=f.organisation_data("legal_service"), submitted_at=f.at(DAY)
    )
    assert app.applicant_kind == "legal_service" and app.is_organisation and app.id_number == ""


def test_channel_rules_of_article_31(office, clerk):
    with pytest.raises(ValidationError) as excinfo:
        s.register_application(
            actor=clerk, agency=office, channel="in_person", data=f.person_data()
        )
    assert "received_on" in excinfo.value.message_dict
    fax = s.register_application(actor=clerk, agency=office, channel="fax", data=f.person_data())
    assert fax.awaiting_confirmation and fax.due_on is None
    post = s.register_application(
        actor=clerk, agency=office, channel="registered_post", data=f.person_data(), received_on=DAY
    )
    assert post.state == "accepted" and post.received_on == DAY
    with pytest.raises(ValidationError):
        s.register_application(
            actor=clerk, agency=office, channel="online", data=f.person_data(), received_on=DAY
        )


def test_files_are_checked_by_content(office):
    good = [
        ("id_copy", upload("id.pdf", PDF)),
        ("authorisation", upload("auth.docx", docx_bytes())),
        ("other", upload("photo.PNG", PNG)),
    ]
    app = s.submit_online(agency=office, data=f.person_data(), files=good, submitted_at=f.at(DAY))
    kinds = sorted(app.attachments.values_list("content_type", flat=True))
    assert kinds == [
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "image/png",
    ]
    assert app.attachments.get(kind="id_copy").file.read() == PDF


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("virus.pdf", b"MZ\x90\x00 not a pdf"),  # the extension lies
        ("page.html", b"<html></html>"),
        ("id.jpg", PDF),  # a PDF named .jpg
        ("archive.docx", b"PK\x03\x04 not really a zip"),
    ],
)
def test_disallowed_files_are_refused_and_nothing_is_saved(office, name, content):
    with pytest.raises(ValidationError) as excinfo:
        s.submit_online(
            agency=office,
            data=f.person_data(),
            files=[("id_copy", upload(name, content))],
            submitted_at=f.at(DAY),
        )
    assert name in excinfo.value.message_dict["attachments"][0]
    assert Application.objects.count() == 0 and Attachment.objects.count() == 0


def test_oversize_file_is_refused(office):
    big = upload("big.pdf", PDF + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError) as excinfo:
        s.submit_online(
            agency=office, data=f.person_data(), files=[("id_copy", big)], submitted_at=f.at(DAY)
        )
    assert "10MB" in excinfo.value.message_dict["attachments"][0]
    assert Application.objects.count() == 0


def test_str_repr_and_logs_never_show_the_id_number_or_phone(office, clerk, caplog):
    number = f.resident_id("19851231")
    with caplog.at_level(logging.DEBUG):
        app = f.received_application(
            actor=clerk, agency_obj=office, received_on=DAY, data=f.person_data(id_number=number)
        )
        s.request_correction(actor=clerk, application=app, items=["请明确"], requested_on=DAY)
    for text in (str(app), repr(app), caplog.text):
        assert number not in text
        assert "13812345678" not in text
        assert "张三丰" not in text
    assert app.masked_id_number == number[:4] + "*" * 10 + number[-4:]
    assert app.masked_phone == "138****5678"
    assert "application" in caplog.text  # the log lines exist, masked


def test_likely_repeats_are_flagged_never_rejected(office, clerk):
    number = f.resident_id("19700101")
    first = f.received_application(
        actor=clerk,
        agency_obj=office,
        received_on=DAY,
        data=f.person_data(id_number=number, description="申请公开城口县2019年度低保资金发放情况"),
    )
    second = s.submit_online(
        agency=office,
        data=f.person_data(id_number=number, description="请公开2019年度城口县低保资金的发放情况"),
        submitted_at=f.at(DAY),
    )
    other_person = s.submit_online(
        agency=office,
        data=f.person_data(description="申请公开城口县2019年度低保资金发放情况"),
        submitted_at=f.at(DAY),
    )
    assert [flag["application"] for flag in second.repeat_flags] == [first.pk]
    assert second.repeat_flags[0]["reference"] == first.reference
    assert other_person.repeat_flags == []
    assert second.state == "registered"  # flagged, not rejected


def test_a_failed_submission_leaves_no_files_behind(office, monkeypatch, settings):
    from pathlib import Path

    from gongkai.applications.services import intake

    def broken(*args, **kwargs):
        raise RuntimeError("the audit table is unavailable")

    monkeypatch.setattr(intake, "record_event", broken)
    media = Path(settings.MEDIA_ROOT)
    before = {p for p in media.rglob("*") if p.is_file()} if media.exists() else set()
    with pytest.raises(RuntimeError):
        s.submit_online(
            agency=office,
            data=f.person_data(),
            files=[("id_copy", upload("id.pdf", PDF))],
            submitted_at=f.at(DAY),
        )
    after = {p for p in media.rglob("*") if p.is_file()} if media.exists() else set()
    assert after == before
    assert Application.objects.count() == 0 and Attachment.objects.count() == 0
