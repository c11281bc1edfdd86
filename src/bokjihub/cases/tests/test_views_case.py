"""The case page: who sees it, and each form's happy and refused paths."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def _url(case, action=None):
    if action is None:
        return reverse("case_detail", args=[case.id])
    return reverse("case_action", args=[case.id, action])


def _assess(client, case):
    return client.post(
        _url(case, "assess"),
        {"assess-crisis_level": "crisis", "assess-need_housing": "3", "assess-need_health": "2"},
    )


def test_the_gu_case_manager_sees_the_case_with_the_household(login, case_a, household_dong_a):
    response = login(case_a.case_manager).get(_url(case_a))
    assert response.status_code == 200
    body = response.content.decode()
    assert "김영수" in body and "강동구청 희망복지지원단" in body
    assert "접수(초기상담)" in body


def test_an_officer_of_another_dong_gets_a_404(login, case_a, officer_dong_b):
    assert login(officer_dong_b).get(_url(case_a)).status_code == 404
    response = login(officer_dong_b).post(_url(case_a, "note"), {"note-body": "x"})
    assert response.status_code == 404


def test_a_private_worker_not_on_the_case_gets_a_404(login, case_a, private_worker):
    assert login(private_worker).get(_url(case_a)).status_code == 404


def test_an_officer_in_jurisdiction_reads_but_may_not_write_before_joining(
    login, case_a, officer_dong_a
):
    client = login(officer_dong_a)
    assert "우리 기관도 참여" in client.get(_url(case_a)).content.decode()
    response = client.post(
        _url(case_a, "note"), {"note-body": "메모", "note-visibility": "participants"}
    )
    assert response.status_code == 403
    response = client.post(reverse("case_join", args=[case_a.id]))
    assert response.status_code == 303
    response = client.post(
        _url(case_a, "note"), {"note-body": "메모", "note-visibility": "participants"}
    )
    assert response.status_code == 303


@pytest.mark.accept_cases
def test_a_private_worker_serving_the_household_joins_and_sees_what_notes_allow(
    login, case_a, private_worker, gu_case_manager
):
    from bokjihub.cases.services import note_add

    note_add(
        case=case_a,
        body="공공 내부 메모",
        visibility="public_sector",
        by=gu_case_manager,
        organisation=case_a.lead_organisation,
    )
    note_add(
        case=case_a,
        body="참여기관 공유 메모",
        visibility="participants",
        by=gu_case_manager,
        organisation=case_a.lead_organisation,
    )
    client = login(private_worker)
    assert client.post(reverse("case_join", args=[case_a.id])).status_code == 303
    body = client.get(_url(case_a)).content.decode()
    assert "공공 내부 메모" not in body


def test_an_unlinked_private_worker_cannot_join(login, case_a, private_worker_unlinked):
    response = login(private_worker_unlinked).post(reverse("case_join", args=[case_a.id]))
    assert response.status_code == 404


def test_an_assessment_is_recorded_and_its_errors_shown(login, case_a):
    client = login(case_a.case_manager)
    response = client.post(_url(case_a, "assess"), {"assess-crisis_level": "crisis"})
    assert response.status_code == 400
    assert "영역을 하나 이상 사정해 주세요" in response.content.decode()
    assert _assess(client, case_a).status_code == 303
    assert case_a.assessments.count() == 1
    body = client.get(_url(case_a)).content.decode()
    assert "1차" in body


def test_the_stage_table_refusal_is_shown_next_to_the_form(login, case_a):
    client = login(case_a.case_manager)
    response = client.post(
        _url(case_a, "advance"),
        {"advance-to_stage": "planning", "advance-expected_version": case_a.version},
    )
    assert response.status_code == 400
    assert "바로 넘어갈 수 없습니다" in response.content.decode()
    response = client.post(
        _url(case_a, "advance"),
        {"advance-to_stage": "assessment", "advance-expected_version": case_a.version},
    )
    assert response.status_code == 303
    case_a.refresh_from_db()
    assert case_a.stage == "assessment"


def test_a_stale_stage_change_is_a_conflict(login, case_a):
    response = login(case_a.case_manager).post(
        _url(case_a, "advance"),
        {"advance-to_stage": "assessment", "advance-expected_version": case_a.version - 1},
    )
    assert response.status_code == 409
    assert "다른 사용자가 먼저" in response.content.decode()


def _plan_data(case, version, goal="월세 체납 해소"):
    return {
        "plan-expected_version": version,
        "plan-0-domain": "housing",
        "plan-0-goal": goal,
        "plan-0-responsible_organisation": case.lead_organisation_id,
        "plan-0-resources": "긴급지원 주거비",
        "plan-0-review_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "plan-0-status": "active",
    }


@pytest.mark.accept_cases
def test_a_second_stale_plan_save_gets_a_conflict_and_keeps_the_typed_goal(login, case_a):
    client = login(case_a.case_manager)
    assert client.post(_url(case_a, "plan"), _plan_data(case_a, 0)).status_code == 303
    response = client.post(_url(case_a, "plan"), _plan_data(case_a, 0, goal="내가 쓴 목표"))
    assert response.status_code == 409
    body = response.content.decode()
    assert "먼저 저장했습니다" in body
    assert "내가 쓴 목표" in body  # what was typed is still on the page
    assert case_a.plan.goals.filter(goal="내가 쓴 목표").count() == 0


def test_a_plan_without_goals_is_refused(login, case_a):
    response = login(case_a.case_manager).post(
        _url(case_a, "plan"), {"plan-expected_version": 0, "plan-0-goal": ""}
    )
    assert response.status_code == 400
    assert "목표를 하나 이상" in response.content.decode()


def test_a_note_needs_a_body(login, case_a):
    response = login(case_a.case_manager).post(
        _url(case_a, "note"), {"note-body": "", "note-visibility": "participants"}
    )
    assert response.status_code == 400
    assert "기록 내용" in response.content.decode()


def test_a_joint_visit_needs_staff_of_two_sectors(login, case_a):
    from bokjihub.orgs.models import Membership

    membership = Membership.objects.get(user=case_a.case_manager)
    response = login(case_a.case_manager).post(
        _url(case_a, "visit-plan"),
        {
            "visit-plan-kind": "joint",
            "visit-plan-planned_for": "2026-12-01T10:00",
            "visit-plan-staff": [membership.id],
        },
    )
    assert response.status_code == 400
    assert "공공 직원과 민간 기관 직원이 함께" in response.content.decode()


def test_closing_needs_an_outcome_and_reopening_a_reason(login, case_a):
    client = login(case_a.case_manager)
    response = client.post(
        _url(case_a, "close"), {"close-outcome": "", "close-expected_version": case_a.version}
    )
    assert response.status_code == 400
    response = client.post(
        _url(case_a, "close"),
        {
            "close-outcome": "moved_away",
            "close-follow_up_on": "2027-01-10",
            "close-override_reason": "관외 전출로 사정 전에 종결",
            "close-expected_version": case_a.version,
        },
    )
    assert response.status_code == 303
    case_a.refresh_from_db()
    assert (case_a.status, case_a.outcome) == ("closed", "moved_away")
    response = client.post(
        _url(case_a, "reopen"), {"reopen-reason": "", "reopen-expected_version": case_a.version}
    )
    assert response.status_code == 400
    response = client.post(
        _url(case_a, "reopen"),
        {"reopen-reason": "다시 전입", "reopen-expected_version": case_a.version},
    )
    assert response.status_code == 303
    case_a.refresh_from_db()
    assert case_a.status == "open"


def test_an_unmet_need_is_recorded_with_a_reason(login, case_a):
    client = login(case_a.case_manager)
    response = client.post(_url(case_a, "unmet"), {"unmet-domain": "housing"})
    assert response.status_code == 400
    response = client.post(
        _url(case_a, "unmet"),
        {
            "unmet-domain": "housing",
            "unmet-reason": "no_capacity",
            "unmet-description": "임대주택 대기 2년",
        },
    )
    assert response.status_code == 303
    assert case_a.unmet_needs.get().reason == "no_capacity"


def test_an_unknown_action_is_a_404(login, case_a):
    assert login(case_a.case_manager).post(_url(case_a, "explode")).status_code == 404


def test_the_case_page_does_not_grow_in_queries_with_its_history(
    login, case_a, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(case_a.case_manager)
    _assess(client, case_a)
    with CaptureQueriesContext(connection) as few:
        client.get(_url(case_a))
    for number in range(5):
        _assess(client, case_a)
        client.post(
            _url(case_a, "note"), {"note-body": f"기록 {number}", "note-visibility": "participants"}
        )
    with CaptureQueriesContext(connection) as many:
        client.get(_url(case_a))
    assert len(many) == len(few)
