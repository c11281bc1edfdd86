"""Referring from the directory: a worker who came from a case finds a local service and
opens the case's referral form with it; without a case the page says how to refer."""

import re

import pytest
from django.urls import reverse

from bokjihub.directory.demo import demo_local_service
from bokjihub.directory.models import Service, ServiceKind, ServiceStatus
from bokjihub.directory.services import service_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_a(officer_dong_a, centre_a, household_dong_a):
    from bokjihub.cases.services import case_open

    return case_open(
        household=household_dong_a,
        lead_organisation=centre_a,
        case_manager=officer_dong_a,
        by=officer_dong_a,
        summary="끼니를 거름",
    )


@pytest.fixture
def meals(senior_centre, dong_a):
    return demo_local_service(senior_centre, emds=[dong_a])


def _refer_links(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"[^>]*data-refer-button', html)


@pytest.mark.accept_loop
def test_a_worker_from_a_case_gets_a_refer_button_with_the_service_filled_in(
    login, officer_dong_a, case_a, meals
):
    client = login(officer_dong_a)
    response = client.get(reverse("directory_service", args=[meals.pk]), {"case": case_a.pk})
    assert response.status_code == 200
    html = response.content.decode()
    send = reverse("referrals:referral_send", args=[case_a.pk])
    assert _refer_links(html) == [f"{send}?service={meals.pk}"]
    assert "이 서비스로 의뢰" in html
    assert reverse("case_detail", args=[case_a.pk]) in html
    # the household is never named on a directory page
    assert "김영수" not in html


@pytest.mark.accept_loop
def test_without_a_case_the_service_page_says_how_to_refer_instead_of_a_button(
    login, officer_dong_a, meals
):
    html = login(officer_dong_a).get(reverse("directory_service", args=[meals.pk])).content
    html = html.decode()
    assert _refer_links(html) == []
    assert "data-refer-howto" in html
    assert "먼저 사례를 여세요" in html


@pytest.mark.accept_loop
def test_staff_of_an_organisation_not_on_the_case_get_no_button(
    login, officer_dong_b, case_a, meals
):
    response = login(officer_dong_b).get(
        reverse("directory_service", args=[meals.pk]), {"case": case_a.pk}
    )
    html = response.content.decode()
    assert _refer_links(html) == []
    assert "이 사례에서는 의뢰할 수 없습니다" in html


def test_a_case_that_does_not_exist_or_is_garbage_looks_the_same_and_offers_nothing(
    login, officer_dong_a, meals
):
    client = login(officer_dong_a)
    for value in ("999999", "abc", "1" * 40):
        response = client.get(reverse("directory_service", args=[meals.pk]), {"case": value})
        assert response.status_code == 200
        assert _refer_links(response.content.decode()) == []


def test_an_inactive_service_is_not_offered_for_a_referral(login, officer_dong_a, case_a, meals):
    Service.objects.filter(pk=meals.pk).update(status=ServiceStatus.TEMPORARILY_CLOSED)
    response = login(officer_dong_a).get(
        reverse("directory_service", args=[meals.pk]), {"case": case_a.pk}
    )
    assert _refer_links(response.content.decode()) == []


@pytest.mark.accept_loop
def test_the_case_rides_along_through_search_paging_service_and_provider_pages(
    login, officer_dong_a, case_a, meals, senior_centre
):
    for number in range(25):
        service_create(name=f"도시락 나눔 {number:02d}", kind=ServiceKind.COMMUNITY_RESOURCE)
    client = login(officer_dong_a)
    search = client.get(reverse("directory_search"), {"case": case_a.pk, "q": "도시락"})
    html = search.content.decode()
    assert f'name="case" value="{case_a.pk}"' in html
    assert search.context["referral_case"] == case_a
    # paging keeps the case (and the words)
    assert search.context["page"].has_next()
    next_links = re.findall(r'class="page-navi next" href="([^"]+)"', html)
    assert next_links and f"case={case_a.pk}" in next_links[0] and "page=2" in next_links[0]
    # the second page's links to services and providers keep it too
    page_two = client.get(
        reverse("directory_search"), {"case": case_a.pk, "q": "도시락", "page": 2}
    )
    assert page_two.status_code == 200
    service_url = reverse("directory_service", args=[meals.pk])
    provider_url = reverse("directory_provider", args=[senior_centre.pk])
    first_page = search.content.decode() + page_two.content.decode()
    assert f'{service_url}?case={case_a.pk}"' in first_page
    assert f'{provider_url}?case={case_a.pk}"' in first_page
    provider = client.get(provider_url, {"case": case_a.pk})
    assert f'{service_url}?case={case_a.pk}"' in provider.content.decode()


def test_the_provider_page_lists_its_services_and_links_back(login, officer_dong_a, meals):
    provider = meals.provider
    response = login(officer_dong_a).get(reverse("directory_provider", args=[provider.pk]))
    assert response.status_code == 200
    assert [service.name for service in response.context["page"].object_list] == [meals.name]
    html = response.content.decode()
    assert provider.name in html and reverse("directory_search") in html
    service_page = login(officer_dong_a).get(reverse("directory_service", args=[meals.pk]))
    assert reverse("directory_provider", args=[provider.pk]) in service_page.content.decode()


def test_a_provider_without_services_says_so_and_an_unknown_one_is_a_404(
    login, officer_dong_a, youth_centre
):
    client = login(officer_dong_a)
    empty = client.get(reverse("directory_provider", args=[youth_centre.pk]))
    assert empty.status_code == 200
    assert "아직 없습니다" in empty.content.decode()
    assert client.get(reverse("directory_provider", args=[999999])).status_code == 404


def test_every_bad_search_filter_is_reported_at_once(login, officer_dong_a):
    response = login(officer_dong_a).get(
        reverse("directory_search"), {"age": "많음", "domain": "없는영역", "emd": "0000000000"}
    )
    form = response.context["form"]
    assert set(form.errors) == {"age", "domain", "emd"}
    html = response.content.decode()
    assert "novalidate" in html
    assert "나이는 숫자로 입력하세요" in html
    assert "관할 시군구의 행정동을 고르세요" in html


def test_the_search_offers_the_local_programmes_only_keeping_words_and_case(
    login, officer_dong_a, case_a, meals
):
    client = login(officer_dong_a)
    html = client.get(reverse("directory_search"), {"case": case_a.pk, "q": "도시락"}).content
    link = re.search(r'href="([^"]+)" data-local-only', html.decode())
    assert link is not None
    query = link.group(1).replace("&amp;", "&")
    assert "kind=local_programme" in query and "q=" in query and f"case={case_a.pk}" in query
    local = client.get(reverse("directory_search") + query)
    assert [service.name for service in local.context["page"].object_list] == [meals.name]
    assert "data-local-only" not in local.content.decode()
