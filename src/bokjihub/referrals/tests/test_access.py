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
