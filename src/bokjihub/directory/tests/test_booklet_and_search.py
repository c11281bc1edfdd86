"""Loading the booklet and searching the directory in Korean."""

import pytest
from django.core.management import call_command

from bokjihub.directory.models import HouseholdType, NeedDomain, Service, ServiceKind
from bokjihub.directory.selectors import services_search
from bokjihub.directory.services import directory_load_booklet, service_create
from bokjihub.regions.models import ReferenceDataset

pytestmark = pytest.mark.django_db


def test_the_booklet_loads_all_463_services_once_however_often_it_is_loaded():
    first = directory_load_booklet()
    assert (first.seen, first.created, first.updated) == (463, 463, 0)
    again = directory_load_booklet()
    assert (again.created, again.updated) == (0, 0)
    assert Service.objects.count() == 463
    assert Service.objects.filter(source_key="92-1").count() == 4
    dataset = ReferenceDataset.objects.get(name="kr_welfare_services_2024_booklet.csv")
    assert len(dataset.sha256) == 64


def test_every_booklet_chapter_maps_to_a_need_domain():
    directory_load_booklet()
    assert not Service.objects.filter(need_domains="").exists()
    jobs = Service.objects.get(name="노인 일자리 및 사회활동 지원")
    assert jobs.need_domain_list == [NeedDomain.OLD_AGE]
    # The transcription files 기초연금 under chapter 5 (보건의료); the chapter is kept as is.
    pension = Service.objects.get(name="기초연금제도")
    assert pension.need_domain_list == [NeedDomain.HEALTH]
    assert pension.kind == ServiceKind.PUBLIC_BENEFIT
    assert pension.minimum_age == 65
    assert pension.provider is None


def test_a_reload_restores_an_edited_booklet_text():
    directory_load_booklet()
    Service.objects.filter(name="기초연금제도").update(benefit="바뀜")
    assert directory_load_booklet().updated == 1
    assert Service.objects.get(name="기초연금제도").benefit.startswith("월 최대")


def test_the_command_loads_the_booklet(capsys):
    call_command("directory", "load-booklet")
    assert "463" in capsys.readouterr().out


def test_search_by_korean_words_domain_age_and_household_type():
    directory_load_booklet()
    names = set(services_search(text="한부모 양육비").values_list("name", flat=True))
    assert "한부모가족 아동 양육비 지원" in names
    for_seventy = services_search(text="연금", age=70)
    assert for_seventy.filter(name="기초연금제도").exists()
    assert not services_search(text="연금", age=40).filter(name="기초연금제도").exists()
    old_age = services_search(domain=NeedDomain.OLD_AGE)
    assert old_age.filter(name="노인 일자리 및 사회활동 지원").exists()
    assert not old_age.filter(name="기초연금제도").exists()
    single_parent = services_search(household_type=HouseholdType.SINGLE_PARENT)
    assert single_parent.filter(name="한부모가족 아동 양육비 지원").exists()
    assert not single_parent.filter(name="기초연금제도").exists()


def test_search_by_dong_keeps_nationwide_services_and_that_dongs_own(dong_a, dong_b, senior_centre):
    nationwide = service_create(name="전국 상담", kind=ServiceKind.PUBLIC_BENEFIT)
    local = service_create(
        name="어르신 반찬 나눔",
        kind=ServiceKind.LOCAL_PROGRAMME,
        provider=senior_centre,
        emds=[dong_a],
        need_domains=[NeedDomain.OLD_AGE],
    )
    in_a = list(services_search(emd=dong_a))
    in_b = list(services_search(emd=dong_b))
    assert in_a == [local, nationwide]
    assert in_b == [nationwide]
    assert list(services_search(text="반찬", emd=dong_a)) == [local]
