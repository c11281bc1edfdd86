import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from bokjihub.cases.models import CaseEvent, CaseEventKind
from bokjihub.referrals.models import Referral, ReferralEvent, ReferralStatus
from bokjihub.referrals.services import (
    ReferralConflictError,
    ReferralTransitionError,
    referral_status_update,
)

pytestmark = [pytest.mark.django_db, pytest.mark.accept_services]


def _referral_events_on_case(case) -> list[str]:
    return [
        event.data["to_status"]
        for event in CaseEvent.objects.filter(case=case, kind=CaseEventKind.REFERRAL)
    ]


def test_a_referral_walks_the_whole_loop_and_the_case_timeline_shows_every_move(referral, move):
    for status in ("received", "accepted", "in_service", "completed"):
        referral = move(referral, status).referral
    assert referral.status == "completed"
    assert referral.closed_at is not None and referral.status_due_at is None
    assert referral.version == 5
    assert _referral_events_on_case(referral.case) == [
        "sent",
        "received",
        "accepted",
        "in_service",
        "completed",
    ]


def test_each_status_gets_the_deadline_of_the_time_limit_table(referral, move):
    assert (referral.status_due_at - referral.sent_at).days == 2
    received = move(referral, "received").referral
    assert (received.status_due_at - received.status_entered_at).days == 5
    accepted = move(received, "accepted").referral
    assert (accepted.status_due_at - accepted.status_entered_at).days == 14


def test_the_table_refuses_to_complete_a_referral_that_never_started(referral, move):
    with pytest.raises(ReferralTransitionError, match="바꿀 수 없습니다"):
        move(referral, "completed")
    referral.refresh_from_db()
    assert referral.status == "sent"


def test_declining_needs_a_reason(referral, move):
    with pytest.raises(ReferralTransitionError, match="사유"):
        move(referral, "declined", reason="  ")
    declined = move(referral, "declined", reason="정원 초과").referral
    assert (declined.status, declined.reason) == ("declined", "정원 초과")


def test_the_database_refuses_a_cancelled_referral_without_a_reason(referral):
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.filter(pk=referral.pk).update(
            status="cancelled", closed_at=referral.sent_at
        )


def test_the_referring_side_may_not_accept_and_the_receiving_side_may_not_cancel(
    referral, move, centre_a, officer_dong_a
):
    with pytest.raises(PermissionDenied):
        move(referral, "accepted", organisation=centre_a, by=officer_dong_a)
    with pytest.raises(PermissionDenied):
        move(referral, "cancelled", reason="필요 없어짐")
    cancelled = referral_status_update(
        referral=referral,
        to_status="cancelled",
        organisation=centre_a,
        by=officer_dong_a,
        reason="가구 전출",
    ).referral
    assert cancelled.status == "cancelled"


def test_a_worker_of_another_organisation_cannot_act_for_the_receiving_one(
    referral, move, private_worker_unlinked
):
    with pytest.raises(PermissionDenied):
        move(referral, "received", by=private_worker_unlinked)


def test_a_stale_version_is_refused_and_changes_nothing(referral, move):
    move(referral, "received", expected_version=1)
    with pytest.raises(ReferralConflictError, match="먼저"):
        move(referral, "declined", expected_version=1, reason="정원 초과")
    referral.refresh_from_db()
    assert (referral.status, referral.version) == ("received", 2)


def test_the_same_update_replayed_with_its_key_changes_nothing(referral, move):
    first = move(referral, "received", idempotency_key="k-1", expected_version=1)
    again = move(referral, "received", idempotency_key="k-1", expected_version=1)
    assert again.replayed and not first.replayed
    assert again.event.pk == first.event.pk
    assert ReferralEvent.objects.filter(referral=referral).count() == 2  # sent, received
    assert _referral_events_on_case(referral.case).count("received") == 1


def test_reaching_a_status_already_reached_is_a_replay_not_an_error(referral, move):
    move(referral, "accepted")
    again = move(referral, "accepted", expected_version=1)
    assert again.replayed
    assert again.referral.version == 2


