"""Secrets for development and demo machines.

In production every secret comes from the environment (or `*_FILE`). On a developer's
machine or a demo laptop, where nobody has provisioned keys, we generate them once into
`var/dev-secrets.json` (mode 0600) so that `make demo` works on a fresh clone and the
keys survive restarts. The file never enters git (`var/` is ignored).
"""

import base64
import json
import os
import secrets
from pathlib import Path


def _new_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii")


def _fresh_values() -> dict[str, str]:
    return {
        "BOKJIHUB_SECRET_KEY": secrets.token_urlsafe(50),
        "BOKJIHUB_RRN_KEYS": f"dev1:{_new_key()}",
        "BOKJIHUB_RRN_ACTIVE_KEY_ID": "dev1",
        "BOKJIHUB_BLIND_INDEX_KEY": _new_key(),
        "BOKJIHUB_AUDIT_KEY": _new_key(),
    }


def load_or_create_dev_secrets(path: Path) -> dict[str, str]:
    """Existing values are kept (they encrypt data already stored); secrets added by a
    newer version are generated and written back."""
    existing = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    missing = {name: value for name, value in _fresh_values().items() if name not in existing}
    if not missing:
        return existing
    values = {**existing, **missing}
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(values, handle, indent=2)
    os.replace(temporary, path)
    return values
