"""One language at a time on the pages of 依申请公开: each page rendered in Chinese and in
English keeps to that language (the rule: tests/one_language.py), with ``<html lang>`` right."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from gongkai.applications import services as s
from gongkai.applications.labels import LAW_LABELS, translated
from gongkai.applications.models import Application
from gongkai.applications.views.public import question_in_language
from gongkai.law.applicants import ApplicantKind, Channel
from gongkai.law.dispositions import Disposition
from gongkai.law.workflow import Action, State
from gongkai.testing import factories as f
from tests.applications.test_views_public import form_post
from tests.one_language import foreign_words, visible_text

pytestmark = pytest.mark.usefixtures("empty_cache")


LANGUAGES = ["zh-hans", "en"]


def in_language(client: Client, language: str) -> Client:
    assert client.post("/i18n/setlang/", {"language": language, "next": "/"}).status_code == 302
    return client


def data_of(*applications: Application, extra=()) -> list[str]:
    """What the pages show as entered: names, the request, every agency's name."""
    from gongkai.agencies.models import Agency

    values = [*extra]
    for agency in Agency.objects.all():
        values += [agency.name, agency.display_name]
    for a in applications:
        values += [a.applicant_name, a.masked_name, a.description]
        values += [a.tracking_code_display, a.reference or ""]
    return values


def check(html: str, language: str, data) -> None:
    lang, _ = visible_text(html)
    assert lang == ("en" if language == "en" else "zh-Hans")
    found = foreign_words(html, data)
    assert found == [], found


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_apply_form_its_errors_and_the_receipt_keep_to_one_language(client, office, language):
    in_language(client, language)
    html = client.get("/apply/").content.decode()
    check(html, language, data_of())
    response, data = form_post(client, office, phone="", id_number="11010519491231002X")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="error-summary"' in html
    check(html, language, data_of(extra=list(data.values())))
    if language == "en":
        assert "Please correct the following" in html and "(required)" in html
    else:
        assert "请修改以下内容后再提交" in html
    response, data = form_post(client, office)
    assert response.status_code == 302
    application = Application.objects.get()
    html = client.get(response["Location"]).content.decode()
    check(html, language, data_of(application, extra=[data["description"]]))
    html = client.get("/apply/status/view/").content.decode()
    assert 'id="state"' in html
    check(html, language, data_of(application))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_status_lookup_and_a_correction_keep_to_one_language(office, clerk, language):
    client = in_language(Client(), language)
    html = client.get("/apply/status/").content.decode()
    check(html, language, data_of())
    response = client.post("/apply/status/", {"code": "AAAA-BBBB-CCCC"})
    assert response.status_code == 404
    check(response.content.decode(), language, data_of(extra=["AAAA-BBBB-CCCC"]))
    application = f.received_application(
        actor=clerk, agency_obj=office, received_on=timezone.localdate()
    )
    items = ["写明所需信息的年份"]
    s.request_correction(actor=clerk, application=application, items=items)
    assert client.post("/apply/status/", {"code": application.tracking_code}).status_code == 302
    html = client.get("/apply/status/view/").content.decode()
    assert 'id="next-correction"' in html and 'id="supplement-form"' in html
    check(html, language, data_of(application, extra=items))
    response = client.post("/apply/status/supplement/", {"note": ""}, follow=True)
    check(response.content.decode(), language, data_of(application, extra=items))


def test_english_pages_say_it_in_english(client, office):
    """Not only free of Chinese: the English texts are there (the catalogue is used)."""
    in_language(client, "en")
    html = client.get("/apply/").content.decode()
    assert '<html lang="en">' in html
    for text in ("Apply to the agency that holds the information", "Submit the application"):
        assert text in html
    assert "What is " in html and "等于多少" not in html


def test_the_captcha_question_is_asked_in_the_readers_language():
    from django.utils import translation

    with translation.override("en"):
        assert question_in_language("7 加 5 等于多少？") == "What is 7 plus 5?"
        assert question_in_language("9 减 4 等于多少？") == "What is 9 minus 4?"
    with translation.override("zh-hans"):
        assert question_in_language("7 加 5 等于多少？") == "7 加 5 等于多少？"


def test_every_label_of_the_law_a_page_shows_is_in_the_catalogue():
    """A label the law adds (a state, channel, applicant kind, disposition, action) must be
    added to applications.labels, so that it is translated, not shown in Chinese."""
    from django.utils import translation

    from gongkai.applications.forms import KIND_LABELS
    from gongkai.applications.services.deadlines import DeadlineBand
    from gongkai.applications.services.ui_support import ACTION_LABELS, PUBLIC_EVENTS
    from gongkai.law.applicants import ReceiptRule

    labels = [x.label_zh for enum in (State, Channel, ApplicantKind, Disposition) for x in enum]
    labels += [a.label_zh for a in Action] + list(ACTION_LABELS.values())
    labels += list(PUBLIC_EVENTS.values())
    labels += [b.label_zh for b in DeadlineBand] + [r.label_zh for r in ReceiptRule]
    missing = sorted(set(labels) - set(LAW_LABELS))
    assert not missing
    with translation.override("zh-hans"):
        chinese = [str(label) for _, label in KIND_LABELS]
    assert chinese == [k.choice_label_zh for k in ApplicantKind]
    with translation.override("en"):
        untranslated = [label for label in LAW_LABELS if translated(label) == label]
        assert not untranslated


def staff_data(*applications: Application, extra=()) -> list[str]:
    from gongkai.accounts.models import User

    values = data_of(*applications, extra=extra)
    for a in applications:
        values += [a.id_number, a.phone, a.email, a.address, a.masked_phone, a.masked_id_number]
        values += [letter.title for letter in a.letters.all()] if hasattr(a, "letters") else []
    values += [u.username for u in User.objects.all()] + [str(u) for u in User.objects.all()]
    return values


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_workbench_and_the_case_page_keep_to_one_language(
    client, office, clerk, approver, language
):
    today = timezone.localdate()
    f.received_application(actor=clerk, agency_obj=office, received_on=today)  # accepted
    waiting = f.received_application(actor=clerk, agency_obj=office, received_on=today)
    s.request_correction(actor=clerk, application=waiting, items=["写明年份"])
    online, _ = form_post(Client(), office, applicant_name="王五")
    assert online.status_code == 302
    applications = list(Application.objects.all())
    client.force_login(approver)
    in_language(client, language)
    html = client.get("/staff/applications/").content.decode()
    assert 'class="queue"' in html
    check(html, language, staff_data(*applications))
    for application in applications:
        html = client.get(f"/staff/applications/{application.pk}/").content.decode()
        assert 'id="actions-heading"' in html, application.state
        check(html, language, staff_data(*applications, extra=["写明年份"]))
    html = client.get("/staff/applications/approvals/").content.decode()
    check(html, language, staff_data(*applications))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_register_form_and_the_overview_keep_to_one_language(client, office, clerk, language):
    f.received_application(actor=clerk, agency_obj=office, received_on=timezone.localdate())
    client.force_login(clerk)
    in_language(client, language)
    html = client.get("/staff/applications/register/").content.decode()
    assert 'name="channel"' in html
    check(html, language, staff_data())
    client.force_login(f.staff("supervisor", office, "supervisor"))
    in_language(client, language)
    html = client.get("/staff/applications/overview/").content.decode()
    assert 'id="overview"' in html
    check(html, language, staff_data(*Application.objects.all()))
