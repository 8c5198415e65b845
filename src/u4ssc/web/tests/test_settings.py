"""Settings come from the environment; production refuses to start half-configured."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

# Long and varied enough for production (Django's security.W009 rule), and no secret.
GOOD_KEY = "test-only-not-a-secret-" + "0123456789" * 3


def _start(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'u4ssc.web.settings'; "
        "django.setup(); print('started')"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("U4SSC_")}
    clean.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_embedded_mode_needs_no_setting(tmp_path):
    result = _start({"U4SSC_DATA_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"U4SSC_DEBUG": "0", "U4SSC_ALLOWED_HOSTS": "example.org"}, "U4SSC_SECRET_KEY"),
        ({"U4SSC_DEBUG": "0", "U4SSC_SECRET_KEY": GOOD_KEY}, "U4SSC_ALLOWED_HOSTS"),
        ({"U4SSC_DEBUG": "maybe"}, "not a boolean"),
    ],
)
def test_production_refuses_to_start_without_secret_and_hosts(env, message):
    result = _start(env)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_starts_when_configured(tmp_path):
    result = _start(
        {
            "U4SSC_DEBUG": "0",
            "U4SSC_SECRET_KEY": GOOD_KEY,
            "U4SSC_ALLOWED_HOSTS": "u4ssc.example.org",
            "U4SSC_DATA_DIR": str(tmp_path),
        }
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("too-short-" + "k3y" * 10, "it has 40 characters, at least 50 are needed"),
        ("ab" * 40, "it has only 2 different characters, at least 5 are needed"),
        ("django-insecure-" + "0123456789abcdef" * 3, "starts with 'django-insecure-'"),
    ],
)
def test_production_refuses_a_weak_secret_key(tmp_path, key, reason):
    # given production settings whose secret key fails Django's security.W009 rule
    env = {
        "U4SSC_DEBUG": "0",
        "U4SSC_SECRET_KEY": key,
        "U4SSC_ALLOWED_HOSTS": "u4ssc.example.org",
        "U4SSC_DATA_DIR": str(tmp_path),
    }
    # when the settings are loaded, then they refuse, saying why and how to make a key
    result = _start(env)
    assert result.returncode != 0 and "started" not in result.stdout
    assert "U4SSC_SECRET_KEY is not secure enough for U4SSC_DEBUG=0" in result.stderr
    assert reason in result.stderr and "secrets.token_urlsafe(50)" in result.stderr
    assert key not in result.stderr  # the key itself is never printed

    # and the command line says it in one line, without a traceback
    clean = {k: v for k, v in os.environ.items() if not k.startswith("U4SSC_")}
    clean.pop("DATABASE_URL", None)
    cli = subprocess.run(
        [sys.executable, "-m", "u4ssc", "manage", "check"],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert cli.returncode == 2
    assert "Traceback" not in cli.stderr
    [line] = cli.stderr.strip().splitlines()
    assert line.startswith("u4ssc: the configuration is refused: U4SSC_SECRET_KEY")
    assert reason in line
