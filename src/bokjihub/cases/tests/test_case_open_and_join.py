import pytest
from django.db import IntegrityError, transaction

from bokjihub.cases import services
from bokjihub.cases.models import Case, CaseEvent, CaseParticipant, CaseStatus
from bokjihub.cases.services import CaseAlreadyOpen, case_join, case_open, case_open_or_join
from bokjihub.people.models import Engagement

pytestmark = pytest.mark.django_db


def test_a_new_case_has_its_lead_as_participant_an_intake_deadline_and_an_opened_event(case_a):
    assert case_a.stage == "intake"
    assert (case_a.stage_due_at - case_a.stage_entered_at).days == 10
    lead = CaseParticipant.objects.get(case=case_a)
    assert (lead.role, lead.organisation) == ("lead", case_a.lead_organisation)
    assert list(case_a.events.values_list("kind", flat=True)) == ["opened"]


@pytest.mark.accept_cases
def test_a_concurrent_second_open_ends_on_the_winners_case(
    case_a, household_dong_a, senior_centre, monkeypatch
):
    # The second request read "no open case" before the first committed: its insert then
    # hits the partial unique index, and it reads the winner's row instead.
    monkeypatch.setattr(services, "_open_case_of", lambda household: None)
    opened = case_open_or_join(household=household_dong_a, lead_organisation=senior_centre)
    assert opened.created is False
    assert opened.case == case_a
    assert Case.objects.filter(household=household_dong_a, status=CaseStatus.OPEN).count() == 1
    assert CaseEvent.objects.filter(kind="opened").count() == 1


@pytest.mark.accept_cases
def test_the_database_refuses_a_second_open_case_for_a_household(case_a, senior_centre):
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(
            household=case_a.household,
            lead_organisation=senior_centre,
            opened_at=case_a.opened_at,
        )


@pytest.mark.accept_cases
def test_a_second_organisation_is_offered_to_join_and_joins_instead_of_opening(
    case_a, household_dong_a, senior_centre, private_worker
):
    with pytest.raises(CaseAlreadyOpen) as refused:
        case_open(
            household=household_dong_a,
            lead_organisation=senior_centre,
            case_manager=private_worker,
            by=private_worker,
        )
    assert refused.value.case == case_a
    assert "참여기관으로 함께해 주세요" in refused.value.message
    participant = case_join(case=refused.value.case, organisation=senior_centre, by=private_worker)
    assert participant.role == "participant"
    assert case_join(case=case_a, organisation=senior_centre, by=private_worker) == participant
    assert Case.objects.filter(household=household_dong_a).count() == 1
    assert case_a.events.filter(kind="joined").count() == 1


def test_joining_starts_an_engagement_so_the_household_enters_the_organisations_scope(
    case_a, youth_centre, private_worker_unlinked
):
    assert not Engagement.objects.filter(organisation=youth_centre).exists()
    case_join(case=case_a, organisation=youth_centre, by=private_worker_unlinked)
    engagement = Engagement.objects.get(organisation=youth_centre)
    assert engagement.household == case_a.household
    assert engagement.ended_on is None


def test_a_stranger_cannot_record_another_organisations_joining(
    case_a, youth_centre, officer_dong_b
):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        case_join(case=case_a, organisation=youth_centre, by=officer_dong_b)
