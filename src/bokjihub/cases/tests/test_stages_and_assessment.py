from datetime import timedelta

import pytest
from django.utils import timezone

from bokjihub.cases.models import CaseEvent
from bokjihub.cases.selectors import assessment_history, cases_overdue
from bokjihub.cases.services import (
    CaseAlreadyOpen,
    CaseConflictError,
    CaseTransitionError,
    GoalInput,
    assessment_record,
    case_close,
    case_open_or_join,
    case_reopen,
    case_stage_advance,
    plan_save,
)

pytestmark = pytest.mark.django_db


def _assess(case, user, organisation, level="crisis", **needs):
    return assessment_record(
        case=case,
        crisis_level=level,
        needs=needs or {"housing": 3, "social_relations": 2},
        by=user,
        organisation=organisation,
    )


@pytest.mark.accept_cases
@pytest.mark.parametrize("to_stage", ["conference", "planning", "in_service", "monitoring"])
def test_the_transition_table_refuses_skipping_from_intake(case_a, gu_case_manager, to_stage):
    with pytest.raises(CaseTransitionError):
        case_stage_advance(
            case=case_a, to_stage=to_stage, by=gu_case_manager, expected_version=case_a.version
        )


@pytest.mark.accept_cases
def test_closing_and_reopening_are_refused_as_stage_moves(case_a, gu_case_manager):
    for stage in ("closed", "intake"):
        with pytest.raises(CaseTransitionError):
            case_stage_advance(
                case=case_a, to_stage=stage, by=gu_case_manager, expected_version=case_a.version
            )


@pytest.mark.accept_cases
def test_general_case_management_goes_through_the_conference(case_a, gu_case_manager, gu_office):
    case = case_stage_advance(
        case=case_a, to_stage="assessment", by=gu_case_manager, expected_version=1
    )
    with pytest.raises(CaseTransitionError, match="욕구·위기도 사정을 먼저"):
        case_stage_advance(
            case=case, to_stage="conference", by=gu_case_manager, expected_version=case.version
        )
    _assess(case, gu_case_manager, gu_office)
    with pytest.raises(CaseTransitionError, match="사례회의를 거쳐"):
        case_stage_advance(
            case=case, to_stage="planning", by=gu_case_manager, expected_version=case.version
        )
    case = case_stage_advance(
        case=case, to_stage="conference", by=gu_case_manager, expected_version=case.version
    )
    assert (case.stage_due_at - case.stage_entered_at).days == 5
    case = case_stage_advance(
        case=case, to_stage="planning", by=gu_case_manager, expected_version=case.version
    )
    with pytest.raises(CaseTransitionError, match="목표가 하나 이상"):
        case_stage_advance(
            case=case, to_stage="in_service", by=gu_case_manager, expected_version=case.version
        )
    assert [e.stage_to for e in CaseEvent.objects.filter(kind="stage_changed")] == [
        "assessment",
        "conference",
        "planning",
    ]


def test_a_stale_stage_move_is_refused(case_a, gu_case_manager):
    case_stage_advance(case=case_a, to_stage="assessment", by=gu_case_manager, expected_version=1)
    with pytest.raises(CaseConflictError):
        case_stage_advance(
            case=case_a, to_stage="assessment", by=gu_case_manager, expected_version=1
        )


def test_overdue_lists_open_cases_past_their_stage_deadline(case_a):
    assert list(cases_overdue()) == []
    assert list(cases_overdue(now=timezone.now() + timedelta(days=11))) == [case_a]


@pytest.mark.accept_cases
def test_assessments_are_versions_with_change_over_time(case_a, gu_case_manager, gu_office):
    first = _assess(case_a, gu_case_manager, gu_office, "high_crisis", housing=3, health=2)
    second = _assess(case_a, gu_case_manager, gu_office, "crisis", housing=1, health=2, care=1)
    assert (first.number, second.number) == (1, 2)
    history = assessment_history(case=case_a)
    assert [version.number for version in history] == [1, 2]
    assert history[1].changes == {"housing": -2, "health": 0}
    assert history[1].crisis_level_changed
    first.refresh_from_db()
    assert {n.domain: n.severity for n in first.needs.all()} == {"housing": 3, "health": 2}


def test_an_assessment_with_an_unknown_domain_writes_nothing(case_a, gu_case_manager, gu_office):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        assessment_record(
            case=case_a,
            crisis_level="crisis",
            needs={"housing": 2, "astrology": 1},
            by=gu_case_manager,
            organisation=gu_office,
        )
    assert assessment_history(case=case_a) == []


def test_closing_then_reopening_keeps_the_first_round_on_the_timeline(
    case_a, gu_case_manager, review_day
):
    closed = case_close(
        case=case_a,
        outcome="refused",
        by=gu_case_manager,
        follow_up_on=review_day,
        override_reason="서비스를 거부해 사정하지 못함",
    )
    assert (closed.stage, closed.follow_up_on) == ("closed", review_day)
    reopened = case_reopen(case=closed, by=gu_case_manager, reason="다시 연락 옴")
    assert (reopened.status, reopened.stage, reopened.outcome) == ("open", "intake", "")
    kinds = list(reopened.events.values_list("kind", flat=True))
    assert kinds == ["opened", "closed", "reopened"]
    assert reopened.events.get(kind="closed").data["outcome"] == "refused"
    assert reopened.events.get(kind="reopened").data["outcome"] == "refused"


def test_reopening_is_refused_when_the_household_opened_another_case(
    case_a, gu_case_manager, senior_centre
):
    closed = case_close(
        case=case_a, outcome="moved_away", by=gu_case_manager, override_reason="관외 전출"
    )
    newer = case_open_or_join(household=closed.household, lead_organisation=senior_centre).case
    with pytest.raises(CaseAlreadyOpen) as refused:
        case_reopen(case=closed, by=gu_case_manager, reason="재개")
    assert refused.value.case == newer


def test_a_simple_referral_may_skip_the_conference(
    household_dong_b, gu_office, gu_case_manager, review_day
):
    case = case_open_or_join(
        household=household_dong_b,
        lead_organisation=gu_office,
        case_manager=gu_case_manager,
        level="simple_referral",
    ).case
    case = case_stage_advance(
        case=case, to_stage="assessment", by=gu_case_manager, expected_version=1
    )
    _assess(case, gu_case_manager, gu_office)
    case = case_stage_advance(
        case=case, to_stage="planning", by=gu_case_manager, expected_version=case.version
    )
    plan_save(
        case=case,
        goals=[GoalInput("economy", "긴급지원 연계", gu_office, review_day)],
        by=gu_case_manager,
        organisation=gu_office,
        expected_version=0,
    )
    case = case_stage_advance(
        case=case, to_stage="in_service", by=gu_case_manager, expected_version=case.version
    )
    assert case.stage_due_at is None
