"""Table-driven boundary cases of the pre-check, on the published lines."""

from datetime import date

import pytest

from bokjihub.directory.eligibility import Household, Member, Outcome, precheck, rules
from bokjihub.directory.eligibility import parameters as p

# Acceptance (issue 6, item 2): boundary cases on the published lines, each result naming
# the criteria that decided it.
pytestmark = pytest.mark.accept_services

DAY_2024 = date(2024, 6, 1)
DAY_2025 = date(2025, 6, 1)

LIKELY, CHECK, NOT = Outcome.LIKELY_ELIGIBLE, Outcome.CHECK, Outcome.NOT_ELIGIBLE


def alone(income: int | None, *, age: int = 40, **flags) -> Household:
    return Household(members=(Member(age=age, **flags),), recognised_income=income)


# The booklet's 2024 one-person lines (16-1): at the line eligible, one won above not.
@pytest.mark.parametrize(
    ("rule", "line", "at_line"),
    [
        (rules.livelihood, 713_102, LIKELY),
        (rules.medical, 891_378, CHECK),  # the supporter rule is always left to the worker
        (rules.housing, 1_069_654, LIKELY),
    ],
)
def test_the_2024_one_person_lines_of_the_booklet_decide_at_the_won(rule, line, at_line):
    household = Household(
        members=(Member(age=40),), recognised_income=line, supporter_over_limit=False
    )
    assert rule(household, DAY_2024).outcome == at_line
    above = Household(
        members=(Member(age=40),), recognised_income=line + 1, supporter_over_limit=False
    )
    result = rule(above, DAY_2024)
    assert result.outcome == NOT
    assert "초과" in result.deciding[0].detail


def test_the_education_line_needs_a_child_in_school():
    parent_and_pupil = (Member(age=40), Member(age=12, in_school=True))
    line = p.share_of_median(p.EDUCATION_RATE, household_size=2, day=DAY_2024)
    assert line == 1_841_304  # 50% of 3,682,609, rounded half to even
    at = Household(members=parent_and_pupil, recognised_income=line)
    assert rules.education(at, DAY_2024).outcome == LIKELY
    over = Household(members=parent_and_pupil, recognised_income=line + 1)
    assert rules.education(over, DAY_2024).outcome == NOT
    nobody_at_school = alone(1_114_222)
    result = rules.education(nobody_at_school, DAY_2024)
    assert result.outcome == NOT
    assert result.deciding[0].label == "초·중·고 재학 자녀"


def test_the_booklet_education_line_for_one_person():
    assert p.share_of_median(p.EDUCATION_RATE, household_size=1, day=DAY_2024) == 1_114_222


def test_the_livelihood_line_switches_on_new_years_day():
    line_2025 = 765_444  # 32% of 2,392,013
    household = Household(
        members=(Member(age=50),), recognised_income=line_2025, supporter_over_limit=False
    )
    assert rules.livelihood(household, date(2024, 12, 31)).outcome == NOT
    assert rules.livelihood(household, date(2025, 1, 1)).outcome == LIKELY
    over = Household(
        members=(Member(age=50),), recognised_income=line_2025 + 1, supporter_over_limit=False
    )
    assert rules.livelihood(over, date(2025, 1, 1)).outcome == NOT


def test_a_parameter_is_read_at_its_effective_date():
    assert p.STANDARD_MEDIAN_INCOME.at(date(2025, 12, 31))[4] == 6_097_773
    assert p.STANDARD_MEDIAN_INCOME.at(date(2026, 1, 1))[4] == 6_494_738
    with pytest.raises(p.ParameterNotInForce):
        p.STANDARD_MEDIAN_INCOME.at(date(2023, 12, 31))


def test_a_household_size_without_a_sourced_median_is_left_to_the_worker():
    three = Household(members=(Member(age=40),) * 3, recognised_income=1)
    result = rules.housing(three, DAY_2024)
    assert result.outcome == CHECK
    assert "수치가 자료에 없어" in result.criteria[0].detail


def test_livelihood_needs_the_supporter_rule_checked_when_unknown():
    result = rules.livelihood(alone(700_000), DAY_2024)
    assert result.outcome == CHECK
    assert result.deciding[0].label.startswith("부양의무자")
    refused = Household(
        members=(Member(age=40),), recognised_income=700_000, supporter_over_limit=True
    )
    assert rules.livelihood(refused, DAY_2024).outcome == NOT


@pytest.mark.parametrize(
    ("income", "crisis", "expected"),
    [
        (1_671_334, True, CHECK),  # 75% of 2,228,445 = 1,671,333.75; assets left to the worker
        (1_671_335, True, NOT),
        (500_000, False, NOT),
    ],
)
def test_emergency_aid(income, crisis, expected):
    household = Household(members=(Member(age=40),), recognised_income=income, crisis=crisis)
    assert rules.emergency_aid(household, DAY_2024).outcome == expected


@pytest.mark.parametrize(
    ("age", "couple", "income", "expected"),
    [
        (65, False, 2_130_000, LIKELY),
        (65, False, 2_130_001, NOT),
        (64, False, 1_000_000, NOT),
        (70, True, 3_408_000, LIKELY),
        (70, True, 3_408_001, NOT),
    ],
)
def test_basic_pension_2024(age, couple, income, expected):
    household = Household(members=(Member(age=age),), recognised_income=income, couple=couple)
    assert rules.basic_pension(household, DAY_2024).outcome == expected


