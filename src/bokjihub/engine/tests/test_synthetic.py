import hashlib
import os
import pickle
import re
import subprocess
import sys
import time
from collections import Counter
from datetime import date

import pytest

from bokjihub.engine import refdata
from bokjihub.engine.rrn import parse_rrn
from bokjihub.engine.synthetic import (
    CRISIS_FACTORS,
    HOUSEHOLD_TYPES,
    RELATIONS,
    generate_population,
)

GANGDONG = "11740"
REFERENCE = date(2026, 11, 26)
_TIMINGS: dict[str, float] = {}


@pytest.fixture(scope="module")
def gangdong():
    """25,000 households of 강동구, the size the demo loads; also times the generator."""
    started = time.perf_counter()
    population = generate_population(
        sigungu_code=GANGDONG, seed=7, households=25_000, reference_date=REFERENCE
    )
    _TIMINGS["gangdong_25000"] = time.perf_counter() - started
    return population


def _persons(population):
    return [person for household in population.households for person in household.persons]


def _age(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _digest(population) -> str:
    return hashlib.sha256(pickle.dumps(population)).hexdigest()


def test_generates_quickly(gangdong):
    # Generous bound for a shared CI core; a laptop does it in about one second.
    assert _TIMINGS["gangdong_25000"] < 10
    assert len(gangdong.households) == 25_000


@pytest.mark.accept_foundation
def test_same_arguments_same_bytes_other_seed_other_population():
    def make(seed):
        return generate_population(
            sigungu_code=GANGDONG, seed=seed, households=1_500, reference_date=REFERENCE
        )

    first, again, other = make(11), make(11), make(12)
    assert pickle.dumps(first) == pickle.dumps(again)
    assert first == again
    assert _digest(first) != _digest(other)
    assert [h.persons[0].rrn for h in first.households] != [
        h.persons[0].rrn for h in other.households
    ]


def test_determinism_does_not_depend_on_the_hash_seed():
    script = (
        "import hashlib, pickle, datetime;"
        "from bokjihub.engine.synthetic import generate_population as g;"
        f"p = g(sigungu_code='{GANGDONG}', seed=5, households=800,"
        " reference_date=datetime.date(2026, 11, 26));"
        "print(hashlib.sha256(pickle.dumps(p)).hexdigest())"
    )
    digests = set()
    for hash_seed in ("1", "2"):
        environment = {**os.environ, "PYTHONHASHSEED": hash_seed}
        result = subprocess.run(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            env=environment,
            check=True,
        )
        digests.add(result.stdout.strip())
    assert len(digests) == 1


@pytest.mark.accept_foundation
def test_every_emd_of_gangdong_gets_households(gangdong):
    emds = refdata.emds_of(GANGDONG, REFERENCE)
    assert len(emds) == 19
    per_emd = Counter(household.emd_code for household in gangdong.households)
    assert set(per_emd) == {emd.code for emd in emds}
    assert min(per_emd.values()) > 100  # not a token household each
    assert len(set(per_emd.values())) > 1  # weights vary


def test_every_emd_used_even_for_a_small_population():
    small = generate_population(
        sigungu_code=GANGDONG, seed=1, households=19, reference_date=REFERENCE
    )
    assert len({household.emd_code for household in small.households}) == 19


@pytest.mark.accept_foundation
def test_recipient_share_matches_the_table(gangdong):
    target = 15_984 / 223_466  # SSIS n_nbls_total_hh / MOIS households
    achieved = sum(h.is_basic_livelihood for h in gangdong.households) / len(gangdong.households)
    assert abs(achieved - target) < 0.002
    report = gangdong.calibration["recipient_household_share"]
    assert report["source"] == "sigungu"
    assert report["target"] == pytest.approx(target, abs=1e-6)


def test_recipients_concentrate_in_the_expected_household_types(gangdong):
    def rate(kind):
        chosen = [h for h in gangdong.households if h.household_type == kind]
        return sum(h.is_basic_livelihood for h in chosen) / len(chosen)

    assert rate("single_elderly") > 2 * rate("family")
    assert rate("single_parent") > 2 * rate("family")


@pytest.mark.accept_foundation
def test_age_band_shares_match_the_population_table(gangdong):
    table = refdata.population_of(GANGDONG)
    counts = Counter(min(_age(p.birth_date, REFERENCE) // 5, 20) for p in _persons(gangdong))
    total = sum(counts.values())
    for band, (column, _, _) in enumerate(refdata.AGE_BANDS):
        target = table.age_bands[band] / table.pop_total
        assert abs(counts.get(band, 0) / total - target) < 0.01, column


def test_persons_per_household_matches_the_table(gangdong):
    persons = len(_persons(gangdong))
    assert persons / len(gangdong.households) == pytest.approx(498_222 / 223_466, abs=0.05)


def test_household_types_at_plausible_korean_rates(gangdong):
    count = len(gangdong.households)
    shares = Counter(h.household_type for h in gangdong.households)
    assert set(shares) == set(HOUSEHOLD_TYPES)
    one_person = sum(len(h.persons) == 1 for h in gangdong.households) / count
    assert 0.30 < one_person < 0.42
    assert shares["single_elderly"] / count > 0.07
    assert 0.045 < shares["single_parent"] / count < 0.075
    assert 0.002 < shares["grandparent_grandchild"] / count < 0.01
    assert 0.013 < shares["multicultural"] / count < 0.027


def test_household_structures_are_coherent(gangdong):
    for household in gangdong.households:
        relations = [person.relation_to_head for person in household.persons]
        assert relations[0] == "head" and relations.count("head") == 1
        assert set(relations) <= set(RELATIONS)
        head = household.persons[0]
        head_age = _age(head.birth_date, REFERENCE)
        kind = household.household_type
        if kind == "single_elderly":
            assert len(relations) == 1 and head_age >= 65
        if kind == "young_single":
            assert len(relations) == 1 and 19 <= head_age <= 39
        if kind == "single_parent":
            assert "spouse" not in relations and "child" in relations
        if kind == "grandparent_grandchild":
            assert "grandchild" in relations and "child" not in relations
        for person in household.persons:
            if person.relation_to_head == "spouse":
                assert person.sex != head.sex
            if person.relation_to_head == "child":
                assert _age(person.birth_date, REFERENCE) <= head_age - 15


def test_multicultural_households_have_a_foreign_spouse(gangdong):
    for household in gangdong.households:
        foreign = [p for p in household.persons if p.nationality != "KR"]
        if household.household_type == "multicultural":
            assert len(foreign) == 1 and foreign[0].relation_to_head == "spouse"
            assert foreign[0].nationality in {"VN", "CN", "PH", "TH", "JP", "KH", "US", "UZ", "MN"}
            assert parse_rrn(foreign[0].rrn, today=REFERENCE).is_foreign
        else:
            assert not foreign


def test_disability_about_five_percent_and_present_where_the_type_says(gangdong):
    persons = _persons(gangdong)
    assert 0.04 < sum(p.has_disability for p in persons) / len(persons) < 0.06
    for household in gangdong.households:
        if household.household_type == "with_disability":
            assert any(person.has_disability for person in household.persons)


def test_every_rrn_is_valid_unique_and_matches_the_person(gangdong):
    persons = _persons(gangdong)
    assert len({person.rrn for person in persons}) == len(persons)
    for person in persons:
        rrn = parse_rrn(person.rrn, today=REFERENCE)
        assert rrn.birth_date == person.birth_date
        assert rrn.sex == person.sex
        assert rrn.is_foreign == (person.nationality != "KR")


def test_korean_names_follow_the_frequency_tables(gangdong):
    korean = [p for p in _persons(gangdong) if p.nationality == "KR"]
    surnames = refdata.surname_counts()
    given = {ref.given_name for sex in "MF" for ref in refdata.given_names(sex)}
    for person in korean:
        assert person.surname in surnames and person.given_name in given
        assert person.name == person.surname + person.given_name
    kim = sum(p.surname == "김" for p in korean) / len(korean)
    assert 0.18 < kim < 0.25  # 21.6 % in the 2015 census


def test_children_of_a_father_take_his_surname(gangdong):
    for household in gangdong.households:
        head = household.persons[0]
        if head.sex == "M" and head.nationality == "KR":
            for person in household.persons:
                if person.relation_to_head == "child":
                    assert person.surname == head.surname


def test_addresses_are_road_name_addresses_in_the_right_dong(gangdong):
    names = {emd.code: emd.name_ko for emd in refdata.emds_of(GANGDONG, REFERENCE)}
    pattern = re.compile(r"^서울특별시 강동구 \S+(로|길) \d+ \((\S+)\)$")
    details = Counter()
    for household in gangdong.households:
        matched = pattern.match(household.road_address)
        assert matched, household.road_address
        assert matched.group(2) == names[household.emd_code]
        details[re.sub(r"\d+", "N", household.address_detail)] += 1
    assert details["N동 N호"] > details["N층"] > 0


def test_crisis_ground_truth_is_a_plausible_minority(gangdong):
    households = gangdong.households

    def rate(chosen):
        return sum(h.in_crisis for h in chosen) / len(chosen)

    assert 0.02 < rate(households) < 0.12
    receiving = [h for h in households if h.is_basic_livelihood]
    not_receiving = [h for h in households if not h.is_basic_livelihood]
    assert rate(receiving) > rate(not_receiving)
    by_type = {
        kind: [h for h in households if h.household_type == kind] for kind in HOUSEHOLD_TYPES
    }
    assert rate(by_type["single_elderly"]) > rate(by_type["family"])
    assert rate(by_type["single_parent"]) > rate(by_type["family"])
    for household in households:
        assert household.in_crisis == bool(household.crisis_factors)
        assert set(household.crisis_factors) <= set(CRISIS_FACTORS)
        assert len(set(household.crisis_factors)) == len(household.crisis_factors)


def test_calibration_report_lists_targets_and_achievements(gangdong):
    report = gangdong.calibration
    assert set(report["age_band_share"]) == {column for column, _, _ in refdata.AGE_BANDS}
    assert set(report["household_type_share"]) == set(HOUSEHOLD_TYPES)
    assert sum(v["target"] for v in report["household_type_share"].values()) == pytest.approx(1)
    assert report["households"] == 25_000
    assert report["emds_used"] == {"target": 19, "achieved": 19}


def test_default_household_count_is_the_real_one_and_unknown_units_fail():
    small_unit = min(refdata.sigungu_codes(), key=lambda c: refdata.population_of(c).households)
    population = generate_population(sigungu_code=small_unit, seed=1, reference_date=REFERENCE)
    assert len(population.households) == refdata.population_of(small_unit).households
    with pytest.raises(KeyError, match="99999"):
        generate_population(sigungu_code="99999", seed=1, reference_date=REFERENCE)


def test_a_new_2026_district_generates_with_provisional_codes():
    jemulpo = generate_population(
        sigungu_code="28125", seed=3, households=2_000, reference_date=REFERENCE
    )
    assert jemulpo.calibration["recipient_household_share"]["source"] == "sido_rate"
    codes = {household.emd_code for household in jemulpo.households}
    assert codes == {emd.code for emd in refdata.emds_of("28125", REFERENCE)}


@pytest.mark.accept_foundation
def test_importing_the_engine_does_not_import_django():
    script = (
        "import sys\n"
        "import bokjihub.engine.synthetic, bokjihub.engine.refdata, bokjihub.engine.rrn\n"
        "loaded = [m for m in sys.modules if m == 'django' or m.startswith('django.')]\n"
        "print(','.join(loaded))\n"
        "sys.exit(1 if loaded else 0)\n"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
