"""The hash chain that makes the access log tamper-evident (PIPA 고시 제8조: 접속기록의
위·변조 및 도난·분실 방지).

Each row stores the hash of the row before it and its own hash over a canonical
serialisation of its fields plus that previous hash, so changing, removing or inserting a
row anywhere breaks every later link. This module is the one definition of the format,
shared by the service that appends, the selector that verifies and the migration that
chained the rows written before the chain existed: changing it would make every stored
row fail verification, so a new format must get a new version prefix, never an edit.

Plain SHA-256, not HMAC: settings.py offers no key for it yet. Without a key, someone who
can write to the database and recompute every later hash can rewrite history
undetectably; the chain catches edits by anyone who cannot (a stray UPDATE, a restore of
an old backup, a deleted row). Keying it (HMAC under a secret from settings) or
publishing the chain head elsewhere each day closes that gap.
"""

import hashlib
import ipaddress
import json
from datetime import UTC, datetime
from typing import Any, Protocol

FORMAT_PREFIX = b"bokjihub-accesslog-v1\n"
# The previous_hash of the first row ever written.
GENESIS_HASH = "0" * 64


class ChainedRow(Protocol):
    occurred_at: datetime
    user_id: int
    username: str
    organisation_id: int | None
    organisation_name: str
    role: str
    ip_address: str | None
    action: str
    purpose: str
    household_id: int | None
    person_ids: list[int]
    detail: str
    previous_hash: str


def _canonical_ip(value: str | None) -> str | None:
    # PostgreSQL's inet hands back its own spelling of an address (lower-case, compressed
    # IPv6); parsing makes the text depend only on the address, as written or as read.
    if not value:
        return None
    return str(ipaddress.ip_address(value))


def canonical_fields(row: ChainedRow) -> dict[str, Any]:
    return {
        "occurred_at": row.occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "user_id": row.user_id,
        "username": row.username,
        "organisation_id": row.organisation_id,
        "organisation_name": row.organisation_name,
        "role": row.role,
        "ip_address": _canonical_ip(row.ip_address),
        "action": str(row.action),
        "purpose": str(row.purpose),
        "household_id": row.household_id,
        "person_ids": sorted(int(person_id) for person_id in row.person_ids),
        "detail": row.detail,
        "previous_hash": row.previous_hash,
    }


def access_log_row_hash(row: ChainedRow) -> str:
    """The SHA-256 hex digest of the row's canonical serialisation."""
    payload = json.dumps(
        canonical_fields(row), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(FORMAT_PREFIX + payload.encode("utf-8")).hexdigest()
