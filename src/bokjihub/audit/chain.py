"""The hash chain that makes the access log tamper-evident (PIPA 고시 제8조: 접속기록의
위·변조 및 도난·분실 방지).

Each row stores the hash of the row before it and its own hash over a canonical
serialisation of its fields plus that previous hash, so changing, removing or inserting a
row anywhere breaks every later link. This module is the one definition of the formats,
shared by the service that appends, the selector that verifies and the migrations: a
stored row must keep verifying under the format it was written in, so a new format gets a
new version prefix, never an edit of an old one.

Version 1 (`bokjihub-accesslog-v1`): plain SHA-256. Someone who could write to the
database could rewrite a row and recompute every later hash.

Version 2 (`bokjihub-accesslog-v2`): HMAC-SHA256 under settings.AUDIT_KEY. A rewrite
now needs the key, which lives with the application's secrets, not in the database.

Version 3 (`bokjihub-accesslog-v3`, current): version 2 plus the row's `scope` (ordinary,
out of caseload, out of jurisdiction, refused by role), the column the monthly review
flags by. Rows of versions 1 and 2 had no such column: migration
0010_set_access_log_scope_of_earlier_rows filled it with legacy_scope(), a function of
fields their hashes cover, and verification checks that it still says so.

Which rows are version 1 is recorded once, by migration
0006_anchor_version_1_rows_under_the_audit_key, as an AccessLogFormatAnchor: "rows up to
id N were written under version 1 and row N's hash was H", sealed with an HMAC under the
key (see anchor_mac). Verification takes each row's version from that anchor, never from
the row, so nobody can downgrade a row to the unkeyed format.
"""

import base64
import hashlib
import hmac
import ipaddress
import json
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

FORMAT_PREFIX_V1 = b"bokjihub-accesslog-v1\n"
FORMAT_PREFIX_V2 = b"bokjihub-accesslog-v2\n"
FORMAT_PREFIX_V3 = b"bokjihub-accesslog-v3\n"
ANCHOR_PREFIX_V1 = b"bokjihub-accesslog-anchor-v1\n"
CURRENT_VERSION = 3
# The previous_hash of the first row ever written.
GENESIS_HASH = "0" * 64
AUDIT_KEY_BYTES = 32


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
    scope: str
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


def _payload(row: ChainedRow, *, with_scope: bool = False) -> bytes:
    fields = canonical_fields(row)
    if with_scope:
        fields["scope"] = str(row.scope)
    return json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode(
        "utf-8"
    )


def access_log_row_hash_v1(row: ChainedRow) -> str:
    """Version 1: the SHA-256 hex digest of the row's canonical serialisation."""
    return hashlib.sha256(FORMAT_PREFIX_V1 + _payload(row)).hexdigest()


# Migration 0003 imports this name: it chained the rows written before the chain existed,
# under version 1. It must keep meaning version 1.
access_log_row_hash = access_log_row_hash_v1


@lru_cache(maxsize=4)
def _decode_audit_key(encoded: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(encoded.encode("ascii") + b"=" * (-len(encoded) % 4))
    except (ValueError, UnicodeEncodeError) as error:
        raise ImproperlyConfigured("BOKJIHUB_AUDIT_KEY is not valid base64") from error
    if len(key) != AUDIT_KEY_BYTES:
        raise ImproperlyConfigured(
            f"BOKJIHUB_AUDIT_KEY must be {AUDIT_KEY_BYTES} bytes, got {len(key)}"
        )
    return key


def audit_key() -> bytes:
    return _decode_audit_key(settings.AUDIT_KEY)


def access_log_row_mac_v2(row: ChainedRow) -> str:
    """Version 2: the HMAC-SHA256 hex digest of the row under the audit key."""
    return hmac.new(audit_key(), FORMAT_PREFIX_V2 + _payload(row), hashlib.sha256).hexdigest()


def access_log_row_mac(row: ChainedRow) -> str:
    """Version 3 (current): as version 2, with the row's scope in the keyed message."""
    payload = FORMAT_PREFIX_V3 + _payload(row, with_scope=True)
    return hmac.new(audit_key(), payload, hashlib.sha256).hexdigest()


_ROW_HASHES = {1: access_log_row_hash_v1, 2: access_log_row_mac_v2, 3: access_log_row_mac}

# What versions 1 and 2 meant, frozen here like the formats themselves: the detail of an
# out-of-caseload view began with this marker, and these roles read personal data.
LEGACY_OUT_OF_CASELOAD_MARKER = "담당 외 열람"
LEGACY_PERSONAL_DATA_ROLES = frozenset(
    {
        "welfare_officer",
        "welfare_coordinator",
        "case_manager",
        "private_social_worker",
        "centre_manager",
    }
)


def legacy_scope(row: ChainedRow) -> str:
    """The scope of a row written before version 3, from fields its hash covers. Values
    are those of audit.models.AccessScope."""
    if row.action == "access_denied":
        if row.role in LEGACY_PERSONAL_DATA_ROLES:
            return "out_of_jurisdiction"
        return "role_without_access"
    if row.action == "household_view" and row.detail.startswith(LEGACY_OUT_OF_CASELOAD_MARKER):
        return "out_of_caseload"
    return "ordinary"


def access_log_row_hash_for(row: ChainedRow, *, version: int) -> str:
    return _ROW_HASHES[version](row)


def anchor_mac(*, version: int, last_row_id: int, last_row_hash: str) -> str:
    """Seals an anchor's claim "rows up to last_row_id are of `version`, ending in
    last_row_hash". Without the key nobody can move the boundary or forge the claim, and
    since the first version-2 row chains onto last_row_hash, the older rows are covered by
    the key as well."""
    message = ANCHOR_PREFIX_V1 + f"{version}:{last_row_id}:{last_row_hash}".encode("ascii")
    return hmac.new(audit_key(), message, hashlib.sha256).hexdigest()
