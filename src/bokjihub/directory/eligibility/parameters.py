"""Parameters of the eligibility rules, each with the day its value took effect.

Following OpenFisca's model: a parameter is a list of (effective date, value); a rule asks
for the value in force on a day and never hard-codes a year. A value of None means the
figure is not in any source this project could read: the rule then says "확인 필요"
instead of guessing.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Generic, TypeVar

T = TypeVar("T")


class ParameterNotInForce(LookupError):
    """The day is before the first known value of the parameter."""


@dataclass(frozen=True)
class Parameter(Generic[T]):
    name: str
    source: str
    values: Mapping[date, T]

    def at(self, day: date) -> T:
        """The value in force on `day`: the one with the latest effective date ≤ day."""
        in_force = [start for start in self.values if start <= day]
        if not in_force:
            raise ParameterNotInForce(f"{self.name}: {day} 이전 값이 없습니다.")
        return self.values[max(in_force)]


# 기준 중위소득 (standard median income), KRW a month, by household size.
# Sources, per figure (None = not found in any source read):
# - 2024: 1인 2,228,445 (booklet 16-1 selection lines; DESIGN.md §7); 2인 3,682,609 (the
#   booklet's 63% line 2,320,044 (363-1) and 65% line 2,393,696 (366-1) both pin it to
#   3,682,609–3,682,610); 4인 5,729,913 (한국경제 2024-07-25, the 2025 announcement);
#   5인 6,695,735 (a Q&A page quoting the MOHW figure). 3인 and 6인 were not in any source
#   read.
# - 2025: 1인 2,392,013 (한국경제 2024-07-25); 2인–6인 from the 여성가족부 (mogef.go.kr)
#   한부모가족 page table.
# - 2026: 1인–6인 from a secondary web page quoting the MOHW announcement (not an
#   official page); check against the 보건복지부 고시 before relying on it.
STANDARD_MEDIAN_INCOME: Parameter[Mapping[int, int | None]] = Parameter(
    name="기준 중위소득",
    source="보건복지부 고시 기준 중위소득 (출처는 항목별 주석 참조)",
    values={
        date(2024, 1, 1): {
            1: 2_228_445,
            2: 3_682_609,
            3: None,
            4: 5_729_913,
            5: 6_695_735,
            6: None,
        },
        date(2025, 1, 1): {
            1: 2_392_013,
            2: 3_932_658,
            3: 5_025_353,
            4: 6_097_773,
            5: 7_108_192,
            6: 8_064_805,
        },
        date(2026, 1, 1): {
            1: 2_564_238,
            2: 4_199_292,
            3: 5_359_036,
            4: 6_494_738,
            5: 7_556_719,
            6: 8_555_952,
        },
    },
)

# Shares of the standard median income (「국민기초생활 보장법」 and its notices; the
# booklet, 16-1, 39-1, 165-1, 363-1, 366-1). Unchanged 2024-2026 as far as the sources
# read say; a change gets a new effective date here.
LIVELIHOOD_RATE = Parameter(
    "생계급여 선정기준 비율", "booklet 16-1", {date(2024, 1, 1): Decimal("0.32")}
)
MEDICAL_RATE = Parameter(
    "의료급여 선정기준 비율", "booklet 16-1", {date(2024, 1, 1): Decimal("0.40")}
)
HOUSING_RATE = Parameter(
    "주거급여 선정기준 비율", "booklet 39-1", {date(2024, 1, 1): Decimal("0.48")}
)
EDUCATION_RATE = Parameter(
    "교육급여 선정기준 비율", "booklet 165-1", {date(2024, 1, 1): Decimal("0.50")}
)
SINGLE_PARENT_RATE = Parameter(
    "한부모가족 아동양육비 선정기준 비율", "booklet 363-1", {date(2024, 1, 1): Decimal("0.63")}
)
YOUTH_SINGLE_PARENT_RATE = Parameter(
    "청소년한부모 자립지원 선정기준 비율", "booklet 366-1", {date(2024, 1, 1): Decimal("0.65")}
)
# 긴급지원 소득기준: 기준 중위소득 75%. Not stated in the booklet transcription (19-1 has
# no income line); from the MOHW 긴급지원사업 안내 as commonly published; verify.
EMERGENCY_AID_RATE = Parameter(
    "긴급지원 소득기준 비율",
    "보건복지부 긴급지원사업 안내 (미검증)",
    {date(2024, 1, 1): Decimal("0.75")},
)
YOUTH_SINGLE_PARENT_MAX_AGE = Parameter(
    "청소년한부모 상한 연령", "booklet 366-1", {date(2024, 1, 1): 24}
)

# 기초연금 선정기준액 (KRW a month): (단독가구, 부부가구). 2024 and 2025 from web pages
# quoting the MOHW notice (단독 213만 → 228만, 부부 +24만 → 364만 8천). The 2026 figures
# were not in any source read.
BASIC_PENSION_LINE: Parameter[tuple[int, int] | None] = Parameter(
    "기초연금 선정기준액",
    "보건복지부 고시 (2024·2025: 2차 자료), 2026: 미확인",
    {
        date(2024, 1, 1): (2_130_000, 3_408_000),
        date(2025, 1, 1): (2_280_000, 3_648_000),
        date(2026, 1, 1): None,
    },
)
BASIC_PENSION_MIN_AGE = Parameter("기초연금 수급 연령", "booklet 220-1", {date(2024, 1, 1): 65})

# 장애인연금 선정기준액 (단독, 부부): booklet 244-1 for 2024. 2025 and 2026 were not in any
# source read.
DISABILITY_PENSION_LINE: Parameter[tuple[int, int] | None] = Parameter(
    "장애인연금 선정기준액",
    "booklet 244-1 (2024), 2025·2026: 미확인",
    {date(2024, 1, 1): (1_300_000, 2_080_000), date(2025, 1, 1): None},
)
DISABILITY_PENSION_MIN_AGE = Parameter(
    "장애인연금 수급 연령", "booklet 244-1", {date(2024, 1, 1): 18}
)

CHILD_ALLOWANCE_MAX_AGE = Parameter(
    "아동수당 연령(미만)", "booklet 123-1: 만 8세 미만", {date(2024, 1, 1): 8}
)
PARENT_ALLOWANCE_MAX_AGE = Parameter(
    "부모급여 연령(이하)", "booklet 124-1: 0~1세", {date(2024, 1, 1): 1}
)
# 한부모가족 아동: 18세 미만 (재학 중이면 22세 미만), booklet 363-1.
SINGLE_PARENT_CHILD_AGE = Parameter(
    "한부모가족 아동 연령(미만): (일반, 재학)", "booklet 363-1", {date(2024, 1, 1): (18, 22)}
)
# 에너지바우처: 생계·의료·주거·교육급여 수급 가구 중 노인(65세 이상), 영유아(7세 미만),
# 장애인, 임산부, 한부모가족 등이 있는 가구. The booklet transcription has no target
# text for 43-1; these groups follow the 산업통상자원부 안내 as commonly published; verify.
ENERGY_VOUCHER_OLD_AGE = Parameter("에너지바우처 노인 연령", "미검증", {date(2024, 1, 1): 65})
ENERGY_VOUCHER_INFANT_AGE = Parameter(
    "에너지바우처 영유아 연령(미만)", "미검증", {date(2024, 1, 1): 7}
)


def share_of_median(rate: Parameter[Decimal], *, household_size: int, day: date) -> int | None:
    """A line as a share of the standard median income, in whole KRW.

    Rounded half-to-even: that reproduces all four 2024 one-person lines of the booklet
    (713,102 / 891,378 / 1,069,654 / 1,114,222). The published tables govern where they
    differ. Households above six people are not covered (the notice adds a fixed step per
    extra member, not in the sources read).
    """
    median = STANDARD_MEDIAN_INCOME.at(day).get(household_size)
    if median is None:
        return None
    line = Decimal(median) * rate.at(day)
    return int(line.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))
