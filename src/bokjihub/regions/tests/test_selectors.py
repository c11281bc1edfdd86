"""Reads as of a day: counts, lookups by code, and the errors for codes that do not fit."""

from datetime import date

import pytest

from bokjihub.regions.errors import RegionCodeError, RegionCodeProblem
from bokjihub.regions.models import CodeStatus, EupMyeonDong, Sigungu
from bokjihub.regions.selectors import (
    emd_by_code,
    emd_valid_on,
    emds_of_sigungu,
    regions_stats,
    sido_by_code,
    sigungu_by_code,
    sigungu_valid_on,
)

BEFORE_JULY = date(2026, 4, 1)
AFTER_JULY = date(2026, 10, 1)


@pytest.mark.accept_foundation
@pytest.mark.django_db
def test_on_2026_04_01_there_are_17_sido_226_autonomous_sigungu_and_3558_emd():
    stats = regions_stats(as_of=BEFORE_JULY)

    assert stats["as_of"] == "2026-04-01"
    assert stats["sido"] == 17
    assert stats["sigungu_autonomous"] == 226
    assert (stats["emd"], stats["eup"], stats["myeon"], stats["dong"]) == (3558, 237, 1166, 2155)
    assert stats["emd_provisional_codes"] == 0


@pytest.mark.accept_foundation
@pytest.mark.django_db
def test_on_2026_10_01_there_are_16_sido_227_autonomous_sigungu_and_3558_emd_24_provisional():
    stats = regions_stats(as_of=AFTER_JULY)

    assert stats["sido"] == 16
    assert stats["sigungu_autonomous"] == 227
    assert stats["sigungu_autonomous"] == (
        stats["sigungu_autonomous_si"]
        + stats["sigungu_autonomous_gun"]
        + stats["sigungu_autonomous_gu"]
    )
    assert stats["sigungu_all"] == 269
    assert stats["sigungu_non_autonomous_gu"] == 39
    assert stats["emd"] == 3558
    assert stats["emd_provisional_codes"] == 24


@pytest.mark.django_db
def test_every_emd_valid_on_a_day_belongs_to_a_sigungu_valid_that_day():
    for day in (BEFORE_JULY, AFTER_JULY):
        valid = sigungu_valid_on(day).values("pk")
        assert not emd_valid_on(day).exclude(sigungu__in=valid).exists()


@pytest.mark.django_db
def test_a_valid_code_returns_the_row_of_that_day():
    assert emd_by_code("1174068500", as_of=AFTER_JULY).name_ko == "길동"
    assert sigungu_by_code("46230", as_of=BEFORE_JULY).full_name_ko == "전라남도 광양시"
    assert sido_by_code("12", as_of=AFTER_JULY).name_ko == "전남광주통합특별시"


@pytest.mark.django_db
def test_a_provisional_incheon_code_is_found_under_its_new_gu_after_july():
    before = emd_by_code("2811052000", as_of=BEFORE_JULY)
    after = emd_by_code("2811052000", as_of=AFTER_JULY)

    assert before.sigungu.code == "28110"
    assert after.sigungu.code == "28125"
    assert after.code_status == CodeStatus.PROVISIONAL


@pytest.mark.django_db
def test_an_unknown_code_is_refused_with_a_korean_message():
    with pytest.raises(RegionCodeError) as caught:
        emd_by_code("1199999999", as_of=AFTER_JULY)

    assert caught.value.reason == RegionCodeProblem.UNKNOWN
    assert caught.value.message == "행정구역 코드 '1199999999'를 찾을 수 없습니다."
    assert "not found" in caught.value.message_en


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["12345", "11740685OO", "117406850000", ""])
def test_an_emd_code_that_is_not_ten_digits_is_malformed(code):
    with pytest.raises(RegionCodeError) as caught:
        emd_by_code(code, as_of=AFTER_JULY)

    assert caught.value.reason == RegionCodeProblem.MALFORMED
    assert "숫자 10자리" in caught.value.message


