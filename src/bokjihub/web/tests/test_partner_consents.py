"""A private centre records the consents it obtains itself (issue 12), and the consent form
shows every problem at once with counted limits."""

import pytest
from django.urls import reverse
from django.utils import timezone

from bokjihub.people.models import Consent, Engagement

pytestmark = pytest.mark.django_db


def _head(household):
    return household.members.get(relation_to_head="head")


def _form(person, recipient, **overrides):
    return {
        "person": person.id,
        "save": "1",
        "recipient": recipient,
        "purpose": "밑반찬 배달과 안부 확인",
        "categories": ["contact", "household_composition"],
        "retention_until": timezone.localdate().replace(year=2030).isoformat(),
        "refusal_notice": "거부할 수 있습니다.",
        "method": "signed_form_scan",
        "given_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        **overrides,
    }


def test_a_private_worker_records_a_consent_naming_its_own_centre(
    login, private_worker, household_dong_a, senior_centre
):
    person = _head(household_dong_a)
    response = login(private_worker).post(
        reverse("consent_new"), _form(person, f"organisation:{senior_centre.id}")
    )

    assert response.status_code == 303
    assert response["Location"] == reverse("household_detail", args=[household_dong_a.reference])
    consent = Consent.objects.get()
    assert consent.recipient_organisation == senior_centre
    assert consent.recording_organisation == senior_centre
    assert consent.recorded_by == private_worker
    assert Engagement.objects.get(consent=consent).organisation == senior_centre
    page = login(private_worker).get(response["Location"]).content.decode()
    assert "양재대로 1480" in page  # contact is now consented to the centre


def test_a_private_worker_cannot_name_another_organisation(
    login, private_worker, household_dong_a, youth_centre
):
    person = _head(household_dong_a)
    response = login(private_worker).post(
        reverse("consent_new"), _form(person, f"organisation:{youth_centre.id}")
    )
    assert response.status_code == 200
    assert not Consent.objects.exists()


def test_the_consent_form_shows_every_problem_at_once(
    login, officer_dong_a, household_dong_a, senior_centre
):
    person = _head(household_dong_a)
    response = login(officer_dong_a).post(
        reverse("consent_new"),
        _form(
            person,
            f"organisation:{senior_centre.id}",
            purpose="",
            categories=["health", "contact"],
            method="verbal_with_witness",
            retention_until="어제",
        ),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "제공받는 자의 이용 목적을 입력해 주세요." in page
    assert "건강 정보는 민감정보라서 다른 항목과 묶을 수 없습니다" in page
    assert "구두 동의는 입회인의 이름을 적어야 합니다." in page
    assert "날짜를 2027-12-31처럼 입력해 주세요." in page
    assert not Consent.objects.exists()


def test_the_consent_form_counts_its_limits_and_refuses_past_them(
    login, officer_dong_a, household_dong_a, senior_centre
):
    person = _head(household_dong_a)
    client = login(officer_dong_a)
    blank = client.post(reverse("consent_new"), {"person": person.id}).content.decode()
    assert 'data-char-limit="300"' in blank and "0 / 300자" in blank
    assert "novalidate" in blank

    too_long = client.post(
        reverse("consent_new"),
        _form(person, f"organisation:{senior_centre.id}", purpose="가" * 301),
    ).content.decode()
    assert "이용 목적은 300자 안으로 적어 주세요." in too_long
    assert "301 / 300자" in too_long
    assert not Consent.objects.exists()
