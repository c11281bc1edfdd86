"""The one settings module. Everything is read from the environment through strict helpers.

BOKJIHUB_ENV=production refuses to start without real secrets; any other value (the
default, "development") fills missing secrets from var/dev-secrets.json.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url

from bokjihub.core.env import env_bool, env_int, env_list, env_optional, env_str
from bokjihub.core.secrets import load_or_create_dev_secrets

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = Path(env_str("BOKJIHUB_HOME", str(Path.cwd()))).resolve()
VAR_DIR = Path(env_str("BOKJIHUB_VAR_DIR", str(BASE_DIR / "var"))).resolve()

ENVIRONMENT = env_str("BOKJIHUB_ENV", "development")
IS_PRODUCTION = ENVIRONMENT == "production"

_dev_secrets: dict[str, str] = {}
if not IS_PRODUCTION:
    _dev_secrets = load_or_create_dev_secrets(VAR_DIR / "dev-secrets.json")


def _secret(name: str) -> str:
    value = env_optional(name)
    if value is not None:
        return value
    if name in _dev_secrets:
        return _dev_secrets[name]
    return env_str(name)  # raises with the variable's name


SECRET_KEY = _secret("BOKJIHUB_SECRET_KEY")
DEBUG = env_bool("BOKJIHUB_DEBUG", default=not IS_PRODUCTION)
ALLOWED_HOSTS = env_list(
    "BOKJIHUB_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"]
)

# Resident registration numbers: AES-GCM keyring "id:base64key,id:base64key", the active
# key id for new writes, and the HMAC key of the blind index (shared with partner
# agencies as the "pepper" of hashed feeds).
RRN_KEYS = _secret("BOKJIHUB_RRN_KEYS")
RRN_ACTIVE_KEY_ID = _secret("BOKJIHUB_RRN_ACTIVE_KEY_ID")
BLIND_INDEX_KEY = _secret("BOKJIHUB_BLIND_INDEX_KEY")
# HMAC key of the access log's hash chain: without it, whoever can write to the database
# could rewrite a row and recompute every later hash.
AUDIT_KEY = _secret("BOKJIHUB_AUDIT_KEY")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # second login factor (TOTP) and lockout after repeated wrong passwords
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "huey.contrib.djhuey",
    "bokjihub.core",
    "bokjihub.regions",
    "bokjihub.orgs",
    "bokjihub.people",
    "bokjihub.audit",
    "bokjihub.cases",
    "bokjihub.finding",
    "bokjihub.directory",
    "bokjihub.referrals",
    "bokjihub.resources",
    "bokjihub.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "bokjihub.core.middleware.ContentSecurityPolicyMiddleware",
    # after auth, OTP and messages: it may log a session out and say why
    "bokjihub.core.middleware.SessionSecurityMiddleware",
    "bokjihub.core.middleware.SecondFactorMiddleware",
    # last, so that it sees the lockout flag the login view's authenticate() sets
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "bokjihub.urls"
WSGI_APPLICATION = "bokjihub.wsgi.application"

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
                "bokjihub.web.context_processors.actor",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'bokjihub.sqlite3'}"),
        conn_max_age=env_int("BOKJIHUB_DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while a writer commits; IMMEDIATE avoids the
    # "database is locked" upgrade deadlock when two requests write at once.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
        ),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "orgs.User"

# Argon2id first (OWASP's first choice); hashes written by the older hashers still verify
# and are rewritten as Argon2 at the user's next successful login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# Axes first: it refuses a locked account before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
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
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", "한국어"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Front-end packages (KRDS, Pretendard GOV, htmx) are installed by npm and copied here by
# `make assets`; nothing is loaded from a CDN (the system runs on closed networks).
STATICFILES_DIRS = (
    [BASE_DIR / "build" / "vendor"] if (BASE_DIR / "build" / "vendor").exists() else []
)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("BOKJIHUB_SESSION_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True  # idle timeout: the expiry moves with each request
# Absolute limit, however active the session (core.middleware.SessionSecurityMiddleware).
SESSION_ABSOLUTE_SECONDS = env_int("BOKJIHUB_SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60)
SESSION_COOKIE_SECURE = env_bool("BOKJIHUB_SECURE_COOKIES", IS_PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if SESSION_COOKIE_SECURE:
    # __Host- cookies are refused by browsers unless Secure, Path=/ and without Domain:
    # no sibling subdomain can plant or overwrite them.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# HSTS is sent on HTTPS responses only (SecurityMiddleware); a year in production.
SECURE_HSTS_SECONDS = env_int("BOKJIHUB_HSTS_SECONDS", 365 * 24 * 60 * 60 if IS_PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("BOKJIHUB_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_SSL_REDIRECT = env_bool("BOKJIHUB_SSL_REDIRECT", False)
# Behind a TLS-terminating proxy: BOKJIHUB_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO.
_proxy_ssl_header = env_optional("BOKJIHUB_PROXY_SSL_HEADER")
if _proxy_ssl_header:
    SECURE_PROXY_SSL_HEADER = (_proxy_ssl_header, "https")
# No 'unsafe-inline' and no 'unsafe-eval': templates carry no inline script, style or
# event handler (web/tests/test_security_headers.py scans them), htmx is told not to
# inject its indicator <style> (meta htmx-config in base.html).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

# Second factor (django-otp, TOTP): required of every user whose role can read personal
# data (orgs.actors.PERSONAL_DATA_ROLES) and of admin-site users
# (core.middleware.SecondFactorMiddleware).
OTP_TOTP_ISSUER = env_str("BOKJIHUB_OTP_ISSUER", "복지허브")

# Lockout (django-axes): the 6th wrong password in a row for one username locks that
# account for BOKJIHUB_LOCKOUT_MINUTES (a system administrator can lift it earlier:
# `bokjihub axes_reset_username NAME`); a correct password resets the count.
AXES_FAILURE_LIMIT = 6
# By account only: staff of one office share one address behind its NAT, and a lock per
# address would let one person's typos lock out the whole office (axes.W006 below).
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_COOLOFF_TIME = timedelta(minutes=env_int("BOKJIHUB_LOCKOUT_MINUTES", 30))
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "bokjihub.web.auth_views.lockout_response"
AXES_CLIENT_IP_CALLABLE = "bokjihub.web.actors.client_ip"
# Axes' log lines name the account by id only: no username, IP or browser in logs.
AXES_VERBOSE = False
AXES_CLIENT_STR_CALLABLE = "bokjihub.web.auth_views.client_for_log"

DEFAULT_EXCEPTION_REPORTER_FILTER = "bokjihub.core.logging.RrnSafeExceptionReporterFilter"

# Which proxy header carries the client IP for the access log ("" = use REMOTE_ADDR).
CLIENT_IP_HEADER = env_str("BOKJIHUB_CLIENT_IP_HEADER", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_rrn": {"()": "bokjihub.core.logging.RedactRrnFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["redact_rrn"],
            "formatter": "plain",
        },
    },
    "root": {"handlers": ["console"], "level": env_str("BOKJIHUB_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # the development server logs request lines (URLs); route them through the filter
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# Task queue (huey): webhook deliveries and their retries, referral reminders, background
# screening runs. SQLite storage under var/ needs no server on a laptop or in a small Gun;
# BOKJIHUB_HUEY_REDIS_URL moves it to Redis in production. Run the worker with
# `bokjihub run_huey`. BOKJIHUB_HUEY_IMMEDIATE=true runs every task inline (tests).
_huey_redis = env_optional("BOKJIHUB_HUEY_REDIS_URL")
HUEY = {
    "name": "bokjihub",
    "immediate": env_bool("BOKJIHUB_HUEY_IMMEDIATE", default=False),
    "results": True,
    "store_none": False,
    "utc": True,
    "consumer": {"workers": env_int("BOKJIHUB_HUEY_WORKERS", 2), "worker_type": "thread"},
}
if _huey_redis:
    HUEY.update({"huey_class": "huey.RedisHuey", "url": _huey_redis})
else:
    HUEY.update(
        {"huey_class": "huey.SqliteHuey", "filename": str(VAR_DIR / "huey.sqlite3")}
    )

# Screening runs started from the web (issue 4): where agency feeds are dropped, where
# runs are written, and the trained model to rank with (none: the rule score only).
SCREENING_DIR = VAR_DIR / "screening"
BOKJIHUB_SCREENING_FEEDS_DIR = Path(
    env_str("BOKJIHUB_SCREENING_FEEDS_DIR", str(SCREENING_DIR / "feeds"))
)
BOKJIHUB_SCREENING_RUNS_DIR = Path(
    env_str("BOKJIHUB_SCREENING_RUNS_DIR", str(SCREENING_DIR / "runs"))
)
BOKJIHUB_SCREENING_MODEL = env_optional("BOKJIHUB_SCREENING_MODEL")

# Days after an assessment before a need with no plan goal or delivery shows as a gap.
BOKJIHUB_SERVICE_GAP_DAYS = env_int("BOKJIHUB_SERVICE_GAP_DAYS", 30)
