"""Production settings come from the environment: `check --deploy` is clean under the documented production
environment (docs/DEPLOY.md), secret files are owner-only, mail never goes to the console outside DEBUG, and
logs can be JSON lines carrying the request id."""

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from khuang.system.envconf import email_settings, logging_config, proxy_ssl_header
from khuang.system.secrets import secret_file

ROOT = Path(__file__).resolve().parents[3]

# The production environment documented in docs/DEPLOY.md ("Environment"), with example values.
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "k" * 20 + "9fS#2l@Qx!mZ7rT4vW8yB1nC6hJ0pL3eG5dA",
    "ALLOWED_HOSTS": "khuang.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://khuang.example.org",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
    "SECURE_COOKIES": "true",
    "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
    "EMAIL_URL": "smtp://khuang:secret@mail.example.org:587/?tls=1",
    "DEFAULT_FROM_EMAIL": "khuang@example.org",
    "LOG_FORMAT": "json",
    "LOG_LEVEL": "INFO",
}


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items()
             if k not in PRODUCTION_ENV and not k.startswith("SECURE_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env},
                          capture_output=True, text=True, timeout=120)


def test_check_deploy_is_clean_under_the_documented_production_environment(tmp_path):
    run = _manage({**PRODUCTION_ENV, "KHUANG_VAR_DIR": str(tmp_path)}, "check", "--deploy", "--fail-level", "WARNING")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "no issues" in run.stdout


def test_check_deploy_names_what_is_missing_without_it(tmp_path):
    run = _manage({"DEBUG": "false", "KHUANG_VAR_DIR": str(tmp_path)}, "check", "--deploy")
    out = run.stdout + run.stderr
    for code in ("security.W004", "security.W008", "security.W012", "security.W016", "khuang.W001"):
        assert code in out, out


def test_the_generated_secret_key_is_readable_by_its_owner_only(tmp_path):
    run = _manage({"KHUANG_VAR_DIR": str(tmp_path)}, "check")
    assert run.returncode == 0, run.stderr
    key = tmp_path / "secret_key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and len(key.read_text().strip()) >= 50


def test_a_loose_secret_file_is_tightened(tmp_path):
    path = tmp_path / "secret_key"
    path.write_text("an-old-key-from-before")
    path.chmod(0o644)
    assert secret_file(path) == "an-old-key-from-before"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_email_url_and_its_defaults(tmp_path):
    smtp = email_settings("smtp://user%40x:p%2Fss@mail.example.org:587/?tls=1", debug=False, var_dir=tmp_path)
    assert smtp["EMAIL_BACKEND"].endswith("smtp.EmailBackend") and smtp["EMAIL_HOST"] == "mail.example.org"
    assert (smtp["EMAIL_PORT"], smtp["EMAIL_USE_TLS"], smtp["EMAIL_USE_SSL"]) == (587, True, False)
    assert (smtp["EMAIL_HOST_USER"], smtp["EMAIL_HOST_PASSWORD"]) == ("user@x", "p/ss")
    ssl = email_settings("smtps://mail.example.org", debug=False, var_dir=tmp_path)
    assert (ssl["EMAIL_PORT"], ssl["EMAIL_USE_SSL"], ssl["EMAIL_USE_TLS"]) == (465, True, False)
    # Registrants' data never goes to the console (the logs) outside DEBUG.
    assert email_settings("", debug=False, var_dir=tmp_path)["EMAIL_BACKEND"].endswith("filebased.EmailBackend")
    assert email_settings("", debug=True, var_dir=tmp_path)["EMAIL_BACKEND"].endswith("console.EmailBackend")
    with pytest.raises(ImproperlyConfigured, match="only allowed with DEBUG"):
        email_settings("console://", debug=False, var_dir=tmp_path)
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL must start"):
        email_settings("http://mail.example.org", debug=False, var_dir=tmp_path)


def test_proxy_header_and_log_settings_are_checked():
    assert proxy_ssl_header("X-Forwarded-Proto") == ("HTTP_X_FORWARDED_PROTO", "https")
    assert proxy_ssl_header("X-Forwarded-Ssl: on") == ("HTTP_X_FORWARDED_SSL", "on")
    assert proxy_ssl_header("") is None
    with pytest.raises(ImproperlyConfigured, match="LOG_LEVEL"):
        logging_config("LOUD", "text")
    with pytest.raises(ImproperlyConfigured, match="LOG_FORMAT"):
        logging_config("INFO", "xml")


def test_json_logs_carry_the_request_id(tmp_path):
    code = ("import django; django.setup(); from django.test import Client; "
            "Client().get('/healthz', HTTP_X_REQUEST_ID='rid-42', HTTP_HOST='khuang.example.org', secure=True)")
    env = {**PRODUCTION_ENV, "KHUANG_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings"}
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**os.environ, **env}, capture_output=True,
                         text=True, timeout=120)
    lines = [json.loads(line) for line in run.stderr.splitlines() if line.startswith("{")]
    request = [rec for rec in lines if rec.get("logger") == "khuang.request"]
    assert request, run.stderr[-2000:]
    assert request[0]["request_id"] == "rid-42" and request[0]["path"] == "/healthz"
    assert request[0]["level"] == "INFO" and "time" in request[0]
