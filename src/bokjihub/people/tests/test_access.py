import pytest
from django.core.exceptions import PermissionDenied

from bokjihub.audit.models import AccessAction, AccessLog
from bokjihub.orgs.actors import actor_for
from bokjihub.people.access import (
    HouseholdNotFound,
    HouseholdSearch,
    SearchInputError,
    access_household,
    access_household_search,
    households_in_scope,
)

pytestmark = pytest.mark.django_db


def _actor(user):
    return actor_for(user=user, ip_address="10.0.0.7")


def test_an_officer_sees_the_households_of_her_own_dong(
    officer_dong_a, household_dong_a, household_dong_b
):
    assert list(households_in_scope(_actor(officer_dong_a))) == [household_dong_a]


@pytest.mark.accept_foundation
def test_the_officer_of_dong_b_is_refused_a_dong_a_household(officer_dong_b, household_dong_a):
    with pytest.raises(HouseholdNotFound):
        access_household(actor=_actor(officer_dong_b), reference=household_dong_a.reference)
    # nothing was read; the refused attempt itself is on record for the privacy officer
    refused = AccessLog.objects.get()
    assert refused.action == AccessAction.ACCESS_DENIED
    assert refused.household_id is None
    assert refused.person_ids == []


@pytest.mark.accept_foundation
def test_the_officer_of_dong_b_never_finds_a_dong_a_household_in_search(
    officer_dong_b, household_dong_a
):
    page = access_household_search(
        actor=_actor(officer_dong_b), search=HouseholdSearch(text="김영수")
    )
    assert list(page.object_list) == []


def test_a_gu_case_manager_sees_every_dong_of_the_gu(
    gu_case_manager, household_dong_a, household_dong_b
):
    assert set(households_in_scope(_actor(gu_case_manager))) == {household_dong_a, household_dong_b}


def test_a_private_worker_sees_only_the_households_her_centre_serves(
    private_worker, household_dong_a, household_dong_b
):
    assert list(households_in_scope(_actor(private_worker))) == [household_dong_a]


def test_a_private_worker_whose_centre_serves_nobody_sees_nothing(
    private_worker_unlinked, household_dong_a
):
    with pytest.raises(HouseholdNotFound):
        access_household(
            actor=_actor(private_worker_unlinked), reference=household_dong_a.reference
        )


def test_a_finder_may_not_search_households(finder, household_dong_a):
    with pytest.raises(PermissionDenied):
        access_household_search(actor=_actor(finder), search=HouseholdSearch(text="김"))
    assert households_in_scope(_actor(finder)).count() == 0


@pytest.mark.accept_foundation
def test_each_household_read_writes_exactly_one_access_log_row(officer_dong_a, household_dong_a):
    view = access_household(
        actor=_actor(officer_dong_a),
        reference=household_dong_a.reference,
        purpose="eligibility",
        purpose_text="기초생활수급 신청 상담",
    )
    rows = list(AccessLog.objects.all())
    assert len(rows) == 1
    row = rows[0]
    assert row.action == AccessAction.HOUSEHOLD_VIEW
    assert row.household_id == household_dong_a.id
    assert row.person_ids == [member.id for member in view.members]
    assert row.username == "officer_a"
    assert row.organisation_name == "길동 주민센터"
    assert row.ip_address == "10.0.0.7"
    assert row.occurred_at.microsecond == 0


def test_search_by_name_prefix_finds_the_person_and_logs_what_was_shown(
    officer_dong_a, household_dong_a
):
    page = access_household_search(
        actor=_actor(officer_dong_a), search=HouseholdSearch(text="김영")
    )
    assert [person.name for person in page.object_list] == ["김영수"]
    log = AccessLog.objects.get()
    assert log.action == AccessAction.HOUSEHOLD_SEARCH
    assert log.person_ids == [page.object_list[0].id]


def test_search_by_full_rrn_uses_the_blind_index(
    gu_case_manager, household_dong_a, household_dong_b
):
    page = access_household_search(
        actor=_actor(gu_case_manager), search=HouseholdSearch(text="880722-2345675")
    )
    assert [person.name for person in page.object_list] == ["박지은"]
    assert "880722-2345675" not in AccessLog.objects.get().detail


def test_search_by_the_shown_part_of_the_rrn(gu_case_manager, household_dong_a, household_dong_b):
    page = access_household_search(
        actor=_actor(gu_case_manager), search=HouseholdSearch(text="150303-3******")
    )
    assert [person.name for person in page.object_list] == ["박서준"]


def test_search_by_address(gu_case_manager, household_dong_a, household_dong_b):
    page = access_household_search(
        actor=_actor(gu_case_manager), search=HouseholdSearch(text="천호대로 1005")
    )
    assert {person.name for person in page.object_list} == {"박지은", "박서준"}


def test_search_filtered_by_dong(gu_case_manager, household_dong_a, household_dong_b, dong_b):
    page = access_household_search(
        actor=_actor(gu_case_manager), search=HouseholdSearch(emd_code=dong_b.code)
    )
    assert {person.name for person in page.object_list} == {"박지은", "박서준"}


def test_a_malformed_rrn_in_search_gets_a_specific_message(gu_case_manager):
    with pytest.raises(SearchInputError) as raised:
        access_household_search(
            actor=_actor(gu_case_manager), search=HouseholdSearch(text="881322-2345675")
        )
    assert "생년월일" in raised.value.message or "날짜" in raised.value.message


def test_search_pages_hold_twenty_persons(gu_case_manager, dong_a):
    import random
    from datetime import date

    from bokjihub.engine.rrn import make_rrn
    from bokjihub.people.services import PersonInput, household_register

    rng = random.Random(5)
    for index in range(25):
        household_register(
            road_address=f"서울특별시 강동구 양재대로 {100 + index} (길동)",
            emd_code=dong_a.code,
            members=[
                PersonInput(
                    name=f"이민{index:02d}",
                    rrn=make_rrn(birth_date=date(1970, 1, 1 + index), sex="M", rng=rng),
                    relation_to_head="head",
                )
            ],
        )
    first = access_household_search(
        actor=_actor(gu_case_manager), search=HouseholdSearch(text="이민")
    )
    second = access_household_search(
        actor=_actor(gu_case_manager), search=HouseholdSearch(text="이민"), page_number=2
    )
    assert len(first.object_list) == 20
    assert len(second.object_list) == 5
    assert first.paginator.count == 25


def test_a_household_whose_open_case_the_office_leads_is_in_its_caseload(
    gu_case_manager, gu_office, household_dong_a
):
    from bokjihub.cases.services import case_open_or_join
    from bokjihub.people.access import is_in_caseload

    actor = _actor(gu_case_manager)
    assert not is_in_caseload(actor, household_dong_a)
    case_open_or_join(household=household_dong_a, lead_organisation=gu_office)
    assert is_in_caseload(actor, household_dong_a)
