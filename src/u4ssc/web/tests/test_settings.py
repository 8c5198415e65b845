"""Settings come from the environment; production refuses to start half-configured."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


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
        ({"U4SSC_DEBUG": "0", "U4SSC_SECRET_KEY": "x" * 50}, "U4SSC_ALLOWED_HOSTS"),
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
            "U4SSC_SECRET_KEY": "s" * 50,
            "U4SSC_ALLOWED_HOSTS": "u4ssc.example.org",
            "U4SSC_DATA_DIR": str(tmp_path),
        }
    )
    assert result.returncode == 0, result.stderr
