"""Django settings for TM Hub, read from the environment and failing closed.

Development values (DEBUG, a throw-away SECRET_KEY) are set by `make run` and the test
configuration; anything else must be provided explicitly.
"""

import datetime
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from tmhub.env import env_bool, env_int, env_json, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("TMHUB_VAR_DIR", str(BASE_DIR / "var")))
MATCH_INDEX_DIR = Path(env_str("TMHUB_MATCH_INDEX_DIR", str(VAR_DIR / "match-index")))
SHARED_DATA_DIR = Path(env_str("TMHUB_SHARED_DATA", str(BASE_DIR.parent / "shared" / "data")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "development-only-insecure-key-" + "x" * 32
    else:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",  # API tokens: hashed, expiring, several per user (accounts.ApiToken)
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "axes",  # sign-in lockouts (AccessAttempt, AccessLog) and their admin
    "django_otp",  # two-factor sign-in (tmhub.accounts.two_factor)
    "django_otp.plugins.otp_totp",  # authenticator apps (TOTP)
    "django_otp.plugins.otp_static",  # recovery codes
    "csp",  # Content-Security-Policy header (and its settings checks)
    "tmhub.core",
    "tmhub.accounts",
    "tmhub.orgs",
    "tmhub.talent",
    "tmhub.training",
    "tmhub.transfer",
    "tmhub.matching",
    "tmhub.network",
    "tmhub.pilots",
    "tmhub.districts",
    "tmhub.evaluation",
    "tmhub.insights",
    "tmhub.mywork",
    # After our apps, so our registration/ templates win over the admin's.
    "django.contrib.admin",
]

MIDDLEWARE = [
    # First: every audit row written while serving a request carries that request's id.
    "tmhub.core.operations.OperationMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tmhub.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Sign-in: which device verified the session, idle expiry, the second factor where required.
    "django_otp.middleware.OTPMiddleware",
    "tmhub.accounts.middleware.IdleSessionMiddleware",
    "tmhub.accounts.middleware.TwoFactorMiddleware",
    # Public pages for visitors without a session, from the cache until any record changes.
    "tmhub.core.page_cache.AnonymousPageCacheMiddleware",
    # A write that lost a race answers 409 "changed by someone else, reload", not 500.
    "tmhub.core.middleware.ConflictMiddleware",
    # Last: turns a sign-in refused by the lockout into the lockout page (accounts.lockouts).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tmhub.urls"
WSGI_APPLICATION = "tmhub.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "mywork:home"
LOGOUT_REDIRECT_URL = "core:home"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tmhub.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'tmhub.sqlite3'}"),
        # Served (DEBUG off): a worker keeps its connection for a minute instead of opening one
        # per request (a PostgreSQL connection costs more than most of our queries), checked
        # before reuse so a restarted database costs one error-free reconnect.
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0 if DEBUG else 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers queue instead of failing with "database is locked": every transaction
    # takes the write lock when it begins (no deadlocked read→write upgrade), a writer waits up
    # to SQLITE_TIMEOUT seconds for it, and WAL lets readers go on while one writer works.
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_TIMEOUT", 20),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    })
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Password guessing (django-axes): LOGIN_FAILURE_LIMIT failures for one username (from any
# address) lock that username, and LOGIN_ADDRESS_FAILURE_LIMIT from one client address (over any
# usernames) lock that address, for LOGIN_LOCKOUT_MINUTES after the last failure; on
# /accounts/login/, /admin/login/ and the API token endpoint. A successful sign-in clears that
# username's failures.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 30)
# Higher than the per-account limit: colleagues behind one NAT address share it.
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 30)
# Reverse proxies in front of Django that append to X-Forwarded-For. 0: the client address is
# REMOTE_ADDR and X-Forwarded-For is ignored; n: the n-th address from the right of it.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if (LOGIN_FAILURE_LIMIT < 1 or LOGIN_ADDRESS_FAILURE_LIMIT < 1 or LOGIN_LOCKOUT_MINUTES < 1
        or TRUSTED_PROXY_COUNT < 0):
    raise ImproperlyConfigured(
        "LOGIN_FAILURE_LIMIT, LOGIN_ADDRESS_FAILURE_LIMIT and LOGIN_LOCKOUT_MINUTES must be at "
        "least 1, "
        "TRUSTED_PROXY_COUNT at least 0"
    )
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out sign-ins
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = datetime.timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "tmhub.accounts.lockouts.LockoutHandler"
AXES_CLIENT_IP_CALLABLE = "tmhub.accounts.lockouts.client_ip"
AXES_LOCKOUT_CALLABLE = "tmhub.accounts.lockouts.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
# Password-reset mail per entered e-mail address and per client address, per hour.
PASSWORD_RESET_MAILS_PER_EMAIL = env_int("PASSWORD_RESET_MAILS_PER_EMAIL", 3)
PASSWORD_RESET_MAILS_PER_ADDRESS = env_int("PASSWORD_RESET_MAILS_PER_ADDRESS", 10)
# django-ratelimit's "ip" key: the same client address as the sign-in lockout.
RATELIMIT_IP_META_KEY = "tmhub.accounts.lockouts.client_ip_for_ratelimit"