def test_basic_pension_line_moves_in_2025_and_is_unknown_in_2026():
    household = Household(members=(Member(age=70),), recognised_income=2_280_000)
    assert rules.basic_pension(household, DAY_2024).outcome == NOT
    assert rules.basic_pension(household, DAY_2025).outcome == LIKELY
    assert rules.basic_pension(household, date(2026, 3, 1)).outcome == CHECK


@pytest.mark.parametrize(
    ("age", "severe", "income", "expected"),
    [
        (30, True, 1_300_000, LIKELY),
        (30, True, 1_300_001, NOT),
        (30, False, 500_000, NOT),
        (17, True, 500_000, NOT),
        # a registered disability of unknown severity is left to the worker
        (30, None, 500_000, CHECK),
    ],
)
def test_disability_pension_2024(age, severe, income, expected):
    household = alone(income, age=age, severe_disability=severe)
    assert rules.disability_pension(household, DAY_2024).outcome == expected


def test_disability_pension_after_2024_is_left_to_the_worker():
    household = alone(1_000_000, age=30, severe_disability=True)
    assert rules.disability_pension(household, DAY_2025).outcome == CHECK


def single_parent_family(income: int, *, parent_age: int = 35, child_age: int = 10) -> Household:
    return Household(
        members=(Member(age=parent_age), Member(age=child_age)),
        recognised_income=income,
        single_parent=True,
    )


@pytest.mark.parametrize(
    ("income", "child_age", "expected"),
    [
        (2_320_044, 10, LIKELY),  # the booklet's 63% line for two people
        (2_320_045, 10, NOT),
        (1_000_000, 18, NOT),
    ],
)
def test_single_parent_child_support_2024(income, child_age, expected):
    household = single_parent_family(income, child_age=child_age)
    assert rules.single_parent_child_support(household, DAY_2024).outcome == expected


def test_a_child_at_school_counts_until_22():
    household = Household(
        members=(Member(age=45), Member(age=21, in_school=True)),
        recognised_income=1_000_000,
        single_parent=True,
    )
    assert rules.single_parent_child_support(household, DAY_2024).outcome == LIKELY


@pytest.mark.parametrize(
    ("income", "parent_age", "expected"),
    [
        (2_393_696, 24, LIKELY),  # the booklet's 65% line for two people
        (2_393_697, 24, NOT),
        (1_000_000, 25, NOT),
    ],
)
def test_youth_single_parent_2024(income, parent_age, expected):
    household = single_parent_family(income, parent_age=parent_age, child_age=1)
    assert rules.youth_single_parent(household, DAY_2024).outcome == expected


@pytest.mark.parametrize(
    ("members", "receives", "expected"),
    [
        ((Member(age=65),), {"livelihood"}, LIKELY),
        ((Member(age=64),), {"livelihood"}, NOT),
        ((Member(age=30), Member(age=6)), {"housing"}, LIKELY),
        ((Member(age=30), Member(age=7)), {"housing"}, NOT),
        ((Member(age=70),), set(), NOT),
        ((Member(age=40, severe_disability=True),), {"livelihood"}, LIKELY),
        # severity unknown: the same answer the disability pension gives, 확인 필요
        ((Member(age=40, severe_disability=None),), {"livelihood"}, CHECK),
        ((Member(age=70), Member(age=40, severe_disability=None)), {"livelihood"}, LIKELY),
    ],
)
def test_energy_voucher(members, receives, expected):
    household = Household(members=members, receives=frozenset(receives))
    assert rules.energy_voucher(household, DAY_2024).outcome == expected


def test_the_energy_voucher_names_the_benefits_received_in_korean():
    household = Household(members=(Member(age=70),), receives=frozenset({"housing", "medical"}))
    result = rules.energy_voucher(household, DAY_2024)
    assert "수급 중: 주거급여, 의료급여" in [criterion.detail for criterion in result.criteria]


@pytest.mark.parametrize(("age", "expected"), [(7, LIKELY), (8, NOT)])
def test_child_allowance_ends_at_eight(age, expected):
    household = Household(members=(Member(age=35), Member(age=age)))
    assert rules.child_allowance(household, DAY_2024).outcome == expected


@pytest.mark.parametrize(("age", "expected"), [(1, LIKELY), (2, NOT)])
def test_parent_allowance_covers_ages_zero_and_one(age, expected):
    household = Household(members=(Member(age=35), Member(age=age)))
    assert rules.parent_allowance(household, DAY_2024).outcome == expected


def test_precheck_explains_every_result_in_korean():
    household = Household(
        members=(Member(age=70),),
        recognised_income=600_000,
        supporter_over_limit=False,
        receives=frozenset({"livelihood"}),
    )
    results = precheck(household, on=DAY_2024)
    assert len(results) >= 10
    by_benefit = {r.benefit: r for r in results}
    assert by_benefit["livelihood"].outcome == LIKELY
    assert by_benefit["basic_pension"].outcome == LIKELY
    assert by_benefit["energy_voucher"].outcome == LIKELY
    assert by_benefit["child_allowance"].outcome == NOT
    assert all(r.criteria and all(c.detail for c in r.criteria) for r in results)
