"""The eligibility pre-check on the case page: the household's facts, as far as the
sharing policy lets this viewer see them, fed to directory.eligibility.

What the viewer may not see is passed as unknown, never as a guess: income withheld
(no consent to 소득·재산) becomes "recognised income unknown", so the income criteria say
"확인 필요" without any figure, and the panel says why. Facts the records do not hold
(severity of a disability, school enrolment, the duty-to-support test) are stated as
such on the panel.
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext, gettext_lazy

from bokjihub.cases.access import CaseView
from bokjihub.cases.models import CrisisLevel, NeedsAssessment
from bokjihub.directory.eligibility import Household, Member, Result, precheck
from bokjihub.directory.eligibility import rules as eligibility_rules
from bokjihub.orgs.actors import Actor
from bokjihub.people.access import HouseholdView, household_view_of_logged_read
from bokjihub.people.models import DataCategory, HouseholdType, Person, RelationToHead

# Crisis levels that count as 위기사유 for emergency aid: the worker has judged it so.
CRISIS_LEVELS = frozenset({CrisisLevel.CRISIS, CrisisLevel.HIGH_CRISIS, CrisisLevel.EMERGENCY})
SINGLE_PARENT_TYPES = frozenset({HouseholdType.SINGLE_PARENT, HouseholdType.GRANDPARENT_GRANDCHILD})
# 초·중·고 at 만 6–17: school enrolment is not recorded, so it is read from the age.
SCHOOL_AGES = range(6, 18)


@dataclass(frozen=True)
class Reason:
    """One line beside a benefit's result: a criterion with its verdict, or a note on why
    a criterion cannot be judged from the records."""

    verdict: str  # "충족", "미충족", "확인 필요", or "" for a note
    text: str
    deciding: bool = False


@dataclass(frozen=True)
class EligibilityRow:
    result: Result
    reasons: list[Reason]


@dataclass(frozen=True)
class EligibilityPanel:
    results: list[Result]
    on: date
    income_shown: bool
    # why the income criteria cannot be judged, when they cannot ("" otherwise)
    income_note: str
    notes: list[str]
    # each benefit with its own reasons beside it (the notes go to the benefits they
    # concern rather than into a list under the table)
    rows: list[EligibilityRow] = field(default_factory=list)


DUTY_TO_SUPPORT_NOTE = gettext_lazy(
    "부양의무자 기준과 재산 기준은 기록에 없어 담당자가 확인해야 합니다."
)
SCHOOL_NOTE = gettext_lazy("재학 여부는 기록에 없어 만 6~17세를 재학 중으로 보았습니다.")
ESTIMATE_NOTE = gettext_lazy("결과는 안내용 추정이며 수급 결정이 아닙니다.")


def _verdict(passed: bool | None) -> str:
    if passed is None:
        return gettext("확인 필요")
    return gettext("충족") if passed else gettext("미충족")


def _notes_for(criterion, *, income_note: str, disability_notes: list[str]) -> list[str]:
    """The panel notes that explain this criterion, if it is one they are about (chosen by
    the criterion's topics: its label is in the reader's language)."""
    topics = criterion.topics
    if eligibility_rules.INCOME in topics and criterion.passed is None and income_note:
        return [income_note]
    if eligibility_rules.DISABILITY in topics and criterion.passed is None:
        return disability_notes
    if topics & {eligibility_rules.DUTY_TO_SUPPORT, eligibility_rules.ASSETS}:
        return [DUTY_TO_SUPPORT_NOTE]
    if eligibility_rules.SCHOOL in topics:
        return [SCHOOL_NOTE]
    return []


def _rows(results: list[Result], *, income_note: str, disability_notes: list[str]) -> list:
    rows = []
    for result in results:
        reasons: list[Reason] = []
        notes: list[str] = []
        for criterion in result.criteria:
            reasons.append(
                Reason(
                    verdict=_verdict(criterion.passed),
                    text=f"{criterion.label}: {criterion.detail}",
                    deciding=criterion in result.deciding,
                )
            )
            for note in _notes_for(
                criterion, income_note=income_note, disability_notes=disability_notes
            ):
                if note not in notes:
                    notes.append(note)
        # what decided the outcome first, then the rest, then the notes
        reasons.sort(key=lambda reason: not reason.deciding)
        rows.append(EligibilityRow(result, reasons + [Reason("", note) for note in notes]))
    return rows


def _age(person: Person, on: date) -> int:
    before_birthday = (on.month, on.day) < (person.birth_date.month, person.birth_date.day)
    return on.year - person.birth_date.year - before_birthday


def _applicant_first(members: list[Person]) -> list[Person]:
    heads = [m for m in members if m.relation_to_head == RelationToHead.HEAD]
    return heads + [m for m in members if m not in heads]


def _recognised_income(household_view: HouseholdView) -> int | None:
    """The household's 소득인정액: its own means test, else the sum of every member's when
    each has one; None when unknown or withheld from this viewer."""
    if household_view.household_income is not None:
        return household_view.household_income.monthly_recognised_income
    incomes = [member.income for member in household_view.member_views]
    if incomes and all(income is not None for income in incomes):
        return sum(income.monthly_recognised_income for income in incomes)
    return None


def _facts(view: CaseView, household_view: HouseholdView, on: date) -> Household:
    disability_open = household_view.household_decisions[DataCategory.DISABILITY].visible
    persons = _applicant_first(list(view.members))
    members = tuple(
        Member(
            age=_age(person, on),
            # the register says 등록장애인, not whether the disability is severe; a viewer
            # without consent to 장애 sees nothing: either way the rules are told "unknown"
            severe_disability=None if not disability_open or person.has_disability else False,
            in_school=_age(person, on) in SCHOOL_AGES,
        )
        for person in persons
    )
    latest: NeedsAssessment | None = view.latest_assessment
    household = view.case.household
    return Household(
        members=members,
        recognised_income=_recognised_income(household_view),
        couple=any(p.relation_to_head == RelationToHead.SPOUSE for p in persons),
        single_parent=household.household_type in SINGLE_PARENT_TYPES,
        crisis=latest is not None and latest.crisis_level in CRISIS_LEVELS,
        supporter_over_limit=None,
        receives=frozenset({"livelihood"})
        if household.is_basic_livelihood_recipient
        else frozenset(),
    )


def _disability_notes(facts: Household, *, withheld: bool) -> list[str]:
    """Why a disability criterion says 확인 필요, when one does."""
    if withheld:
        return [gettext("장애 정보는 동의가 없어 볼 수 없습니다.")]
    if any(member.severe_disability is None for member in facts.members):
        return [gettext("장애 등록은 있으나 장애의 정도는 기록에 없어 확인이 필요합니다.")]
    return []


def case_eligibility(*, view: CaseView, actor: Actor, on: date) -> EligibilityPanel:
    """Every benefit's pre-check for the case's household. Takes the CaseView: the read
    was checked and logged by access_case; the sharing policy then decides, per category,
    what of it the pre-check may use (the same decisions as the household page)."""
    # the case page has usually made these decisions for its summary already
    household_view = view.extra.get("household_view") or household_view_of_logged_read(
        view.case.household, actor=actor
    )
    facts = _facts(view, household_view, on)
    income_decision = household_view.household_decisions[DataCategory.INCOME_ASSETS]
    disability_open = household_view.household_decisions[DataCategory.DISABILITY].visible
    results: list[Result] = precheck(facts, on=on)
    if not income_decision.visible:
        income_note = gettext(
            "소득·재산 정보를 볼 수 없어(%(reason)s) 소득 기준은 확인이 필요합니다. "
            "가구의 동의를 받거나 공공 담당자에게 확인해 주세요."
        ) % {"reason": income_decision.reason_label}
    elif facts.recognised_income is None:
        income_note = gettext("소득·재산 조사 결과가 없어 소득 기준은 확인이 필요합니다.")
    else:
        income_note = ""
    disability_notes = _disability_notes(facts, withheld=not disability_open)
    return EligibilityPanel(
        results=results,
        on=on,
        income_shown=income_decision.visible and facts.recognised_income is not None,
        income_note=income_note,
        notes=[*disability_notes, DUTY_TO_SUPPORT_NOTE, SCHOOL_NOTE, ESTIMATE_NOTE],
        rows=_rows(results, income_note=income_note, disability_notes=disability_notes),
    )
