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
    # its db_worker command replaces django_tasks_db's (leases: a lost task runs again)
    "gongkai.worker",
    "django_tasks_db",
    "ninja",  # serves the API docs' JS and CSS locally (no CDN)
    # two-factor staff login (gongkai.accounts.second_factor): TOTP apps and recovery codes
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
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
    "gongkai.publications",
    "gongkai.normative",
    "gongkai.mailbox",
    "gongkai.appeals",
    "gongkai.catalogue",
    "gongkai.training",
    "gongkai.sites",
    "gongkai.search",
    "gongkai.assessment",
    "gongkai.annualreport",
    "gongkai.monitoring",
    "gongkai.guide",
]

MIDDLEWARE = [
    # First: an anonymous page stored by static publishing is answered before anything else.
    "gongkai.sites.static_publish.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "gongkai.portal.headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "gongkai.portal.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "gongkai.portal.guards.OversizedIdMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "gongkai.accounts.throttle.TrustedDeviceMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "gongkai.accounts.second_factor.StaffLoginMiddleware",
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
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("GONGKAI_PASSWORD_MIN_LENGTH", 12)},
    },
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

# Rate limits, the captcha's single-use records and the login throttle live in the cache, so it
# must be shared by every process and survive a restart: the database by default (the table is
# made by ``migrate``, gongkai.portal.apps), Redis when GONGKAI_REDIS_URL is set.
_REDIS_URL = env_str("GONGKAI_REDIS_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _REDIS_URL}
        if _REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "gongkai_cache",
            # Django's default of 300 entries would cull live counters and captcha records.
            "OPTIONS": {"MAX_ENTRIES": 1_000_000},
        }
    )
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A worker renews its lease every quarter of this; a RUNNING task whose worker's lease lapsed
# (or whose process is gone, on this host) is queued again, at most this many runs in all.
GONGKAI_TASK_LEASE_SECONDS = env_int("GONGKAI_TASK_LEASE_SECONDS", 120)
GONGKAI_TASK_MAX_ATTEMPTS = env_int("GONGKAI_TASK_MAX_ATTEMPTS", 3)
# The auditor takes a spring's reports in one upload (gongkai.auditor); Django's default is 100.
DATA_UPLOAD_MAX_NUMBER_FILES = env_int("GONGKAI_MAX_UPLOAD_FILES", 500)

# 依申请公开 local policy (docs/adr/fee-clock-is-local-policy.md, application-transfers-in-table-3.md):
# whether the reply clock stops while a fee notice is unpaid, and how a sender counts a transfer.
GONGKAI_FEE_CLOCK_STOPS = env_bool("GONGKAI_FEE_CLOCK_STOPS", False)
GONGKAI_TRANSFER_COUNTING = env_str("GONGKAI_TRANSFER_COUNTING", "other")
# A handler drafts a reply and an approver signs it off (承办人拟稿、负责人审核签发); false: handlers
# reply directly (gongkai.applications.services.approvals).
GONGKAI_REPLY_APPROVAL = env_bool("GONGKAI_REPLY_APPROVAL", True)
# Letters (gongkai.letters): the 成文日期 in Arabic numerals as GB/T 9704-2012 writes it, or
# "chinese" for the older 二〇二六年十一月二十七日; whether applicants may download the reply
# as DOCX besides the PDF on the status page.
GONGKAI_LETTER_DATE_STYLE = env_str("GONGKAI_LETTER_DATE_STYLE", "arabic")
GONGKAI_APPLICANT_DOCX = env_bool("GONGKAI_APPLICANT_DOCX", True)
# The public application form and API: submissions and status look-ups per client address
# per window (seconds), counted in the cache (gongkai.intake.ratelimit).
GONGKAI_APPLY_RATE_LIMIT = env_int("GONGKAI_APPLY_RATE_LIMIT", 10)
GONGKAI_STATUS_RATE_LIMIT = env_int("GONGKAI_STATUS_RATE_LIMIT", 60)
GONGKAI_RATE_WINDOW = env_int("GONGKAI_RATE_WINDOW", 600)
# 行政规范性文件 有效期: the county's own rule, in years (docs/normative.md); 0 = none. No
# national rule sets one (docs/law/ogi-spec.md), so it is off unless the installation sets it.
GONGKAI_NORMATIVE_VALIDITY_YEARS = env_int("GONGKAI_NORMATIVE_VALIDITY_YEARS", 0)
if GONGKAI_NORMATIVE_VALIDITY_YEARS < 0:
    raise EnvError(
        "环境变量 GONGKAI_NORMATIVE_VALIDITY_YEARS 不能为负数 / "
        "GONGKAI_NORMATIVE_VALIDITY_YEARS cannot be negative"
    )
# 公开信箱 (gongkai.mailbox): letters per client address per window, and how the writer is told
# of a transfer or a reply: console (a log line without personal data), file, email, or a class.
GONGKAI_LETTER_RATE_LIMIT = env_int("GONGKAI_LETTER_RATE_LIMIT", 10)
GONGKAI_MAILBOX_NOTIFIER = env_str("GONGKAI_MAILBOX_NOTIFIER", "console")

