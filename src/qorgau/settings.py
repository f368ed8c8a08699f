"""Settings, all from the environment.

Development (the default) runs on an embedded SQLite database under var/.
Production is `QORGAU_ENV=production` and then refuses to start without a secret key,
allowed hosts and a database URL, so that a forgotten variable is never silently a
development default.
"""

import datetime as dt
import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from qorgau.deadlines import DEFAULT_DEADLINES

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("QORGAU_VAR_DIR", Path.cwd() / "var"))

ENV = os.environ.get("QORGAU_ENV", "development")
PRODUCTION = ENV == "production"


def _required(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise ImproperlyConfigured(f"{name} must be set when QORGAU_ENV=production")
    return value


# Shorter keys can be guessed: an HMAC key is as strong as its length.
_MIN_KEY_LENGTH = 32


def _required_key(name: str) -> str:
    value = _required(name)
    if len(value) < _MIN_KEY_LENGTH or "dev-only" in value:
        raise ImproperlyConfigured(f"{name}: the key needs {_MIN_KEY_LENGTH}+ random characters")
    return value


def _keys(value: str) -> list[str]:
    """A comma-separated list of keys, newest first."""
    return [key.strip() for key in value.split(",") if key.strip()]


if PRODUCTION:
    SECRET_KEY = _required("DJANGO_SECRET_KEY")
    ALLOWED_HOSTS = _required("DJANGO_ALLOWED_HOSTS").split(",")
    DATABASES = {"default": dj_database_url.parse(_required("DATABASE_URL"), conn_max_age=60)}
    DEBUG = False
    QORGAU_AUDIT_KEY = _required_key("QORGAU_AUDIT_KEY")
    # Encryption at rest (docs/adr/0005-encryption-at-rest.md).
    QORGAU_DATA_KEYS = _keys(_required("QORGAU_DATA_KEYS"))
    QORGAU_IIN_HASH_KEYS = _keys(_required("QORGAU_IIN_HASH_KEY"))
else:
    # A development-only key: production refuses to start without its own.
    SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key-not-for-production")
    ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(
        ","
    )
    if "DATABASE_URL" not in os.environ:
        # The embedded database of `make demo`: its folder must exist on a fresh clone.
        VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'qorgau.sqlite3'}")
        )
    }
    # Off unless asked for: the debug pages list every URL and show settings. The
    # demo serves its static files with `runserver --insecure` instead.
    DEBUG = os.environ.get("DJANGO_DEBUG", "0") == "1"
    # A development-only key for the access log chain: production needs its own.
    QORGAU_AUDIT_KEY = os.environ.get("QORGAU_AUDIT_KEY", "dev-only-audit-key-not-for-production")
    # Development-only keys for encryption at rest; the data key is the base64 of
    # "dev-only-data-key-not-for-prod!!". Production refuses them.
    QORGAU_DATA_KEYS = _keys(
        os.environ.get("QORGAU_DATA_KEYS", "ZGV2LW9ubHktZGF0YS1rZXktbm90LWZvci1wcm9kISE=")
    )
    QORGAU_IIN_HASH_KEYS = _keys(
        os.environ.get("QORGAU_IIN_HASH_KEY", "dev-only-iin-hash-key-not-for-production")
    )

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Session settings of every app connection. JIT compiles big plans at a cost (about
    # 50 ms each) that short OLTP queries never earn back. A name word within this
    # trigram word similarity of a word in a child's name is a match ("Ержанова" finds
    # "Ержанава", 0.56); pg_trgm's default 0.6 would miss a one-letter slip.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        "-c jit=off -c pg_trgm.word_similarity_threshold=0.5"
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "django_htmx",
    "qorgau.places",
    "qorgau.protection",
    "qorgau.accounts",
    "qorgau.children",
    "qorgau.cases",
    "qorgau.grants",
    "qorgau.referrals",
    "qorgau.safety",
    "qorgau.demo",
    "qorgau.surveys",
    "qorgau.monitoring",
    "qorgau.programmes",
    "qorgau.workforce",
    "qorgau.web",
    "simple_history",
    "qorgau.audit",
    "qorgau.retention",
    "qorgau.attachments",
    "qorgau.casefile",
    "qorgau.notifications",
    "qorgau.caseload",
    "django_filters",
    "django_tables2",
    "django_tasks",
    "django_tasks_db",
    "qorgau.linkage",
    "qorgau.ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files: see the server block below
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "qorgau.accounts.middleware.UserLanguageMiddleware",  # after the user, before any text
    "qorgau.memo.RequestMemoMiddleware",  # reads kept for the rest of a GET request
    "simple_history.middleware.HistoryRequestMiddleware",
    "qorgau.audit.context.AccessContextMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "qorgau.accounts.sessions.SessionLimitsMiddleware",
    "qorgau.accounts.middleware.RequireSecondFactorMiddleware",
    "qorgau.accounts.caching.NoStoreForAuthenticatedMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes requires: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "qorgau.urls"
WSGI_APPLICATION = "qorgau.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "my-work"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "qorgau.web.context.navigation",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: Kazakh first, it is the state language.
LANGUAGE_CODE = "ru"
LANGUAGES = [("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["qorgau.formats"]
USE_I18N = True
TIME_ZONE = "Asia/Almaty"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    # JSON only: a form encoding cannot say null or a list of one, and the schema says so.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    # Per user: a person at work never comes near it; a script harvesting records does.
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": os.environ.get("QORGAU_API_RATE", "600/min")},
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Qorgau API",
    "DESCRIPTION": "Child protection case management (Kazakhstan).",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Django's <int:...> matches digits only: a negative id never reaches the API.
    "PATH_CONVERTER_OVERRIDES": {"int": {"type": "integer", "minimum": 0}},
}

# Stage deadlines (working days are not modelled yet: calendar hours/days).
# Laws change: override any of these with QORGAU_DEADLINE_<NAME>=<hours>.
# Access log (qorgau.audit). QORGAU_AUDIT_ENABLED exists for bench/audit_bench.py to
# measure the cost of logging; everything else keeps it on.
QORGAU_AUDIT_ENABLED = True
# How many proxies of ours stand in front of the app: only then is X-Forwarded-For
# believed, and only its last QORGAU_TRUSTED_PROXY_COUNT addresses.
QORGAU_TRUSTED_PROXY_COUNT = int(os.environ.get("QORGAU_TRUSTED_PROXY_COUNT", 0))

# Retention (qorgau.retention): personal data is anonymised this many years after a
# case closes, or after a report is screened out without a case. Laws change.
# Attachments (qorgau.attachments): the largest file taken, and the virus scanner: ClamAV's
# daemon as unix:///run/clamav/clamd.ctl or tcp://host:3310. Empty: files are stored
# unchecked, and the page says so (the demo; production should name a scanner).
QORGAU_ATTACHMENT_MAX_BYTES = int(os.environ.get("QORGAU_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))
QORGAU_VIRUS_SCAN = os.environ.get("QORGAU_VIRUS_SCAN", "")

# Lists (django-tables2): the app's table template, with its own pager.
DJANGO_TABLES2_TEMPLATE = "web/_table.html"

# Background jobs (django-tasks, ADR 0010): queued in the database, run by
# `qorgau db_worker`; `qorgau reminders` (cron, every 15 minutes) queues the sweep.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Reminders: how long before a deadline the worker is told it is coming.
QORGAU_REMINDER_AHEAD_HOURS = int(os.environ.get("QORGAU_REMINDER_AHEAD_HOURS", 24))
# The address e-mails link to.
QORGAU_SITE_URL = os.environ.get("QORGAU_SITE_URL", "http://127.0.0.1:8000")
# E-mail: printed to the console outside production (the demo); SMTP in production.
if PRODUCTION:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 25))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "qorgau@localhost")

QORGAU_RETENTION_YEARS = int(os.environ.get("QORGAU_RETENTION_YEARS", 5))
QORGAU_RETENTION_SCREENED_OUT_YEARS = int(os.environ.get("QORGAU_RETENTION_SCREENED_OUT_YEARS", 1))

# Share of screened-out reports drawn for a supervisor's review: 1 reviews them all,
# 0.2 a random fifth, 0 none.
QORGAU_SCREEN_OUT_REVIEW = float(os.environ.get("QORGAU_SCREEN_OUT_REVIEW", 1))
QORGAU_DEADLINES = {
    name: int(os.environ.get(f"QORGAU_DEADLINE_{name.upper()}", hours))
    for name, hours in DEFAULT_DEADLINES.items()
}

# From this age a child's own consent is asked before a referral to a service (the
# child's view counts from 10: Marriage and Family Code, art. 62). Configuration.
QORGAU_REFERRAL_CHILD_CONSENT_AGE = int(os.environ.get("QORGAU_REFERRAL_CHILD_CONSENT_AGE", 10))

# Authentication (OWASP ASVS 5.0 level 2, chapter 6 and 7).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # lockout and throttling of failed logins
    "qorgau.accounts.backends.StaffBackend",  # Django's ModelBackend, the user read at once
]
AXES_FAILURE_LIMIT = int(os.environ.get("QORGAU_LOGIN_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("QORGAU_LOGIN_COOLOFF_MINUTES", 15)))
# Lock the username from the address that failed, so an attacker cannot lock a
# colleague out from elsewhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False  # no banner on every command; lockouts are still logged
# --- Login limits per address and the shared cache (security hardening) ---------------
# Across usernames, an address is locked after this many failures within the cool-off:
# one password sprayed over many accounts (accounts/lockout.py). Higher than the
# per-username limit, since an office's staff may share one address.
AXES_HANDLER = "qorgau.accounts.lockout.UsernameAndAddressHandler"
QORGAU_LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("QORGAU_LOGIN_ADDRESS_FAILURE_LIMIT", 30))
# The API throttle counts in the cache (the lockout counts in the database), so in
# production every process must share it: a per-process memory cache would multiply
# the limit by the number of processes. QORGAU_CACHE_URL: "db" (the default in
# production, a table made by `migrate`), "redis://host:6379/0" (with the redis
# package installed), or "locmem" (the default in development only).
_CACHE_URL = os.environ.get("QORGAU_CACHE_URL", "db" if PRODUCTION else "locmem")
if _CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _CACHE_URL,
        }
    }
