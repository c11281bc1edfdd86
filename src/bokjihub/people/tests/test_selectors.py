"""Flagging repeated opening of households outside one's caseload."""

import pytest
from django.utils import timezone

from bokjihub.audit.models import AccessAction, AccessPurpose
from bokjihub.audit.services import access_log_write
from bokjihub.orgs.actors import actor_for
from bokjihub.people.access import OUT_OF_CASELOAD_MARKER, access_household
from bokjihub.people.selectors import out_of_caseload_flags

pytestmark = pytest.mark.django_db


def _views(user, households: int, *, out_of_caseload: bool = True):
    actor = actor_for(user=user)
    detail = f"{OUT_OF_CASELOAD_MARKER} · 사유: 확인" if out_of_caseload else "전 항목 공개"
    for household_id in range(1, households + 1):
        access_log_write(
            actor=actor,
            action=AccessAction.HOUSEHOLD_VIEW,
            purpose=AccessPurpose.ELIGIBILITY,
            household_id=household_id,
            detail=detail,
        )


@pytest.mark.accept_privacy
def test_a_user_opening_more_than_twenty_households_outside_the_caseload_is_flagged(
    officer_dong_a, gu_case_manager
):
    _views(officer_dong_a, 21)
    _views(gu_case_manager, 20)

    flags = out_of_caseload_flags(day=timezone.localdate())

    assert [(flag.username, flag.distinct_households) for flag in flags] == [("officer_a", 21)]


def test_households_opened_inside_the_caseload_are_not_counted(officer_dong_a):
    _views(officer_dong_a, 25, out_of_caseload=False)
    assert out_of_caseload_flags(day=timezone.localdate()) == []


def test_opening_the_same_household_again_counts_once(officer_dong_a):
    for _ in range(3):
        _views(officer_dong_a, 1)
    assert out_of_caseload_flags(day=timezone.localdate(), threshold=1) == []


def test_an_out_of_caseload_household_view_is_what_the_selector_counts(
    officer_dong_a, household_dong_a
):
    access_household(
        actor=actor_for(user=officer_dong_a),
        reference=household_dong_a.reference,
        purpose="triage",
        purpose_text="이웃 신고 확인",
    )
    [flag] = out_of_caseload_flags(day=timezone.localdate(), threshold=0)
    assert flag.username == "officer_a"
