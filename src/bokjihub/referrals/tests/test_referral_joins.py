"""Accepting a referral puts the receiving centre to work on the case; ending it without the
service done takes it off again (issue 12)."""

from datetime import date

import pytest

from bokjihub.cases.access import CaseNotFound, access_case
from bokjihub.cases.deliveries import delivery_record
from bokjihub.cases.models import CaseEvent, CaseEventKind, CaseParticipant, Delivery
from bokjihub.orgs.actors import actor_for
from bokjihub.people.access import HouseholdNotFound, access_household
from bokjihub.people.models import Engagement
from bokjihub.referrals.services import referral_status_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre_worker(senior_centre):
    """A worker of the senior centre, which serves nobody before the referral."""
    from conftest import _persona

    return _persona("centre_worker", senior_centre, "private_social_worker")


@pytest.fixture
def sent(send_referral, centre_worker):
    return send_referral()


def _move(referral, to_status, organisation, by, reason=""):
    return referral_status_update(
        referral=referral, to_status=to_status, organisation=organisation, by=by, reason=reason
    ).referral


def test_accepting_makes_the_centre_a_participant_serving_the_household(
    sent, senior_centre, centre_worker, case_a
):
    _move(sent, "accepted", senior_centre, centre_worker)

    participant = CaseParticipant.objects.get(case=case_a, organisation=senior_centre)
    assert participant.left_at is None and participant.joined_by == centre_worker
    engagement = Engagement.objects.get(referral=sent)
    assert engagement.organisation == senior_centre
    assert engagement.household_id == case_a.household_id
    assert engagement.ended_on is None
    assert f"의뢰 {sent.id}" in engagement.basis
    kinds = list(CaseEvent.objects.filter(case=case_a).values_list("kind", "summary"))
    assert (CaseEventKind.JOINED, f"{senior_centre} 참여") in kinds
    assert any("가구 서비스 시작" in summary for kind, summary in kinds)


def test_the_centre_then_reads_the_household_and_the_case_and_records_a_delivery(
    sent, senior_centre, centre_worker, case_a, household_dong_a
):
    _move(sent, "accepted", senior_centre, centre_worker)
    actor = actor_for(user=centre_worker)

    household = access_household(actor=actor, reference=household_dong_a.reference)
    assert household.household_decisions["contact"].visible is False  # no consent: withheld
    view = access_case(actor=actor, case_id=case_a.id)
    assert view.is_participant
    assert view.household_decisions["contact"].reason == "no_consent"
    assert senior_centre in [p.organisation for p in view.participants]
    delivery_record(
        household=household_dong_a,
        case=case_a,
        domain="daily_living",
        provider=senior_centre,
        starts_on=date(2026, 11, 20),
        units=3,
        unit_label="회",
        by=centre_worker,
        organisation=senior_centre,
    )
    assert Delivery.objects.get().provider == senior_centre


def test_accepting_through_the_api_joins_as_brought_in_by_the_referring_worker(
    sent, senior_centre, case_a, officer_dong_a
):
    _move(sent, "accepted", senior_centre, None)
    participant = CaseParticipant.objects.get(case=case_a, organisation=senior_centre)
    assert participant.joined_by == officer_dong_a
    assert Engagement.objects.filter(referral=sent, ended_on__isnull=True).exists()


@pytest.mark.parametrize(
    ("moves", "ended"),
    [
        ([("accepted", "centre"), ("cancelled", "dong")], True),
        ([("accepted", "centre"), ("not_completed", "centre")], True),
        ([("accepted", "centre"), ("in_service", "centre"), ("not_completed", "centre")], True),
        ([("accepted", "centre"), ("in_service", "centre"), ("completed", "centre")], False),
    ],
)
def test_the_referrals_engagement_ends_only_when_the_service_ends_undone(
    sent, senior_centre, centre_worker, centre_a, officer_dong_a, case_a, moves, ended
):
    sides = {"centre": (senior_centre, centre_worker), "dong": (centre_a, officer_dong_a)}
    referral = sent
    for status, side in moves:
        referral = _move(referral, status, *sides[side], reason="사유")
    engagement = Engagement.objects.get(referral=sent)
    assert (engagement.ended_on is not None) is ended
    actor = actor_for(user=centre_worker)
    if ended:
        assert engagement.ended_reason.startswith(f"의뢰 {sent.id}")
        with pytest.raises(CaseNotFound):
            access_case(actor=actor, case_id=case_a.id)
        with pytest.raises(HouseholdNotFound):
            access_household(actor=actor, reference=case_a.household.reference)
        last = CaseEvent.objects.filter(case=case_a).order_by("at", "id").last()
        assert "가구 서비스 종료" in last.summary
    else:
        assert access_case(actor=actor, case_id=case_a.id).is_participant


def test_declining_starts_nothing(sent, senior_centre, centre_worker, case_a):
    _move(sent, "declined", senior_centre, centre_worker, reason="정원이 찼습니다")
    assert not Engagement.objects.exists()
    assert not CaseParticipant.objects.filter(organisation=senior_centre).exists()


def test_a_replayed_acceptance_starts_one_engagement(sent, senior_centre, centre_worker, case_a):
    _move(sent, "accepted", senior_centre, centre_worker)
    _move(sent, "accepted", senior_centre, centre_worker)
    assert Engagement.objects.filter(referral=sent).count() == 1
    assert CaseParticipant.objects.filter(organisation=senior_centre).count() == 1
