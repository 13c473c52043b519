"""Digisnap settings: one module, driven by environment variables (see README, Configuration)."""

import importlib.util
import re
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from digisnap.core.env import env, envbool, envchoice, envint, envlist

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env("DIGISNAP_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = envbool("DEBUG", False)
SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-debug"  # noqa: S105

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The name people see in e-mails and subjects (never the host name a request came in on).
SITE_NAME = env("SITE_NAME", "Digisnap")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "django_tasks",
    "django_tasks_db",
    "digisnap.core",
    "digisnap.accounts",
    "digisnap.schools",
    "digisnap.rights",
    "digisnap.questionnaires",
    "digisnap.learning",
    "digisnap.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "digisnap.urls"
WSGI_APPLICATION = "digisnap.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "digisnap" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# SQLite (WAL) is the embedded default; PostgreSQL through DATABASE_URL.
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'digisnap.sqlite3'}")
try:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=envint("CONN_MAX_AGE", 60, minimum=0),
            # A persistent connection is tested before each request reuses it, so a database
            # restart costs a reconnect instead of one 500 per stale connection.
            conn_health_checks=True,
        )
    }
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from exc
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache holds rate limits, so every process must see the same one: Redis when REDIS_URL is
# set, else the database (table `digisnap_cache`, created by `migrate`). Never a per-process cache.
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "digisnap_cache",
            # The default of 300 entries would cull live rate-limit counters during a team session.
            "OPTIONS": {"MAX_ENTRIES": envint("CACHE_MAX_ENTRIES", 100_000, minimum=1000)},
        }
    }

# Background work: the Django Tasks API; the ORM backend by default, RQ (Redis) to scale out.
TASKS_BACKEND = envchoice("TASKS_BACKEND", "database", ("database", "immediate"))
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[TASKS_BACKEND],
    }
}
WORKER_HEARTBEAT_SECONDS = envint("WORKER_HEARTBEAT_SECONDS", 10, minimum=1)
# A running job with no heartbeat for this long, or running longer than the limit, is failed.
JOB_HEARTBEAT_TIMEOUT_SECONDS = envint("JOB_HEARTBEAT_TIMEOUT_SECONDS", 120, minimum=4)
JOB_TIME_LIMIT_SECONDS = envint("JOB_TIME_LIMIT_SECONDS", 3600, minimum=60)

# A directors' report hides every figure over fewer respondents than this (DESIGN §3); below 2 a
# figure would be one teacher's own result.
REPORT_MIN_RESPONDENTS = envint("REPORT_MIN_RESPONDENTS", 5, minimum=2)

# Sections higher apps add to a teacher's result page and PDF (see README, Architecture).
RESULT_SECTIONS = ["digisnap.learning.sections.learning_section"]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "questionnaires:home"
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"{SITE_NAME}: "
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = envchoice(
    "ACCOUNT_EMAIL_VERIFICATION", "optional", ("none", "optional", "mandatory")
)
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_ADAPTER = "digisnap.accounts.adapters.AccountAdapter"
ACCOUNT_SESSION_REMEMBER = None
# allauth's limits per address are sized for a school: RATE_LIMIT_PEOPLE_PER_ADDRESS people
# behind one NAT must all be able to sign up and sign in within minutes, with a typo each. The
# guesser is stopped per e-mail ("key"): a password guess on one account is refused after 5.
RATE_LIMIT_PEOPLE_PER_ADDRESS = envint("RATE_LIMIT_PEOPLE_PER_ADDRESS", 300, minimum=1)
_PEOPLE = RATE_LIMIT_PEOPLE_PER_ADDRESS
ACCOUNT_RATE_LIMITS = {
    "login": f"{2 * _PEOPLE}/m/ip",
    "login_failed": f"{_PEOPLE}/15m/ip,5/5m/key",
    "signup": f"{2 * _PEOPLE}/h/ip",
    "reset_password": f"{max(20, _PEOPLE // 10)}/m/ip,5/m/key",
    "reset_password_from_key": f"{max(20, _PEOPLE // 10)}/m/ip",
}

# Sign-in through ACM/IDM, the Flemish government's OpenID Connect provider (DESIGN.md §6); off
# (no button, no provider) while ACMIDM_ISSUER is empty. See README, Configuration.
ACMIDM_PROVIDER_ID = "acmidm"
ACMIDM_ISSUER = env("ACMIDM_ISSUER").strip().rstrip("/")
if ACMIDM_ISSUER and not ACMIDM_ISSUER.startswith(("https://", "http://")):
    raise ImproperlyConfigured("ACMIDM_ISSUER must start with https:// (or http:// for a test).")
