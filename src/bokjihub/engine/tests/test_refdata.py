from datetime import date

import pytest

from bokjihub.engine import refdata
from bokjihub.engine.refdata import UnknownSigunguError

BEFORE_JULY = date(2026, 4, 1)
AFTER_JULY = date(2026, 9, 17)


def test_surnames_keep_hanja_variants_and_sum_to_the_file_header():
    refs = refdata.surnames()
    assert len(refs) == 153
    assert sum(ref.count for ref in refs) == 49_582_147
    assert (refs[0].surname, refs[0].count, refs[0].hanja) == ("김", 10_689_959, "金")
    totals = refdata.surname_counts()
    assert len(totals) < len(refs)  # some surnames have several 한자
    assert list(totals)[:3] == ["김", "이", "박"]


def test_given_names_by_sex_sum_to_the_file_header():
    female, male = refdata.given_names("F"), refdata.given_names("M")
    assert sum(ref.count for ref in female) == 2_891_427
    assert sum(ref.count for ref in male) == 2_971_409
    assert len(female) + len(male) == 3_757
    assert female[0].given_name == "서윤"
    assert {ref.sex for ref in male} == {"M"}
    with pytest.raises(ValueError):
        refdata.given_names("male")


def test_population_row_of_gangdong():
    gangdong = refdata.population_of("11740")
    assert gangdong.name_ko == "서울특별시 강동구"
    assert (gangdong.pop_total, gangdong.pop_male, gangdong.pop_female) == (
        498_222,
        242_526,
        255_696,
    )
    assert gangdong.households == 223_466
    assert len(gangdong.age_bands) == 21 == len(refdata.AGE_BANDS)
    assert gangdong.age_bands[0] == 14_032 and gangdong.age_bands[-1] == 82
    assert gangdong.ref_date == date(2026, 8, 31)


def test_every_population_row_is_consistent():
    codes = refdata.sigungu_codes()
    assert len(codes) == 256
    for code in codes:
        row = refdata.population_of(code)
        assert sum(row.age_bands) == row.pop_total == row.pop_male + row.pop_female
        assert code[0] != "0" and len(code) == 5


def test_unknown_sigungu_is_a_key_error_naming_the_code():
    with pytest.raises(KeyError) as caught:
        refdata.population_of("99999")
    assert isinstance(caught.value, UnknownSigunguError)
    assert "99999" in str(caught.value)
    assert caught.value.code == "99999"


def test_recipients_own_row():
    gangdong = refdata.recipients_of("11740")
    assert gangdong.source == "sigungu"
    assert gangdong.n_nbls_total_hh == 15_984
    assert gangdong.n_nbls_total_persons == 20_669
    assert gangdong["n_basic_pension_hh"] == 37_476


def test_recipients_fall_back_to_the_sido_rate_for_incheons_new_districts():
    incheon_units = [code for code in refdata.sigungu_codes() if code.startswith("28")]
    own = [refdata.recipients_of(code) for code in incheon_units]
    estimated = {ref.sigungu_code: ref for ref in own if ref.source != "sigungu"}
    assert set(estimated) == {"28125", "28155", "28275", "28290"}
    assert {ref.source for ref in estimated.values()} == {"sido_rate"}
    jemulpo = estimated["28125"]
    rate = jemulpo.n_nbls_total_hh / refdata.population_of("28125").households
    assert 0.05 < rate < 0.15


def test_recipients_of_new_hwaseong_gu_use_the_parent_si_row():
    refs = [refdata.recipients_of(code) for code in ("41591", "41593", "41595", "41597")]
    assert {ref.source for ref in refs} == {"parent_si_rate"}
    # The four shares of the 화성시 row add back up to it (rounding aside).
    assert abs(sum(ref.n_nbls_total_hh for ref in refs) - _hwaseong_row_hh()) <= 2


def _hwaseong_row_hh() -> int:
    rows = refdata._recipients_table()
    return int(next(row for row in rows if row["sgg_cd"] == "41590")["n_nbls_total_hh"])


def test_emds_of_gangdong():
    emds = refdata.emds_of("11740", AFTER_JULY)
    assert len(emds) == 19
    assert {emd.kind for emd in emds} == {"dong"}
    assert {emd.code_status for emd in emds} == {"official"}
    assert all(emd.code.startswith("11740") and len(emd.code) == 10 for emd in emds)
    assert "길동" in {emd.name_ko for emd in emds}
    assert [emd.code for emd in emds] == [emd.code for emd in refdata.emds_of("11740", BEFORE_JULY)]


def test_emds_switch_codes_on_the_first_of_july():
    before = refdata.emds_of("28110", date(2026, 6, 30))  # 인천 중구, abolished
    assert before and all(emd.code_status == "official" for emd in before)
    with pytest.raises(UnknownSigunguError):
        refdata.emds_of("28110", date(2026, 7, 1))
    with pytest.raises(UnknownSigunguError) as caught:
        refdata.emds_of("28125", date(2026, 6, 30))  # 제물포구 does not exist yet
    assert "28125" in str(caught.value)


def test_unknown_new_codes_stay_old_and_provisional():
    jemulpo = refdata.emds_of("28125", AFTER_JULY)
    provisional = [emd for emd in jemulpo if emd.code_status == "provisional"]
    assert len(provisional) == 16
    assert all(emd.code[:5] in ("28110", "28140") for emd in provisional)
    geomdan = {emd.name_ko: emd for emd in refdata.emds_of("28290", AFTER_JULY)}
    assert geomdan["불로대곡동"].code == "2829052000"  # observed new code
    assert geomdan["불로대곡동"].code_status == "official"


def test_rule_recoded_codes_are_derived():
    gwangyang = refdata.emds_of("12190", AFTER_JULY)
    assert {emd.code_status for emd in gwangyang} == {"official", "derived"}
    assert all(emd.code.startswith("12190") for emd in gwangyang)
    assert all(emd.area_km2 and emd.area_km2 > 0 for emd in gwangyang)
