"""Issue 12, acceptance: the core loop walked by a private centre, through the pages.

"Withdrawing the centre's consent: the centre's next request for the household is a 404,
its delivery history stays on the case."
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bokjihub.cases.models import CaseParticipant, Delivery
from bokjihub.people.models import Consent, Engagement

pytestmark = [pytest.mark.django_db, pytest.mark.accept_loop]


@pytest.fixture
def centre_worker(senior_centre):
    """A social worker of the senior centre, which serves nobody before the loop."""
    from conftest import _persona

    return _persona("centre_worker", senior_centre, "private_social_worker")


def _accept(client, referral):
    return client.post(
        reverse("referrals:referral_action", args=[referral.id, "accept"]),
        {"accept-expected_version": referral.version, "accept-idempotency_key": "accept-1"},
    )


def _deliver(client, case, provider, day):
    return client.post(
        reverse("case_action", args=[case.id, "delivery"]),
        {
            "delivery-domain": "daily_living",
            "delivery-provider": str(provider.id),
            "delivery-description": "밑반찬 배달",
            "delivery-starts_on": day,
            "delivery-ends_on": day,
            "delivery-units": "1",
            "delivery-unit_label": "회",
        },
    )


def test_withdrawing_the_centres_consent_closes_the_household_and_case_but_keeps_deliveries(
    login,
    consent_for,
    household_dong_a,
    case_a,
    send_referral,
    officer_dong_a,
    senior_centre,
    centre_worker,
):
    head = household_dong_a.members.get()
    consent_for(head, categories=["contact", "household_composition"], organisation=senior_centre)
    referral = send_referral()
    household_url = reverse("household_detail", args=[household_dong_a.reference])
    case_url = reverse("case_detail", args=[case_a.id])

    # The centre accepts, sees the household within the consent, and records a delivery.
    centre = login(centre_worker)
    assert _accept(centre, referral).status_code == 303
    page = centre.get(household_url).content.decode()
    assert "김영수" in page and "양재대로 1480" in page  # contact is consented
    assert "동의 없음" in page  # income, health … are not: withheld with the reason
    case_page = centre.get(case_url).content.decode()
    assert senior_centre.name in case_page
    day = (timezone.localdate() - timedelta(days=1)).isoformat()
    assert _deliver(centre, case_a, senior_centre, day).status_code == 303
    assert Delivery.objects.get().provider == senior_centre

    # The head withdraws the consent at the Dong centre.
    officer = login(officer_dong_a)
    officer.post(household_url, {"purpose": "case_work", "purpose_text": "동의 철회 처리"})
    withdrawn = officer.post(
        reverse("consent_withdraw"), {"consent": Consent.objects.get().id, "confirm": "yes"}
    )
    assert withdrawn.status_code == 303

    # The centre's next request for the household, or for the case, is a 404.
    centre = login(centre_worker)
    assert centre.get(household_url).status_code == 404
    assert centre.get(case_url).status_code == 404
    assert not Engagement.objects.filter(organisation=senior_centre, ended_on__isnull=True).exists()

    # Its delivery history stays on the case, for the public side to see.
    assert Delivery.objects.filter(case=case_a, provider=senior_centre).count() == 1
    officer_page = login(officer_dong_a).get(case_url).content.decode()
    delivery = Delivery.objects.get()
    assert f'data-delivery="{delivery.id}"' in officer_page
    assert CaseParticipant.objects.filter(case=case_a, organisation=senior_centre).exists()
