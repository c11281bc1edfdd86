"""Engagements started by a consent, and what a withdrawal ends (issue 12)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bokjihub.orgs.actors import actor_for
from bokjihub.people.access import HouseholdNotFound, access_household, households_in_scope
from bokjihub.people.models import Engagement
from bokjihub.people.services import (
    consent_withdraw,
    engagement_end,
    engagement_start,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre_worker(senior_centre):
    """A worker of the senior centre, which serves nobody yet (unlike private_worker)."""
    from conftest import _persona

    return _persona("centre_worker", senior_centre, "private_social_worker")


def _head(household):
    return household.members.get(relation_to_head="head")


def _sees(user, household) -> bool:
    return households_in_scope(actor_for(user=user)).filter(pk=household.pk).exists()


def test_a_consent_naming_a_private_centre_starts_its_engagement_with_the_household(
    consent_for, household_dong_a, senior_centre, centre_worker
):
    assert not _sees(centre_worker, household_dong_a)
    consent = consent_for(
        _head(household_dong_a), categories=["contact"], organisation=senior_centre
    )

    engagement = Engagement.objects.get(consent=consent)
    assert engagement.organisation == senior_centre
    assert engagement.household == household_dong_a
    assert engagement.ended_on is None and engagement.referral is None
    assert f"동의 {consent.id}" in engagement.basis
    assert _sees(centre_worker, household_dong_a)


def test_a_consent_naming_a_public_office_or_a_network_starts_no_engagement(
    consent_for, household_dong_a, gu_office, hope_network
):
    consent_for(_head(household_dong_a), categories=["contact"], organisation=gu_office)
    consent_for(_head(household_dong_a), categories=["contact"], network=hope_network)
    assert not Engagement.objects.exists()


def test_withdrawing_the_consent_ends_its_engagement_and_the_next_read_is_a_404(
    consent_for, household_dong_a, senior_centre, centre_worker, officer_dong_a
):
    consent = consent_for(
        _head(household_dong_a), categories=["contact"], organisation=senior_centre
    )
    access_household(actor=actor_for(user=centre_worker), reference=household_dong_a.reference)

    consent_withdraw(consent=consent, by=officer_dong_a)

    engagement = Engagement.objects.get(consent=consent)
    assert engagement.ended_on == timezone.localdate()
    assert engagement.ended_reason == f"동의 철회 (동의 {consent.id})"
    with pytest.raises(HouseholdNotFound):
        access_household(actor=actor_for(user=centre_worker), reference=household_dong_a.reference)


def _referral_engagement(senior_centre, household, case_a_referral):
    return engagement_start(
        organisation=senior_centre,
        household=household,
        basis="의뢰 수락: 밑반찬",
        referral=case_a_referral,
    )


@pytest.fixture
def a_referral(officer_dong_a, centre_a, household_dong_a, senior_centre):
    from bokjihub.cases.services import case_open
    from bokjihub.referrals.services import referral_send

    case = case_open(
        household=household_dong_a,
        lead_organisation=centre_a,
        case_manager=officer_dong_a,
        by=officer_dong_a,
    )
    return referral_send(
        case=case,
        from_organisation=centre_a,
        by=officer_dong_a,
        to_organisation=senior_centre,
        need_domain="daily_living",
        request_text="밑반찬 배달",
    )


def test_withdrawing_the_last_consent_naming_the_centre_ends_its_referral_engagements_too(
    consent_for, household_dong_a, senior_centre, centre_worker, officer_dong_a, a_referral
):
    consent = consent_for(
        _head(household_dong_a), categories=["contact"], organisation=senior_centre
    )
    by_referral = _referral_engagement(senior_centre, household_dong_a, a_referral)

    consent_withdraw(consent=consent, by=officer_dong_a)

    by_referral.refresh_from_db()
    assert by_referral.ended_on is not None
    assert not _sees(centre_worker, household_dong_a)


def test_another_active_consent_naming_the_centre_keeps_its_referral_engagement(
    consent_for, household_dong_a, senior_centre, centre_worker, officer_dong_a, a_referral
):
    head = _head(household_dong_a)
    first = consent_for(head, categories=["contact"], organisation=senior_centre)
    second = consent_for(head, categories=["household_composition"], organisation=senior_centre)
    by_referral = _referral_engagement(senior_centre, household_dong_a, a_referral)

    consent_withdraw(consent=first, by=officer_dong_a)

    by_referral.refresh_from_db()
    assert by_referral.ended_on is None
    assert Engagement.objects.get(consent=second).ended_on is None
    assert Engagement.objects.get(consent=first).ended_on is not None
    assert _sees(centre_worker, household_dong_a)


def test_a_withdrawal_leaves_an_engagement_the_centre_recorded_on_its_own(
    consent_for, household_dong_a, senior_centre, private_worker, officer_dong_a
):
    consent = consent_for(
        _head(household_dong_a), categories=["contact"], organisation=senior_centre
    )
    consent_withdraw(consent=consent, by=officer_dong_a)

    programme = Engagement.objects.get(basis="밑반찬 배달")
    assert programme.ended_on is None
    view = access_household(
        actor=actor_for(user=private_worker), reference=household_dong_a.reference
    )
    assert view.household_decisions["contact"].reason == "withdrawn"


def test_the_same_referral_starts_one_engagement_and_ending_twice_changes_nothing(
    household_dong_a, senior_centre, a_referral
):
    first = _referral_engagement(senior_centre, household_dong_a, a_referral)
    again = _referral_engagement(senior_centre, household_dong_a, a_referral)
    assert first.pk == again.pk

    yesterday = timezone.localdate() - timedelta(days=1)
    ended = engagement_end(engagement=first, reason="의뢰 취소", on=yesterday)
    engagement_end(engagement=first, reason="다시", on=timezone.localdate())
    ended.refresh_from_db()
    assert (ended.ended_on, ended.ended_reason) == (yesterday, "의뢰 취소")


def test_an_engagement_is_started_by_a_consent_or_a_referral_not_both(
    consent_for, household_dong_a, senior_centre, a_referral
):
    consent = consent_for(
        _head(household_dong_a), categories=["contact"], organisation=senior_centre
    )
    with pytest.raises(ValueError, match="not both"):
        engagement_start(
            organisation=senior_centre,
            household=household_dong_a,
            basis="둘 다",
            consent=consent,
            referral=a_referral,
        )
