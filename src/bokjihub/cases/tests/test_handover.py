import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from bokjihub.cases.models import Case, CaseEvent, CaseStatus
from bokjihub.cases.services import case_open_or_join, cases_handover
from bokjihub.orgs.services import membership_grant, user_create
from bokjihub.people.models import Household

pytestmark = pytest.mark.django_db


def _households(emd, count):
    # A factory: handover concerns cases, not household members.
    return Household.objects.bulk_create(
        Household(emd=emd, road_address=f"서울특별시 강동구 양재대로 {1000 + n} (길동)")
        for n in range(count)
    )


@pytest.fixture
def successors(gu_office):
    users = []
    for name in ("successor_1", "successor_2"):
        user = user_create(username=name, password="x-unused-9", display_name=name)
        membership_grant(user=user, organisation=gu_office, role="case_manager")
        users.append(user)
    return users


@pytest.mark.accept_cases
def test_handing_over_300_cases_is_one_action_and_leaves_none_without_a_manager(
    dong_a, gu_office, gu_case_manager, successors, django_assert_max_num_queries
):
    for household in _households(dong_a, 300):
        case_open_or_join(
            household=household, lead_organisation=gu_office, case_manager=gu_case_manager
        )
    first, second = successors
    some = list(Case.objects.order_by("id").values_list("id", flat=True)[:40])
    with django_assert_max_num_queries(20):
        result = cases_handover(
            from_user=gu_case_manager,
            to_user=first,
            assignments=dict.fromkeys(some, second),
            note="남구청 전보: 고위기 3건 우선 방문 필요",
            by=gu_case_manager,
        )
    assert result.moved == 300
    assert result.by_successor == {first.id: 260, second.id: 40}
    assert not Case.objects.filter(status=CaseStatus.OPEN, case_manager=gu_case_manager).exists()
    assert not Case.objects.filter(status=CaseStatus.OPEN, case_manager__isnull=True).exists()
    assert CaseEvent.objects.filter(kind="manager_changed", handover=result.handover).count() == 300


@pytest.mark.accept_cases
def test_a_handover_with_a_case_left_without_a_successor_moves_nothing(
    dong_a, gu_office, gu_case_manager, successors
):
    cases = [
        case_open_or_join(
            household=h, lead_organisation=gu_office, case_manager=gu_case_manager
        ).case
        for h in _households(dong_a, 3)
    ]
    with pytest.raises(ValidationError, match="새 담당자가 정해지지 않은 사례가 2건"):
        cases_handover(
            from_user=gu_case_manager,
            assignments={cases[0].id: successors[0]},
            note="전보",
            by=gu_case_manager,
        )
    assert Case.objects.filter(case_manager=gu_case_manager).count() == 3


def test_a_successor_must_work_at_the_lead_organisation(
    dong_a, gu_office, gu_case_manager, officer_dong_a
):
    for household in _households(dong_a, 2):
        case_open_or_join(
            household=household, lead_organisation=gu_office, case_manager=gu_case_manager
        )
    with pytest.raises(ValidationError, match="주관기관 소속이 아닌"):
        cases_handover(
            from_user=gu_case_manager, to_user=officer_dong_a, note="전보", by=gu_case_manager
        )
    assert timezone.now()