ACMIDM_CLIENT_ID = env("ACMIDM_CLIENT_ID").strip()
ACMIDM_CLIENT_SECRET = env("ACMIDM_CLIENT_SECRET").strip()
if ACMIDM_ISSUER and not (ACMIDM_CLIENT_ID and ACMIDM_CLIENT_SECRET):
    raise ImproperlyConfigured(
        "ACMIDM_ISSUER is set: set ACMIDM_CLIENT_ID and ACMIDM_CLIENT_SECRET (or _FILE) too."
    )
ACMIDM_SCOPES = env("ACMIDM_SCOPES", "openid profile vo").replace(",", " ").split()
if "openid" not in ACMIDM_SCOPES:
    raise ImproperlyConfigured(f"ACMIDM_SCOPES={' '.join(ACMIDM_SCOPES)!r} must include openid.")
ACMIDM_ROLE_CLAIM = env("ACMIDM_ROLE_CLAIM", "dv_digisnap_rol_3d").strip()
if not re.fullmatch(r"[A-Za-z0-9_.-]{1,100}", ACMIDM_ROLE_CLAIM):
    raise ImproperlyConfigured(f"ACMIDM_ROLE_CLAIM={ACMIDM_ROLE_CLAIM!r} is not a claim name.")
ACMIDM_RIGHT_NAME = env("ACMIDM_RIGHT_NAME", "DigisnapBeheerder").strip()
if not re.fullmatch(r"[A-Za-z0-9_.]{1,100}", ACMIDM_RIGHT_NAME):
    raise ImproperlyConfigured(
        f"ACMIDM_RIGHT_NAME={ACMIDM_RIGHT_NAME!r} must be letters, digits, _ or . only."
    )
# Contexts accepted in `<right>-<context>:<orgcode>`; empty accepts any well-formed context.
ACMIDM_ROLE_CONTEXTS = envlist("ACMIDM_ROLE_CONTEXTS", [])
# vo_doelgroepcode values let in; OV is education.
ACMIDM_TARGET_GROUPS = envlist("ACMIDM_TARGET_GROUPS", ["OV"])
if not ACMIDM_TARGET_GROUPS:
    raise ImproperlyConfigured("ACMIDM_TARGET_GROUPS must name at least one vo_doelgroepcode.")
ACMIDM_BUTTON_LABEL = env("ACMIDM_BUTTON_LABEL").strip() or _("Sign in with ACM Vlaanderen")
ACMIDM_ENABLED = bool(ACMIDM_ISSUER)
ACMIDM_ORIGINS = (
    ["{0.scheme}://{0.netloc}".format(urlsplit(ACMIDM_ISSUER))] if ACMIDM_ENABLED else []
)

