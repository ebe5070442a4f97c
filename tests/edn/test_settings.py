"""Settings read from the environment, each case in a fresh process.

The tests themselves run under pytest-django's settings, so every case starts
manage.py with an explicit environment: PATH and the variables under test,
nothing inherited from the shell or CI that could change the result.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
SECRET_KEY = "k3J9-vQ2_pL8zR1mN6xW4tY7uB0cE5hG2aS9dF3jK6lZ8qX1wV"


def manage(*args, **environment):
    """Run manage.py in a fresh process that sees only the given variables."""
    clean = {"PATH": os.environ["PATH"], "EDN_ENV_FILE": os.devnull}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**clean, **environment},
        capture_output=True,
        text=True,
        timeout=120,
    )


def read_settings(names, **environment):
    """Return the named settings as a fresh process sees them."""
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}, "
        "default=str))"
    )
    result = manage("shell", "--verbosity", "0", "-c", code, **environment)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", DEBUG="false", ALLOWED_HOSTS="edn.example")

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
    assert "when DEBUG is off" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = manage(
        "check", DEBUG="false", SECRET_KEY="too-short", ALLOWED_HOSTS="edn.example"
    )

    assert result.returncode != 0
    assert "at least 50" in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY=SECRET_KEY,
        ALLOWED_HOSTS="edn.example,www.edn.example",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_reads_hosts_and_trusted_origins():
    found = read_settings(
        ["DEBUG", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "SESSION_COOKIE_SECURE"],
        DEBUG="false",
        SECRET_KEY=SECRET_KEY,
        ALLOWED_HOSTS="edn.example,www.edn.example",
        CSRF_TRUSTED_ORIGINS="https://edn.example",
    )

    assert found == {
        "DEBUG": False,
        "ALLOWED_HOSTS": ["edn.example", "www.edn.example"],
        "CSRF_TRUSTED_ORIGINS": ["https://edn.example"],
        "SESSION_COOKIE_SECURE": True,
    }


def test_nothing_set_runs_embedded():
    found = read_settings(
        ["DEBUG", "DATABASES", "CELERY_TASK_ALWAYS_EAGER", "EMAIL_BACKEND"]
    )

    assert found["DEBUG"] is True
    assert found["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert found["DATABASES"]["default"]["NAME"] == str(BASE_DIR / "db.sqlite3")
    assert found["CELERY_TASK_ALWAYS_EAGER"] is True
    assert found["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


def test_database_url_chooses_the_database():
    found = read_settings(
        ["DATABASES"],
        DATABASE_URL="postgres://edn:secret@db.internal:5433/edn_prod",
    )

    database = found["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert database["NAME"] == "edn_prod"
    assert database["HOST"] == "db.internal"
    assert database["PORT"] == 5433
    assert database["USER"] == "edn"
    assert database["CONN_HEALTH_CHECKS"] is True


def test_celery_broker_url_switches_to_real_workers():
    found = read_settings(
        ["CELERY_BROKER_URL", "CELERY_TASK_ALWAYS_EAGER", "CELERY_RESULT_BACKEND"],
        CELERY_BROKER_URL="redis://broker.internal:6379/0",
        CELERY_RESULT_BACKEND="redis://broker.internal:6379/1",
    )

    assert found == {
        "CELERY_BROKER_URL": "redis://broker.internal:6379/0",
        "CELERY_TASK_ALWAYS_EAGER": False,
        "CELERY_RESULT_BACKEND": "redis://broker.internal:6379/1",
    }


def test_email_url_chooses_the_mail_server():
    found = read_settings(
        [
            "EMAIL_BACKEND",
            "EMAIL_HOST",
            "EMAIL_PORT",
            "EMAIL_HOST_USER",
            "EMAIL_USE_TLS",
            "DEFAULT_FROM_EMAIL",
        ],
        EMAIL_URL="smtp+tls://mailer:secret@mail.example:587",
        DEFAULT_FROM_EMAIL="EDN <survey@edn.example>",
    )

    assert found == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "mail.example",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "mailer",
        "EMAIL_USE_TLS": True,
        "DEFAULT_FROM_EMAIL": "EDN <survey@edn.example>",
    }


def test_time_zone_sets_django_and_celery_time():
    found = read_settings(["TIME_ZONE", "CELERY_TIMEZONE"], TIME_ZONE="Europe/Madrid")

    assert found == {"TIME_ZONE": "Europe/Madrid", "CELERY_TIMEZONE": "Europe/Madrid"}


def test_env_file_fills_what_the_environment_leaves_unset(tmp_path):
    env_file = tmp_path / "edn.env"
    env_file.write_text("TIME_ZONE=Africa/Nairobi\nLOG_LEVEL=WARNING\n")

    found = read_settings(
        ["TIME_ZONE", "SITE_URL"],
        EDN_ENV_FILE=str(env_file),
        SITE_URL="https://edn.example",
    )

    assert found == {"TIME_ZONE": "Africa/Nairobi", "SITE_URL": "https://edn.example"}


# Run inside a production-configured process: migrate a scratch database,
# then ask through the test client, behind a proxy that says it spoke HTTPS.
PRODUCTION_REQUESTS = """
import json
from django.core.management import call_command
from django.test import Client
from organizations.models import User

call_command("migrate", verbosity=0)
User.objects.create_user("staff@edn.example", "a long enough passphrase 42")
client = Client(HTTP_HOST="edn.example")
proxied = {"HTTP_X_FORWARDED_PROTO": "https"}
plain = client.get("/healthz")
health = client.get("/healthz", **proxied)
missing = client.get("/no-such-page/", **proxied)
signed_in = client.post(
    "/accounts/login/",
    {"username": "staff@edn.example", "password": "a long enough passphrase 42"},
    **proxied,
)
print(json.dumps({
    "plain": [plain.status_code, plain.get("Location")],
    "responses": {
        name: [response.status_code, dict(response.headers)]
        for name, response in [
            ("health", health), ("missing", missing), ("signed_in", signed_in),
        ]
    },
    "cookies": {
        name: {flag: morsel[flag] for flag in ("secure", "httponly", "samesite")}
        for name, morsel in signed_in.cookies.items()
    },
}))
"""


def test_production_responses_carry_hsts_secure_cookies_and_the_policy(tmp_path):
    result = manage(
        "shell",
        "--verbosity",
        "0",
        "-c",
        PRODUCTION_REQUESTS,
        DEBUG="false",
        SECRET_KEY=SECRET_KEY,
        ALLOWED_HOSTS="edn.example",
        DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}",
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])

    assert found["plain"] == [301, "https://edn.example/healthz"]
    statuses = {name: got[0] for name, got in found["responses"].items()}
    assert statuses == {"health": 200, "missing": 404, "signed_in": 302}
    for name, (_, headers) in found["responses"].items():
        hsts = dict(
            part.strip().partition("=")[::2]
            for part in headers["Strict-Transport-Security"].split(";")
        )
        assert int(hsts["max-age"]) >= 365 * 24 * 60 * 60, name
        assert "includeSubDomains" in hsts, name
        policy = headers["Content-Security-Policy"]
        assert "script-src 'self';" in policy + ";", name
        assert "frame-ancestors 'none'" in policy, name
        assert headers["X-Frame-Options"] == "DENY", name
        assert headers["Referrer-Policy"] == "same-origin", name
        assert headers["X-Content-Type-Options"] == "nosniff", name
    session = found["cookies"]["sessionid"]
    assert session == {"secure": True, "httponly": True, "samesite": "Lax"}
    assert found["cookies"]["csrftoken"]["secure"] is True
