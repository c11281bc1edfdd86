"""Signed webhooks against a local HTTP server that fails first and then succeeds."""

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.utils import timezone

from bokjihub.referrals.models import DeliveryStatus, WebhookDelivery
from bokjihub.referrals.webhooks import (
    MAX_ATTEMPTS,
    webhook_deliveries_send_due,
    webhook_endpoint_create,
)

pytestmark = [pytest.mark.django_db, pytest.mark.accept_services]


class _Receiver:
    """A local endpoint answering the planned status codes in turn (then 200)."""

    def __init__(self, answers):
        self.answers = list(answers)
        self.received = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                code = receiver.answers.pop(0) if receiver.answers else 200
                self.send_response(code)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def _verify(secret: str, headers: dict, body: bytes) -> bool:
    parts = dict(part.split("=", 1) for part in headers["X-Bokjihub-Signature"].split(","))
    expected = hmac.new(secret.encode(), f"{parts['t']}.".encode() + body, hashlib.sha256)
    return hmac.compare_digest(expected.hexdigest(), parts["v1"])


def test_a_failed_delivery_is_retried_with_backoff_and_delivered_once(
    referral, move, senior_centre, django_capture_on_commit_callbacks
):
    with _Receiver([503]) as receiver:
        endpoint, secret = webhook_endpoint_create(organisation=senior_centre, url=receiver.url)
        with django_capture_on_commit_callbacks(execute=True):
            move(referral, "accepted")
        delivery = WebhookDelivery.objects.get(endpoint=endpoint)
        assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
            "pending",
            1,
            503,
        )
        assert delivery.next_attempt_at > timezone.now() + timedelta(seconds=20)

        assert webhook_deliveries_send_due()["delivered"] == 0  # not due yet
        later = timezone.now() + timedelta(minutes=1)
        assert webhook_deliveries_send_due(now=later)["delivered"] == 1

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 2)
    assert len(receiver.received) == 2
    headers, body = receiver.received[-1]
    assert _verify(secret, headers, body)
    assert headers["X-Bokjihub-Event-Id"] == str(delivery.message_id)
    payload = json.loads(body)
    assert payload["referral"]["status"] == "accepted"
    assert "김영수" not in body.decode()
    assert webhook_deliveries_send_due(now=later + timedelta(hours=1))["delivered"] == 0


def test_a_delivery_whose_task_was_lost_is_sent_by_the_sweep(referral, move, senior_centre):
    with _Receiver([]) as receiver:
        webhook_endpoint_create(organisation=senior_centre, url=receiver.url)
        # No on-commit callbacks run here: as if the worker died after the commit.
        move(referral, "received")
        assert WebhookDelivery.objects.get().status == DeliveryStatus.PENDING
        assert webhook_deliveries_send_due()["delivered"] == 1
    assert len(receiver.received) == 1


def test_after_the_last_attempt_the_delivery_is_failed_but_kept(referral, move, senior_centre):
    with _Receiver([500] * MAX_ATTEMPTS) as receiver:
        webhook_endpoint_create(organisation=senior_centre, url=receiver.url)
        move(referral, "received")
        moment = timezone.now()
        for _ in range(MAX_ATTEMPTS):
            moment += timedelta(days=1)
            webhook_deliveries_send_due(now=moment)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", MAX_ATTEMPTS)
    assert delivery.last_error == "HTTP 500" and delivery.next_attempt_at is None


def test_a_network_error_is_recorded_and_retried(referral, move, senior_centre):
    webhook_endpoint_create(organisation=senior_centre, url="http://127.0.0.1:9/closed")
    move(referral, "received")
    webhook_deliveries_send_due()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending" and delivery.attempts == 1
    assert delivery.last_error


def test_a_replayed_status_update_writes_no_second_delivery(referral, move, senior_centre):
    webhook_endpoint_create(organisation=senior_centre, url="http://127.0.0.1:9/closed")
    move(referral, "received", idempotency_key="same")
    move(referral, "received", idempotency_key="same")
    assert WebhookDelivery.objects.count() == 1


def test_the_secret_is_not_stored_in_plaintext(senior_centre):
    endpoint, secret = webhook_endpoint_create(
        organisation=senior_centre, url="https://centre.example/hook"
    )
    endpoint.refresh_from_db()
    stored = b"".join(
        str(value).encode() if not isinstance(value, (bytes, memoryview)) else bytes(value)
        for value in endpoint.__dict__.values()
    )
    assert secret.encode() not in stored
    assert secret.startswith(endpoint.secret_prefix)


def test_only_http_addresses_are_accepted(senior_centre):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        webhook_endpoint_create(organisation=senior_centre, url="file:///etc/passwd")


def test_production_accepts_only_https_webhook_addresses(settings):
    from django.core.exceptions import ValidationError

    from bokjihub.referrals.webhooks import _check_url

    settings.IS_PRODUCTION = True
    with pytest.raises(ValidationError) as refused:
        _check_url("http://partner.example.kr/hook")
    assert "https://" in str(refused.value)
    assert _check_url(" https://partner.example.kr/hook ") == "https://partner.example.kr/hook"


def test_the_payload_of_a_move_is_built_once_for_all_its_endpoints(
    referral, move, senior_centre, centre_a, monkeypatch
):
    from bokjihub.referrals import webhooks

    built = []
    payload = webhooks._payload
    monkeypatch.setattr(webhooks, "_payload", lambda *args: built.append(args) or payload(*args))
    webhook_endpoint_create(organisation=senior_centre, url="http://127.0.0.1:9/closed")
    webhook_endpoint_create(organisation=centre_a, url="http://127.0.0.1:9/other")
    move(referral, "received")
    rows = list(WebhookDelivery.objects.filter(event__to_status="received"))
    assert len(rows) == 2 and len(built) == 1
    assert rows[0].payload == rows[1].payload
    assert rows[0].payload["referral"]["status"] == "received"