elif _CACHE_URL == "db":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "qorgau_cache",
        }
    }
elif _CACHE_URL == "locmem" and not PRODUCTION:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    raise ImproperlyConfigured(
        'QORGAU_CACHE_URL must be "db" or a redis:// URL'
        + ("" if PRODUCTION else ' (or "locmem" in development)')
    )
# --- end of login limits and cache -----------------------------------------------------
# Enrolment of a second factor: the administrator's one-time code lasts this long.
QORGAU_ENROLMENT_CODE_HOURS = int(os.environ.get("QORGAU_ENROLMENT_CODE_HOURS", 72))
OTP_TOTP_ISSUER = "Qorgau"
OTP_TOTP_THROTTLE_FACTOR = 1

SESSION_COOKIE_HTTPONLY = True
# Absolute lifetime from login, and idle timeout; both enforced by
# accounts.sessions.SessionLimitsMiddleware.
QORGAU_SESSION_ABSOLUTE_SECONDS = int(os.environ.get("QORGAU_SESSION_SECONDS", 8 * 3600))
QORGAU_SESSION_IDLE_SECONDS = int(os.environ.get("QORGAU_SESSION_IDLE_SECONDS", 30 * 60))
SESSION_COOKIE_AGE = QORGAU_SESSION_ABSOLUTE_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# "Break the glass": how long an emergency access to a case outside one's scope lasts.
QORGAU_EMERGENCY_ACCESS_MINUTES = int(os.environ.get("QORGAU_EMERGENCY_ACCESS_MINUTES", 60))
# Sensitive actions ask for the password again after this long.
QORGAU_REAUTH_SECONDS = int(os.environ.get("QORGAU_REAUTH_SECONDS", 10 * 60))
# Days after a quarter ends by which programme progress reports are due (qorgau.programmes).
QORGAU_PROGRAMME_REPORT_DAYS = int(os.environ.get("QORGAU_PROGRAMME_REPORT_DAYS", 10))
# The workforce norm: at least one specialist per this many children (2025).
QORGAU_CHILDREN_PER_SPECIALIST = int(os.environ.get("QORGAU_CHILDREN_PER_SPECIALIST", 5000))

