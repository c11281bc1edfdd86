"""regions_load: the official lists, their history, and reloads that change nothing."""

import hashlib
import re
from datetime import date

import pytest

from bokjihub.regions.models import (
    CodeStatus,
    EupMyeonDong,
    HubLevel,
    ReferenceDataset,
    Sido,
    Sigungu,
    SigunguKind,
)
from bokjihub.regions.services import DATASETS, dataset_files, regions_load

RECODE_DAY = date(2026, 7, 1)


def _table_sizes() -> tuple[int, int, int, int]:
    return (
        Sido.objects.count(),
        Sigungu.objects.count(),
        EupMyeonDong.objects.count(),
        ReferenceDataset.objects.count(),
    )


@pytest.mark.django_db
def test_loading_the_lists_a_second_time_changes_nothing():
    before = _table_sizes()

    report = regions_load()

    assert not report.changed, report.summary()
    assert _table_sizes() == before == (20, 335, 3558 + 441, 6)


@pytest.mark.django_db
def test_a_reload_keeps_the_hub_level_chosen_for_a_region():
    gangdong = Sigungu.objects.get(code="11740", valid_from__isnull=True)
    Sigungu.objects.filter(pk=gangdong.pk).update(hub_level=HubLevel.SIGUNGU_OFFICE)

    regions_load()

    gangdong.refresh_from_db()
    assert gangdong.hub_level == HubLevel.SIGUNGU_OFFICE


@pytest.mark.django_db
def test_a_reload_puts_back_an_official_name_edited_by_hand():
    Sigungu.objects.filter(code="11740").update(name_ko="엉뚱구")

    report = regions_load()

    assert ("11740", None) in report.sigungu.updated
    assert Sigungu.objects.get(code="11740").name_ko == "강동구"


@pytest.mark.django_db
def test_renamed_provinces_keep_their_old_si_do_rows_until_the_day_of_the_change():
    gangwon = Sido.objects.get(code="42")
    jeonbuk = Sido.objects.get(code="45")

    assert (gangwon.name_ko, gangwon.valid_to) == ("강원도", date(2023, 6, 11))
    assert (jeonbuk.name_ko, jeonbuk.valid_to) == ("전라북도", date(2024, 1, 18))
    assert Sido.objects.get(code="51").valid_from == date(2023, 6, 11)
    assert Sido.objects.get(code="12").valid_from == RECODE_DAY
    assert Sido.objects.get(code="29").valid_to == RECODE_DAY


@pytest.mark.django_db
def test_abolished_sigungu_codes_are_kept_and_point_to_their_successor():
    chuncheon = Sigungu.objects.get(code="42110")
    gunwi = Sigungu.objects.get(code="47720")
    gwangyang = Sigungu.objects.get(code="46230")

    assert chuncheon.valid_to == date(2023, 6, 11)
    assert chuncheon.sido.code == "42"
    assert chuncheon.successor.code == "51110"
    assert (gunwi.valid_to, gunwi.successor.code) == (date(2023, 7, 1), "27720")
    assert (gwangyang.valid_to, gwangyang.successor.code) == (RECODE_DAY, "12190")


@pytest.mark.django_db
def test_split_or_merged_sigungu_have_no_successor():
    for code in ("28110", "28140", "28260", "43710"):
        row = Sigungu.objects.get(code=code)
        assert row.valid_to is not None
        assert row.successor is None


@pytest.mark.django_db
def test_a_district_of_a_city_is_a_non_autonomous_gu_under_that_city():
    manse = Sigungu.objects.get(code="41591")
    wansan_old = Sigungu.objects.get(code="45111")

    assert manse.kind == SigunguKind.NON_AUTONOMOUS_GU
    assert manse.parent.code == "41590"
    assert manse.is_unit
    assert not manse.parent.is_unit
    assert manse.parent.kind == SigunguKind.AUTONOMOUS_SI
    assert (wansan_old.kind, wansan_old.parent.code) == (SigunguKind.NON_AUTONOMOUS_GU, "45110")


@pytest.mark.django_db
def test_sejong_and_the_jeju_cities_are_not_autonomous_si():
    assert Sigungu.objects.get(code="36110").kind == SigunguKind.SPECIAL_CITY
    assert Sigungu.objects.get(code="50110").kind == SigunguKind.ADMINISTRATIVE_SI
    assert Sigungu.objects.get(code="50130").kind == SigunguKind.ADMINISTRATIVE_SI
    assert Sigungu.objects.get(code="11740").kind == SigunguKind.AUTONOMOUS_GU
    assert Sigungu.objects.get(code="51720").kind == SigunguKind.AUTONOMOUS_GUN


@pytest.mark.django_db
def test_an_observed_recode_ends_the_old_row_and_starts_an_official_one_under_the_new_sigungu():
    old = EupMyeonDong.objects.get(code="4623025000")
    new = EupMyeonDong.objects.get(predecessor=old)

    assert old.valid_to == RECODE_DAY
    assert old.sigungu.code == "46230"
    assert (new.code, new.valid_from, new.valid_to) == ("1219025000", RECODE_DAY, None)
    assert new.sigungu.code == "12190"
    assert new.code_status == CodeStatus.OFFICIAL
    assert new.name_ko == old.name_ko == "광양읍"


@pytest.mark.django_db
def test_a_code_derived_by_rule_is_marked_derived():
    new = EupMyeonDong.objects.get(predecessor__code="2911052500")

    assert new.code == "1221052500"
    assert new.code_status == CodeStatus.DERIVED


@pytest.mark.django_db
def test_an_incheon_dong_without_a_published_code_keeps_its_old_code_provisionally():
    old = EupMyeonDong.objects.get(code="2811052000", valid_from__isnull=True)
    new = EupMyeonDong.objects.get(code="2811052000", valid_from=RECODE_DAY)

    assert new.predecessor == old
    assert new.sigungu.code == "28125"
    assert new.code_status == CodeStatus.PROVISIONAL
    assert "공개되지 않아" in new.note
    assert EupMyeonDong.objects.filter(code_status=CodeStatus.PROVISIONAL).count() == 24


@pytest.mark.django_db
def test_each_reference_file_is_recorded_with_the_checksum_listed_in_the_sources_file():
    sources = (dataset_files() / "SOURCES.md").read_text(encoding="utf-8")
    listed = dict(
        (name, digest) for digest, name in re.findall(r"([0-9a-f]{64})\s+(\S+\.csv)", sources)
    )

    for info in DATASETS:
        recorded = ReferenceDataset.objects.get(name=info.name)
        shipped = hashlib.sha256((dataset_files() / info.name).read_bytes()).hexdigest()
        assert recorded.sha256 == shipped == listed[info.name]
        assert recorded.attribution
        assert recorded.licence


@pytest.mark.django_db
def test_sigungu_carry_their_2018_romanised_name_only_where_the_korean_name_is_unchanged():
    from bokjihub.regions.models import Sigungu

    assert Sigungu.objects.get(code="11740").name_en == "Gangdong-gu"
    assert Sigungu.objects.get(code="46230").name_en == "Gwangyang-si"
    assert Sigungu.objects.get(code="12190").name_en == "Gwangyang-si"  # successor, same name
    assert Sigungu.objects.get(code="28177").name_en == ""  # renamed from 남구 since 2018
    assert Sigungu.objects.get(code="28125").name_en == ""  # new in 2026
