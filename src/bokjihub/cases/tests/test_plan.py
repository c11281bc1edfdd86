import pytest
from django.core.exceptions import ValidationError

from bokjihub.cases.models import PlanGoal
from bokjihub.cases.services import CaseConflictError, GoalInput, case_join, plan_save

pytestmark = pytest.mark.django_db


@pytest.mark.accept_cases
def test_the_second_of_two_users_saving_the_same_plan_gets_a_conflict_and_overwrites_nothing(
    case_a, gu_case_manager, gu_office, senior_centre, private_worker, review_day
):
    case_join(case=case_a, organisation=senior_centre, by=private_worker)
    # both opened the plan at version 0
    plan_save(
        case=case_a,
        goals=[GoalInput("housing", "임대료 체납 해소", gu_office, review_day, "긴급지원 주거")],
        by=gu_case_manager,
        organisation=gu_office,
        expected_version=0,
    )
    with pytest.raises(CaseConflictError) as conflict:
        plan_save(
            case=case_a,
            goals=[GoalInput("care", "주 2회 밑반찬", senior_centre, review_day)],
            by=private_worker,
            organisation=senior_centre,
            expected_version=0,
        )
    assert "gu_manager님이" in conflict.value.message
    assert "먼저 저장했습니다" in conflict.value.message
    assert list(PlanGoal.objects.values_list("goal", flat=True)) == ["임대료 체납 해소"]
    plan = plan_save(
        case=case_a,
        goals=[
            GoalInput("housing", "임대료 체납 해소", gu_office, review_day),
            GoalInput("care", "주 2회 밑반찬", senior_centre, review_day),
        ],
        by=private_worker,
        organisation=senior_centre,
        expected_version=1,
    )
    assert plan.version == 2
    assert plan.goals.filter(plan_version=1).count() == 1  # the first version stays


def test_a_goal_must_be_owned_by_a_participating_organisation(
    case_a, gu_case_manager, gu_office, youth_centre, review_day
):
    with pytest.raises(ValidationError) as refused:
        plan_save(
            case=case_a,
            goals=[GoalInput("education", "학습 지원", youth_centre, review_day)],
            by=gu_case_manager,
            organisation=gu_office,
            expected_version=0,
        )
    assert "goals.0.responsible_organisation" in refused.value.message_dict
