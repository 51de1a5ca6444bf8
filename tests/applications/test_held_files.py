"""Files held for the retry of the apply form are bound to the browser that chose them."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gongkai.applications.models import Application, phone_hash
from gongkai.testing.files import pdf_bytes
from tests.applications.test_views_public import APPLY, form_post, key_of, solve, token_of

pytestmark = pytest.mark.usefixtures("empty_cache")

PDF = pdf_bytes()


@pytest.fixture(autouse=True)
def earlier_files():
    """Files other tests of the session left held (their sessions are gone, not the files)."""
    directory = Path(settings.MEDIA_ROOT) / "held"
    for path in directory.iterdir() if directory.is_dir() else ():
        path.unlink()


def held_files() -> list[Path]:
    directory = Path(settings.MEDIA_ROOT) / "held"
    return sorted(directory.iterdir()) if directory.is_dir() else []


def test_a_held_file_is_used_by_its_own_session_only_and_deleted_once_saved(client, office):
    upload = SimpleUploadedFile("id.pdf", PDF, content_type="application/pdf")
    response, data = form_post(client, office, phone="", id_copy=upload)
    assert response.status_code == 400
    html = response.content.decode()
    assert "已保留您选择的文件「id.pdf」" in html and 'name="keep_id_copy"' in html
    assert [p.read_bytes() for p in held_files()] == [PDF]

    # Another browser naming the same field gets nothing of it.
    other = Client()
    page = other.get(APPLY).content.decode()
    stranger = {**data, "phone": "13900000000", "keep_id_copy": "1"}
    stranger.update(
        captcha_token=token_of(page), captcha_answer=solve(page), idempotency_key=key_of(page)
    )
    stranger.pop("id_copy")
    assert other.post(APPLY, stranger).status_code == 302
    assert not Application.objects.get().attachments.exists()
    assert len(held_files()) == 1

    # The browser that chose it submits the fix: the file goes with the application.
    retry = {**data, "phone": "13800000000", "keep_id_copy": "1"}
    retry.pop("id_copy")
    retry.update(captcha_token=token_of(html), captcha_answer=solve(html))
    assert client.post(APPLY, retry).status_code == 302
    mine = Application.objects.get(phone_hash=phone_hash("13800000000"))
    assert [a.original_name for a in mine.attachments.all()] == ["id.pdf"]
    assert held_files() == []


def test_a_bad_file_is_named_not_held(client, office):
    upload = SimpleUploadedFile("scan.pdf", b"not a pdf", content_type="application/pdf")
    response, _ = form_post(client, office, phone="", id_copy=upload)
    html = response.content.decode()
    assert response.status_code == 400
    assert "scan.pdf" in html and "只接受" in html
    assert "已保留" not in html and held_files() == []


def test_limits_are_shown_not_enforced_by_cutting(client):
    html = client.get(APPLY).content.decode()
    assert 'data-maxlength="100"' in html and 'maxlength="100"' not in html.replace(
        'data-maxlength="100"', ""
    )
    assert 'data-max-bytes="10485760"' in html
    assert 'data-required-when="delivery_method=post"' in html


def test_a_wrong_answer_says_the_question_changed_a_typo_keeps_it(client, office):
    wrong, _ = form_post(client, office, captcha_answer="999")
    html = wrong.content.decode()
    assert wrong.status_code == 400 and 'id="captcha-changed"' in html
    typo, data = form_post(client, office, phone="")
    html = typo.content.decode()
    assert 'id="captcha-changed"' not in html
    assert f'value="{data["captcha_answer"]}"' in html  # the answer is kept
