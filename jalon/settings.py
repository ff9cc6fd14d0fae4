"""Jalon's one settings module: every value that differs between machines comes from
the environment (see docs/settings.md and .env.example)."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("JALON_VAR_DIR", BASE_DIR / "var"))

DEBUG = os.environ.get("JALON_DEBUG", "1") == "1"
# A fixed key is only acceptable for the local demo; production sets JALON_SECRET_KEY.
SECRET_KEY = os.environ.get("JALON_SECRET_KEY", "" if not DEBUG else "insecure-local-demo-key")
if not SECRET_KEY:
    raise RuntimeError("JALON_SECRET_KEY must be set when JALON_DEBUG is not 1.")
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
# PDF and DOCX reports are prepared in a thread of the web process, so that a long layout
# outlives the request; 0 prepares them inside the request (tests, debugging).
JALON_REPORTS_IN_BACKGROUND = os.environ.get("JALON_REPORTS_IN_BACKGROUND", "1") == "1"

# The organisation that publishes the IATI files: its IATI identifier (for a Canadian
# charity, CA-CRA_ACC- and its registration number), name and OrganisationType code.
JALON_IATI_ORGANISATION_REF = os.environ.get("JALON_IATI_ORGANISATION_REF", "")
JALON_IATI_ORGANISATION_NAME = os.environ.get("JALON_IATI_ORGANISATION_NAME", "")
JALON_IATI_ORGANISATION_TYPE = os.environ.get("JALON_IATI_ORGANISATION_TYPE", "21")

# In the demo, e-mails are written as files under var/mail instead of being sent.
EMAIL_HOST = os.environ.get("JALON_EMAIL_HOST", "")
EMAIL_BACKEND = (
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

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Imports larger than this are refused before parsing: no plan is that long.
JALON_MAX_IMPORT_BYTES = int(os.environ.get("JALON_MAX_IMPORT_BYTES", str(20 * 1024 * 1024)))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("JALON_LOG_LEVEL", "WARNING")},
}
