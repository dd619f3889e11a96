"""Django settings, read strictly from the environment.

Every variable is documented in README.md (a test checks it). Defaults make
`make run` work on a fresh machine; `SOMMAIRE_HTTPS=true` turns on the
production profile that `sommaire check --deploy` verifies.
"""

import secrets
from pathlib import Path

import dj_database_url

from sommaire.env import env_bool, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(env_str("SOMMAIRE_VAR_DIR") or Path.cwd() / "var").resolve()


def _secret_key() -> str:
    """The SECRET_KEY variable, else a key generated once into var/ and kept there."""
    key = env_str("SECRET_KEY")
    if key:
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("SOMMAIRE_DEBUG", False)
ALLOWED_HOSTS = env_list("SOMMAIRE_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
HTTPS = env_bool("SOMMAIRE_HTTPS", False)

INSTALLED_APPS = [
    # First, so that its templates (history list) override the admin's.
    "sommaire.editors",
    "sommaire.editors.apps.AdministratorsAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "dsfr",
    "simple_history",
    "sommaire.catalog",
    "sommaire.regions",
    "sommaire.public",
    "sommaire.search",
    "sommaire.fetch",
    "sommaire.linkcheck",
    "sommaire.edition",
    "sommaire.api",
    "sommaire.watch",
    "sommaire.dossiers",
    "sommaire.alerts",
    "sommaire.jobs",
    "sommaire.documents",
    "sommaire.workspace",
    # Not "ninja": it is an app only for its Swagger page's templates and static
    # files, which our own documentation page replaces (api/docs.py); installed,
    # it imported django-ninja and pydantic at every start of every command.
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside the middleware that set cookies, so that it sees them all.
    "sommaire.public.cache.SharedCacheMiddleware",
    "sommaire.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "sommaire.regions.middleware.ReaderRegionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "sommaire.urls"
WSGI_APPLICATION = "sommaire.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sommaire.public.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'sommaire.sqlite3'}",
        conn_max_age=env_int("SOMMAIRE_DB_CONN_MAX_AGE", 60, minimum=0),
        # A kept connection is tested before a request uses it: after the
        # database restarts, the first request reconnects instead of failing.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while a job writes; IMMEDIATE takes the write
        # lock at BEGIN so two writers queue instead of failing mid-transaction.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    if DATABASES["default"]["NAME"] != ":memory:":
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
else:
    # A database that does not answer fails a request (and /healthz) in
    # seconds rather than hanging a worker until the client gives up.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 5

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Sign-in: our backend refuses a locked name or address (sommaire.editors.lockout).
AUTHENTICATION_BACKENDS = ["sommaire.editors.lockout.LockoutBackend"]
LOGIN_URL = "workspace:sign-in"
LOGIN_REDIRECT_URL = "workspace:dashboard"
LOGIN_MAX_FAILURES = env_int("SOMMAIRE_LOGIN_MAX_FAILURES", 5, minimum=1)
LOGIN_MAX_FAILURES_PER_IP = env_int("SOMMAIRE_LOGIN_MAX_FAILURES_PER_IP", 20, minimum=1)
LOGIN_LOCKOUT_MINUTES = env_int("SOMMAIRE_LOGIN_LOCKOUT_MINUTES", 15, minimum=1)
TRUSTED_PROXIES = env_int("SOMMAIRE_TRUSTED_PROXIES", 0, minimum=0)
SESSION_COOKIE_AGE = env_int("SOMMAIRE_SESSION_HOURS", 8, minimum=1) * 3600
# Backups (export-all / import-all) are signed with this key; keep it apart
# from the server so that a backup can be restored on a new machine.
BACKUP_KEY = env_str("SOMMAIRE_BACKUP_KEY") or SECRET_KEY

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "sommaire.editors.passwords.VarietyValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 3600

SITE_URL = env_str("SOMMAIRE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Who runs this instance, shown on the legal notice, the accessibility
# statement and in the footer. Empty until the operator says: the pages then
# say that it is not given yet, never a name we would have to guess.
SITE_PUBLISHER = env_str("SOMMAIRE_PUBLISHER")
SITE_HOST = env_str("SOMMAIRE_HOST")
SITE_CONTACT_EMAIL = env_str("SOMMAIRE_CONTACT_EMAIL")
ACCESSIBILITY_STATEMENT_DATE = env_str("SOMMAIRE_ACCESSIBILITY_DATE")

# Outbound HTTP (sommaire.fetch): the limits of the one client. The address
# guard refuses internal addresses; FETCH_ALLOWED_NETWORKS lifts it for some
# networks (tests allow 127.0.0.0/8), never for link-local ones.
FETCH_TIMEOUT = env_int("SOMMAIRE_FETCH_TIMEOUT", 20, minimum=1)
FETCH_CONNECT_TIMEOUT = env_int("SOMMAIRE_FETCH_CONNECT_TIMEOUT", 10, minimum=1)
FETCH_READ_TIMEOUT = env_int("SOMMAIRE_FETCH_READ_TIMEOUT", 15, minimum=1)
FETCH_MAX_BYTES = env_int("SOMMAIRE_FETCH_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
FETCH_PER_HOST = env_int("SOMMAIRE_FETCH_PER_HOST", 4, minimum=1)
FETCH_CONCURRENCY = env_int("SOMMAIRE_FETCH_CONCURRENCY", 200, minimum=1)
# Politeness: FETCH_PER_HOST requests in flight is what holds a host. The
# interval caps the rate of starts on a host that answers fast (a burst of
# FETCH_PER_HOST, then one start per interval: 40 a second at 25 ms). At
# 100 ms between every two starts it serialised every host (40 URLs took 4 s
# however fast the server answered).
FETCH_MIN_INTERVAL_MS = env_int("SOMMAIRE_FETCH_MIN_INTERVAL_MS", 25, minimum=0)
# ASCII only: a header value in UTF-8 is refused by strict servers (the
# client folds whatever is configured; this default needs no folding).
FETCH_USER_AGENT = env_str("SOMMAIRE_FETCH_USER_AGENT", f"Sommaire/0.1 (+{SITE_URL}/)")
FETCH_ALLOWED_NETWORKS = env_list("SOMMAIRE_FETCH_ALLOWED_NETWORKS", [])

# A running check-links renews its lock every third of this; a crashed run's
# lock lapses after it.
LINKCHECK_LOCK_SECONDS = env_int("SOMMAIRE_LINKCHECK_LOCK_SECONDS", 120, minimum=3)

# Text extraction of documents (sommaire.documents): a larger file is not
# read (it is recorded as too large), whatever SOMMAIRE_FETCH_MAX_BYTES says.
DOCUMENTS_MAX_BYTES = env_int("SOMMAIRE_DOCUMENTS_MAX_BYTES", 25 * 1024 * 1024, minimum=1024)

# Watching official pages (sommaire.watch): a parse whose publication count
# falls under WATCH_MIN_LINK_PERCENT of the last good one is not trusted.
WATCH_INTERVAL_MINUTES = env_int("SOMMAIRE_WATCH_INTERVAL_MINUTES", 60, minimum=1)
WATCH_SNAPSHOTS_KEPT = env_int("SOMMAIRE_WATCH_SNAPSHOTS_KEPT", 5, minimum=1)
WATCH_MIN_LINK_PERCENT = env_int("SOMMAIRE_WATCH_MIN_LINK_PERCENT", 50, minimum=0)
WATCH_LEASE_SECONDS = env_int("SOMMAIRE_WATCH_LEASE_SECONDS", 900, minimum=60)

# E-mail (reader alerts, editors' digests): Django's backends, the console by default.
EMAIL_BACKEND = env_str("SOMMAIRE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("SOMMAIRE_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("SOMMAIRE_EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("SOMMAIRE_EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("SOMMAIRE_EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("SOMMAIRE_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("SOMMAIRE_EMAIL_FROM", "Sommaire <ne-pas-repondre@localhost>")
# The alerts form (/nouveautes/alertes/) must not be a way to flood a mailbox:
# confirmations per e-mail, and requests per client address, in one hour.
ALERTS_MAX_PER_EMAIL = env_int("SOMMAIRE_ALERTS_MAX_PER_EMAIL", 3, minimum=1)
ALERTS_MAX_PER_IP = env_int("SOMMAIRE_ALERTS_MAX_PER_IP", 10, minimum=1)

# Jobs that `sommaire run-jobs` (started by `make run`) runs on its own. In
# production the platform's scheduler may run the same commands instead.
# A runner renews its lease every third of JOBS_LEASE_SECONDS; a dead runner's
# job is taken over once it has expired. /healthz says a job is stalled when
# it is JOBS_LATE_MINUTES overdue and nobody holds it.
JOBS_LEASE_SECONDS = env_int("SOMMAIRE_JOBS_LEASE_SECONDS", 60, minimum=3)
JOBS_LATE_MINUTES = env_int("SOMMAIRE_JOBS_LATE_MINUTES", 120, minimum=1)
JOBS = [
    {
        "name": "watch",
        "command": ["watch", "--format", "json"],
        "every_minutes": env_int("SOMMAIRE_JOBS_WATCH_MINUTES", 15, minimum=1),
    },
    {
        "name": "check-links",
        "command": ["check-links", "--format", "json"],
        "every_minutes": env_int("SOMMAIRE_JOBS_CHECK_LINKS_MINUTES", 24 * 60, minimum=1),
    },
    {
        "name": "extract-documents",
        "command": ["extract-documents", "--format", "json"],
        "every_minutes": env_int("SOMMAIRE_JOBS_DOCUMENTS_MINUTES", 24 * 60, minimum=1),
    },
    {
        "name": "send-digests",
        "command": ["send-digests", "--format", "json"],
        "every_minutes": env_int("SOMMAIRE_JOBS_DIGESTS_MINUTES", 24 * 60, minimum=1),
    },
]

# Security: safe everywhere, stricter behind HTTPS (the production profile).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("SOMMAIRE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SOMMAIRE_HSTS_SECONDS", 31536000 if HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
# Load balancers probe the instances themselves, over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("SOMMAIRE_LOG_LEVEL", "WARNING")},
}
