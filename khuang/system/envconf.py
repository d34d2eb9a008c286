"""Settings read from the environment: small parsers used by config/settings.py (no Django imports at load)."""

import os
import sys
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured


def env_int(name: str, default: int) -> int:
    """An integer from the environment; a clear error naming the variable when it is not one."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def process_name() -> str:
    """A short name for this process: "khuang worker", "khuang gunicorn", "khuang pytest"…"""
    args = [Path(a).name for a in sys.argv[:2]]
    if args and args[0] in ("manage.py", "khuang", "django-admin") and len(args) > 1:
        return f"khuang {args[1]}"[:60]
    name = args[0] if args else "python"
    if name == "-m" or name.startswith("python"):
        name = Path(sys.argv[0]).name if sys.argv else "python"
    return f"khuang {name}"[:60]


def proxy_ssl_header(value: str) -> tuple[str, str] | None:
    """`X-Forwarded-Proto` (or `X-Forwarded-Proto: https`) → Django's SECURE_PROXY_SSL_HEADER tuple."""
    value = value.strip()
    if not value:
        return None
    name, _, expected = value.partition(":")
    meta = "HTTP_" + name.strip().upper().replace("-", "_")
    return meta, (expected.strip() or "https")


def email_settings(url: str, *, debug: bool, var_dir: Path) -> dict:
    """Django e-mail settings from EMAIL_URL.

    smtp://user:password@host:587/?tls=1 (or smtps:// for implicit TLS), console:// (only with DEBUG),
    file:///path. Unset: the console in DEBUG, else files under var/mail so registrants' data never
    reaches the logs.
    """
    url = url.strip()
    if not url:
        if debug:
            return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
        return {"EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                "EMAIL_FILE_PATH": str(var_dir / "mail")}
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "console":
        if not debug:
            raise ImproperlyConfigured("EMAIL_URL=console:// prints registrants' data into the logs: "
                                       "only allowed with DEBUG=true")
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if scheme == "file":
        return {"EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                "EMAIL_FILE_PATH": unquote(parts.path) or str(var_dir / "mail")}
    if scheme not in ("smtp", "smtps", "submission"):
        raise ImproperlyConfigured(f"EMAIL_URL must start with smtp://, smtps://, file:// or console://, "
                                   f"not {scheme}://")
    query = {k: v[-1].lower() for k, v in parse_qs(parts.query).items()}
    on = {"1", "true", "yes", "on"}
    ssl = scheme == "smtps" or query.get("ssl") in on
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname or "localhost",
        "EMAIL_PORT": parts.port or (465 if ssl else 587 if scheme == "submission" else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_SSL": ssl,
        "EMAIL_USE_TLS": not ssl and (query.get("tls") in on or scheme == "submission"),
        "EMAIL_TIMEOUT": int(query.get("timeout", "20")),
    }


def logging_config(level: str, fmt: str) -> dict:
    """Console logging at `level`, as text or one JSON object per line; each record carries its request id."""
    level = level.strip().upper() or "INFO"
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
        raise ImproperlyConfigured(f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, not {level!r}")
    fmt = fmt.strip().lower() or "text"
    if fmt not in ("text", "json"):
        raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {fmt!r}")
    formatters = {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "khuang.system.logs.RequestIdFilter"}},
        "formatters": {"main": formatters[fmt]},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "main",
                                 "filters": ["request_id"]}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django logs 4xx as warnings: the request log line already says it.
            "django.request": {"level": "ERROR"},
            "django.server": {"level": "ERROR"},
            "apscheduler": {"level": "WARNING"},
        },
    }


def init_sentry(dsn: str, environment: str = "") -> bool:
    """Report errors to Sentry when a DSN is given (sentry-sdk installed with the `sentry` extra)."""
    if not dsn.strip():
        return False
    try:
        import sentry_sdk
    except ImportError:
        raise ImproperlyConfigured("SENTRY_DSN is set but sentry-sdk is not installed: "
                                   "pip install 'khuang[sentry]'") from None
    sentry_sdk.init(dsn=dsn.strip(), environment=environment or None, send_default_pii=False,
                    traces_sample_rate=0.0)
    return True
