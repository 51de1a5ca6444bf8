"""The public pages: 在线申请 (validation beside fields, captcha, rate limit, idempotency) and 查询."""

import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gongkai.applications import services as s
from gongkai.applications.models import Application
from gongkai.intake import captcha
from gongkai.testing import factories as f
from gongkai.testing.files import pdf_bytes

APPLY = "/apply/"
QUESTION = re.compile(r"(\d+) (加|减) (\d+) 等于多少")


pytestmark = pytest.mark.usefixtures("empty_cache")


QUESTION_EN = re.compile(r"What is (\d+) (plus|minus) (\d+)\?")


def solve(html: str) -> str:
    """Answer the page's question (asked in Chinese, or in English after the switch)."""
    a, op, b = (QUESTION.search(html) or QUESTION_EN.search(html)).groups()
    return str(int(a) + int(b) if op in ("加", "plus") else int(a) - int(b))


def token_of(html: str) -> str:
    return re.search(r'name="captcha_token" value="([^"]+)"', html).group(1)


def key_of(html: str) -> str:
    return re.search(r'name="idempotency_key" value="([^"]+)"', html).group(1)


def form_post(client, office, **overrides):
    """GET the form, solve its question as a person would, and POST the data."""
    page = client.get(APPLY).content.decode()
    data = {
        **f.person_data(),
        "agency": office.pk,
        "captcha_token": token_of(page),
        "captcha_answer": solve(page),
        "idempotency_key": key_of(page),
    }
    data.update(overrides)
    return client.post(APPLY, {k: v for k, v in data.items() if v is not None}), data


def test_the_form_is_labelled_and_works_without_an_account(client, office):
    response = client.get(APPLY)
    assert response.status_code == 200
    html = response.content.decode()
    assert "在线申请政府信息公开" in html
    for field in ["id_applicant_name", "id_id_number", "id_phone", "id_description", "id_agency"]:
        assert f'for="{field}"' in html, field
    assert 'aria-describedby="id_id_number-hint"' in html
    assert QUESTION.search(html)


def test_a_valid_submission_shows_the_query_code_and_waits(client, office):
    response, data = form_post(client, office)
    assert response.status_code == 302 and response["Location"] == reverse(
        "applications:apply_done"
    )
    application = Application.objects.get()
    assert application.state == "registered" and application.received_on is None
    assert application.idempotency_key == data["idempotency_key"]
    done = client.get(response["Location"]).content.decode()
    assert application.tracking_code_display in done
    assert "待确认" in done and "第三十一条" in done


def test_an_invalid_id_number_is_shown_beside_the_field_and_nothing_is_saved(client, office):
    good = f.resident_id()
    bad = good[:17] + ("0" if good[17] != "0" else "1")  # wrong check digit
    response, _ = form_post(client, office, id_number=bad)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_id_number-error"' in html and "校验" in html
    assert 'aria-describedby="id_id_number-hint id_id_number-error"' in html
    assert 'aria-invalid="true"' in html
    assert 'role="alert"' in html
    assert Application.objects.count() == 0


def test_missing_required_fields_and_bad_credit_code(client, office):
    response, _ = form_post(
        client,
        office,
        applicant_kind="commercial",
        applicant_name="",
        credit_code="91500229MA0000000X",
        phone="",
        description="",
    )
    html = response.content.decode()
    assert response.status_code == 400
    for name in ["applicant_name", "phone", "description", "credit_code"]:
        assert f'id="id_{name}-error"' in html, name
    assert "请填写联系电话" in html
    assert Application.objects.count() == 0


def test_a_correct_answer_survives_a_field_error(client, office):
    """A typo in a field does not use up the question: fix the field and submit again."""
    response, data = form_post(client, office, phone="")
    assert response.status_code == 400
    data["phone"] = "13812345678"
    again = client.post(APPLY, data)
    assert again.status_code == 302
    assert Application.objects.count() == 1


def test_the_captcha_is_required_and_checked(client, office):
    response, _ = form_post(client, office, captcha_answer="")
    assert response.status_code == 400
    assert 'id="id_captcha_answer-error"' in response.content.decode()
    response, data = form_post(client, office, captcha_answer="99")
    html = response.content.decode()
    assert "验证题答案不正确" in html
    assert token_of(html) != data["captcha_token"]  # a new question
    forged, _ = form_post(client, office, captcha_token="forged")
    assert "验证题无效" in forged.content.decode()
    assert Application.objects.count() == 0


def test_a_captcha_is_used_once(client, office):
    response, data = form_post(client, office)
    assert response.status_code == 302
    data.update(idempotency_key="another-submission")
    reuse = client.post(APPLY, data)
    assert reuse.status_code == 400
    assert "已使用过" in reuse.content.decode()
    assert Application.objects.count() == 1


def test_a_double_click_creates_one_application(client, office):
    first, data = form_post(client, office)
    second = client.post(APPLY, data)
    assert first.status_code == second.status_code == 302
    assert Application.objects.count() == 1


