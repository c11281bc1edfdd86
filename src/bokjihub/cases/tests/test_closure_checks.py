"""Closing a case checks that the work was done: an assessment, a plan, no referral left
open. When something is missing, closing needs a stated reason, kept on the timeline."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _assess_and_plan(case, by, organisation, review_day):
    from bokjihub.cases.services import GoalInput, assessment_record, plan_save

    assessment_record(
        case=case, crisis_level="crisis", needs={"housing": 3}, by=by, organisation=organisation
    )
    plan_save(
        case=case,
        goals=[GoalInput("housing", "주거비 긴급지원", organisation, review_day)],
        by=by,
        organisation=organisation,
        expected_version=0,
    )


@pytest.fixture
def referred_case(case_a, gu_case_manager, gu_office, senior_centre, review_day):
    """The case with an assessment, a plan, and a referral the centre has accepted."""
    from bokjihub.referrals.services import referral_send, referral_status_update

    _assess_and_plan(case_a, gu_case_manager, gu_office, review_day)
    referral = referral_send(
        case=case_a,
        from_organisation=gu_office,
        by=gu_case_manager,
        to_organisation=senior_centre,
        need_domain="daily_living",
        request_text="밑반찬 배달",
        idempotency_key="closure-1",
    )
    return case_a, referral, referral_status_update


def test_a_case_without_assessment_and_plan_is_not_closed_without_a_reason(case_a):
    from bokjihub.cases.services import CaseClosureIncomplete, case_close

    with pytest.raises(CaseClosureIncomplete) as refused:
        case_close(case=case_a, outcome="goals_met", by=case_a.case_manager)
    assert refused.value.missing == ["사정 기록 없음", "서비스 계획 없음"]
    assert "사정 기록 없음" in refused.value.message
    case_a.refresh_from_db()
    assert case_a.status == "open"
    assert not case_a.events.filter(kind="closed").exists()


def test_a_case_with_assessment_plan_and_no_open_referral_closes_without_a_reason(
    case_a, gu_case_manager, gu_office, review_day
):
    from bokjihub.cases.services import case_close

    _assess_and_plan(case_a, gu_case_manager, gu_office, review_day)
    closed = case_close(case=case_a, outcome="goals_met", by=gu_case_manager)
    assert closed.status == "closed"
    assert closed.events.get(kind="closed").data["missing"] == []


@pytest.mark.accept_loop
def test_a_case_cannot_be_closed_with_an_open_referral_without_a_stated_reason(
    referred_case, senior_centre, private_worker
):
    from bokjihub.cases.services import CaseClosureIncomplete, case_close

    case, referral, referral_status_update = referred_case
    for status in ("received", "accepted"):
        referral = referral_status_update(
            referral=referral,
            to_status=status,
            by=private_worker,
            organisation=senior_centre,
            expected_version=referral.version,
        ).referral
    with pytest.raises(CaseClosureIncomplete) as refused:
        case_close(case=case, outcome="goals_met", by=case.case_manager)
    assert refused.value.missing == ["끝나지 않은 의뢰 1건"]
    closed = case_close(
        case=case,
        outcome="goals_met",
        by=case.case_manager,
        override_reason="대상자가 이사해 복지관이 서비스를 이어서 맡기로 함",
    )
    assert closed.status == "closed"
    event = closed.events.get(kind="closed")
    assert "끝나지 않은 의뢰 1건" in event.summary
    assert (
        "그래도 종결하는 이유: 대상자가 이사해 복지관이 서비스를 이어서 맡기로 함" in event.summary
    )
    assert event.data["override_reason"] == "대상자가 이사해 복지관이 서비스를 이어서 맡기로 함"


@pytest.mark.accept_loop
def test_the_page_refuses_the_closure_beside_the_reason_field_then_shows_the_reason_on_the_timeline(
    login, referred_case
):
    case, _, _ = referred_case
    client = login(case.case_manager)
    url = reverse("case_action", args=[case.id, "close"])
    response = client.post(
        url, {"close-outcome": "goals_met", "close-expected_version": case.version}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "끝나지 않은 의뢰 1건" in body
    assert "그래도 종결하는 이유" in body
    case.refresh_from_db()
    assert case.status == "open"
    response = client.post(
        url,
        {
            "close-outcome": "goals_met",
            "close-override_reason": "복지관이 서비스를 계속하기로 함",
            "close-expected_version": case.version,
        },
    )
    assert response.status_code == 303
    page = client.get(reverse("case_detail", args=[case.id])).content.decode()
    assert "그래도 종결하는 이유: 복지관이 서비스를 계속하기로 함" in page


def test_a_closure_reason_over_its_limit_is_refused_with_the_limit_named(case_a):
    from django.core.exceptions import ValidationError

    from bokjihub.cases.services import case_close

    with pytest.raises(ValidationError) as refused:
        case_close(case=case_a, outcome="refused", override_reason="가" * 250)
    assert "200자 이내로 적어 주세요 (지금 250자)" in refused.value.messages
