"""The demo Gu's local programmes: present, with providers and places in the Gu, once."""

import re

import pytest
from django.utils import timezone

from bokjihub.core.demo import demo_organisations
from bokjihub.directory.demo import PROGRAMMES, demo_local_service, demo_local_services
from bokjihub.directory.models import NeedDomain, Service, ServiceKind
from bokjihub.directory.selectors import services_search
from bokjihub.orgs.models import Organisation
from bokjihub.regions.selectors import emds_of_sigungu

pytestmark = pytest.mark.django_db


@pytest.fixture
def gangdong_demo_organisations(gangdong):
    emds = list(emds_of_sigungu(gangdong, as_of=timezone.localdate()))
    return demo_organisations(gangdong, emds)


@pytest.mark.accept_loop
def test_the_demo_gu_gets_its_local_programmes_run_by_its_own_centres_once(
    gangdong, gangdong_demo_organisations
):
    organisations = gangdong_demo_organisations
    added = demo_local_services(sigungu=gangdong, organisations=organisations)
    assert added == len(PROGRAMMES) >= 10
    local = Service.objects.filter(kind=ServiceKind.LOCAL_PROGRAMME)
    assert local.count() == len(PROGRAMMES)
    names = set(local.values_list("name", flat=True))
    for expected in ("어르신 도시락 배달", "저소득 가구 집수리 지원", "긴급 식품 꾸러미 지원"):
        assert expected in names
    meals = local.get(name="어르신 도시락 배달")
    assert meals.provider.name == "강동노인복지관"
    assert meals.provider == organisations["senior_welfare_centre"]
    assert meals.address.startswith("서울특별시 강동구")
    assert meals.capacity == 60 and meals.waiting_list == 7
    assert meals.capacity_confirmed_at is not None
    assert NeedDomain.OLD_AGE in meals.need_domain_list
    for service in local:
        assert service.provider.sigungu == gangdong
        dongs = list(service.emds.all())
        # a local programme is never "nationwide" (no Dongs)
        assert dongs and all(dong.sigungu_id == gangdong.pk for dong in dongs)
        # no real phone number: the exchange 0000 is never assigned
        assert re.search(r"0\d{1,2}-0000-\d{4}", service.contact)
    # a provider the demo did not have is made once, in the Gu
    assert Organisation.objects.filter(name="강동구 기초푸드뱅크", sigungu=gangdong).count() == 1

    organisations_before = Organisation.objects.count()
    assert demo_local_services(sigungu=gangdong, organisations=organisations) == 0
    assert Service.objects.filter(kind=ServiceKind.LOCAL_PROGRAMME).count() == len(PROGRAMMES)
    assert Organisation.objects.count() == organisations_before


@pytest.mark.accept_loop
def test_a_worker_in_a_demo_dong_finds_the_meal_delivery_by_a_korean_word(
    gangdong, gangdong_demo_organisations, dong_a
):
    demo_local_services(sigungu=gangdong, organisations=gangdong_demo_organisations)
    found = services_search(text="도시락", emd=dong_a, kind=ServiceKind.LOCAL_PROGRAMME)
    assert [service.name for service in found] == ["어르신 도시락 배달"]


def test_a_local_meal_delivery_can_be_made_for_any_provider_once(senior_centre, dong_a):
    service = demo_local_service(senior_centre)
    assert service.provider == senior_centre
    assert service.kind == ServiceKind.LOCAL_PROGRAMME
    assert service.name == "어르신 도시락 배달"
    assert service.emds.exists()
    assert demo_local_service(senior_centre) == service
    only_dong_a = demo_local_service(senior_centre, key="side_dishes", emds=[dong_a])
    assert list(only_dong_a.emds.all()) == [dong_a]
    assert Service.objects.filter(provider=senior_centre).count() == 2


@pytest.mark.accept_loop
def test_the_demo_builder_of_another_gun_gives_it_its_own_programmes_once():
    from bokjihub.core.demo import demo_build

    report = demo_build(sigungu_code="43745", seed=7, households=30)
    gun = report.sigungu
    local = Service.objects.filter(kind=ServiceKind.LOCAL_PROGRAMME, provider__sigungu=gun)
    assert local.count() == len(PROGRAMMES)
    meals = local.get(name="어르신 도시락 배달")
    assert meals.provider.name == f"{gun.name_ko[:-1]}노인복지관"
    assert meals.address.startswith(gun.full_name_ko)
    assert re.search(r"^043-0000-\d{4}", meals.contact.split("☎ ")[1])
    demo_build(sigungu_code="43745", seed=7, households=30)
    assert local.count() == len(PROGRAMMES)