# Password policy: at least PASSWORD_MIN_LENGTH characters from at least three of lower case,
# upper case, digits and symbols, not like the user's name or e-mail, not a common password.
PASSWORD_MIN_LENGTH = env_int("PASSWORD_MIN_LENGTH", 10)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "tmhub.accounts.passwords.MinimumLengthValidator",
     "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "tmhub.accounts.passwords.CharacterClassValidator", "OPTIONS": {"classes": 3}},
]
# Sessions end after SESSION_IDLE_MINUTES without a request (tmhub.accounts.middleware) and at
# the latest SESSION_MAX_HOURS after sign-in; closing the browser ends them too.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30)
SESSION_MAX_HOURS = env_int("SESSION_MAX_HOURS", 12)
if SESSION_IDLE_MINUTES < 1 or SESSION_MAX_HOURS < 1:
    raise ImproperlyConfigured("SESSION_IDLE_MINUTES and SESSION_MAX_HOURS must be at least 1")
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Two-factor sign-in (django-otp) for the roles of tmhub.accounts.two_factor.
OTP_TOTP_ISSUER = "TM Hub"
OTP_TOTP_THROTTLE_FACTOR = 1  # each failed code doubles the wait before the next try
TWO_FACTOR_RECOVERY_CODES = 10

# Chinese first, English complete.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS: list = []  # each app keeps its own catalogue in <app>/locale
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("TMHUB_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "tmhub" / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
    ("vendor/tom-select", NODE_MODULES / "tom-select" / "dist"),  # searchable selects
]
# Uploads: files under MEDIA_ROOT (with more than one web node: a volume every node mounts), or
# any Django storage class, e.g. object storage through django-storages (MEDIA_STORAGE names
# the class, MEDIA_STORAGE_OPTIONS its options as JSON). Every upload is read back through the
# storage API (open/delete), never as a local path.
STORAGES = {
    "default": {
        "BACKEND": env_str("MEDIA_STORAGE", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": env_json("MEDIA_STORAGE_OPTIONS", {}),
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("TMHUB_PLAIN_STATIC", False)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploads (imports, attachments) live outside the web root and are served only through views
# that check access.
MEDIA_ROOT = Path(env_str("TMHUB_MEDIA_ROOT", str(VAR_DIR / "media")))
# Where `manage.py backup` writes (tmhub/core/backup.py); restore reads any directory given.
BACKUP_DIR = Path(env_str("TMHUB_BACKUP_DIR", str(VAR_DIR / "backups")))
# Never routed: uploads are served only by views that check access.
MEDIA_URL = "/_private-media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 10 * 1024 * 1024)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 20000)
IMPORT_MAX_CELL_CHARS = env_int("IMPORT_MAX_CELL_CHARS", 10000)  # per cell, every format
# An .xlsx is a zip: what it may unpack to (a small file can unpack to gigabytes of XML).
IMPORT_MAX_UNCOMPRESSED_BYTES = env_int("IMPORT_MAX_UNCOMPRESSED_BYTES", 100 * 1024 * 1024)
# Per user and rolling hour: import dry runs (uploads), and data rows checked by them.
IMPORT_DRY_RUNS_PER_HOUR = env_int("IMPORT_DRY_RUNS_PER_HOUR", 20)
IMPORT_ROWS_PER_HOUR = env_int("IMPORT_ROWS_PER_HOUR", 100000)
# Refused duplicate ID numbers per account per day before it may enter none (talent services):
# enough for a person to find they are already in the pool, too few to probe other people's.
TALENT_ID_DUPLICATES_PER_DAY = env_int("TALENT_ID_DUPLICATES_PER_DAY", 3)

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "TM Hub <noreply@tmhub.local>")

# Security defaults; HTTPS-only cookies unless explicitly running plain HTTP in development.
SECURE_HTTPS = env_bool("SECURE_HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
SECURE_SSL_REDIRECT = SECURE_HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if SECURE_HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HTTPS
SECURE_HSTS_PRELOAD = SECURE_HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): scripts only from our own static files — no inline
# script or on*= handler anywhere (tmhub/core/tests/test_headers.py reads every template) and
# no eval; nothing from another site; no framing. Inline style attributes stay allowed (bar
# widths, htmx's indicator style); they cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "tmhub.accounts.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
        "rest_framework.filters.SearchFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "tmhub.core.api.pagination.StandardPagination",
    # JSON nested deeper than 64 levels is a 400, not a RecursionError (tmhub.core.api.parsers).
    "DEFAULT_PARSER_CLASSES": [
        "tmhub.core.api.parsers.DepthLimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "PAGE_SIZE": 25,
    # drf-spectacular plus documented error responses (tmhub/core/api/schema.py).
    "DEFAULT_SCHEMA_CLASS": "tmhub.core.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "tmhub.core.api.errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"token": "20/min"},
    # The client address for throttles: same rule as the sign-in lockout (TRUSTED_PROXY_COUNT).
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
# API tokens (django-rest-knox with our own model): `Authorization: Token <key>`.
TOKEN_LIFETIME_HOURS = env_int("TOKEN_LIFETIME_HOURS", 720)
if TOKEN_LIFETIME_HOURS <= 0:
    raise ImproperlyConfigured("TOKEN_LIFETIME_HOURS must be a positive number of hours")
KNOX_TOKEN_MODEL = "accounts.ApiToken"
# knox's own migrations create its default token table even when the model is swapped for
# ours; that orphan table (a foreign key to users) would block PostgreSQL's TRUNCATE in flush.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {
    "TOKEN_TTL": datetime.timedelta(hours=TOKEN_LIFETIME_HOURS),
    "AUTH_HEADER_PREFIX": "Token",
    "TOKEN_PREFIX": "tmh_",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "TM Hub API",
    "DESCRIPTION": "技术经理人服务平台 — REST API (same scopes as the web UI).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The syllabus levels are one choice set used by talent profiles and training courses.
    "ENUM_NAME_OVERRIDES": {
        "TrainingLevelEnum": "tmhub.talent.choices.TrainingLevel",
        # One name for the stage-gate evidence kinds wherever they appear (check --deploy).
        "EvidenceKindEnum": "tmhub.transfer.choices.EvidenceKind",
        "RecordedEvidenceKindEnum": "tmhub.transfer.choices.RECORDED_EVIDENCE_CHOICES",
        "DocumentKindEnum": "tmhub.talent.documents.DocumentKind",
        "OrgKindEnum": "tmhub.core.choices.OrgKind",
        "EmploymentTypeEnum": "tmhub.talent.choices.EmploymentType",
        # Two workflows name their field "stage": the transfer chain's and a pilot's.
        "TransferStageEnum": "tmhub.transfer.choices.Stage",
        "PilotStageEnum": "tmhub.pilots.choices.Stage",
        # The plan's departments (a report's, a meeting's attendees, an action's owner) and the
        # districts' two kinds named "kind" (an event's, a landing's).
        "PlanDepartmentEnum": "tmhub.insights.choices.PlanDepartment",
        "EventKindEnum": "tmhub.districts.choices.EventKind",
        "LandingKindEnum": "tmhub.districts.choices.LandingKind",
        # A social-evaluation indicator's kind, and the verdict of the two public verifications
        # (a training certificate's, a title's), which a pilot's "result" would otherwise shadow.
        "IndicatorKindEnum": "tmhub.evaluation.rating_choices.IndicatorKind",
        "VerificationResultEnum": [("valid", "valid"), ("revoked", "revoked"),
                                   ("unknown", "unknown")],
        # The case library's status, and the contract kind a case is filtered by (one name for
        # the contract kinds wherever they appear).
        "TransferCaseStatusEnum": "tmhub.evaluation.case_choices.CaseStatus",
        "ContractKindEnum": "tmhub.transfer.choices.ContractKind",
    },
}

# Celery: eager in-process without a broker, Redis when REDIS_URL is set.
REDIS_URL = env_str("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
# Periodic tasks live in each app's tasks.BEAT_SCHEDULE (see tmhub/celery.py); run
# `celery -A tmhub beat` beside a worker when REDIS_URL is set (`make serve` does).
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# More than one machine: each node keeps its own match index (MATCH_INDEX_DIR, local disk) and
# follows the other nodes' index changes on a Redis stream (tmhub/matching/fanout.py).
MATCH_INDEX_FANOUT = env_bool("TMHUB_MATCH_INDEX_FANOUT", bool(REDIS_URL))
MATCH_INDEX_STREAM = env_str("TMHUB_MATCH_INDEX_STREAM", "tmhub:match-index")
MATCH_INDEX_STREAM_LENGTH = env_int("TMHUB_MATCH_INDEX_STREAM_LENGTH", 100000)
# The load balancer's health check may speak plain HTTP to a node (tmhub/core/health.py).
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Keys of personal ID numbers at rest (talent.protection). TALENT_ID_KEY encrypts new numbers;
# TALENT_ID_OLD_KEYS (comma-separated, newest first) only decrypt rows written before a key
# rotation, until `manage.py rotate_id_key` has re-encrypted them. Required outside development
# and never SECRET_KEY: the ID numbers must not depend on (or leak with) the session key.
TALENT_ID_KEY = env_str("TALENT_ID_KEY")
TALENT_ID_OLD_KEYS = env_list("TALENT_ID_OLD_KEYS")
if not TALENT_ID_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("TALENT_ID_KEY must be set when DEBUG is off")
    TALENT_ID_KEY = "development-only-talent-id-key-" + "x" * 32
if len(TALENT_ID_KEY) < 32 or TALENT_ID_KEY == SECRET_KEY:
    raise ImproperlyConfigured("TALENT_ID_KEY must be at least 32 characters and differ from "
                               "SECRET_KEY")
TALENT_ID_KEYS = [TALENT_ID_KEY, *TALENT_ID_OLD_KEYS]

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Sessions are read from the shared Redis cache and written through to the database, so a
# signed-in request reads no session row. Only with Redis: with a cache in each process's
# memory a worker would keep a session that another worker has ended (signed out).
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db" if REDIS_URL
    else "django.contrib.sessions.backends.db"
)

# How long a public page is kept for visitors without a session (tmhub.core.page_cache); any
# audited write makes every kept page stale at once. 0 turns the page cache off.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 300)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # One line per eager task is noise in development and demo seeding.
    # (Not CELERY_LOG_LEVEL: a Celery worker sets that variable itself.)
    "loggers": {"celery": {"level": env_str("TMHUB_CELERY_LOG_LEVEL", "WARNING")}},
}
FORMS_URLFIELD_ASSUME_HTTPS = True
