"""Signed webhooks for referral status changes: endpoints, the outbox, delivery.

- The outbox row (WebhookDelivery) is written by the referral services in the transaction
  of the change; transaction.on_commit enqueues the delivery task. A periodic task sends
  every pending delivery whose time has come, so a worker that died between commit and
  send loses nothing.
- Each POST is signed: `X-Bokjihub-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of
  "<t>.<body>" under the endpoint's secret>`, plus `X-Bokjihub-Event-Id` for the receiver
  to drop duplicates (a delivery can arrive twice: at-least-once).
- A non-2xx answer or a network error is retried with exponential backoff; after
  MAX_ATTEMPTS the row is marked failed and kept (visible in `bokjihub referrals webhooks`).
- The payload names the referral by id with its status and times, nothing of the
  household: a partner system reads the rest through the API, which checks access.
"""

import hashlib
import hmac
import json
import secrets
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from bokjihub.orgs.models import Organisation
from bokjihub.people.identifiers import field_seal, field_unseal
from bokjihub.referrals.models import (
    DeliveryStatus,
    Referral,
    ReferralEvent,
    WebhookDelivery,
    WebhookEndpoint,
)

SECRET_PREFIX = "whsec_"  # noqa: S105 - the visible prefix of every secret, not a secret
SIGNATURE_HEADER = "X-Bokjihub-Signature"
EVENT_ID_HEADER = "X-Bokjihub-Event-Id"
TIMEOUT_SECONDS = 10
MAX_ATTEMPTS = 8
BACKOFF_BASE_SECONDS = 30  # 30 s, 1 min, 2 min … about an hour over MAX_ATTEMPTS
# A claimed delivery is not picked again for this long, so that the on-commit task and the
# periodic sweep never POST the same row at once (the claim is an UPDATE, not a held lock,
# so no transaction stays open across the HTTP call).
CLAIM_SECONDS = TIMEOUT_SECONDS * 3
# The endpoint secret is sealed with the field-encryption keyring; the associated data
# keeps a sealed secret from being passed off as any other ciphertext of that keyring.
_ASSOCIATED_DATA = b"bokjihub.referrals.webhook-secret"


def _seal(secret: str) -> tuple[str, bytes]:
    return field_seal(secret.encode("ascii"), associated_data=_ASSOCIATED_DATA)


def _unseal(endpoint: WebhookEndpoint) -> bytes:
    return field_unseal(
        key_id=endpoint.secret_key_id,
        blob=endpoint.secret_ciphertext,
        associated_data=_ASSOCIATED_DATA,
    )


