"""EDN settings, read from the environment.

With nothing set, EDN runs embedded: a SQLite file, Celery tasks executed in
process, e-mail printed to the console. Production sets DEBUG=false and
supplies SECRET_KEY, DATABASE_URL, CELERY_BROKER_URL and EMAIL_URL.
"""

import re
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# EDN_ENV_FILE lets tests and containers point away from the checkout's .env.
environ.Env.read_env(env.str("EDN_ENV_FILE", default=str(BASE_DIR / ".env")))

DEBUG = env.bool("DEBUG", default=True)

if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="edn-insecure-development-key")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a random string of at least 50 "
            "characters when DEBUG is off."
        )

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "csp",
    "organizations",
    "surveys",
    "network",
    "guide",
    "participants",
    "audit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, so a locked-out sign-in gets the lockout page.
    "axes.middleware.AxesMiddleware",
    # A dropped database connection in an autosave answers 503, retry.
    "edn.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "edn.urls"
WSGI_APPLICATION = "edn.wsgi.application"

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
            ],
            "libraries": {"staff_nav": "edn.templatetags.staff_nav"},
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# Rate limits count in the cache: in process when embedded, Redis in production
# so every gunicorn worker shares the counts.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "organizations.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="America/Chicago")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "media/"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="EDN <edn@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: without a broker URL, tasks run eagerly in the calling process.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="edn")
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Reminders are due by the day; checking hourly sends each within the hour.
CELERY_BEAT_SCHEDULE = {
    "send-due-reminders": {
        "task": "surveys.tasks.send_due_reminders",
        "schedule": 60 * 60,
    },
    # A rebuild lost with the broker or a killed worker is queued again.
    "queue-stale-rebuilds": {
        "task": "network.tasks.queue_stale_rebuilds",
        "schedule": 60,
    },
    # Responses past their round's retention are deleted once a day.
    "purge-expired-responses": {
        "task": "surveys.tasks.purge_expired_responses",
        "schedule": 24 * 60 * 60,
    },
    "clear-expired-sessions": {
        "task": "organizations.tasks.clear_expired_sessions",
        "schedule": 24 * 60 * 60,
    },
}

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Database sessions that also record the user signed in (organizations.Session).
SESSION_ENGINE = "organizations.session_store"
# Scripts and styles come only from EDN's own static files; no page is framed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # Bootstrap and the map set positions through style attributes.
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Sign-in lockout: five failures for one e-mail from one address lock that
# pair for fifteen minutes, whether or not the account exists.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# "Member@X.example " and "member@x.example" are one account, so one lock.
AXES_USERNAME_CALLABLE = "edn.ratelimits.sign_in_username"
# Behind proxies, the client address is the one the outermost of them saw;
# the lockout and the per-address limits both use it.
PROXY_COUNT = env.int("PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "edn.ratelimits.client_address"


def rate_limit(name, default):
    """Read a rate such as "120/m" or "20/10m": a count per s, m, h or d."""
    value = env.str(name, default=default)
    if not re.fullmatch(r"\d+/\d*[smhd]", value):
        raise ImproperlyConfigured(
            f"{name} must be a count per period such as 120/m or 20/10m, not {value!r}."
        )
    return value


# Rate limits (edn/ratelimits.py), counted in the default cache. Sign-in and
# password reset count per client address, invitation sending per staff
# user, autosave and partner search per survey response, so the respondents
# behind one office address do not share an allowance; the guide's search per
# client address.
RATE_LIMIT_SIGN_IN = rate_limit("RATE_LIMIT_SIGN_IN", "20/10m")
RATE_LIMIT_PASSWORD_RESET = rate_limit("RATE_LIMIT_PASSWORD_RESET", "5/10m")
RATE_LIMIT_INVITATIONS = rate_limit("RATE_LIMIT_INVITATIONS", "30/10m")
RATE_LIMIT_AUTOSAVE = rate_limit("RATE_LIMIT_AUTOSAVE", "120/m")
RATE_LIMIT_SEARCH = rate_limit("RATE_LIMIT_SEARCH", "60/m")
# The practice guide's search may be public: counted per client address.
RATE_LIMIT_GUIDE_SEARCH = rate_limit("RATE_LIMIT_GUIDE_SEARCH", "60/m")
# A cache that cannot be reached lets requests through rather than refusing
# every autosave; the sign-in lockout still holds, it is kept in the database.
RATELIMIT_FAIL_OPEN = True

# A queued rebuild waits this long so a burst of submissions shares it.
NETWORK_REBUILD_DELAY = env.int("NETWORK_REBUILD_DELAY", default=10)
NETWORK_REBUILD_LEASE_SECONDS = env.int("NETWORK_REBUILD_LEASE_SECONDS", default=900)
# The sweep queues a dirty round again when its queued mark is this old.
NETWORK_REBUILD_REQUEUE_SECONDS = env.int(
    "NETWORK_REBUILD_REQUEUE_SECONDS", default=300
)

# Uploaded rosters are read in memory; refuse anything larger than this.
ROSTER_MAX_BYTES = env.int("ROSTER_MAX_BYTES", default=5 * 1024 * 1024)
ROSTER_MAX_ROWS = env.int("ROSTER_MAX_ROWS", default=20000)

# The practice guide is for signed-in participants unless staff open it;
# this is the starting choice, staff change it on the guide review page.
GUIDE_PUBLIC = env.bool("GUIDE_PUBLIC", default=False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
