"""Encryption and blind indexing of resident registration numbers.

PIPA art. 24-2 requires RRNs to be encrypted at rest. We use AES-256-GCM with a keyring so
keys can rotate: every row records the id of the key that wrote it, new writes use the
active key, and `bokjihub people rotate-rrn-key` rewrites old rows. Exact lookup uses an
HMAC-SHA256 blind index under a separate key (the "pepper" partner agencies share to hash
their feeds), so searching never decrypts and the index reveals nothing without the key.
"""

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from bokjihub.engine.rrn import Rrn

# Binds each ciphertext to its purpose: a blob copied into another column will not decrypt.
_ASSOCIATED_DATA = b"bokjihub/person.rrn/v1"
_NONCE_BYTES = 12


@dataclass(frozen=True)
class EncryptedRrn:
    key_id: str
    ciphertext: bytes
    blind_index: str
    front: str
    sex_digit: str


def _decode_key(key_id: str, encoded: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(encoded.encode("ascii") + b"=" * (-len(encoded) % 4))
    except (ValueError, UnicodeEncodeError) as error:
        raise ImproperlyConfigured(f"RRN key {key_id!r} is not valid base64") from error
    if len(key) != 32:
        raise ImproperlyConfigured(f"RRN key {key_id!r} must be 32 bytes (AES-256), got {len(key)}")
    return key


@lru_cache(maxsize=4)
def _keyring(spec: str) -> dict[str, AESGCM]:
    ring: dict[str, AESGCM] = {}
    for entry in spec.split(","):
        key_id, separator, encoded = entry.strip().partition(":")
        if not separator or not key_id:
            raise ImproperlyConfigured(
                "BOKJIHUB_RRN_KEYS must look like 'id:base64key,id2:base64key'"
            )
        ring[key_id] = AESGCM(_decode_key(key_id, encoded))
    return ring


@lru_cache(maxsize=4)
def _blind_index_key(encoded: str) -> bytes:
    return _decode_key("blind-index", encoded)


def active_key_id() -> str:
    key_id = settings.RRN_ACTIVE_KEY_ID
    if key_id not in _keyring(settings.RRN_KEYS):
        raise ImproperlyConfigured(
            f"BOKJIHUB_RRN_ACTIVE_KEY_ID={key_id!r} is not in BOKJIHUB_RRN_KEYS"
        )
    return key_id


def rrn_blind_index(rrn: Rrn) -> str:
    key = _blind_index_key(settings.BLIND_INDEX_KEY)
    return hmac.new(key, rrn.digits.encode("ascii"), hashlib.sha256).hexdigest()


def field_seal(plaintext: bytes, *, associated_data: bytes) -> tuple[str, bytes]:
    """AES-GCM under the active key of the field-encryption keyring: (key id, nonce +
    ciphertext). `associated_data` names the field, so a blob copied into another column
    does not decrypt there."""
    key_id = active_key_id()
    nonce = os.urandom(_NONCE_BYTES)
    sealed = _keyring(settings.RRN_KEYS)[key_id].encrypt(nonce, plaintext, associated_data)
    return key_id, nonce + sealed


def field_unseal(*, key_id: str, blob: bytes, associated_data: bytes) -> bytes:
    ring = _keyring(settings.RRN_KEYS)
    if key_id not in ring:
        raise ImproperlyConfigured(f"key {key_id!r} is no longer configured; cannot decrypt")
    blob = bytes(blob)
    return ring[key_id].decrypt(blob[:_NONCE_BYTES], blob[_NONCE_BYTES:], associated_data)


def rrn_encrypt(rrn: Rrn) -> EncryptedRrn:
    key_id, ciphertext = field_seal(
        rrn.digits.encode("ascii"), associated_data=_ASSOCIATED_DATA
    )
    return EncryptedRrn(
        key_id=key_id,
        ciphertext=ciphertext,
        blind_index=rrn_blind_index(rrn),
        front=rrn.front,
        sex_digit=rrn.sex_digit,
    )


def rrn_decrypt(*, key_id: str, ciphertext: bytes) -> Rrn:
    """Callers must be an access_* function that has logged the reveal."""
    digits = field_unseal(key_id=key_id, blob=ciphertext, associated_data=_ASSOCIATED_DATA)
    return Rrn(digits.decode("ascii"))
