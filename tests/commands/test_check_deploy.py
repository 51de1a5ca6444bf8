"""``gongkai manage check --deploy`` is clean with the production settings README.md names.

Django's deployment checks (HSTS, HTTPS redirect, secure cookies, DEBUG, SECRET_KEY, hosts)
must pass as warnings-as-errors. One check is silenced in settings.py with its reason:
security.W021 (HSTS preload), a decision for the owner of the whole registered domain.
"""

import os
import subprocess
import sys

PRODUCTION = {
    "GONGKAI_HSTS_SECONDS": "31536000",
    "GONGKAI_SSL_REDIRECT": "true",
    "GONGKAI_SECURE_COOKIES": "true",
    "GONGKAI_ALLOWED_HOSTS": "gongkai.example.gov.cn",
    "GONGKAI_CSRF_TRUSTED_ORIGINS": "https://gongkai.example.gov.cn",
}


def check_deploy(tmp_path, **env):
    base = {k: v for k, v in os.environ.items() if not k.startswith("GONGKAI_")}
    base.pop("SECRET_KEY", None)
    # Set in this test process by the browser fixtures (Playwright's sync API), never in a
    # deployment; Django's check async.E001 would rightly flag it.
    base.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, "-m", "gongkai", "manage", "check", "--deploy", "--fail-level", "DEBUG"],
        env={**base, "GONGKAI_DATA_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
    )


def test_production_settings_pass_every_deployment_check(tmp_path):
    result = check_deploy(tmp_path, **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (1 silenced)." in result.stdout


def test_the_checks_do_find_what_production_settings_fix(tmp_path):
    result = check_deploy(tmp_path)
    assert result.returncode == 1
    for code in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert code in result.stderr, code