def test_the_rate_limit_stops_an_address_with_a_clear_message(client, office, settings):
    settings.GONGKAI_APPLY_RATE_LIMIT = 2
    for _ in range(2):
        response, _ = form_post(client, office, captcha_answer="99")
        assert response.status_code == 400
    limited, _ = form_post(client, office)
    assert limited.status_code == 429
    assert "提交过于频繁" in limited.content.decode()
    assert Application.objects.count() == 0
    other = client.post(APPLY, {}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 400  # another address is not limited


def test_files_are_checked_by_type(client, office):
    fake = SimpleUploadedFile("id.pdf", b"not a pdf", content_type="application/pdf")
    response, _ = form_post(client, office, id_copy=fake)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_id_copy-error"' in html and "只接受PDF" in html
    assert Application.objects.count() == 0
    pdf = SimpleUploadedFile("id.pdf", pdf_bytes(), content_type="application/pdf")
    ok, _ = form_post(client, office, id_copy=pdf)
    assert ok.status_code == 302
    assert Application.objects.get().attachments.get().kind == "id_copy"


def test_status_page_shows_progress_without_personal_data(client, office, clerk):
    data = f.person_data(applicant_name="张三丰", phone="13812345678")
    application = s.submit_online(agency=office, data=data)
    lookup = client.post("/apply/status/", {"code": application.tracking_code_display.lower()})
    assert lookup.status_code == 302
    assert application.tracking_code not in lookup["Location"]  # the code stays out of URLs
    page = client.get(lookup["Location"]).content.decode()
    assert "待确认" in page and "张**" in page
    for secret in ["张三丰", data["id_number"], "13812345678", "北大街"]:
        assert secret not in page
    s.confirm_receipt(actor=clerk, application=application)
    application.refresh_from_db()
    page = client.get(lookup["Location"]).content.decode()
    assert "已受理" in page and "确认收到并受理" in page
    due = application.shown_due_on  # provisional in December while next year is unknown
    assert f"{due.year}年{due.month}月{due.day}日" in page
    assert ("暂定" in page) == (application.due_on is None)


def test_status_lookup_of_an_unknown_code(client, office):
    response = client.post("/apply/status/", {"code": "AAAA-BBBB-CCCC"})
    assert response.status_code == 404
    assert "没有找到该查询码" in response.content.decode()
    assert client.get("/apply/status/AAAABBBBCCCC/").status_code == 404


def test_the_reply_letter_is_downloadable_by_query_code(client, office, clerk, approver):
    day = date(2026, 3, 2)
    application = f.received_application(actor=clerk, agency_obj=office, received_on=day)
    url = "/apply/status/reply.docx"
    assert client.get(url).status_code == 404  # no code presented in this browser
    client.post("/apply/status/", {"code": application.tracking_code})
    assert client.get(url).status_code == 404  # not answered yet
    s.reply(
        actor=approver,
        application=application,
        disposition="granted",
        replied_on=date(2026, 3, 10),
        letter_context={"provision_method": "电子邮件"},
    )
    page = client.get("/apply/status/view/").content.decode()
    assert "已答复" in page and "下载答复书" in page
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"PK"
    assert Client().get(url).status_code == 404  # another browser: bound to the session


def test_captcha_tokens_expire_and_cannot_be_forged(settings):
    challenge = captcha.new_challenge()
    a, op, b = QUESTION.search(challenge.question).groups()
    answer = str(int(a) + int(b) if op == "加" else int(a) - int(b))
    captcha.verify(challenge.token, answer)
    with pytest.raises(captcha.CaptchaError):
        captcha.verify(challenge.token, str(int(answer) + 1))
    settings.SECRET_KEY = "another-secret-key-" * 3
    with pytest.raises(captcha.CaptchaError, match="无效"):
        captcha.verify(challenge.token, answer)


def test_a_used_idempotency_key_never_reveals_someone_elses_application(client, office):
    """The key is in the page and chosen by the browser: posting a different application with
    a used key must not hand back the first applicant's 查询码 (as the API refuses, ad30bed)."""
    first, data = form_post(client, office, applicant_name="张三丰")
    assert first.status_code == 302
    code = Application.objects.get().tracking_code_display
    stranger = Client()
    response, _ = form_post(
        stranger,
        office,
        applicant_name="李四",
        description="本县2025年财政预算执行情况",
        idempotency_key=data["idempotency_key"],
    )
    assert response.status_code == 400, response.status_code
    html = response.content.decode()
    assert code not in html and "防重复提交标识" in html
    assert stranger.get("/apply/done/").status_code == 302  # nothing in the session
    assert Application.objects.count() == 1


def test_the_status_page_and_letter_are_rate_limited_and_never_cached(client, office, settings):
    """Guessing 查询码 on the status URL directly must cost as much as the lookup form."""
    settings.GONGKAI_STATUS_RATE_LIMIT = 3
    application = s.submit_online(agency=office, data=f.person_data())
    link = f"/apply/status/{application.tracking_code}/"
    assert client.get(link).status_code == 302  # a receipt's link: remembered, redirected
    page = "/apply/status/view/"
    first = client.get(page)
    assert first.status_code == 200
    assert "no-cache" in first["Cache-Control"] and "private" in first["Cache-Control"]
    assert client.get("/apply/status/AAAABBBBCCCC/").status_code == 404  # a guess counts too
    for url in [page, link, "/apply/status/reply.docx"]:
        limited = client.get(url)
        assert limited.status_code == 429, url
        assert int(limited["Retry-After"]) > 0
        assert limited.content.decode().startswith("提交过于频繁")  # Chinese first
        assert "no-cache" in limited["Cache-Control"]
    assert client.get(page, REMOTE_ADDR="10.0.0.9").status_code == 200
