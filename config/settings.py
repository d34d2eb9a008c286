"""Khuang settings: everything that differs between machines comes from the environment."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("KHUANG_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    # A per-machine key kept under var/ (owner-readable only), so sessions survive restarts without committing it.
    from khuang.system.secrets import secret_file

    SECRET_KEY = secret_file(VAR_DIR / "secret_key")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "ninja",
    "khuang.core.apps.TasksConfig",  # django_tasks_db, with a translated name
    "khuang.core.apps.AxesConfig",  # axes, with a translated name
    "khuang.core",
    "khuang.accounts",
    "khuang.venues",
    "khuang.bookings",
    "khuang.planning",
    "khuang.public",
    "khuang.finance",
    "khuang.reports",
    "khuang.operations",
    "khuang.exhibitions",
    "khuang.system",
]

MIDDLEWARE = [
    "khuang.system.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "khuang.core.middleware.KhuangLocaleMiddleware",
    "khuang.core.middleware.RejectNulMiddleware",
    "khuang.core.middleware.BoundedIdsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into the "too many attempts" page
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "django.template.context_processors.i18n",
                "khuang.accounts.context_processors.abilities",
                "khuang.finance.context_processors.finance_nav",
                "khuang.core.context_processors.site_names",
            ],
            "builtins": ["khuang.core.templatetags.thai_dates", "khuang.core.templatetags.numformat",
                         "khuang.core.templatetags.local_text"],
        },
    }
]

# SQLite by default; PostgreSQL in production through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'khuang.sqlite3'}"), conn_max_age=0
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock at BEGIN, so check-then-insert inside one atomic block is serialised.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file (not :memory:) for tests, so live-server threads and worker processes share one database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-khuang.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# Sign-in throttling (django-axes): after 5 wrong passwords for one username from one address, that pair is locked
# out for 15 minutes (429), even with the right password; a success resets the count. Staff unlock with
# `manage.py axes_reset_username USERNAME`.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = int(os.environ.get("KHUANG_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_VERBOSE = False
# Behind the reverse proxy every request comes from the proxy: the visitor's address is taken from
# X-Forwarded-For when (and only when) the peer is one of these (docs/DEPLOY.md, FORWARDED_ALLOW_IPS).
KHUANG_TRUSTED_PROXIES = tuple(a.strip() for a in os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1").split(",")
                               if a.strip())
AXES_CLIENT_IP_CALLABLE = "khuang.core.web.client_address"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("Thai")), ("en", _("English"))]
LOCALE_PATHS: list = []  # each app keeps its own locale/ catalogue
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600  # the visitor's choice (?lang= or the switch) outlives the browser session
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

# Uploaded files (exhibitors' documents); served only through permission-checked views, never as /media/.
MEDIA_ROOT = Path(os.environ.get("KHUANG_MEDIA_DIR", VAR_DIR / "media"))

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Public registration throttles, (registrations, seconds): a teacher registering a class from one connection is
# fine, a script is not; an event takes at most so many registrations in ten minutes from everyone together.
KHUANG_REGISTRATION_LIMITS = {"per_address": (20, 3600), "per_event": (200, 600)}

KHUANG_DEFAULT_VENUE = os.environ.get("KHUANG_DEFAULT_VENUE", "DIPROM-MICE")
KHUANG_SHARED_DATA = Path(os.environ.get("KHUANG_SHARED_DATA", BASE_DIR / "khuang" / "data"))
# One optimizer run (page, API or the raw exchange-format solve) may take at most this long and this many threads.
KHUANG_SOLVE_MAX_SECONDS = float(os.environ.get("KHUANG_SOLVE_MAX_SECONDS", "300"))
KHUANG_SOLVE_MAX_WORKERS = int(os.environ.get("KHUANG_SOLVE_MAX_WORKERS", "2"))

# ---------------------------------------------------------------- production (docs/DEPLOY.md)
# Everything below is set from the environment; defaults suit one machine on plain HTTP (make run).
from khuang.system import envconf  # noqa: E402

# Database connections kept open between requests (seconds; 0 = one per request), checked before reuse.
DATABASES["default"]["CONN_MAX_AGE"] = envconf.env_int("DATABASE_CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Names the process in pg_stat_activity (e.g. "khuang worker"), so `khuang restore` can say who holds the database.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("application_name", envconf.process_name())

# HTTPS behind a reverse proxy.
SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = envconf.env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = _env_bool("SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = _env_bool("SECURE_COOKIES", False)
SECURE_PROXY_SSL_HEADER = envconf.proxy_ssl_header(os.environ.get("SECURE_PROXY_SSL_HEADER", ""))
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the proxy and the supervisor probe over plain HTTP

# E-mail: EMAIL_URL (smtp://user:password@host:587/?tls=1); the console only in DEBUG, else files under var/mail.
globals().update(envconf.email_settings(os.environ.get("EMAIL_URL", ""), debug=DEBUG, var_dir=VAR_DIR))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "khuang@localhost")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# Logs: LOG_LEVEL (INFO), LOG_FORMAT text|json; every line of a request carries its request id.
LOGGING = envconf.logging_config(os.environ.get("LOG_LEVEL", "INFO"), os.environ.get("LOG_FORMAT", "text"))

# Background work: the database worker by default; KHUANG_TASKS=redis puts tasks on RQ (REDIS_URL).
KHUANG_TASKS = os.environ.get("KHUANG_TASKS", "database").strip().lower()
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
if KHUANG_TASKS == "redis":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    # Optimizer runs may take an hour: RQ's job timeout must be longer than the longest task.
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3900}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    CRONTASK = {"REDIS_URL": REDIS_URL}  # one scheduler fires at a time across machines
    KHUANG_RQ_MONITOR_INTERVAL = envconf.env_int("KHUANG_RQ_MONITOR_INTERVAL", 30)  # worker beats while a job runs
    KHUANG_RQ_HEARTBEAT_SLACK = envconf.env_int("KHUANG_RQ_HEARTBEAT_SLACK", 60)  # silence before a job is lost
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
INSTALLED_APPS += ["crontask"]
# Periodic jobs (khuang scheduler): [name, task path, cron schedule (minute hour day month weekday)].
# Apps add theirs here; the scheduler enqueues each on the configured backend.
KHUANG_PERIODIC_JOBS = [
    ("reclaim-lost-tasks", "khuang.system.tasks.reclaim_lost_tasks", "* * * * *"),
    ("reclaim-lost-plan-runs", "khuang.planning.tasks.reclaim_lost_runs", "* * * * *"),
    ("hold-sweep", "khuang.bookings.tasks.expire_due_holds", "*/5 * * * *"),
    ("booth-hold-sweep", "khuang.exhibitions.tasks.expire_due_booth_holds", "*/5 * * * *"),
    ("event-reminders", "khuang.public.tasks.send_event_reminders", "0 * * * *"),
    ("overdue-payments", "khuang.finance.tasks.sweep_overdue_payments", "15 8 * * *"),
    ("nightly-backup", "khuang.system.tasks.nightly_backup", "30 2 * * *"),
    ("prune-task-results", "khuang.system.tasks.prune_task_results", "45 3 * * *"),
]
KHUANG_WORKER_LOST_AFTER = envconf.env_int("KHUANG_WORKER_LOST_AFTER", 30)  # seconds without a heartbeat
KHUANG_BACKUP_DIR = Path(os.environ.get("KHUANG_BACKUP_DIR", VAR_DIR / "backups"))
KHUANG_BACKUP_KEEP = envconf.env_int("KHUANG_BACKUP_KEEP", 14)  # nightly backups kept

# Health and metrics: /healthz; SENTRY_DSN reports errors when set.
KHUANG_HEALTH_MAX_TASK_WAIT = envconf.env_int("KHUANG_HEALTH_MAX_TASK_WAIT", 300)  # seconds
KHUANG_HEALTH_MIN_FREE_DISK_MB = envconf.env_int("KHUANG_HEALTH_MIN_FREE_DISK_MB", 500)
SENTRY_CONFIGURED = envconf.init_sentry(os.environ.get("SENTRY_DSN", ""),
                                       environment=os.environ.get("SENTRY_ENVIRONMENT", ""))