# Mail goes to a real server when one is named, otherwise to one file per message in
# DATA_DIR/mail — never to the console, whose output ends in the server log (applicants'
# addresses and 查询码 are in the mails).
EMAIL_HOST = env_str("GONGKAI_EMAIL_HOST", "")
EMAIL_BACKEND = env_str(
    "GONGKAI_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_HOST = EMAIL_HOST or "localhost"
EMAIL_FILE_PATH = DATA_DIR / "mail"
EMAIL_PORT = env_int("GONGKAI_EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env_str("GONGKAI_FROM_EMAIL", "gongkai@localhost")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("GONGKAI_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"  # a status page's URL holds the 查询码
# For when TLS ends at gongkai itself or the proxy forwards X-Forwarded-Proto (``gongkai serve``
# with GONGKAI_TRUSTED_PROXY believes it): Strict-Transport-Security for this many seconds
# (0: none), and a redirect of every http:// request to https://.
SECURE_HSTS_SECONDS = env_int("GONGKAI_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_SSL_REDIRECT = env_bool("GONGKAI_SSL_REDIRECT", False)
# security.W021 (HSTS preload): joining the browsers' preload list binds the whole registered
# domain (often a government's gov.cn domain shared by many sites): its owner's decision,
# never a default of one application.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Applicant data never reaches the log: services log an application as its id, reference
    # and state; the filter cuts 查询码 out of logged URLs and a 403's traceback.
    "filters": {"redact": {"()": "gongkai.portal.logfilters.RedactFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact"]}},
    "root": {"handlers": ["console"], "level": env_str("GONGKAI_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# 主动公开: the 索引号 pattern (gongkai.publications.services.format_index_number); fields
# {agency_code} (credit code, else slug), {year}, {month}, {serial} — docs/law/ogi-spec.md §6.3.
GONGKAI_INDEX_NUMBER_PATTERN = env_str(
    "GONGKAI_INDEX_NUMBER_PATTERN", "{agency_code}/{year}-{serial:05d}"
)
# The annual report's data sources (gongkai.annualreport.sources): name -> dotted path of a
# function ``(*, agency_ids, year[, fmt]) -> dict``, resolved at run time. An app not installed
# makes its source unavailable: the report says so (finding ``source.missing``) and will not
# pass the check; the draft 总体情况 marks the figures it lacks. Override single names here.
GONGKAI_REPORT_SOURCES = {
    "table_two": "gongkai.normative.selectors.table_two",
    "normative": "gongkai.normative.selectors.narrative_figures",
    "table_four": "gongkai.appeals.selectors.table_four",
    "publications": "gongkai.publications.selectors.narrative_figures",
    "mailbox": "gongkai.mailbox.selectors.narrative_figures",
    "sites": "gongkai.sites.selectors.site_figures",
    "new_media": "gongkai.sites.selectors.new_media_figures",
    "visits": "gongkai.sites.selectors.visit_figures",
    "trainings": "gongkai.training.selectors.narrative_figures",
}
# Static publishing (gongkai.sites.static_publish, docs/static-publishing.md): the anonymous
# portal pages are written as files to GONGKAI_PAGES_DIR, which nginx serves
# (deploy/nginx/gongkai.conf); with GONGKAI_PAGE_CACHE (on under `gongkai serve`) the platform
# answers from them too. GONGKAI_PUBLIC_URL: the scheme and host pages are rendered for when no
# visitor asked (after a publish, `gongkai publish-static`).
GONGKAI_PAGE_CACHE = env_bool("GONGKAI_PAGE_CACHE", False)
GONGKAI_PAGES_DIR = Path(env_str("GONGKAI_PAGES_DIR") or DATA_DIR / "pages")
GONGKAI_PUBLIC_URL = env_str("GONGKAI_PUBLIC_URL", "")

# Applicants' personal data is erased this many days after an application is closed, by
# `gongkai retention` (0: never; the period is local policy, docs/security.md).
GONGKAI_RETENTION_DAYS = env_int("GONGKAI_RETENTION_DAYS", 0)

# Two-factor staff login (gongkai.accounts.second_factor): system admins and supervisors always;
# every staff member when this is true. The name shown in authenticator apps.
GONGKAI_2FA_ALL_STAFF = env_bool("GONGKAI_2FA_ALL_STAFF", False)
OTP_TOTP_ISSUER = GONGKAI_SITE_NAME or "gongkai"
# A signed-in session ends this many minutes after its last request (staff are the only users
# who sign in), and when the browser closes.
GONGKAI_STAFF_SESSION_MINUTES = env_int("GONGKAI_STAFF_SESSION_MINUTES", 30)
SESSION_COOKIE_AGE = GONGKAI_STAFF_SESSION_MINUTES * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# The auditor reads each uploaded report in a worker process within these limits
# (gongkai.annual.parse.bounded); a file that breaks one is refused with a message.
GONGKAI_AUDIT_SECONDS = env_int("GONGKAI_AUDIT_SECONDS", 120)
GONGKAI_AUDIT_MEMORY_MB = env_int("GONGKAI_AUDIT_MEMORY_MB", 1024)
GONGKAI_AUDIT_MAX_PAGES = env_int("GONGKAI_AUDIT_MAX_PAGES", 500)
