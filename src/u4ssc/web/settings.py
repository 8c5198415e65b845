"""Django settings.

Everything comes from environment variables (documented in ``.env.example``). With none
set, the platform runs in the embedded mode: DEBUG on, SQLite in ``./data``, background
tasks in-process. With ``U4SSC_DEBUG=0`` (production) it refuses to start without allowed
hosts and without a secret key that passes Django's ``security.W009`` rule.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from u4ssc.web.env import env_bool, env_int, env_list, env_str, secret_key_problem

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("U4SSC_DATA_DIR", str(Path.cwd() / "data"))).resolve()

DEBUG = env_bool("U4SSC_DEBUG", True)

_DEV_SECRET = "embedded-mode-only-not-secret"
SECRET_KEY = env_str("U4SSC_SECRET_KEY", "" if not DEBUG else _DEV_SECRET)
ALLOWED_HOSTS = env_list(
    "U4SSC_ALLOWED_HOSTS", [] if not DEBUG else ["127.0.0.1", "localhost", "testserver"]
)
_MAKE_SECRET = "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
if not DEBUG:
    if not SECRET_KEY or SECRET_KEY == _DEV_SECRET:
        raise ImproperlyConfigured(
            "U4SSC_SECRET_KEY must be set to a long random value when U4SSC_DEBUG=0; "
            f"make one with: {_MAKE_SECRET}"
        )
    if (_weak := secret_key_problem(SECRET_KEY)) is not None:
        raise ImproperlyConfigured(
            f"U4SSC_SECRET_KEY is not secure enough for U4SSC_DEBUG=0: {_weak}; "
            f"make one with: {_MAKE_SECRET}"
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "U4SSC_ALLOWED_HOSTS must list the site's host names when U4SSC_DEBUG=0"
        )
    SESSION_COOKIE_SECURE = env_bool("U4SSC_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_TRUSTED_ORIGINS = env_list("U4SSC_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before staticfiles: runserver leaves static files to WhiteNoise, as in production.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # serves its API docs page from its own static files, not a CDN
    "u4ssc.web",
    "u4ssc.apps.accounts",
    "u4ssc.apps.organisations",
    "u4ssc.apps.catalogue",
    "u4ssc.apps.reports",
    "u4ssc.apps.evaluations",
    "u4ssc.apps.benchmarking",
    "u4ssc.apps.transfer",
    "u4ssc.apps.tasks",
    "u4ssc.apps.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files are served by the platform itself, in production too (decision 0004).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "u4ssc.web.guards.RefuseNulMiddleware",
    # Errors under /api/ that no API handler answered (unknown path, wrong method) get the
    # API's JSON error body too.
    "u4ssc.web.guards.ApiErrorBodyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "u4ssc.web.htmx.HtmxMiddleware",
]

ROOT_URLCONF = "u4ssc.web.urls"
WSGI_APPLICATION = "u4ssc.web.wsgi.application"

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
                "u4ssc.web.context.site",
            ],
        },
    }
]

_DATABASE_URL = env_str("DATABASE_URL", "")
if _DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(_DATABASE_URL, conn_max_age=60)}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "u4ssc.sqlite3",
            "OPTIONS": {
                # WAL lets readers go on while the in-process task runner writes.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            # A file, not memory: background-task threads must see the test database.
            "TEST": {"NAME": str(DATA_DIR / "test-u4ssc.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# Django's model backend behind the login throttle: every login path (the login page, the
# admin's, anything calling authenticate()) is throttled and counted in one place.
AUTHENTICATION_BACKENDS = ["u4ssc.apps.accounts.backends.ThrottledModelBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
# Failed logins per (username, client address) before the account is locked out for a while.
LOGIN_THROTTLE_LIMIT = env_int("U4SSC_LOGIN_THROTTLE_LIMIT", 5)
LOGIN_THROTTLE_WINDOW_SECONDS = env_int("U4SSC_LOGIN_THROTTLE_WINDOW", 900)
# Reverse proxies in front of the platform that append to X-Forwarded-For (0: none, the
# header is ignored); the throttle counts the address the outermost of them saw.
TRUSTED_PROXIES = env_int("U4SSC_TRUSTED_PROXIES", 0)

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("nb", _("Norwegian Bokmål"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"
# Static files (CSS, htmx, the admin's and the API docs' files) are served by WhiteNoise
# (decision 0004). Embedded mode serves them straight from the packages' static folders and
# sees edits at once. Production serves what `u4ssc manage collectstatic` put in STATIC_ROOT:
# names carry a hash of the content (site.1a2b3c.css), so browsers may keep them for a year,
# and a gzip copy of each is made once.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Import limits: a file over either limit is refused before anything is parsed.
IMPORT_MAX_BYTES = env_int("U4SSC_IMPORT_MAX_BYTES", 50 * 1024 * 1024)
IMPORT_MAX_ROWS = env_int("U4SSC_IMPORT_MAX_ROWS", 500_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Background tasks: "inprocess" (embedded default, a thread in the web process) or
# "worker" (a separate `u4ssc worker` process polls the task table).
TASKS_MODE = env_str("U4SSC_TASKS_MODE", "inprocess")

# Dask scheduler for large simulation ensembles; empty = local processes.
DASK_SCHEDULER = env_str("U4SSC_DASK_SCHEDULER", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("U4SSC_LOG_LEVEL", "WARNING")},
}
