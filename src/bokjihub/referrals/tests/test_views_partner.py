"""Referral pages of issue 12: who sent it and how to reach them, links to the case and
the household where the viewer may open them, the case by its number, and a send form
prefilled from the service directory."""

import pytest
from django.urls import reverse

from bokjihub.referrals.models import Referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre_worker(senior_centre):
    """A worker of the senior centre, which serves nobody before the referral."""
    from conftest import _persona

    return _persona("centre_worker", senior_centre, "private_social_worker")


@pytest.fixture
def reachable_sender(centre_a, officer_dong_a):
    from bokjihub.orgs.models import Membership

    centre_a.phone = "02-3425-1234"
    centre_a.save(update_fields=["phone"])
    officer_dong_a.email = "officer.a@gildong.example"
    officer_dong_a.save(update_fields=["email"])
    Membership.objects.filter(user=officer_dong_a).update(title="맞춤형복지팀 주무관")
    return officer_dong_a


@pytest.fixture
def meal_programme(senior_centre, dong_a):
    from bokjihub.directory.models import ServiceKind
    from bokjihub.directory.services import service_create

    return service_create(
        name="어르신 밑반찬 배달",
        kind=ServiceKind.LOCAL_PROGRAMME,
        provider=senior_centre,
        emds=[dong_a],
        need_domains=["daily_living"],
    )


def _accept(client, referral):
    return client.post(
        reverse("referrals:referral_action", args=[referral.id, "accept"]),
        {"accept-expected_version": referral.version, "accept-idempotency_key": "accept-1"},
    )


def test_the_inbox_names_the_sending_worker_and_how_to_reach_them(
    login, send_referral, centre_worker, reachable_sender
):
    referral = send_referral()
    page = login(centre_worker).get(reverse("referrals:referral_inbox")).content.decode()
    assert "길동 주민센터" in page
    assert "officer_a" in page and "맞춤형복지팀 주무관" in page
    assert 'href="tel:02-3425-1234"' in page
    assert 'href="mailto:officer.a@gildong.example"' in page
    assert str(referral.case) in page
    # not yet a participant: the case number is there, the links are not
    assert reverse("case_detail", args=[referral.case_id]) not in page
    assert referral.case.household.reference not in page


def test_after_accepting_the_centre_follows_links_to_the_case_and_the_household(
    login, send_referral, centre_worker
):
    referral = send_referral()
    client = login(centre_worker)
    response = _accept(client, referral)
    assert response.status_code == 303
    detail = client.get(response["Location"]).content.decode()
    case_url = reverse("case_detail", args=[referral.case_id])
    household_url = reverse("household_detail", args=[referral.case.household.reference])
    assert f'href="{case_url}"' in detail and f'href="{household_url}"' in detail
    assert f"사례 {referral.case}에 참여했습니다" in detail
    inbox = client.get(reverse("referrals:referral_inbox")).content.decode()
    assert f'href="{case_url}"' in inbox
    assert client.get(case_url).status_code == 200
    assert client.get(household_url).status_code == 200


def test_the_gu_case_manager_gets_the_case_link_on_a_referral_to_the_gu(
    login, case_a, centre_a, officer_dong_a, gu_office, gu_case_manager
):
    from bokjihub.referrals.services import referral_send

    referral = referral_send(
        case=case_a,
        from_organisation=centre_a,
        by=officer_dong_a,
        to_organisation=gu_office,
        need_domain="housing",
        request_text="통합사례관리 의뢰",
    )
    page = (
        login(gu_case_manager)
        .get(reverse("referrals:referral_detail", args=[referral.id]))
        .content.decode()
    )
    assert f'href="{reverse("case_detail", args=[case_a.id])}"' in page


def test_the_send_page_prefills_the_service_named_by_the_directory(
    login, case_a, officer_dong_a, senior_centre, meal_programme
):
    client = login(officer_dong_a)
    url = reverse("referrals:referral_send", args=[case_a.id])
    page = client.get(url, {"service": str(meal_programme.pk)}).content.decode()
    assert "어르신 밑반찬 배달" in page
    assert f'<option value="{senior_centre.id}" selected>' in page
    assert '<option value="daily_living" selected>' in page
    assert f'value="{meal_programme.pk}"' in page

    response = client.post(
        url,
        {
            "referral-to_organisation": senior_centre.id,
            "referral-need_domain": "daily_living",
            "referral-request_text": "주 3회 밑반찬 배달을 부탁드립니다.",
            "referral-service": str(meal_programme.pk),
            "referral-idempotency_key": "send-1",
        },
    )
    assert response.status_code == 303
    assert Referral.objects.get().service == meal_programme


def test_a_service_sent_to_another_organisation_is_refused_beside_the_field(
    login, case_a, officer_dong_a, gu_office, meal_programme
):
    response = login(officer_dong_a).post(
        reverse("referrals:referral_send", args=[case_a.id]),
        {
            "referral-to_organisation": gu_office.id,
            "referral-need_domain": "daily_living",
            "referral-request_text": "밑반찬",
            "referral-service": str(meal_programme.pk),
        },
    )
    assert response.status_code == 400
    assert "강동구 시범노인복지관에서 제공합니다" in response.content.decode()
    assert not Referral.objects.exists()


def test_an_unknown_service_opens_an_empty_form_with_a_message(login, case_a, officer_dong_a):
    page = login(officer_dong_a).get(
        reverse("referrals:referral_send", args=[case_a.id]), {"service": "not-a-service"}
    )
    assert page.status_code == 200
    assert "찾을 수 없거나 운영하지 않는 서비스입니다" in page.content.decode()


def test_the_send_form_shows_every_problem_at_once_and_counts_its_limit(
    login, case_a, officer_dong_a
):
    response = login(officer_dong_a).post(
        reverse("referrals:referral_send", args=[case_a.id]),
        {"referral-request_text": "가" * 2001},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "novalidate" in page
    assert "의뢰할 기관을 골라 주세요." in page
    assert "욕구 영역을 골라 주세요." in page
    assert "의뢰 내용은 2000자 안으로 적어 주세요." in page
    assert "2001 / 2000자" in page
