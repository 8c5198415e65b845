"""Settings from environment variables, failing loudly (see ``.env.example``)."""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false)")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer") from exc


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def secret_key_problem(key: str) -> str | None:
    """What makes ``key`` unfit to sign production sessions and tokens, or ``None``.

    Django's own rule (check ``security.W009``): at least 50 characters, at least 5
    different ones, and not one of the ``django-insecure-`` keys ``startproject`` writes.
    The key itself is never part of the message (it ends up in logs).
    """
    if key.startswith("django-insecure-"):
        return "it starts with 'django-insecure-', the prefix of keys made for development"
    if len(key) < 50:
        return f"it has {len(key)} characters, at least 50 are needed"
    if len(set(key)) < 5:
        return f"it has only {len(set(key))} different characters, at least 5 are needed"
    return None
