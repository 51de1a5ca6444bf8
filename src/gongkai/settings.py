"""The one settings module. Everything that differs between installations comes from the environment."""

from pathlib import Path

import dj_database_url

from gongkai.env import EnvError, data_dir, env_bool, env_int, env_list, env_str, secret_key

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = data_dir()

SECRET_KEY = secret_key(DATA_DIR)
DEBUG = env_bool("GONGKAI_DEBUG", False)
ALLOWED_HOSTS = env_list("GONGKAI_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("GONGKAI_CSRF_TRUSTED_ORIGINS", [])
# The site name in every page title; by default 「<the county government> 政府信息公开」.
GONGKAI_SITE_NAME = env_str("GONGKAI_SITE_NAME")

INSTALLED_APPS = [
    # django.contrib.admin, let in by gongkai.accounts.rules instead of is_staff
    "gongkai.accounts.apps.BackOfficeAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # serves the API docs' JS and CSS locally (no CDN)
    # the platform layer: never imports the domain apps below (tests/test_layers.py)
    "gongkai.accounts",
    "gongkai.agencies",
    "gongkai.auditlog",
    "gongkai.records",
    "gongkai.holidays",
    "gongkai.letters",
    "gongkai.intake",
    # the domain apps
    "gongkai.portal",
    "gongkai.applications",
    "gongkai.auditor",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "gongkai.portal.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "gongkai.urls"
WSGI_APPLICATION = "gongkai.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [DATA_DIR / "templates", BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gongkai.portal.context.site",
            ],
        },
    },
]

_SQLITE_DEFAULT = f"sqlite:///{DATA_DIR / 'gongkai.sqlite3'}"
try:
    DATABASES = {
        "default": dj_database_url.parse(
            env_str("DATABASE_URL") or _SQLITE_DEFAULT, conn_max_age=60
        )
    }
except ValueError as error:  # an unknown scheme, a port that is not a number…
    raise EnvError(
        "环境变量 DATABASE_URL 无法使用（应如 postgres://用户:密码@主机:5432/库名）"
        f" / DATABASE_URL is not usable ({error}); e.g. postgres://user:pw@host:5432/db"
    ) from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers and the one writer work at once; the busy timeout (seconds) makes a
        # second writer wait instead of failing; IMMEDIATE takes the write lock at BEGIN so two
        # transactions never deadlock upgrading their locks.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "timeout": env_int("GONGKAI_SQLITE_TIMEOUT", 20),
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
# Failed logins are counted and, past the limit, refused for a while (gongkai.accounts.throttle).
AUTHENTICATION_BACKENDS = [
    "gongkai.accounts.throttle.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
GONGKAI_LOGIN_RATE_LIMIT = env_int("GONGKAI_LOGIN_RATE_LIMIT", 10)
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:staff_home"
LOGOUT_REDIRECT_URL = "portal:home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Plain storage: collectstatic then copies only what changed (about 3 s at every start of
    # `gongkai serve`); WhiteNoise's compressing storage re-compressed all 16 MB each time (27 s).
    # Compression, where wanted, belongs to the reverse proxy.
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve straight from the apps' static folders too, so a fresh clone works before collectstatic.
WHITENOISE_USE_FINDERS = True

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# The auditor takes a spring's reports in one upload (gongkai.auditor); Django's default is 100.
DATA_UPLOAD_MAX_NUMBER_FILES = env_int("GONGKAI_MAX_UPLOAD_FILES", 500)

# 依申请公开 local policy (docs/adr/fee-clock-is-local-policy.md, application-transfers-in-table-3.md):
# whether the reply clock stops while a fee notice is unpaid, and how a sender counts a transfer.
GONGKAI_FEE_CLOCK_STOPS = env_bool("GONGKAI_FEE_CLOCK_STOPS", False)
GONGKAI_TRANSFER_COUNTING = env_str("GONGKAI_TRANSFER_COUNTING", "other")
# A handler drafts a reply and an approver signs it off (承办人拟稿、负责人审核签发); false: handlers
# reply directly (gongkai.applications.services.approvals).
GONGKAI_REPLY_APPROVAL = env_bool("GONGKAI_REPLY_APPROVAL", True)
# The public application form and API: submissions and status look-ups per client address
# per window (seconds), counted in the cache (gongkai.intake.ratelimit).
GONGKAI_APPLY_RATE_LIMIT = env_int("GONGKAI_APPLY_RATE_LIMIT", 10)
GONGKAI_STATUS_RATE_LIMIT = env_int("GONGKAI_STATUS_RATE_LIMIT", 60)
GONGKAI_RATE_WINDOW = env_int("GONGKAI_RATE_WINDOW", 600)

EMAIL_BACKEND = env_str("GONGKAI_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("GONGKAI_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("GONGKAI_EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env_str("GONGKAI_FROM_EMAIL", "gongkai@localhost")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("GONGKAI_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("GONGKAI_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