def _check_url(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname or len(url) > 500:
        raise ValidationError({"url": "http(s)://로 시작하는 주소를 적어 주세요 (500자 이내)."})
    # Status notices name referrals and organisations: in production they travel encrypted
    # only. Plain http stays possible on a development machine (a partner's test server).
    if parts.scheme != "https" and settings.IS_PRODUCTION:
        raise ValidationError({"url": "운영 환경에서는 https:// 주소만 등록할 수 있습니다."})
    return url


def webhook_endpoint_create(
    *, organisation: Organisation, url: str, by=None
) -> tuple[WebhookEndpoint, str]:
    """A new endpoint; returns the row and its signing secret, which is shown this once
    and never again (stored only sealed)."""
    url = _check_url(url)
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    key_id, ciphertext = _seal(secret)
    endpoint = WebhookEndpoint.objects.create(
        organisation=organisation,
        url=url,
        secret_key_id=key_id,
        secret_ciphertext=ciphertext,
        secret_prefix=secret[: len(SECRET_PREFIX) + 4],
        created_at=timezone.now(),
        created_by=by,
    )
    return endpoint, secret


def webhook_endpoint_deactivate(*, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    with transaction.atomic():
        locked = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        if locked.is_active:
            locked.is_active = False
            locked.save(update_fields=["is_active"])
    return locked


def webhook_signature(secret: bytes, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret, f"{timestamp}.".encode("ascii") + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def _payload(referral: Referral, event: ReferralEvent) -> dict:
    def stamp(value: datetime | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "type": "referral.status_changed",
        "occurred_at": stamp(event.at),
        "from_status": event.from_status,
        "referral": {
            "id": referral.id,
            "status": referral.status,
            "version": referral.version,
            "sent_at": stamp(referral.sent_at),
            "status_entered_at": stamp(referral.status_entered_at),
            "status_due_at": stamp(referral.status_due_at),
            "closed_at": stamp(referral.closed_at),
        },
    }


def webhook_deliveries_write(*, referral: Referral, event: ReferralEvent) -> int:
    """The outbox rows of one referral move, for every active endpoint of both sides.
    Called by referrals.services inside the transaction of the move."""
    endpoints = WebhookEndpoint.objects.filter(
        organisation_id__in={referral.from_organisation_id, referral.to_organisation_id},
        is_active=True,
    )
    now = timezone.now()
    payload = _payload(referral, event)  # the same for every endpoint
    rows = [
        WebhookDelivery(
            endpoint=endpoint,
            event=event,
            payload=payload,
            next_attempt_at=now,
            created_at=now,
        )
        for endpoint in endpoints
    ]
    if not rows:
        return 0
    WebhookDelivery.objects.bulk_create(rows)
    ids = [row.pk for row in rows]

    def enqueue() -> None:
        from bokjihub.referrals.tasks import webhook_deliver_task

        for delivery_id in ids:
            webhook_deliver_task(delivery_id)

    transaction.on_commit(enqueue)
    return len(rows)


def _claim(delivery_id: int, now: datetime) -> bool:
    """Take the delivery for one attempt if it is pending and due; False if another worker
    has it or it is done."""
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now
    ).update(next_attempt_at=now + timedelta(seconds=CLAIM_SECONDS))
    return claimed == 1


def _post(endpoint: WebhookEndpoint, delivery: WebhookDelivery) -> tuple[int | None, str]:
    """One signed POST; (status code, error text). No exception escapes."""
    body = json.dumps(
        {"event_id": str(delivery.message_id), **delivery.payload},
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8")
    timestamp = int(timezone.now().timestamp())
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked on creation
        endpoint.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "bokjihub-webhooks/1",
            SIGNATURE_HEADER: webhook_signature(_unseal(endpoint), timestamp, body),
            EVENT_ID_HEADER: str(delivery.message_id),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            return response.status, ""
    except urllib.error.HTTPError as error:
        return error.code, f"HTTP {error.code}"
    except (urllib.error.URLError, OSError, ValueError) as error:
        return None, f"{type(error).__name__}: {error}"[:300]


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=BACKOFF_BASE_SECONDS * 2 ** (attempts - 1))


def webhook_deliver(*, delivery_id: int, now: datetime | None = None) -> WebhookDelivery | None:
    """One attempt at one delivery, if it is due at `now`; records the outcome. Returns the
    row, or None when it was not due (already delivered, failed, or claimed elsewhere)."""
    now = now or timezone.now()
    if not _claim(delivery_id, now):
        return None
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    code, error = _post(delivery.endpoint, delivery)
    delivery.attempts += 1
    delivery.last_attempt_at = max(now, timezone.now())
    delivery.last_status_code = code
    if code is not None and 200 <= code < 300:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.delivered_at = delivery.last_attempt_at
        delivery.last_error = ""
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = DeliveryStatus.FAILED
        delivery.next_attempt_at = None
        delivery.last_error = error
    else:
        delivery.next_attempt_at = delivery.last_attempt_at + _backoff(delivery.attempts)
        delivery.last_error = error
    delivery.save(
        update_fields=[
            "status",
            "attempts",
            "last_attempt_at",
            "last_status_code",
            "last_error",
            "delivered_at",
            "next_attempt_at",
        ]
    )
    return delivery


def webhook_deliveries_due(*, now: datetime | None = None, limit: int = 200) -> list[int]:
    """Pending deliveries whose next attempt has come (the periodic sweep's list)."""
    now = now or timezone.now()
    return list(
        WebhookDelivery.objects.filter(Q(status=DeliveryStatus.PENDING), next_attempt_at__lte=now)
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )


def webhook_deliveries_send_due(*, now: datetime | None = None) -> dict[str, int]:
    counts = {DeliveryStatus.DELIVERED: 0, DeliveryStatus.PENDING: 0, DeliveryStatus.FAILED: 0}
    for delivery_id in webhook_deliveries_due(now=now):
        delivery = webhook_deliver(delivery_id=delivery_id, now=now)
        if delivery is not None:
            counts[delivery.status] += 1
    return {str(key): value for key, value in counts.items()}