def test_a_key_reused_for_another_status_is_a_conflict(referral, move):
    move(referral, "received", idempotency_key="k-2")
    with pytest.raises(ReferralConflictError, match="Idempotency-Key"):
        move(referral, "accepted", idempotency_key="k-2")


def test_the_same_send_replayed_creates_one_referral(send_referral, private_worker):
    first = send_referral(idempotency_key="send-1")
    second = send_referral(idempotency_key="send-1")
    assert first.pk == second.pk
    assert Referral.objects.count() == 1


def test_a_closed_case_cannot_be_referred(send_referral, case_a, officer_dong_a):
    from bokjihub.cases.services import case_close

    case_close(case=case_a, by=officer_dong_a, outcome="goals_met", override_reason="시험")
    with pytest.raises(ReferralTransitionError, match="종결"):
        send_referral()


def test_an_organisation_not_working_on_the_case_cannot_refer_it(
    case_a, senior_centre, private_worker, centre_b
):
    from bokjihub.referrals.services import referral_send

    with pytest.raises(PermissionDenied):
        referral_send(
            case=case_a,
            from_organisation=senior_centre,
            by=private_worker,
            to_organisation=centre_b,
            need_domain="economy",
            request_text="긴급지원",
        )


def test_without_consent_only_the_minimum_travels(send_referral, private_worker):
    referral = send_referral()
    assert referral.shared_level == "minimum"
    assert set(referral.shared) == {
        "case_reference",
        "dong",
        "referrer",
        "referrer_organisation",
        "referrer_phone",
    }
    assert "김영수" not in str(referral.shared)


def test_with_a_consent_naming_the_centre_name_and_contact_travel(
    send_referral, private_worker_with_consent, income_consent_for_senior_centre
):
    referral = send_referral()
    assert referral.shared_level == "consented"
    assert referral.shared_consent == income_consent_for_senior_centre
    assert referral.shared["name"] == "김영수"
    assert "양재대로 1480" in referral.shared["address"]
    assert "4503151234563" not in str(referral.shared) and "income" not in str(referral.shared)


def test_a_consent_naming_another_organisation_shares_nothing_more(
    send_referral, consent_for, household_dong_a, youth_centre, private_worker
):
    consent_for(household_dong_a.members.get(), categories=["contact"], organisation=youth_centre)
    assert send_referral().shared_level == "minimum"


def test_a_network_consent_carries_the_name_only_while_the_mou_is_in_force(
    send_referral, consent_for, household_dong_a, hope_network, private_worker
):
    """The referral asks the same consent policy as the household page: a network MOU
    that has expired opens nothing (it did, when referrals kept their own copy)."""
    from datetime import timedelta

    from django.utils import timezone

    consent_for(household_dong_a.members.get(), categories=["contact"], network=hope_network)
    assert send_referral().shared_level == "consented"
    hope_network.expires_on = timezone.localdate() - timedelta(days=1)
    hope_network.save(update_fields=["expires_on"])
    assert send_referral().shared_level == "minimum"


def test_a_status_value_outside_the_list_is_refused(referral, move):
    with pytest.raises(ReferralTransitionError):
        move(referral, "teleported")
    assert ReferralStatus.SENT == Referral.objects.get(pk=referral.pk).status


def test_a_move_reads_the_case_and_both_organisations_with_the_referral(referral, move):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bokjihub.cases.models import Case
    from bokjihub.orgs.models import Organisation

    fresh = Referral.objects.get(pk=referral.pk)
    with CaptureQueriesContext(connection) as queries:
        move(fresh, ReferralStatus.RECEIVED)
    lazy = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith("SELECT")
        and any(f'FROM "{model._meta.db_table}"' in query["sql"] for model in (Case, Organisation))
    ]
    assert lazy == []
    assert _referral_events_on_case(referral.case)[-1] == ReferralStatus.RECEIVED
