"""Rate limits, captcha records and the login throttle outlive the process that counted them.

They live in the cache, which is a database table by default (made by ``migrate``): a used
captcha stays used after a restart, and every process sees the same counters.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.cache import caches

from gongkai.intake import captcha

pytestmark = pytest.mark.usefixtures("empty_cache")

PROGRAM = """
import django, sys
django.setup()
from gongkai.intake import captcha
from gongkai.intake.ratelimit import count_hit
token, answer, step = sys.argv[1], sys.argv[2], sys.argv[3]
if step == "use":
    captcha.consume(token, answer, submission="first")
    print(count_hit("ratelimit:apply:10.0.0.9", 600))
else:
    try:
        captcha.verify(token, answer, submission="second")
    except captcha.CaptchaError as error:
        print("refused", error)
    print(count_hit("ratelimit:apply:10.0.0.9", 600))
"""


def _answer(challenge: captcha.Challenge) -> str:
    a, op, b = challenge.question.replace("等于多少？", "").split()
    return str(int(a) + int(b) if op == "加" else int(a) - int(b))


def test_the_default_cache_is_a_database_table(settings):
    assert settings.CACHES["default"]["BACKEND"].endswith("db.DatabaseCache")


def test_a_used_captcha_is_refused_after_the_cache_is_built_anew(db):
    challenge = captcha.new_challenge()
    answer = _answer(challenge)
    captcha.consume(challenge.token, answer, submission="first")
    before = caches["default"]
    del caches._connections.default  # what a restart does: a new cache object
    assert caches["default"] is not before
    with pytest.raises(captcha.CaptchaError, match="已使用过"):
        captcha.verify(challenge.token, answer, submission="second")


def test_a_new_process_after_migrate_sees_the_used_captcha_and_the_count(tmp_path):
    """Real processes on a fresh SQLite data directory: migrate makes the cache table."""
    env = {
        **os.environ,
        "GONGKAI_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "gongkai.settings",
    }
    env.pop("DATABASE_URL", None)
    env.pop("GONGKAI_REDIS_URL", None)
    gongkai = [sys.executable, "-m", "gongkai"]
    subprocess.run([*gongkai, "manage", "migrate", "-v0"], env=env, check=True)
    # The signing key is the data directory's, so the token is made by a process there too.
    made = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from gongkai.intake import captcha; "
            "c = captcha.new_challenge(); print(c.token); print(c.question)",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    token, question = made.stdout.splitlines()
    answer = _answer(captcha.Challenge(question, token))

    def run(step: str) -> str:
        result = subprocess.run(
            [sys.executable, "-c", PROGRAM, token, answer, step],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout

    assert run("use").split() == ["1"]
    again = run("check")
    assert again.startswith("refused 验证题已使用过") and again.split()[-1] == "2"


def test_redis_is_used_when_gongkai_redis_url_is_set(tmp_path):
    code = "from django.conf import settings as s; c = s.CACHES['default']; print(c['BACKEND'], c['LOCATION'])"
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "gongkai.settings",
        "GONGKAI_DATA_DIR": str(tmp_path),
        "GONGKAI_REDIS_URL": "redis://127.0.0.1:6379/3",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == [
        "django.core.cache.backends.redis.RedisCache",
        "redis://127.0.0.1:6379/3",
    ]
