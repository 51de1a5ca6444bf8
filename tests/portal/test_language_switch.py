"""The site in English (the language switch), and the English catalogue is complete and compiled."""

import gettext
import re
from pathlib import Path

import pytest
from django.urls import reverse

from gongkai.accounts.models import User

LOCALE = Path(__file__).resolve().parents[2] / "src" / "gongkai" / "locale" / "en" / "LC_MESSAGES"


def switch_to(client, language):
    response = client.post(reverse("set_language"), {"language": language, "next": "/"})
    assert response.status_code == 302


@pytest.mark.django_db
def test_home_page_switches_to_english_and_back(client, demo_county):
    html = client.get("/").content.decode()
    assert '<html lang="zh-Hans">' in html and ">English</button>" in html
    switch_to(client, "en")
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "城口县人民政府 Open Government Information" in html
    assert "County departments" in html and "Staff login" in html and "Skip to content" in html
    assert "城口县公安局" in html  # names are data, not translated
    assert ">中文</button>" in html
    switch_to(client, "zh-hans")
    assert "县政府部门" in client.get("/").content.decode()


@pytest.mark.django_db
def test_staff_home_in_english_shows_translated_roles(client, demo_county):
    client.force_login(User.objects.get(username="supervisor"))
    switch_to(client, "en")
    html = client.get(reverse("portal:staff_home")).content.decode()
    assert "Workbench" in html
    assert "Open government office (supervisor)" in html
    assert re.search(r"see the work of \d+ agencies", html)


def po_entries(path: Path) -> dict[str, list[str]]:
    """Return msgid -> msgstr(s) of a .po file (enough of the format for our own catalogue)."""
    entries: dict[str, list[str]] = {}
    current: dict[str, str] = {}
    key = None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if current.get("msgid"):
                entries[current["msgid"]] = [
                    v for k, v in sorted(current.items()) if k.startswith("msgstr")
                ]
            current, key = {}, None
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            current[key] += line[1:-1]
        else:
            key, _, value = line.partition(" ")
            current[key] = value[1:-1]
    return {k.replace('\\"', '"'): [v.replace('\\"', '"') for v in vs] for k, vs in entries.items()}


def test_every_english_string_is_translated():
    entries = po_entries(LOCALE / "django.po")
    assert len(entries) > 30
    untranslated = [msgid for msgid, texts in entries.items() if not all(texts)]
    assert not untranslated


def test_compiled_catalogue_matches_the_po_file():
    with open(LOCALE / "django.mo", "rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    for msgid, texts in po_entries(LOCALE / "django.po").items():
        if len(texts) == 1:
            assert catalogue.gettext(msgid) == texts[0], f"run compilemessages: {msgid!r} is stale"


@pytest.mark.django_db
def test_a_browser_set_to_english_still_gets_chinese_until_the_switch_is_used(client, demo_county):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-Hans">' in html and "县政府部门" in html
    switch_to(client, "en")
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert '<html lang="en">' in html