# Content Security Policy: nothing inline, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}
CSRF_FAILURE_VIEW = "qorgau.web.views.errors.csrf_failure"
CSRF_COOKIE_HTTPONLY = False  # HTMX reads the token from the page, not the cookie.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if PRODUCTION:
    SECURE_SSL_REDIRECT = os.environ.get("QORGAU_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Nothing personal in logs or error reports (qorgau.protection.masking): every handler
# masks IIN-shaped numbers and personal fields. Django's own loggers get the same
# handlers as its defaults, filtered.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "mask_personal_data": {"()": "qorgau.protection.masking.MaskPersonalData"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_personal_data"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["mask_personal_data"],
        },
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "filters": ["require_debug_false", "mask_personal_data"],
        },
    },
    "loggers": {
        "django": {"handlers": ["mail_admins"], "level": "INFO"},  # and the root's console
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        # WeasyPrint logs each layout step at INFO ("Step 2 - Fetching and parsing CSS").
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("QORGAU_LOG_LEVEL", "INFO")},
}
DEFAULT_EXCEPTION_REPORTER_FILTER = "qorgau.protection.masking.PersonalDataReporterFilter"


# ---------------------------------------------------------------------------------
# Production server, database connections and read replicas (docs/operations.md,
# docs/scaling.md). `qorgau serve` runs gunicorn with gthread workers.
#
# Static files: WhiteNoise serves `qorgau collectstatic` output from STATIC_ROOT with
# gzip/brotli variants and, for the hashed names of the manifest storage, a year of
# `Cache-Control: immutable`; in development it serves straight from the apps.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = not PRODUCTION
# Connections on PostgreSQL: psycopg's pool in each gunicorn worker process, shared by
# its threads (so CONN_MAX_AGE must be 0), with a health check on every checkout.
# QORGAU_DB_POOL=0 keeps one persistent connection per thread instead (for example
# behind PgBouncer in transaction mode, which is a pool already).
QORGAU_DB_POOL = os.environ.get("QORGAU_DB_POOL", "1" if PRODUCTION else "0") == "1"
QORGAU_SERVE_THREADS = int(os.environ.get("QORGAU_SERVE_THREADS", 4))


