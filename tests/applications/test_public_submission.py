"""The web form and the API are one submission: one idempotency rule, one way of counting.

Both call ``take_online_submission`` through ``gongkai.intake.public.guarded``.
"""

import pytest

from gongkai.applications.models import Application
from gongkai.intake.idempotency import KEY_REUSED
from gongkai.testing import factories as f
from tests.applications.test_api import API, solved
from tests.applications.test_views_public import form_post

pytestmark = pytest.mark.usefixtures("empty_cache")

ZH_REUSED = KEY_REUSED.split(" / ")[0]


def api_post(client, office, data, key, **extra):
    body = {**data, "agency": office.slug, **solved(client)}
    return client.post(
        f"{API}/applications",
        body,
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=key,
        **extra,
    )


def test_a_reused_key_with_a_changed_phone_gets_the_same_answer_on_form_and_api(client, office):
    first, data = form_post(client, office, idempotency_key="key-of-the-form")
    assert first.status_code == 302
    changed, _ = form_post(client, office, **{**data, "phone": "13900009999"})
    assert changed.status_code == 400 and ZH_REUSED in changed.content.decode()
    assert data["applicant_name"] not in changed.content.decode().split("<form")[0]

    fields = {
        k: v
        for k, v in data.items()
        if k not in ("agency", "captcha_token", "captcha_answer", "idempotency_key")
    }
    ok = api_post(client, office, fields, "key-of-the-api")
    assert ok.status_code == 201
    again = api_post(client, office, fields, "key-of-the-api")
    assert again.status_code == 200 and again.json()["query_code"] == ok.json()["query_code"]
    refused = api_post(client, office, {**fields, "phone": "13900009999"}, "key-of-the-api")
    assert refused.status_code == 422
    assert refused.json()["errors"]["idempotency_key"] == [KEY_REUSED]
    assert "query_code" not in refused.json()
    assert Application.objects.count() == 2


def test_typos_do_not_lock_out_an_address_but_wrong_answers_do(client, office, settings):
    settings.GONGKAI_APPLY_RATE_LIMIT = 3
    for _ in range(10):  # ten submissions refused for their content (a wrong check digit)
        response, _ = form_post(client, office, id_number="500229199001011234")
        assert response.status_code == 400
    good, _ = form_post(client, office)
    assert good.status_code == 302  # the eleventh, corrected, goes through
    for _ in range(2):
        wrong, _ = form_post(client, office, captcha_answer="99")
        assert wrong.status_code == 400
    limited, _ = form_post(client, office)
    assert limited.status_code == 429  # one accepted + two wrong answers = the limit of 3
    assert Application.objects.count() == 1


def test_the_api_counts_the_same_way(client, office, settings):
    settings.GONGKAI_APPLY_RATE_LIMIT = 1
    for _ in range(5):
        bad = api_post(client, office, f.person_data(phone=""), "")
        assert bad.status_code == 422
    assert api_post(client, office, f.person_data(), "").status_code == 201
    assert api_post(client, office, f.person_data(), "").status_code == 429


def test_scripts_that_only_send_garbage_are_stopped_too(client, office, settings):
    settings.GONGKAI_APPLY_RATE_LIMIT = 1  # refused submissions: ten times looser, 10
    garbage = f.person_data(phone="", id_number="x", description="?")
    codes = [api_post(client, office, garbage, "").status_code for _ in range(11)]
    assert codes[:10] == [422] * 10 and codes[10] == 429
