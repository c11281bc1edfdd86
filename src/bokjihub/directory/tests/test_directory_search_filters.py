"""The search page's Dong and kind filters: a city made of 일반구 offers its districts'
Dongs, and the kind filter is the selector's, on one code path with the unfiltered page."""

import pytest
from django.urls import reverse
from django.utils import timezone

from bokjihub.directory.models import NeedDomain, Service, ServiceKind, ServiceStatus
from bokjihub.directory.selectors import services_search
from bokjihub.directory.services import directory_load_booklet, service_create
from bokjihub.regions.models import EupMyeonDong, Sigungu

pytestmark = [pytest.mark.django_db, pytest.mark.accept_services]

SUWON = "41110"  # 수원시: no Dong of its own, all of them in its four 일반구


@pytest.fixture
def suwon(db):
    return Sigungu.objects.get(code=SUWON, valid_to__isnull=True)


@pytest.fixture
def suwon_worker(suwon):
    from conftest import _persona

    from bokjihub.orgs.services import organisation_create

    centre = organisation_create(
        name="수원시 시범노인복지관", kind="senior_welfare_centre", sigungu=suwon
    )
    return _persona("suwon_worker", centre, "private_social_worker")


@pytest.fixture
def local_programme(senior_centre, dong_a):
    return service_create(
        name="어르신 밑반찬 배달",
        kind=ServiceKind.LOCAL_PROGRAMME,
        provider=senior_centre,
        emds=[dong_a],
        need_domains=[NeedDomain.LIVELIHOOD],
        eligibility_description="홀로 사는 65세 이상 어르신",
    )


def test_a_city_of_ilban_gu_offers_the_dongs_of_all_its_districts(login, suwon_worker, suwon):
    assert not EupMyeonDong.objects.filter(sigungu=suwon).exists()
    response = login(suwon_worker).get(reverse("directory_search"))
    assert response.status_code == 200
    dongs = response.context["dongs"]
    today = timezone.localdate()
    expected = EupMyeonDong.objects.filter(sigungu__parent=suwon).filter(
        EupMyeonDong.valid_on_q(today)
    )
    assert len(dongs) == expected.count() > 0
    assert dongs == list(expected.order_by("name_ko", "code"))


def test_a_dong_of_a_district_is_accepted_as_the_citys_filter(login, suwon_worker, suwon):
    client = login(suwon_worker)
    dong = client.get(reverse("directory_search")).context["dongs"][0]
    response = client.get(reverse("directory_search"), {"emd": dong.code})
    assert response.status_code == 200
    assert not response.context["form"].errors
    assert response.context["page"] is not None


def test_the_kind_filter_is_the_selectors(local_programme, dong_a):
    directory_load_booklet()
    local = services_search(kind=ServiceKind.LOCAL_PROGRAMME)
    assert list(local) == [local_programme]
    public = services_search(kind=ServiceKind.PUBLIC_BENEFIT)
    assert public.exists()
    assert local_programme not in public
    assert services_search(kind=ServiceKind.LOCAL_PROGRAMME, emd=dong_a).count() == 1


def test_the_page_filters_by_kind(login, officer_dong_a, local_programme):
    directory_load_booklet()
    response = login(officer_dong_a).get(
        reverse("directory_search"), {"kind": ServiceKind.LOCAL_PROGRAMME}
    )
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [local_programme]


def test_the_unfiltered_page_lists_every_active_service_by_name(
    login, officer_dong_a, local_programme
):
    directory_load_booklet()
    Service.objects.filter(pk=local_programme.pk).update(status=ServiceStatus.INACTIVE)
    response = login(officer_dong_a).get(reverse("directory_search"))
    page = response.context["page"]
    active = Service.objects.filter(status=ServiceStatus.ACTIVE)
    assert page.paginator.count == active.count()
    assert local_programme not in page.object_list
    assert list(page.object_list) == list(active.order_by("name", "pk")[:20])