def _connections(database: Any) -> Any:
    if database["ENGINE"] != "django.db.backends.postgresql":
        return database
    if QORGAU_DB_POOL:
        database["CONN_MAX_AGE"] = 0
        database["CONN_HEALTH_CHECKS"] = True  # Django gives the pool its check on checkout
        database.setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": QORGAU_SERVE_THREADS,  # one per thread of a worker process
            "timeout": 10,  # seconds to wait for a free connection, then an error
            "max_idle": 300,
        }
    elif PRODUCTION:
        database["CONN_MAX_AGE"] = 60
        database["CONN_HEALTH_CHECKS"] = True
    return database


DATABASES["default"] = _connections(DATABASES["default"])
# A streaming replica for reads that may be seconds stale (qorgau.replicas). In the
# tests it is QORGAU_TEST_REPLICA_URL, a standby of the test server (.ci/replica):
# the test database created on the primary reaches it by streaming.
_replica_url = os.environ.get("DATABASE_REPLICA_URL") or os.environ.get("QORGAU_TEST_REPLICA_URL")
if _replica_url:
    DATABASES["replica"] = _connections(dj_database_url.parse(_replica_url))
    if _session := DATABASES["default"].get("OPTIONS", {}).get("options"):
        DATABASES["replica"].setdefault("OPTIONS", {})["options"] = _session  # as the primary's
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["qorgau.replicas.ReplicaRouter"]
# bench/scale_bench.py runs the server once without the access log, to measure its
# cost under load; production ignores it.
if not PRODUCTION and os.environ.get("QORGAU_BENCH_AUDIT_OFF") == "1":
    QORGAU_AUDIT_ENABLED = False
# ... and asks for the SQL time of each page in a Server-Timing header (qorgau.ops.timing).
if not PRODUCTION and os.environ.get("QORGAU_BENCH_TIMING") == "1":
    MIDDLEWARE.insert(1, "qorgau.ops.timing.ServerTimingMiddleware")
