"""Browser tests: a real Chromium driven by Playwright's sync API against pytest-django's
``live_server``.

The system's Chromium is used (Debian: ``apt-get install chromium fonts-noto-cjk``), or the one
at $GONGKAI_CHROMIUM; Playwright's own browser downloads are not needed. Without Chromium the
tests are skipped, unless GONGKAI_REQUIRE_BROWSER=1 (CI), when they fail.

Mark every browser test ``@pytest.mark.browser``; use ``page`` with ``live_server.url``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from gongkai.env import env_bool

# Playwright's sync API runs an asyncio event loop in this thread; Django's ORM would otherwise
# refuse to run in the test (and live_server) code "from an async context".
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def chromium_path() -> Path | None:
    configured = os.environ.get("GONGKAI_CHROMIUM") or DEFAULT_CHROMIUM
    path = Path(configured)
    if path.is_file() and os.access(path, os.X_OK):
        return path
    found = shutil.which(configured)
    return Path(found) if found else None


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        where = os.environ.get("GONGKAI_CHROMIUM") or DEFAULT_CHROMIUM
        message = (
            f"Chromium not found at {where}: apt-get install chromium fonts-noto-cjk "
            "(browser tests run in CI)"
        )
        if env_bool("GONGKAI_REQUIRE_BROWSER"):
            pytest.fail(message + " — GONGKAI_REQUIRE_BROWSER=1 requires them", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(path), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def browser_context(browser):
    """A fresh browser profile (no cookies) per test, Chinese locale, desktop size."""
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport=DESKTOP)
    context.set_default_timeout(15_000)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def page(browser_context):
    """A Playwright page in a desktop-size window (see ``phone_page`` for a phone)."""
    page = browser_context.new_page()
    yield page
    page.close()


@pytest.fixture
def phone_page(page):
    """A page with a phone-size viewport (390 × 844 CSS pixels)."""
    page.set_viewport_size(PHONE)
    return page
