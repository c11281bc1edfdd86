"""Strict, typed reads of the environment for settings.

Each helper fails loudly with the variable's name when a value is missing or malformed,
so a misconfigured server refuses to start instead of running half-configured.
A secret may also come from a file: `NAME_FILE=/run/secrets/name` is read when `NAME`
is absent (container and systemd credential conventions).
"""

import os
from pathlib import Path

_MISSING = object()


class ImproperlyConfiguredEnv(RuntimeError):
    """A required environment variable is missing or cannot be parsed."""


def _raw(name: str) -> str | None:
    if name in os.environ:
        return os.environ[name]
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as error:
            raise ImproperlyConfiguredEnv(
                f"{name}_FILE={file_name} cannot be read: {error}"
            ) from error
    return None


def env_str(name: str, default: object = _MISSING) -> str:
    value = _raw(name)
    if value is None:
        if default is _MISSING:
            raise ImproperlyConfiguredEnv(f"environment variable {name} is required")
        return str(default)
    return value


def env_optional(name: str) -> str | None:
    return _raw(name)


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfiguredEnv(f"{name}={value!r} is not a boolean (use true/false)")


def env_int(name: str, default: int) -> int:
    value = _raw(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError as error:
        raise ImproperlyConfiguredEnv(f"{name}={value!r} is not an integer") from error


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]
