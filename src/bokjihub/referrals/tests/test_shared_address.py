"""A referral sends the household's address only when every member's consent covers
contact (the household page's rule), and closes it again at read time when one lapses."""

import pytest

from bokjihub.orgs.actors import actor_for
from bokjihub.people.services import consent_withdraw
from bokjihub.referrals.access import access_referral
from bokjihub.referrals.services import referral_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_b(officer_dong_b, centre_b, household_dong_b):
    from bokjihub.cases.services import case_open

    return case_open(
        household=household_dong_b,
        lead_organisation=centre_b,
        case_manager=officer_dong_b,
        by=officer_dong_b,
        summary="한부모, 교복 필요",
    )


def _send(case, centre_b, officer_dong_b, senior_centre):
    return referral_send(
        case=case,
        from_organisation=centre_b,
        by=officer_dong_b,
        to_organisation=senior_centre,
        need_domain="education",
        request_text="교복 지원",
    )


def _members(household):
    return household.members.get(relation_to_head="head"), household.members.get(
        relation_to_head="child"
    )


def test_the_heads_consent_alone_sends_the_name_but_not_the_households_address(
    consent_for, case_b, household_dong_b, centre_b, officer_dong_b, senior_centre
):
    head, _child = _members(household_dong_b)
    consent_for(head, categories=["contact"], organisation=senior_centre)
    referral = _send(case_b, centre_b, officer_dong_b, senior_centre)
    assert referral.shared["name"] == "박지은"
    assert "address" not in referral.shared


def test_every_members_consent_sends_the_address_and_a_withdrawal_closes_it_again(
    consent_for,
    case_b,
    household_dong_b,
    centre_b,
    officer_dong_b,
    senior_centre,
    private_worker,
):
    head, child = _members(household_dong_b)
    consent_for(head, categories=["contact"], organisation=senior_centre)
    childs = consent_for(child, categories=["contact"], organisation=senior_centre)
    referral = _send(case_b, centre_b, officer_dong_b, senior_centre)
    assert referral.shared["address"].startswith("서울특별시 강동구 천호대로 1005")

    consent_withdraw(consent=childs, by=officer_dong_b)
    view = access_referral(actor=actor_for(user=private_worker), referral_id=referral.id)
    assert view.shared["name"] == "박지은"  # the head's consent still stands
    assert "address" not in view.shared


def test_the_cases_summary_goes_only_under_every_members_consent_to_case_notes(
    consent_for, case_b, household_dong_b, centre_b, officer_dong_b, senior_centre
):
    head, child = _members(household_dong_b)
    for person in (head, child):
        consent_for(person, categories=["contact"], organisation=senior_centre)
    without = _send(case_b, centre_b, officer_dong_b, senior_centre)
    assert "need_summary" not in without.shared  # contact is not case notes

    for person in (head, child):
        consent_for(person, categories=["case_notes"], organisation=senior_centre)
    with_notes = _send(case_b, centre_b, officer_dong_b, senior_centre)
    assert with_notes.shared["need_summary"] == "한부모, 교복 필요"