@pytest.mark.django_db
def test_a_sigungu_code_that_is_not_five_digits_is_malformed():
    with pytest.raises(RegionCodeError) as caught:
        sigungu_by_code("1174", as_of=AFTER_JULY)

    assert caught.value.reason == RegionCodeProblem.MALFORMED
    assert "숫자 5자리" in caught.value.message
    assert "5 digits" in caught.value.message_en


@pytest.mark.django_db
def test_a_recoded_emd_code_names_its_successor_after_the_day_it_was_abolished():
    with pytest.raises(RegionCodeError) as caught:
        emd_by_code("4623025000", as_of=AFTER_JULY)

    error = caught.value
    assert error.reason == RegionCodeProblem.ABOLISHED
    assert error.successor_code == "1219025000"
    assert "2026-07-01에 폐지되었습니다. 새 코드: '1219025000'" in error.message
    assert "abolished on 2026-07-01" in error.message_en


@pytest.mark.django_db
def test_a_renamed_sigungu_code_names_its_successor():
    with pytest.raises(RegionCodeError) as caught:
        sigungu_by_code("42110", as_of=BEFORE_JULY)

    assert caught.value.successor_code == "51110"
    assert "2023-06-11에 폐지되었습니다. 새 코드: '51110'" in caught.value.message


@pytest.mark.django_db
def test_a_split_sigungu_code_says_there_is_no_one_to_one_successor_and_where_it_went():
    with pytest.raises(RegionCodeError) as caught:
        sigungu_by_code("28110", as_of=AFTER_JULY)

    error = caught.value
    assert error.successor_code is None
    assert "1:1로 이어지는 새 코드가 없습니다" in error.message
    assert "제물포구(28125)" in error.message
    assert "영종구(28155)" in error.message


@pytest.mark.django_db
def test_a_merged_sigungu_without_any_trace_says_only_that_there_is_no_successor():
    with pytest.raises(RegionCodeError) as caught:
        sigungu_by_code("43710", as_of=AFTER_JULY)

    assert caught.value.message.endswith("1:1로 이어지는 새 코드가 없습니다.")


@pytest.mark.django_db
def test_a_merged_sido_code_names_the_new_sido():
    with pytest.raises(RegionCodeError) as caught:
        sido_by_code("29", as_of=AFTER_JULY)

    assert caught.value.successor_code == "12"


@pytest.mark.django_db
def test_a_code_asked_for_before_it_existed_says_when_it_starts():
    with pytest.raises(RegionCodeError) as caught:
        sigungu_by_code("12190", as_of=BEFORE_JULY)

    assert caught.value.reason == RegionCodeProblem.NOT_YET_VALID
    assert "2026-07-01부터 시행" in caught.value.message


@pytest.mark.django_db
def test_the_emds_of_a_city_with_districts_are_those_of_all_its_districts():
    hwaseong = Sigungu.objects.get(code="41590")
    manse = Sigungu.objects.get(code="41591")

    of_city = emds_of_sigungu(hwaseong, as_of=AFTER_JULY)
    of_district = emds_of_sigungu(manse, as_of=AFTER_JULY)

    assert of_city.count() == EupMyeonDong.objects.filter(sigungu__parent=hwaseong).count() > 0
    assert set(of_district) < set(of_city)


@pytest.mark.django_db
def test_the_emds_of_a_recoded_sigungu_depend_on_the_day():
    old_gwangyang = Sigungu.objects.get(code="46230")
    new_gwangyang = Sigungu.objects.get(code="12190")

    assert emds_of_sigungu(old_gwangyang, as_of=BEFORE_JULY).count() == 12
    assert emds_of_sigungu(old_gwangyang, as_of=AFTER_JULY).count() == 0
    assert emds_of_sigungu(new_gwangyang, as_of=AFTER_JULY).count() == 12