SOCIALACCOUNT_ADAPTER = "digisnap.accounts.adapters.SocialAccountAdapter"
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "provider_class": "digisnap.accounts.acmidm.provider.AcmIdmProvider",
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": ACMIDM_PROVIDER_ID,
                "name": "ACM/IDM",
                "client_id": ACMIDM_CLIENT_ID,
                "secret": ACMIDM_CLIENT_SECRET,
                "settings": {
                    "server_url": ACMIDM_ISSUER,
                    "token_auth_method": "client_secret_basic",
                    "oauth_pkce_enabled": True,
                    "scope": ACMIDM_SCOPES,
                },
            }
        ]
        if ACMIDM_ENABLED
        else [],
    }
}
# The government verified the addresses it sends: a local account with the same VERIFIED
# address is signed in and linked (accounts.adapters keeps unverified ones out). An address we
# had to ask for is verified before the account is used.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_EMAIL_VERIFICATION = "mandatory"
SOCIALACCOUNT_REQUESTS_TIMEOUT = envint("ACMIDM_TIMEOUT_SECONDS", 10, minimum=1)

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
# Our Dutch for texts of allauth and Django comes first (it wins); makemessages never writes it.
LOCALE_PATHS = [BASE_DIR / "digisnap" / "locale_overrides", BASE_DIR / "digisnap" / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Generated files (the directors' reports). Private: no URL serves MEDIA_ROOT; each download is a
# view that checks who asks.
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "media/"
# The directors' reports: on local disk under MEDIA_ROOT (one app server), or in an
# S3-compatible bucket shared by several app servers (needs `pip install django-storages[s3]`).
REPORT_STORAGE = envchoice("REPORT_STORAGE", "local", ("local", "s3"))
if REPORT_STORAGE == "s3":
    if importlib.util.find_spec("storages") is None:
        raise ImproperlyConfigured("REPORT_STORAGE=s3 needs django-storages[s3] installed.")
    if not env("REPORT_S3_BUCKET"):
        raise ImproperlyConfigured("REPORT_STORAGE=s3 needs REPORT_S3_BUCKET.")
    STORAGES["reports"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("REPORT_S3_BUCKET"),
            "endpoint_url": env("REPORT_S3_ENDPOINT_URL") or None,
            "region_name": env("REPORT_S3_REGION") or None,
            "access_key": env("REPORT_S3_ACCESS_KEY") or None,
            "secret_key": env("REPORT_S3_SECRET_KEY") or None,
            "location": env("REPORT_S3_PREFIX", "digisnap"),
            # Private objects; the app reads them and streams them to whoever may see them.
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    # No `location`: the storage follows MEDIA_ROOT, also when a test changes it.
    STORAGES["reports"] = {"BACKEND": "django.core.files.storage.FileSystemStorage"}

EMAIL_BACKEND = (
    "django.core.mail.backends.console.EmailBackend"
    if not env("EMAIL_HOST")
    else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = env("EMAIL_HOST")
EMAIL_PORT = envint("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
# Seconds an SMTP connection may hang before the try counts as a temporary failure.
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 30, minimum=1)
# Tries of one e-mail while the mail server fails temporarily (no connection, 4xx), with a
# growing delay (30 s, 1 min, 2 min, …); then it is failed and staff can retry it.
MAIL_MAX_ATTEMPTS = envint("MAIL_MAX_ATTEMPTS", 5, minimum=1)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Digisnap <noreply@digisnap.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Production hardening; `manage.py check --deploy` passes with DEBUG off and HTTPS on.
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
# Behind a reverse proxy: how many proxies to trust for the client address (rate limits) and
# the scheme. Without a proxy these headers could be forged, so they are ignored.
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0, minimum=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
if TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Only our own files: no inline script or style anywhere (django-csp). Chart colours are SVG
# presentation attributes, which a policy does not govern.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        # The sign-in and sign-out forms redirect to ACM/IDM, which form-action governs too.
        "form-action": [SELF, *ACMIDM_ORIGINS],
        "frame-ancestors": [NONE],
    }
}
# Nothing here needs the browser's sensors, camera, microphone, location or payments.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

# Wrong digisnap codes before a guesser has to wait (see digisnap/core/ratelimit.py): per session
# and per account, and per address before the address only answers who has not guessed yet.
JOIN_CODE_ATTEMPTS = envint("JOIN_CODE_ATTEMPTS", 10, minimum=1)
JOIN_CODE_ADDRESS_ATTEMPTS = envint("JOIN_CODE_ADDRESS_ATTEMPTS", 100, minimum=1)
JOIN_CODE_WINDOW_SECONDS = envint("JOIN_CODE_WINDOW_SECONDS", 900, minimum=1)

# Access requests from the public form: per session/account, per address (a whole school), per
# e-mail address, within one window (see README, Access requests).
ACCESS_REQUEST_ATTEMPTS = envint("ACCESS_REQUEST_ATTEMPTS", 5, minimum=1)
ACCESS_REQUEST_ADDRESS_ATTEMPTS = envint("ACCESS_REQUEST_ADDRESS_ATTEMPTS", 50, minimum=1)
ACCESS_REQUEST_EMAIL_ATTEMPTS = envint("ACCESS_REQUEST_EMAIL_ATTEMPTS", 3, minimum=1)
ACCESS_REQUEST_WINDOW_SECONDS = envint("ACCESS_REQUEST_WINDOW_SECONDS", 3600, minimum=1)

# The training catalogue's JSON feed (`manage.py import_catalogue --feed`); empty = no feed.
# The size limit also applies to files uploaded on the staff page.
TRAINING_FEED_URL = env("TRAINING_FEED_URL")
if TRAINING_FEED_URL and not TRAINING_FEED_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured("TRAINING_FEED_URL must start with http:// or https://.")
TRAINING_FEED_SOURCE = env("TRAINING_FEED_SOURCE", "KlasCement")
TRAINING_FEED_TIMEOUT_SECONDS = envint("TRAINING_FEED_TIMEOUT_SECONDS", 20, minimum=1)
TRAINING_FEED_MAX_BYTES = envint("TRAINING_FEED_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # WeasyPrint warns about every SVG presentation property of an inline chart; errors still show.
    "loggers": {"weasyprint": {"level": "ERROR"}, "fontTools": {"level": "WARNING"}},
}
