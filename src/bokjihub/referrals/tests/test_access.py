import pytest

from bokjihub.audit.models import AccessLog
from bokjihub.orgs.actors import actor_for
from bokjihub.referrals.access import ReferralNotFound, access_referral

pytestmark = [pytest.mark.django_db, pytest.mark.accept_services]


def test_the_receiving_worker_reads_what_the_consent_allowed_and_it_is_logged(
    send_referral, private_worker_with_consent
):
    referral = send_referral()
    before = AccessLog.objects.count()
    view = access_referral(
        actor=actor_for(user=private_worker_with_consent), referral_id=referral.id
    )
    assert view.shared["name"] == "김영수"
    row = AccessLog.objects.order_by("-id").first()
    assert AccessLog.objects.count() == before + 1
    assert row.person_ids == [referral.shared["person_id"]]
    assert row.household_id == referral.case.household_id


def test_a_consent_withdrawn_after_sending_closes_the_name_again(
    send_referral, private_worker_with_consent, income_consent_for_senior_centre, officer_dong_a
):
    from bokjihub.people.services import consent_withdraw

    referral = send_referral()
    consent_withdraw(consent=income_consent_for_senior_centre, by=officer_dong_a)
    view = access_referral(
        actor=actor_for(user=private_worker_with_consent), referral_id=referral.id
    )
    assert "name" not in view.shared and view.withheld_reason == "동의 철회됨"
    assert AccessLog.objects.order_by("-id").first().person_ids == []


def test_a_receiver_that_left_the_network_the_consent_names_no_longer_sees_the_name(
    send_referral, private_worker, consent_for, household_dong_a, hope_network, senior_centre
):
    """Send time and read time judge by the same policy (consent_for_recipient): a
    network-scoped consent opens the name only while the receiver belongs to it."""
    from datetime import timedelta

    from django.utils import timezone

    from bokjihub.orgs.models import NetworkMember

    consent_for(household_dong_a.members.get(), categories=["contact"], network=hope_network)
    referral = send_referral()
    assert referral.shared_level == "consented" and referral.shared["name"] == "김영수"
    actor = actor_for(user=private_worker)
    assert access_referral(actor=actor, referral_id=referral.id).shared["name"] == "김영수"

    NetworkMember.objects.filter(network=hope_network, organisation=senior_centre).update(
        left_on=timezone.localdate() - timedelta(days=1)
    )
    view = access_referral(actor=actor, referral_id=referral.id)
    assert not view.shows_person
    assert not {"name", "address", "need_summary", "person_id"} & set(view.shared)
    assert view.withheld_reason == "동의 없음"
    assert view.shared["case_reference"] == str(referral.case)  # the case number (issue 12)
    assert AccessLog.objects.order_by("-id").first().person_ids == []


def test_a_worker_of_another_organisation_gets_not_found_and_the_attempt_is_logged(
    referral, private_worker_unlinked
):
    with pytest.raises(ReferralNotFound):
        access_referral(actor=actor_for(user=private_worker_unlinked), referral_id=referral.id)
    assert AccessLog.objects.order_by("-id").first().action == "access_denied"


def test_an_officer_in_jurisdiction_but_not_a_party_gets_not_found(referral, gu_case_manager):
    with pytest.raises(ReferralNotFound):
        access_referral(actor=actor_for(user=gu_case_manager), referral_id=referral.id)


def test_the_receiver_is_offered_only_its_own_moves(referral, private_worker, officer_dong_a):
    receiver = access_referral(actor=actor_for(user=private_worker), referral_id=referral.id)
    referrer = access_referral(actor=actor_for(user=officer_dong_a), referral_id=referral.id)
    assert set(receiver.moves) == {"received", "accepted", "declined"}
    assert referrer.moves == ["cancelled"]
