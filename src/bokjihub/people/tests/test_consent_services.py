"""Recording and withdrawing consents, and recording a means test."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from bokjihub.orgs.actors import actor_for
from bokjihub.orgs.models import NetworkMember
from bokjihub.people.access import access_household
from bokjihub.people.models import Consent
from bokjihub.people.services import consent_record, consent_withdraw, income_assessment_record

pytestmark = pytest.mark.django_db


def _record(person, *, categories, recorder, organisation, **overrides):
    arguments = {
        "person": person,
        "recipient_organisation": organisation,
        "purpose": "사례관리 연계",
        "categories": categories,
        "retention_until": timezone.localdate() + timedelta(days=365),
        "refusal_notice": "동의하지 않을 권리가 있습니다.",
        "method": "signed_form_scan",
        "recorded_by": recorder,
        "recording_organisation": recorder.memberships.get().organisation,
        **overrides,
    }
    return consent_record(**arguments)


def _head(household):
    return household.members.get(relation_to_head="head")


def _income(private_worker, household):
    view = access_household(actor=actor_for(user=private_worker), reference=household.reference)
    return view.member_views[0].decisions["income_assets"]


@pytest.mark.accept_privacy
@pytest.mark.parametrize(
    ("category", "message"),
    [
        ("health", "건강 정보는 민감정보라서 다른 항목과 묶을 수 없습니다."),
        ("unique_identifier", "고유식별정보는 다른 항목과 묶을 수 없습니다."),
    ],
)
def test_a_health_or_identifier_consent_bundled_with_other_items_is_refused(
    category, message, officer_dong_a, household_dong_a, senior_centre
):
    with pytest.raises(ValidationError) as refused:
        _record(
            _head(household_dong_a),
            categories=[category, "contact"],
            recorder=officer_dong_a,
            organisation=senior_centre,
        )
    assert message in refused.value.message_dict["categories"][0]
    assert not Consent.objects.exists()


def test_a_health_consent_on_its_own_is_recorded(officer_dong_a, household_dong_a, senior_centre):
    consent = _record(
        _head(household_dong_a),
        categories=["health"],
        recorder=officer_dong_a,
        organisation=senior_centre,
    )
    assert consent.categories == ["health"]
    assert consent.is_active()


def test_a_verbal_consent_needs_a_witness(officer_dong_a, household_dong_a, senior_centre):
    with pytest.raises(ValidationError) as refused:
        _record(
            _head(household_dong_a),
            categories=["contact"],
            recorder=officer_dong_a,
            organisation=senior_centre,
            method="verbal_with_witness",
        )
    assert "입회인" in refused.value.message_dict["witness_name"][0]


def test_a_consent_names_an_organisation_or_a_network_not_both(
    officer_dong_a, household_dong_a, senior_centre, hope_network
):
    with pytest.raises(ValidationError) as refused:
        _record(
            _head(household_dong_a),
            categories=["contact"],
            recorder=officer_dong_a,
            organisation=senior_centre,
            recipient_network=hope_network,
        )
    assert "recipient" in refused.value.message_dict


def test_the_database_refuses_a_consent_with_two_recipients(
    officer_dong_a, centre_a, household_dong_a, senior_centre, hope_network
):
    with pytest.raises(IntegrityError), transaction.atomic():
        Consent.objects.create(
            person=_head(household_dong_a),
            recipient_organisation=senior_centre,
            recipient_network=hope_network,
            purpose="x",
            categories=["contact"],
            retention_until=timezone.localdate(),
            refusal_notice="x",
            given_at=timezone.now(),
            method="electronic",
            recorded_by=officer_dong_a,
            recording_organisation=centre_a,
        )


def test_a_withdrawal_takes_effect_at_once_and_keeps_the_record(
    officer_dong_a, income_consent_for_senior_centre
):
    consent = consent_withdraw(consent=income_consent_for_senior_centre, by=officer_dong_a)
    assert not consent.is_active()
    assert Consent.objects.filter(id=consent.id, withdrawn_by=officer_dong_a).exists()
    with pytest.raises(ValidationError, match="이미 철회된 동의입니다"):
        consent_withdraw(consent=consent, by=officer_dong_a)


@pytest.mark.accept_privacy
def test_a_network_consent_opens_income_until_the_organisation_leaves_the_network(
    private_worker, consent_for, household_dong_a, hope_network, senior_centre
):
    consent_for(_head(household_dong_a), categories=["income_assets"], network=hope_network)
    assert _income(private_worker, household_dong_a).visible

    NetworkMember.objects.filter(network=hope_network, organisation=senior_centre).update(
        left_on=timezone.localdate()
    )

    decision = _income(private_worker, household_dong_a)
    assert not decision.visible
    assert decision.reason_label == "동의 없음"


def test_a_means_test_is_recorded_only_by_a_public_office(household_dong_a, senior_centre):
    with pytest.raises(ValidationError) as refused:
        income_assessment_record(
            household=household_dong_a,
            monthly_recognised_income=500_000,
            assets=0,
            source_organisation=senior_centre,
        )
    assert "공공기관" in refused.value.message_dict["source_organisation"][0]
