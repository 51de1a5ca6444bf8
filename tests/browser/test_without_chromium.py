"""Without Chromium, browser tests skip with instructions — or fail when CI requires them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def run_browser_test(**env_overrides: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(env_overrides)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            str(HERE / "test_home_and_login_browser.py"),
            "-k",
            "wrong_password",
            "-rsf",
            "-p",
            "no:cacheprovider",
        ],
        cwd=HERE.parents[1],
        env=env,
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize("require", ["", "0"])
def test_skips_with_the_install_command(require):
    result = run_browser_test(
        GONGKAI_CHROMIUM="/nonexistent/chromium", GONGKAI_REQUIRE_BROWSER=require
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 skipped" in result.stdout
    assert (
        "Chromium not found at /nonexistent/chromium: apt-get install chromium fonts-noto-cjk "
        "(browser tests run in CI)" in result.stdout
    )


def test_fails_when_browser_tests_are_required():
    result = run_browser_test(GONGKAI_CHROMIUM="/nonexistent/chromium", GONGKAI_REQUIRE_BROWSER="1")
    assert result.returncode == 1
    assert "GONGKAI_REQUIRE_BROWSER=1" in result.stdout
