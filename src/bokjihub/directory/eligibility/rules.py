"""Pre-check rules: pure functions from a household and a day to a result.

A result is a hint for the worker, never a decision: each names the criteria it used
and whether each passed (True), failed (False) or cannot be judged here (None).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext_lazy as _

from bokjihub.directory.eligibility import parameters as p
from bokjihub.directory.eligibility.household import Household


class Outcome(models.TextChoices):
    LIKELY_ELIGIBLE = "likely_eligible", _("수급 가능성 높음")
    CHECK = "check", _("확인 필요")
    NOT_ELIGIBLE = "not_eligible", _("해당 없음")


# What a criterion is about, for the page's notes (cases.eligibility): labels are
# translated, so the notes are chosen by these tags, never by the label's words.
INCOME, DISABILITY, DUTY_TO_SUPPORT, ASSETS, SCHOOL = (
    "income",
    "disability",
    "duty_to_support",
    "assets",
    "school",
)


@dataclass(frozen=True)
class Criterion:
    label: str
    passed: bool | None
    detail: str
    topics: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Result:
    benefit: str
    name: str
    outcome: Outcome
    criteria: tuple[Criterion, ...]

    @property
    def deciding(self) -> tuple[Criterion, ...]:
        """The criteria that decided the outcome: the failed ones, else the open ones."""
        for wanted in (False, None):
            found = tuple(c for c in self.criteria if c.passed is wanted)
            if found:
                return found
        return self.criteria


def _result(benefit: str, name: str, criteria: list[Criterion]) -> Result:
    if any(c.passed is False for c in criteria):
        outcome = Outcome.NOT_ELIGIBLE
    elif any(c.passed is None for c in criteria):
        outcome = Outcome.CHECK
    else:
        outcome = Outcome.LIKELY_ELIGIBLE
    return Result(benefit, name, outcome, tuple(criteria))


def _won(amount: int) -> str:
    return gettext("%(amount)s원") % {"amount": f"{amount:,}"}


def _income_at_most(label: str, income: int | None, line: int | None) -> Criterion:
    topics = frozenset({INCOME})
    if line is None:
        detail = gettext("올해 선정기준 수치가 자료에 없어 판단할 수 없습니다.")
        return Criterion(label, None, detail, topics)
    if income is None:
        detail = gettext("소득인정액을 알 수 없습니다 (기준 %(line)s 이하).") % {"line": _won(line)}
        return Criterion(label, None, detail, topics)
    passed = income <= line
    if passed:
        detail = gettext("소득인정액 %(income)s: 기준 %(line)s 이하")
    else:
        detail = gettext("소득인정액 %(income)s: 기준 %(line)s 초과")
    figures = {"income": _won(income), "line": _won(line)}
    return Criterion(label, passed, detail % figures, topics)


def _median_share(household: Household, day: date, rate: p.Parameter[Decimal]) -> Criterion:
    percent = int(rate.at(day) * 100)
    label = gettext("소득인정액 기준 중위소득 %(percent)s%% 이하 (%(size)s인 가구)") % {
        "percent": percent,
        "size": household.size,
    }
    line = p.share_of_median(rate, household_size=household.size, day=day)
    return _income_at_most(label, household.recognised_income, line)


def livelihood(household: Household, day: date) -> Result:
    supporter = household.supporter_over_limit
    criteria = [
        _median_share(household, day, p.LIVELIHOOD_RATE),
        Criterion(
            gettext("부양의무자 소득·재산 기준 (연 소득 1억 원, 재산 9억 원)"),
            None if supporter is None else not supporter,
            {
                None: gettext("부양의무자 정보를 확인해야 합니다."),
                True: gettext("부양의무자가 기준을 초과합니다."),
                False: gettext("부양의무자가 기준 이하이거나 없습니다."),
            }[supporter],
            frozenset({DUTY_TO_SUPPORT, ASSETS}),
        ),
    ]
    return _result("livelihood", gettext("생계급여"), criteria)


def medical(household: Household, day: date) -> Result:
    criteria = [
        _median_share(household, day, p.MEDICAL_RATE),
        Criterion(
            gettext("부양의무자 기준 (의료급여)"),
            None,
            gettext("의료급여는 부양의무자 기준을 따로 확인해야 합니다."),
            frozenset({DUTY_TO_SUPPORT}),
        ),
    ]
    return _result("medical", gettext("의료급여"), criteria)


def housing(household: Household, day: date) -> Result:
    return _result("housing", gettext("주거급여"), [_median_share(household, day, p.HOUSING_RATE)])


def education(household: Household, day: date) -> Result:
    students = [m for m in household.members if m.in_school]
    criteria = [
        _median_share(household, day, p.EDUCATION_RATE),
        Criterion(
            gettext("초·중·고 재학 자녀"),
            bool(students),
            gettext("재학 중인 가구원 %(count)s명") % {"count": len(students)},
            frozenset({SCHOOL}),
        ),
    ]
    return _result("education", gettext("교육급여"), criteria)


def emergency_aid(household: Household, day: date) -> Result:
    criteria = [
        Criterion(
            gettext("위기사유 (주소득자 사망·실직, 중한 질병, 화재 등)"),
            household.crisis,
            gettext("위기사유가 있습니다.")
            if household.crisis
            else gettext("위기사유가 확인되지 않았습니다."),
        ),
        _median_share(household, day, p.EMERGENCY_AID_RATE),
        Criterion(
            gettext("재산·금융재산 기준"),
            None,
            gettext("재산 기준 수치가 자료에 없어 확인이 필요합니다."),
            frozenset({ASSETS}),
        ),
    ]
    return _result("emergency_aid", gettext("긴급복지 지원"), criteria)


def _age_at_least(label: str, age: int, minimum: int) -> Criterion:
    detail = gettext("만 %(age)s세 (기준 만 %(minimum)s세 이상)") % {"age": age, "minimum": minimum}
    return Criterion(label, age >= minimum, detail)


def _pension_line(household: Household, lines: tuple[int, int] | None) -> int | None:
    if lines is None:
        return None
    single, couple = lines
    return couple if household.couple else single


def _pension_income_label(household: Household) -> str:
    if household.couple:
        return gettext("소득인정액 선정기준액 이하 (부부가구)")
    return gettext("소득인정액 선정기준액 이하 (단독가구)")


def basic_pension(household: Household, day: date) -> Result:
    criteria = [
        _age_at_least(gettext("연령"), household.applicant.age, p.BASIC_PENSION_MIN_AGE.at(day)),
        _income_at_most(
            _pension_income_label(household),
            household.recognised_income,
            _pension_line(household, p.BASIC_PENSION_LINE.at(day)),
        ),
    ]
    return _result("basic_pension", gettext("기초연금"), criteria)


def disability_pension(household: Household, day: date) -> Result:
    applicant = household.applicant
    criteria = [
        _age_at_least(gettext("연령"), applicant.age, p.DISABILITY_PENSION_MIN_AGE.at(day)),
        Criterion(
            gettext("중증장애인 (장애의 정도가 심한 장애인)"),
            applicant.severe_disability,
            {
                True: gettext("등록된 중증장애가 있습니다."),
                False: gettext("중증장애 등록이 없습니다."),
                None: gettext("장애의 정도를 알 수 없어 확인이 필요합니다."),
            }[applicant.severe_disability],
            frozenset({DISABILITY}),
        ),
        _income_at_most(
            _pension_income_label(household),
            household.recognised_income,
            _pension_line(household, p.DISABILITY_PENSION_LINE.at(day)),
        ),
    ]
    return _result("disability_pension", gettext("장애인연금"), criteria)


def _single_parent_criterion(household: Household) -> Criterion:
    return Criterion(
        gettext("한부모가족 또는 조손가족"),
        household.single_parent,
        gettext("한부모가족입니다.")
        if household.single_parent
        else gettext("한부모가족이 아닙니다."),
    )


def single_parent_child_support(household: Household, day: date) -> Result:
    general, in_school = p.SINGLE_PARENT_CHILD_AGE.at(day)
    children = [
        m for m in household.members[1:] if m.age < general or (m.in_school and m.age < in_school)
    ]
    criteria = [
        _single_parent_criterion(household),
        Criterion(
            gettext("%(general)s세 미만(재학 시 %(in_school)s세 미만) 자녀 양육")
            % {"general": general, "in_school": in_school},
            bool(children),
            gettext("해당 자녀 %(count)s명") % {"count": len(children)},
            frozenset({SCHOOL}),
        ),
        _median_share(household, day, p.SINGLE_PARENT_RATE),
    ]
    return _result("single_parent", gettext("한부모가족 아동양육비"), criteria)


def youth_single_parent(household: Household, day: date) -> Result:
    max_age = p.YOUTH_SINGLE_PARENT_MAX_AGE.at(day)
    age = household.applicant.age
    criteria = [
        _single_parent_criterion(household),
        Criterion(
            gettext("부모 연령"),
            age <= max_age,
            gettext("만 %(age)s세 (기준 만 %(maximum)s세 이하)") % {"age": age, "maximum": max_age},
        ),
        Criterion(
            gettext("자녀 양육"),
            household.size > 1,
            gettext("가구원 %(count)s명") % {"count": household.size},
        ),
        _median_share(household, day, p.YOUTH_SINGLE_PARENT_RATE),
    ]
    return _result("youth_single_parent", gettext("청소년한부모 자립지원"), criteria)


BASIC_LIVELIHOOD_BENEFITS = frozenset({"livelihood", "medical", "housing", "education"})
BENEFIT_LABELS = {
    "livelihood": gettext_lazy("생계급여"),
    "medical": gettext_lazy("의료급여"),
    "housing": gettext_lazy("주거급여"),
    "education": gettext_lazy("교육급여"),
}


def energy_voucher(household: Household, day: date) -> Result:
    old, infant = p.ENERGY_VOUCHER_OLD_AGE.at(day), p.ENERGY_VOUCHER_INFANT_AGE.at(day)
    vulnerable = [
        m
        for m in household.members
        if m.age >= old or m.age < infant or m.severe_disability or m.pregnant
    ]
    # a member whose disability's severity is not known may be the one who qualifies
    unknown = [m for m in household.members if m.severe_disability is None and m not in vulnerable]
    qualifies = bool(vulnerable) or household.single_parent
    receives = sorted(household.receives & BASIC_LIVELIHOOD_BENEFITS)
    criteria = [
        Criterion(
            gettext("생계·의료·주거·교육급여 수급 가구"),
            bool(receives),
            gettext("수급 중: %(benefits)s")
            % {"benefits": ", ".join(str(BENEFIT_LABELS[code]) for code in receives)}
            if receives
            else gettext("기초생활보장 급여를 받지 않습니다."),
        ),
        Criterion(
            gettext(
                "취약계층 가구원 (만 %(old)s세 이상, %(infant)s세 미만, 중증장애, 임산부, 한부모)"
            )
            % {"old": old, "infant": infant},
            True if qualifies else (None if unknown else False),
            gettext("해당 가구원 %(count)s명") % {"count": len(vulnerable)}
            + (gettext(", 한부모가족") if household.single_parent else "")
            + (
                gettext(", 장애 정도 확인 필요 %(count)s명") % {"count": len(unknown)}
                if unknown
                else ""
            ),
            frozenset({DISABILITY}),
        ),
    ]
    return _result("energy_voucher", gettext("에너지바우처"), criteria)


def _children_below(household: Household, limit: int, *, inclusive: bool) -> int:
    return sum(1 for m in household.members if (m.age <= limit if inclusive else m.age < limit))


def child_allowance(household: Household, day: date) -> Result:
    limit = p.CHILD_ALLOWANCE_MAX_AGE.at(day)
    count = _children_below(household, limit, inclusive=False)
    criterion = Criterion(
        gettext("만 %(limit)s세 미만 아동") % {"limit": limit},
        count > 0,
        gettext("해당 아동 %(count)s명") % {"count": count},
    )
    return _result("child_allowance", gettext("아동수당"), [criterion])


def parent_allowance(household: Household, day: date) -> Result:
    limit = p.PARENT_ALLOWANCE_MAX_AGE.at(day)
    count = _children_below(household, limit, inclusive=True)
    criterion = Criterion(
        gettext("만 0~%(limit)s세 아동") % {"limit": limit},
        count > 0,
        gettext("해당 아동 %(count)s명") % {"count": count},
    )
    return _result("parent_allowance", gettext("부모급여"), [criterion])


Rule = Callable[[Household, date], Result]

RULES: dict[str, Rule] = {
    "livelihood": livelihood,
    "medical": medical,
    "housing": housing,
    "education": education,
    "emergency_aid": emergency_aid,
    "basic_pension": basic_pension,
    "disability_pension": disability_pension,
    "single_parent": single_parent_child_support,
    "youth_single_parent": youth_single_parent,
    "energy_voucher": energy_voucher,
    "child_allowance": child_allowance,
    "parent_allowance": parent_allowance,
}


def precheck(household: Household, *, on: date) -> list[Result]:
    """Every benefit's result for the household on the given day."""
    return [rule(household, on) for rule in RULES.values()]
