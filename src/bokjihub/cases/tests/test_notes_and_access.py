import pytest

from bokjihub.audit.models import AccessLog
from bokjihub.cases.access import CaseNotFound, access_case
from bokjihub.cases.services import case_join, note_add
from bokjihub.orgs.actors import actor_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def notes(case_a, gu_case_manager, gu_office, senior_centre, private_worker):
    case_join(case=case_a, organisation=senior_centre, by=private_worker)
    written = {}
    for visibility in ("own_organisation", "participants", "public_sector"):
        written[visibility] = note_add(
            case=case_a,
            body=f"구청 기록 {visibility}",
            visibility=visibility,
            by=gu_case_manager,
            organisation=gu_office,
        )
    written["centre"] = note_add(
        case=case_a,
        body="복지관 방문 상담: 식사 거름",
        visibility="own_organisation",
        by=private_worker,
        organisation=senior_centre,
    )
    return written


def _bodies(view):
    return {note.body for note in view.notes}


@pytest.mark.accept_cases
def test_a_private_worker_who_joined_sees_what_visibility_and_consent_allow(
    case_a, notes, private_worker, consent_for, senior_centre
):
    consent_for(
        case_a.household.members.get(), categories=["case_notes"], organisation=senior_centre
    )
    view = access_case(actor=actor_for(user=private_worker), case_id=case_a.id)
    assert _bodies(view) == {"구청 기록 participants", "복지관 방문 상담: 식사 거름"}
    note_events = [event for event in view.timeline if event.kind == "note"]
    assert {event.note_id for event in note_events} == {n.id for n in view.notes}
    assert view.is_participant


@pytest.mark.accept_cases
def test_without_consent_to_case_notes_a_joined_private_worker_sees_only_its_own(
    case_a, notes, private_worker
):
    view = access_case(actor=actor_for(user=private_worker), case_id=case_a.id)
    assert _bodies(view) == {"복지관 방문 상담: 식사 거름"}


@pytest.mark.accept_cases
def test_a_private_worker_who_did_not_join_gets_not_found_and_a_logged_refusal(
    case_a, notes, private_worker_unlinked
):
    with pytest.raises(CaseNotFound):
        access_case(actor=actor_for(user=private_worker_unlinked), case_id=case_a.id)
    row = AccessLog.objects.get(user=private_worker_unlinked)
    assert (row.action, row.detail) == ("access_denied", f"사례 {case_a.id}")


def test_public_staff_see_public_notes_in_jurisdiction_and_an_other_dong_sees_nothing(
    case_a, notes, officer_dong_a, officer_dong_b
):
    view = access_case(actor=actor_for(user=officer_dong_a), case_id=case_a.id)
    assert _bodies(view) == {"구청 기록 public_sector"}
    assert view.may_join and not view.is_participant
    with pytest.raises(CaseNotFound):
        access_case(actor=actor_for(user=officer_dong_b), case_id=case_a.id)


def test_the_case_manager_reads_the_case_with_one_log_row_and_few_queries(
    case_a, notes, gu_case_manager, django_assert_max_num_queries
):
    actor = actor_for(user=gu_case_manager)
    with django_assert_max_num_queries(20):
        view = access_case(actor=actor, case_id=case_a.id)
    assert len(view.notes) == 3  # its own three; the centre's own-organisation note stays
    row = AccessLog.objects.get(user=gu_case_manager)
    assert row.household_id == case_a.household_id
    assert row.person_ids == [m.id for m in view.members]
