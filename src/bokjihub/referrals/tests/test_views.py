from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bokjihub.referrals.models import Referral

pytestmark = [pytest.mark.django_db, pytest.mark.accept_services]


def test_the_inbox_lists_overdue_referrals_first(client, login, send_referral, private_worker):
    first, second = send_referral(), send_referral(need_domain="housing")
    Referral.objects.filter(pk=second.pk).update(status_due_at=timezone.now() - timedelta(days=1))
    response = login(private_worker).get(reverse("referrals:referral_inbox"))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.index(f'data-referral-row="{second.id}"') < body.index(
        f'data-referral-row="{first.id}"'
    )
    assert "기한 지남" in body
    assert "김영수" not in body


def test_the_inbox_filters_by_status_and_says_when_nothing_matches(
    client, login, referral, private_worker
):
    response = login(private_worker).get(
        reverse("referrals:referral_inbox"), {"status": "completed"}
    )
    assert "조건에 맞는 의뢰가 없습니다" in response.content.decode()


def test_the_inbox_is_always_the_actors_own_organisations(client, login, referral, officer_dong_b):
    response = login(officer_dong_b).get(reverse("referrals:referral_inbox"))
    assert f'data-referral-row="{referral.id}"' not in response.content.decode()


def test_the_inbox_costs_a_fixed_number_of_queries(
    client, login, send_referral, private_worker, django_assert_max_num_queries
):
    for _ in range(5):
        send_referral()
    login(private_worker)
    with django_assert_max_num_queries(20):
        client.get(reverse("referrals:referral_inbox"))


def test_another_organisations_referral_is_a_404(client, login, referral, private_worker_unlinked):
    response = login(private_worker_unlinked).get(
        reverse("referrals:referral_detail", args=[referral.id])
    )
    assert response.status_code == 404


def test_the_centre_accepts_from_the_detail_page(client, login, referral, private_worker):
    login(private_worker)
    detail = client.get(reverse("referrals:referral_detail", args=[referral.id]))
    assert b'data-move="accept"' in detail.content and b'data-move="cancel"' not in detail.content
    response = client.post(
        reverse("referrals:referral_action", args=[referral.id, "accept"]),
        {"accept-expected_version": 1, "accept-idempotency_key": "form-1"},
    )
    assert response.status_code == 303
    referral.refresh_from_db()
    assert referral.status == "accepted"


def test_a_stale_page_is_refused_with_a_message(client, login, referral, private_worker, move):
    move(referral, "received")
    login(private_worker)
    response = client.post(
        reverse("referrals:referral_action", args=[referral.id, "accept"]),
        {"accept-expected_version": 1, "accept-idempotency_key": "form-2"},
    )
    assert response.status_code == 409
    assert "다른 사용자가 먼저" in response.content.decode()


def test_the_referring_officer_cannot_accept(client, login, referral, officer_dong_a):
    response = login(officer_dong_a).post(
        reverse("referrals:referral_action", args=[referral.id, "accept"]),
        {"accept-expected_version": 1, "accept-idempotency_key": "form-3"},
    )
    assert response.status_code == 403


def test_the_officer_refers_from_the_case_page(
    client, login, case_a, officer_dong_a, senior_centre
):
    login(officer_dong_a)
    page = client.get(reverse("case_detail", args=[case_a.id]))
    assert "의뢰하기" in page.content.decode()
    response = client.post(
        reverse("referrals:referral_send", args=[case_a.id]),
        {
            "referral-to_organisation": senior_centre.id,
            "referral-need_domain": "daily_living",
            "referral-request_text": "밑반찬 배달",
            "referral-idempotency_key": "send-form",
        },
    )
    assert response.status_code == 303
    page = client.get(reverse("case_detail", args=[case_a.id]))
    assert 'data-referral-status="sent"' in page.content.decode()


def test_a_refused_send_keeps_what_was_typed(client, login, case_a, officer_dong_a):
    response = login(officer_dong_a).post(
        reverse("referrals:referral_send", args=[case_a.id]),
        {"referral-need_domain": "daily_living", "referral-request_text": "밑반찬 배달 부탁"},
    )
    assert response.status_code == 400
    assert "밑반찬 배달 부탁" in response.content.decode()


def test_a_case_in_jurisdiction_but_not_worked_on_cannot_be_referred(
    client, login, case_a, gu_case_manager, senior_centre
):
    response = login(gu_case_manager).post(
        reverse("referrals:referral_send", args=[case_a.id]),
        {"referral-to_organisation": senior_centre.id},
    )
    assert response.status_code == 403


def test_the_case_page_shows_a_referrals_reason_only_to_its_two_sides(
    client, login, case_a, referral, move, officer_dong_a, gu_case_manager, gu_office
):
    """The case timeline keeps a referral's reason off (services._record_on_case); the
    case page's referral panel shows it to staff of the referring and the receiving
    organisation only, not to every participant of the case."""
    from bokjihub.cases.services import case_join

    case_join(case=case_a, organisation=gu_office, by=gu_case_manager)
    move(referral, "declined", reason="정원이 다 차서 받을 수 없습니다")
    url = reverse("case_detail", args=[case_a.id])

    login(gu_case_manager)
    other = client.get(url).content.decode()
    assert f'data-referral="{referral.id}"' in other
    assert 'data-referral-status="declined"' in other
    assert "정원이 다 차서" not in other

    login(officer_dong_a)
    referring = client.get(url).content.decode()
    assert "사유: 정원이 다 차서 받을 수 없습니다" in referring
