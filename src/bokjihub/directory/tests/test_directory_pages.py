"""The directory pages: search in Korean, one service, a provider confirming capacity."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bokjihub.directory.models import NeedDomain, Service, ServiceKind
from bokjihub.directory.services import directory_load_booklet, service_create

pytestmark = [pytest.mark.django_db, pytest.mark.accept_services]


@pytest.fixture
def booklet():
    directory_load_booklet()


@pytest.fixture
def meal_programme(senior_centre, dong_a):
    return service_create(
        name="어르신 밑반찬 배달",
        kind=ServiceKind.LOCAL_PROGRAMME,
        provider=senior_centre,
        emds=[dong_a],
        need_domains=[NeedDomain.LIVELIHOOD],
        eligibility_description="홀로 사는 65세 이상 어르신",
        capacity=40,
        waiting_list=3,
        capacity_confirmed_at=timezone.now() - timedelta(days=45),
    )


def test_an_officer_finds_the_livelihood_benefit_by_a_korean_word_and_domain(
    login, officer_dong_a, booklet
):
    response = login(officer_dong_a).get(
        reverse("directory_search"), {"q": "생계급여", "domain": NeedDomain.LIVELIHOOD}
    )
    assert response.status_code == 200
    names = [service.name for service in response.context["page"].object_list]
    assert "맞춤형 기초생활보장제도" in names
    # every hit is in the livelihood chapter: the domain filter applied with the word
    assert all(
        NeedDomain.LIVELIHOOD in service.need_domain_list
        for service in response.context["page"].object_list
    )


def test_the_dong_filter_keeps_nationwide_services_and_that_dongs_own(
    login, officer_dong_a, meal_programme, dong_a, dong_b, booklet
):
    client = login(officer_dong_a)
    in_a = client.get(reverse("directory_search"), {"q": "밑반찬", "emd": dong_a.code})
    assert [s.name for s in in_a.context["page"].object_list] == ["어르신 밑반찬 배달"]
    in_b = client.get(reverse("directory_search"), {"q": "밑반찬", "emd": dong_b.code})
    assert list(in_b.context["page"].object_list) == []
    assert "조건에 맞는 서비스가 없습니다" in in_b.content.decode()


def test_a_bad_age_gets_a_specific_message_and_keeps_the_other_filters(login, officer_dong_a):
    response = login(officer_dong_a).get(
        reverse("directory_search"), {"q": "월세", "age": "일흔"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "나이는 숫자로 입력하세요" in body
    assert 'value="월세"' in body


def test_the_search_page_runs_a_fixed_number_of_queries(login, officer_dong_a, booklet):
    client = login(officer_dong_a)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("directory_search"), {"domain": NeedDomain.HEALTH})
    assert response.status_code == 200
    assert response.context["page"].paginator.count > 20
    first = len(queries)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("directory_search"), {"domain": NeedDomain.HEALTH, "page": 2})
    assert len(queries) == first <= 12


def test_the_provider_confirms_capacity_and_the_page_dates_it(
    login, private_worker, meal_programme
):
    client = login(private_worker)
    page = client.get(reverse("directory_service", args=[meal_programme.pk]))
    assert "확인한 지 30일이 지났습니다" in page.content.decode()
    expected = page.context["form"].initial["expected_confirmed_at"]
    response = client.post(
        reverse("directory_capacity", args=[meal_programme.pk]),
        {"capacity": "42", "waiting_list": "0", "expected_confirmed_at": expected},
    )
    assert response.status_code == 303
    meal_programme.refresh_from_db()
    assert (meal_programme.capacity, meal_programme.waiting_list) == (42, 0)
    assert timezone.now() - meal_programme.capacity_confirmed_at < timedelta(minutes=1)
    again = client.get(reverse("directory_service", args=[meal_programme.pk]))
    assert "확인한 지 30일이 지났습니다" not in again.content.decode()


def test_a_stale_capacity_form_is_refused_and_overwrites_nothing(
    login, private_worker, meal_programme
):
    client = login(private_worker)
    stale = (meal_programme.capacity_confirmed_at - timedelta(days=1)).isoformat()
    response = client.post(
        reverse("directory_capacity", args=[meal_programme.pk]),
        {"capacity": "10", "waiting_list": "9", "expected_confirmed_at": stale},
    )
    assert response.status_code == 409
    assert "다른 직원이 그사이에" in response.content.decode()
    meal_programme.refresh_from_db()
    assert (meal_programme.capacity, meal_programme.waiting_list) == (40, 3)


def test_only_the_providers_staff_may_confirm_capacity(
    login, officer_dong_a, meal_programme
):
    response = login(officer_dong_a).post(
        reverse("directory_capacity", args=[meal_programme.pk]),
        {"capacity": "1", "waiting_list": "1"},
    )
    assert response.status_code == 403
    meal_programme.refresh_from_db()
    assert meal_programme.capacity == 40


def test_a_negative_capacity_is_refused_with_its_reason(login, private_worker, meal_programme):
    response = login(private_worker).post(
        reverse("directory_capacity", args=[meal_programme.pk]),
        {"capacity": "-3", "waiting_list": "0"},
    )
    assert response.status_code == 400
    assert "0 이상이어야 합니다" in response.content.decode()
    meal_programme.refresh_from_db()
    assert meal_programme.capacity == 40


def test_the_hsds_download_is_every_service_as_json(login, officer_dong_a, booklet):
    response = login(officer_dong_a).get(reverse("directory_hsds"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    document = response.json()
    assert len(document["contents"]) == Service.objects.count() == 463


def test_an_unknown_service_is_a_404(login, officer_dong_a):
    response = login(officer_dong_a).get(
        reverse("directory_service", args=["00000000-0000-0000-0000-000000000000"])
    )
    assert response.status_code == 404
