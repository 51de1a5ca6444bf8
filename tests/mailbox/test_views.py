"""The mailbox's pages: the letter form and its bad input, the 查询码 page, the workbench."""

import re

import pytest
from django.urls import reverse

from gongkai.intake import captcha
from gongkai.mailbox.models import Letter
from tests.mailbox.conftest import letter_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]


def solved():
    challenge = captcha.new_challenge()
    a, op, b = re.search(r"(\d+) (加|减) (\d+)", challenge.question).groups()
    answer = int(a) + int(b) if op == "加" else int(a) - int(b)
    return challenge.token, str(answer)


def form(**overrides):
    token, answer = solved()
    data = {
        **letter_data(),
        "consent_to_publish": "on",
        "captcha_token": token,
        "captcha_answer": answer,
        "idempotency_key": "form-key-1",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def write_url(mailbox):
    return reverse("mailbox:write", args=[mailbox.slug])


def test_a_letter_is_written_and_followed_with_its_code(client, mailbox):
    page = client.get(write_url(mailbox))
    assert page.status_code == 200 and "给县长信箱写信" in page.content.decode()
    response = client.post(write_url(mailbox), form())
    assert response.status_code == 302, response.content.decode()[:2000]
    letter = Letter.objects.get()
    done = client.get(response["Location"]).content.decode()
    assert letter.tracking_code_display in done
    status = client.get(reverse("mailbox:status", args=[letter.tracking_code])).content.decode()
    assert "待分办" in status and "张**" in status
    for private in ("张三丰", "13812345678", "北大街12号", "zhang@example.com"):
        assert private not in status


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"writer_name": "", "subject": "", "body": ""}, "body", "请填写来信内容"),
        ({"body": "很长" * 10_000}, "body", "来信内容不能超过5000字（现有20000字）"),
        ({"body": "<script>alert(1)</script>路灯坏了"}, "body", "请不要输入网页标签或脚本"),
        ({"subject": "<img src=x onerror=alert(1)>"}, "subject", "请不要输入网页标签或脚本"),
        ({"captcha_answer": "999"}, "captcha_answer", "验证题答案不正确"),
        ({"phone": "not a phone"}, "phone", "联系电话格式不正确"),
    ],
)
def test_bad_input_saves_nothing_and_says_why(client, mailbox, overrides, field, message):
    response = client.post(write_url(mailbox), form(**overrides))
    assert response.status_code == 400
    text = response.content.decode()
    assert message in text
    assert 'id="error-summary"' in text
    assert "<script>alert(1)</script>" not in text  # the typed text comes back escaped
    assert Letter.objects.count() == 0


def test_an_empty_form_names_every_required_field(client, mailbox):
    response = client.post(write_url(mailbox), {"idempotency_key": "x"})
    text = response.content.decode()
    assert response.status_code == 400
    for label in ("姓名", "联系电话", "标题", "来信内容", "验证题"):
        assert f"{label}：" in text
    assert Letter.objects.count() == 0


def test_a_double_submit_saves_exactly_one_letter(client, mailbox):
    data = form()
    first = client.post(write_url(mailbox), data)
    second = client.post(write_url(mailbox), data)  # the same page sent twice
    assert first.status_code == second.status_code == 302
    assert Letter.objects.count() == 1


def test_the_workbench_shows_letters_to_their_staff_only(
    client, mailbox, letter, clerk, police_clerk
):
    client.force_login(police_clerk)
    assert client.get(reverse("mailbox:letter", args=[letter.pk])).status_code == 403
    client.force_login(clerk)
    queue = client.get(reverse("mailbox:queue")).content.decode()
    assert letter.reference in queue
    home = client.get(reverse("portal:staff_home")).content.decode()
    assert "公开信箱：办理中来信 1 件" in home and "待分办 1 件" in home


def test_staff_transfer_through_the_page(client, mailbox, letter, clerk, police):
    client.force_login(clerk)
    url = reverse("mailbox:act", args=[letter.pk, "transfer"])
    response = client.post(url, {"to_agency": police.pk}, follow=True)
    assert "已转交城口县公安局办理" in response.content.decode()
    assert Letter.objects.get().agency_id == police.pk
    bad = client.post(
        reverse("mailbox:act", args=[letter.pk, "sort"]), {"category": "x"}, follow=True
    )
    assert "请选择来信类别" in bad.content.decode()


def test_letters_are_rate_limited_per_address(client, mailbox, settings):
    settings.GONGKAI_LETTER_RATE_LIMIT = 1
    assert client.post(write_url(mailbox), form(idempotency_key="a")).status_code == 302
    again = client.post(write_url(mailbox), form(idempotency_key="b", subject="第二封"))
    assert again.status_code == 429
    assert "提交过于频繁" in again.content.decode()
    assert Letter.objects.count() == 1


def test_a_form_without_its_hidden_key_is_still_taken_once(client, mailbox):
    response = client.post(write_url(mailbox), form(idempotency_key=None))
    assert response.status_code == 302
    assert Letter.objects.get().idempotency_key == ""


def test_the_code_pages_are_never_stored_and_logged_without_the_code(client, mailbox, letter):
    from gongkai.portal.logfilters import redact

    status = reverse("mailbox:status", args=[letter.tracking_code])
    assert "no-store" in client.get(status)["Cache-Control"]
    client.post(write_url(mailbox), form(idempotency_key="z"))
    assert "no-store" in client.get(reverse("mailbox:done"))["Cache-Control"]
    assert letter.tracking_code not in redact(f"Not Found: {status}")
