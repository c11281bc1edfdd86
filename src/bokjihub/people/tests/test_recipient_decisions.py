"""household_decisions_for_recipient: what a receiving organisation may be sent about a
household, by the household page's rule (a household-level field needs every member)."""

from datetime import date

import pytest
from django.utils import timezone

from bokjihub.people.access import household_decisions_for_recipient
from bokjihub.people.services import PersonInput, household_register

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_member_household(dong_a):
    return household_register(
        road_address="서울특별시 강동구 양재대로 1999 (길동)",
        emd_code=dong_a.code,
        household_type="single_parent",
        members=[
            PersonInput(name="박지은", rrn="8807222345675", relation_to_head="head"),
            PersonInput(name="박서준", rrn="1503033123453", relation_to_head="child"),
        ],
        as_of=date(2026, 11, 26),
    )


def _decisions(household, organisation):
    return household_decisions_for_recipient(
        household=household, organisation=organisation, at=timezone.now()
    )


def test_the_address_is_not_sent_under_the_heads_consent_alone(
    two_member_household, senior_centre, consent_for
):
    head = two_member_household.members.get(relation_to_head="head")
    consent_for(head, categories=["contact"], organisation=senior_centre)
    contact = _decisions(two_member_household, senior_centre)["contact"]
    assert not contact.visible
    assert contact.reason == "no_consent"


def test_the_address_is_sent_when_every_member_consents(
    two_member_household, senior_centre, consent_for
):
    for person in two_member_household.members.all():
        consent_for(person, categories=["contact"], organisation=senior_centre)
    decisions = _decisions(two_member_household, senior_centre)
    assert decisions["contact"].visible
    assert not decisions["income_assets"].visible


def test_a_consent_to_a_network_opens_it_for_its_member(
    two_member_household, senior_centre, hope_network, consent_for
):
    for person in two_member_household.members.all():
        consent_for(person, categories=["contact"], network=hope_network)
    assert _decisions(two_member_household, senior_centre)["contact"].visible


def test_a_public_receiver_gets_nothing_beyond_identity_without_consent(
    two_member_household, centre_b
):
    decisions = _decisions(two_member_household, centre_b)
    assert decisions["identity"].visible
    assert not decisions["contact"].visible
