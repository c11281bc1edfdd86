from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from bokjihub.cases.models import CaseTask
from bokjihub.cases.services import (
    TaskInput,
    case_join,
    conference_decide,
    conference_schedule,
    task_complete,
    visit_plan,
    visit_record,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def conference(case_a, gu_office, gu_case_manager, senior_centre, private_worker, gangdong):
    case_join(case=case_a, organisation=senior_centre, by=private_worker)
    return conference_schedule(
        kind="sigungu_monthly",
        title="11월 강동구 통합사례회의",
        sigungu=gangdong,
        convened_by=gu_office,
        scheduled_for=timezone.now() + timedelta(days=3),
        cases=[case_a],
        participants=[(senior_centre, private_worker)],
        by=gu_case_manager,
    )


def test_decisions_become_tasks_with_owners_and_due_dates(
    conference, case_a, gu_case_manager, gu_office, senior_centre, private_worker
):
    due = timezone.localdate() + timedelta(days=7)
    conference_decide(
        conference=conference,
        case=case_a,
        decision="주거급여 신청, 밑반찬 주 2회",
        tasks=[
            TaskInput("주거급여 신청 지원", gu_case_manager, gu_office, due),
            TaskInput("밑반찬 배달 시작", private_worker, senior_centre, due),
        ],
        by=gu_case_manager,
    )
    tasks = CaseTask.objects.order_by("id")
    assert [(t.owner, t.due_on) for t in tasks] == [(gu_case_manager, due), (private_worker, due)]
    conference.refresh_from_db()
    assert conference.status == "held"
    task_complete(task=tasks[1], by=private_worker)
    kinds = list(case_a.events.values_list("kind", flat=True))
    assert kinds[-3:] == ["conference_scheduled", "decision", "task_done"]


def test_a_task_owner_must_belong_to_the_named_organisation(
    conference, case_a, gu_case_manager, senior_centre
):
    with pytest.raises(ValidationError):
        conference_decide(
            conference=conference,
            case=case_a,
            decision="밑반찬",
            tasks=[TaskInput("밑반찬", gu_case_manager, senior_centre, timezone.localdate())],
            by=gu_case_manager,
        )
    assert not CaseTask.objects.exists()


def test_a_joint_visit_brings_public_and_private_staff_and_is_recorded(
    case_a, gu_case_manager, gu_office, senior_centre, private_worker
):
    with pytest.raises(ValidationError, match="공공 직원과 민간"):
        visit_plan(
            case=case_a, kind="joint", staff=[(gu_case_manager, gu_office)], by=gu_case_manager
        )
    case_join(case=case_a, organisation=senior_centre, by=private_worker)
    visit = visit_plan(
        case=case_a,
        kind="joint",
        staff=[(gu_case_manager, gu_office), (private_worker, senior_centre)],
        planned_for=timezone.now() + timedelta(days=1),
        purpose="주거 환경 확인",
        by=gu_case_manager,
    )
    done = visit_record(
        visit=visit,
        visited_at=timezone.now(),
        observations="난방 끊김, 식사 하루 1회",
        outcome="met",
        by=private_worker,
    )
    assert (done.status, done.staff.count()) == ("done", 2)
    assert list(case_a.events.values_list("kind", flat=True))[-2:] == [
        "visit_planned",
        "visit_recorded",
    ]
