import pytest

from bokjihub.referrals.models import ReferralEvent, WebhookEndpoint

pytestmark = [pytest.mark.django_db, pytest.mark.accept_services]


def _post_status(client, referral, status, key="key-1", **extra):
    return client.post(
        f"/api/referrals/{referral.id}/status",
        {"status": status, **extra},
        content_type="application/json",
        headers={"Idempotency-Key": key} if key else {},
    )


def test_a_centre_lists_its_referrals_without_personal_data(partner_client, referral):
    response = partner_client.get("/api/referrals")
    assert response.status_code == 200
    [row] = response.json()
    assert (row["id"], row["direction"], row["status"]) == (referral.id, "received", "sent")
    assert "김영수" not in response.content.decode()


def test_a_replayed_status_update_answers_the_same_and_changes_nothing(partner_client, referral):
    first = _post_status(partner_client, referral, "accepted")
    second = _post_status(partner_client, referral, "accepted")
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    assert first.json()["version"] == 2
    assert ReferralEvent.objects.filter(referral=referral).count() == 2


def test_a_status_update_without_an_idempotency_key_is_refused(partner_client, referral):
    response = _post_status(partner_client, referral, "accepted", key="")
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["errors"]


@pytest.mark.parametrize("key", ["key\t1", "key\x01one", "key\x7fone", "키-1", "k" * 81])
def test_a_key_with_a_tab_or_control_character_is_refused_as_for_reports(
    partner_client, referral, key
):
    """One Idempotency-Key rule (printable ASCII, no spaces or control characters, at most
    80) and one problem answer for the whole partner API: referrals as for reports."""
    response = _post_status(partner_client, referral, "accepted", key=key)
    assert response.status_code == 422
    report = partner_client.post(
        "/api/reports",
        {"concerns": ["arrears"]},
        content_type="application/json",
        headers={"Idempotency-Key": key},
    )
    assert report.status_code == 422
    assert response.json() == report.json()
    assert set(response.json()) == {"detail", "errors"}
    assert "Idempotency-Key" in response.json()["errors"]
    assert ReferralEvent.objects.filter(referral=referral).count() == 1


def test_a_stale_version_is_a_conflict(partner_client, referral):
    _post_status(partner_client, referral, "received", key="a")
    response = _post_status(partner_client, referral, "accepted", key="b", expected_version=1)
    assert response.status_code == 409
    assert "먼저" in response.json()["detail"]


def test_a_move_the_table_refuses_is_a_422(partner_client, referral):
    response = _post_status(partner_client, referral, "completed")
    assert response.status_code == 422


def test_the_receiving_side_cannot_cancel_through_the_api(partner_client, referral):
    response = _post_status(partner_client, referral, "cancelled", reason="x")
    assert response.status_code == 403


def test_another_organisations_referral_is_a_404(client, referral, youth_centre):
    from bokjihub.finding.partner_tokens import partner_token_issue

    token = partner_token_issue(organisation=youth_centre)[1]
    response = client.post(
        f"/api/referrals/{referral.id}/status",
        {"status": "accepted"},
        content_type="application/json",
        headers={"Idempotency-Key": "x", "Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 404


def test_a_staff_session_opens_nothing(client, login, officer_dong_a, referral):
    login(officer_dong_a)
    assert client.get("/api/referrals").status_code == 401


def test_a_webhook_secret_is_shown_once(partner_client, senior_centre):
    created = partner_client.post(
        "/api/webhooks", {"url": "https://centre.example/hook"}, content_type="application/json"
    )
    assert created.status_code == 201
    secret = created.json()["secret"]
    listed = partner_client.get("/api/webhooks")
    assert listed.status_code == 200 and secret not in listed.content.decode()
    endpoint = WebhookEndpoint.objects.get()
    assert partner_client.delete(f"/api/webhooks/{endpoint.id}").status_code == 204
    endpoint.refresh_from_db()
    assert not endpoint.is_active


def test_failed_deliveries_stay_visible(partner_client, senior_centre, referral, move):
    from bokjihub.referrals.models import WebhookDelivery
    from bokjihub.referrals.webhooks import webhook_endpoint_create

    webhook_endpoint_create(organisation=senior_centre, url="http://127.0.0.1:9/closed")
    move(referral, "received")
    WebhookDelivery.objects.update(status="failed", next_attempt_at=None, attempts=8)
    rows = partner_client.get("/api/webhook-deliveries", {"status": "failed"}).json()
    assert [row["status"] for row in rows] == ["failed"]
