"""Jalon's one settings module: every value that differs between machines comes from
the environment (see docs/settings.md and .env.example)."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("JALON_VAR_DIR", BASE_DIR / "var"))

# Off unless asked for: a server started without the variable never shows a traceback.
# `make run` and the tests turn it on.
DEBUG = os.environ.get("JALON_DEBUG", "0") == "1"
# The key .env.example shows, and the demo's: known to anyone who read them.
KNOWN_KEYS = {"change-me-to-a-long-random-string", "insecure-local-demo-key", ""}
SECRET_KEY = os.environ.get("JALON_SECRET_KEY", "insecure-local-demo-key" if DEBUG else "")
if not DEBUG and SECRET_KEY in KNOWN_KEYS:
    raise RuntimeError(
        "JALON_SECRET_KEY must be set to a long random value of your own when JALON_DEBUG is not 1 "
        "(for example: python3 -c 'import secrets; print(secrets.token_urlsafe(50))')."
    )
# Production settings (JALON_DEBUG=0) never get demo accounts with a published password.
JALON_DEMO_ALLOWED = DEBUG
ALLOWED_HOSTS = os.environ.get("JALON_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "jalon.operations",
    "jalon.accounts",
    "jalon.plans",
    "jalon.tracking",
    "jalon.directory",
    "jalon.results",
    "jalon.overview",
    "jalon.exchange",
    "jalon.reports",
    "jalon.portal",
    "jalon.backups",
    "jalon.api",
    "jalon.demo",
    # Serves its OpenAPI viewer's scripts from our own static files, never from a CDN.
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files straight after, before sessions and the database are touched.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jalon.lib.middleware.FrenchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page is internal unless its view says login_not_required: a page added later
    # cannot leak by forgetting a decorator.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as its documentation asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
    # Innermost: once the reader is known, a page unchanged since the last write is
    # answered without running its view (jalon/operations/pagecache.py).
    "jalon.operations.pagecache.PageCacheMiddleware",
]

ROOT_URLCONF = "jalon.urls"
WSGI_APPLICATION = "jalon.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "jalon" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'jalon.sqlite3'}"),
        conn_max_age=int(os.environ.get("JALON_DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = {
        # Several server processes write to one file: a writer waits for the lock instead of
        # failing, and takes it when its transaction starts, so that two racing edits meet
        # as a version conflict (409), never as "database is locked" halfway through.
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        # Readers never wait for a writer (write-ahead log); NORMAL is safe with it.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Argon2 first: new and changed passwords are hashed with it; older hashes still verify.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "plans:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Throttling: after 5 failed sign-ins for one user name from one address, that pair
# waits 15 minutes. Attempts are kept in the database, so several app servers agree.
AXES_FAILURE_LIMIT = int(os.environ.get("JALON_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# The person's address, not the reverse proxy's: otherwise everyone behind the proxy shares
# one address, and five wrong passwords from anywhere lock a name out for everyone.
AXES_CLIENT_IP_CALLABLE = "jalon.lib.client_ip.client_ip"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# French (as spoken in Québec) first, English complete.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "jalon" / "locale"]
TIME_ZONE = os.environ.get("JALON_TIME_ZONE", "America/Montreal")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Attachments live here and are served only through a view that checks permissions.
MEDIA_ROOT = VAR_DIR / "media"
JALON_MAX_ATTACHMENT_BYTES = int(os.environ.get("JALON_MAX_ATTACHMENT_BYTES", str(10 * 1024 * 1024)))

# Slow and scheduled work (report files, e-mails, reminders) goes through Django's tasks
# interface to a queue held in the database: any number of `jalon db_worker` processes on
# any number of machines take from it. "immediate" runs each task at once, inside the
# process that asks (tests, debugging).
TASKS_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS = {"default": {"BACKEND": TASKS_BACKENDS[os.environ.get("JALON_TASKS", "database")]}}

# One process keeps its cache in its own memory; several servers share Redis.
JALON_CACHE_URL = os.environ.get("JALON_CACHE_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": JALON_CACHE_URL}
        if JALON_CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 2000}}
    )
}
# How long a page unchanged since the last write is answered from the cache; 0 turns the
# page cache off.
JALON_PAGE_CACHE_SECONDS = int(os.environ.get("JALON_PAGE_CACHE_SECONDS", "600"))

# The organisation that publishes the IATI files: its IATI identifier (for a Canadian
# charity, CA-CRA_ACC- and its registration number), name and OrganisationType code.
JALON_IATI_ORGANISATION_REF = os.environ.get("JALON_IATI_ORGANISATION_REF", "")
JALON_IATI_ORGANISATION_NAME = os.environ.get("JALON_IATI_ORGANISATION_NAME", "")
JALON_IATI_ORGANISATION_TYPE = os.environ.get("JALON_IATI_ORGANISATION_TYPE", "21")

# Every e-mail is handed to the task queue, which sends it through the real backend: SMTP,
# or in the demo files written under var/mail. A slow mail server never holds a page.
EMAIL_HOST = os.environ.get("JALON_EMAIL_HOST", "")
EMAIL_BACKEND = "jalon.operations.mail.QueuedEmailBackend"
JALON_EMAIL_DELIVERY_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_PORT = int(os.environ.get("JALON_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("JALON_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("JALON_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("JALON_EMAIL_USE_TLS", "1") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("JALON_FROM_EMAIL", "jalon@localhost")
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600  # an invitation stays valid for three days
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "jalon" / "static"]
# Source maps are for someone debugging the API viewer's scripts, never sent to a reader:
# compressing their 5 MB would only slow collectstatic down.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
# The demo and the tests serve static files from the app folders as they change.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
# Attachments and report files: a folder (MEDIA_ROOT, which several servers may share as a
# mount), or an S3-compatible object store when JALON_S3_BUCKET is set.
JALON_S3_BUCKET = os.environ.get("JALON_S3_BUCKET", "")
FILE_STORAGE = (
    {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": JALON_S3_BUCKET,
            "endpoint_url": os.environ.get("JALON_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("JALON_S3_REGION") or None,
            "access_key": os.environ.get("JALON_S3_ACCESS_KEY", ""),
            "secret_key": os.environ.get("JALON_S3_SECRET_KEY", ""),
            # Files leave only through Jalon's views, which check who asks: never a public
            # address, and a name is never silently replaced.
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    if JALON_S3_BUCKET
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
)
STORAGES = {
    "default": FILE_STORAGE,
    # In production `jalon collectstatic` names each file by its content and writes its gzip
    # and brotli twins; WhiteNoise serves them with a cache of a year.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# In production people reach Jalon over HTTPS only: Django sends them there, tells browsers
# to stay there (HSTS) and sends cookies over HTTPS only. JALON_HTTPS=0 is for trying the
# production server on one's own machine over plain HTTP.
HTTPS = os.environ.get("JALON_HTTPS", "0" if DEBUG else "1") == "1"
# Behind a reverse proxy that speaks TLS (docs/deploy.md), the proxy says the request
# came over HTTPS; Django must not believe that header from anyone else.
BEHIND_TLS_PROXY = os.environ.get("JALON_BEHIND_TLS_PROXY", "0") == "1"
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Behind that proxy every request comes from the proxy's address: the person's own is the
# last one the proxy added to X-Forwarded-For. Only a request from one of these addresses
# (Gunicorn's JALON_PROXY_IPS too) is believed; without a proxy, none is.
JALON_PROXY_IPS = (
    [ip.strip() for ip in os.environ.get("JALON_PROXY_IPS", "127.0.0.1,::1").split(",") if ip.strip()]
    if BEHIND_TLS_PROXY
    else []
)
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("JALON_HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("JALON_HSTS_INCLUDE_SUBDOMAINS", "1") == "1"
SECURE_HSTS_PRELOAD = False
# Django's deployment check warns without preload (security.W021), but asking browsers to
# preload an address binds the whole domain and every subdomain to HTTPS for months, even
# after it is taken back: that is the domain owner's decision, never a default. Silenced so
# that `jalon check --deploy --fail-level WARNING` (docs/deploy.md) says nothing on a sound
# server.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
# The addresses people reach Jalon at (https://jalon.example.org), for the Origin check of
# forms posted through a proxy.
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("JALON_TRUSTED_ORIGINS", "").split(",") if o]
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Sessions live in the database, read through the cache: a page answered from the page
# cache reads no row at all.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Pages load scripts, styles, images and fonts from Jalon itself only, and no inline script
# runs: text that slipped through as markup still cannot act.
CONTENT_SECURITY_POLICY = {
    # The API's document viewer is ninja's own page, with its inline start-up script.
    "EXCLUDE_URL_PREFIXES": ["/api/v1/docs"],
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
    },
}

# Imports larger than this are refused before parsing: no plan is that long.
JALON_MAX_IMPORT_BYTES = int(os.environ.get("JALON_MAX_IMPORT_BYTES", str(20 * 1024 * 1024)))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("JALON_LOG_LEVEL", "WARNING")},
    # The task queue says which task started and ended, one line each.
    "loggers": {"django_tasks_db": {"level": "INFO"}},
}
