from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from bokjihub.cases.models import Case
from bokjihub.finding.models import ItemStatus, MatchStatus, Report, TriageItem
from bokjihub.finding.services import (
    ConcurrentEditError,
    ReportInput,
    TransitionError,
    item_assign,
    item_close,
    item_contact,
    item_reroute,
    item_visit,
    report_submit,
)
from bokjihub.regions.services import sigungu_hub_level_set

pytestmark = pytest.mark.django_db


def _neighbour(**overrides) -> ReportInput:
    values = {
        "channel": "neighbour",
        "concerns": ["isolation"],
        "subject_name": "홍길순",
        "subject_address": "서울특별시 강동구 양재대로 1480 (길동)",
        "subject_description": "할머니가 며칠째 보이지 않아요",
    }
    values.update(overrides)
    return ReportInput(**values)


@pytest.fixture
def offices(centre_a, centre_b, gu_office):
    return centre_a, centre_b, gu_office


def test_a_report_is_routed_to_the_centre_of_the_dong_in_its_address(
    offices, gangdong, dong_a, centre_a
):
    result = report_submit(data=_neighbour(), sigungu=gangdong)
    assert result.item.hub == centre_a
    assert result.item.emd == dong_a
    assert result.item.status == ItemStatus.NEW
    assert result.item.due_at - result.item.received_at == timedelta(days=14)


def test_an_urgent_report_is_due_within_one_day(offices, gangdong):
    item = report_submit(data=_neighbour(urgency="urgent"), sigungu=gangdong).item
    assert item.due_at - item.received_at == timedelta(days=1)


def test_a_gun_that_runs_its_hub_at_the_office_receives_the_report_there(
    offices, gangdong, gu_office
):
    sigungu_hub_level_set(sigungu=gangdong, hub_level="sigungu_office")
    assert report_submit(data=_neighbour(), sigungu=gangdong).item.hub == gu_office


@pytest.mark.accept_intake
def test_an_address_matching_no_dong_is_saved_in_the_gus_needs_routing_queue(
    offices, gangdong, gu_office
):
    result = report_submit(
        data=_neighbour(subject_address="강동구 어딘가 시장 근처"), sigungu=gangdong
    )
    assert result.item.needs_routing
    assert result.item.hub == gu_office
    assert Report.objects.count() == 1


@pytest.mark.accept_intake
@pytest.mark.parametrize(
    ("overrides", "field", "expected"),
    [
        (
            {"subject_name": "", "subject_address": "", "subject_description": ""},
            "subject_name",
            "중 하나는",
        ),
        ({"concerns": []}, "concerns", "하나 이상"),
        ({"channel": "pigeon"}, "channel", "신고 경로"),
        ({"reporter_kind": "identified"}, "reporter_name", "이름이나 연락처"),
        ({"subject_rrn": "521301-2345676"}, "subject_rrn", "생년월일"),
    ],
)
def test_missing_or_wrong_fields_get_specific_messages_and_nothing_is_saved(
    offices, gangdong, overrides, field, expected
):
    with pytest.raises(ValidationError) as raised:
        report_submit(data=_neighbour(**overrides), sigungu=gangdong)
    assert expected in raised.value.message_dict[field][0]
    assert Report.objects.count() == TriageItem.objects.count() == 0


@pytest.mark.accept_intake
def test_two_reports_about_the_same_person_within_a_month_become_one_item(offices, gangdong):
    first = report_submit(data=_neighbour(), sigungu=gangdong)
    second = report_submit(
        data=_neighbour(
            channel="finder",
            concerns=["arrears"],
            subject_address="서울특별시 강동구 양재대로 1480",
        ),
        sigungu=gangdong,
        received_at=timezone.now() + timedelta(days=20),
    )
    assert second.joined
    assert second.item == first.item
    item = TriageItem.objects.get()
    assert item.report_count == 2
    assert item.concerns == ["arrears", "isolation"]


def test_a_report_after_the_month_is_a_new_item(offices, gangdong):
    report_submit(data=_neighbour(), sigungu=gangdong)
    later = report_submit(
        data=_neighbour(), sigungu=gangdong, received_at=timezone.now() + timedelta(days=31)
    )
    assert not later.joined
    assert TriageItem.objects.count() == 2


def test_a_report_naming_a_registered_rrn_joins_the_households_open_item(
    offices, gangdong, household_dong_a
):
    first = report_submit(
        data=_neighbour(subject_rrn="450315-1234563", subject_name="김영수"), sigungu=gangdong
    )
    assert first.item.household == household_dong_a
    assert first.item.match_status == MatchStatus.CONFIRMED
    other = report_submit(
        data=_neighbour(
            subject_rrn="4503151234563",
            subject_name="",
            subject_address="",
            channel="call_centre_129",
        ),
        sigungu=gangdong,
    )
    assert other.item == first.item


@pytest.mark.accept_intake
def test_replaying_the_same_idempotency_key_creates_nothing(offices, gangdong, senior_centre):
    first = report_submit(
        data=_neighbour(channel="private_centre"),
        sigungu=gangdong,
        source_organisation=senior_centre,
        idempotency_key="req-1",
    )
    again = report_submit(
        data=_neighbour(channel="private_centre"),
        sigungu=gangdong,
        source_organisation=senior_centre,
        idempotency_key="req-1",
    )
    assert not again.created
    assert again.report == first.report
    different_key = report_submit(
        data=_neighbour(channel="private_centre"),
        sigungu=gangdong,
        source_organisation=senior_centre,
        idempotency_key="req-2",
    )
    assert different_key.joined and different_key.item == first.item
    assert Report.objects.count() == 2


def test_the_triage_states_move_only_along_the_table(
    offices, gangdong, officer_dong_a, household_dong_a
):
    item = report_submit(data=_neighbour(subject_rrn="4503151234563"), sigungu=gangdong).item
    item = item_assign(item=item, to_user=officer_dong_a, by=officer_dong_a)
    with pytest.raises(TransitionError, match="바꿀 수 없습니다"):
        item_visit(item=item, by=officer_dong_a)
    item = item_contact(item=item, by=officer_dong_a, note="전화 통화")
    item = item_visit(item=item, by=officer_dong_a, note="월세 체납 확인")
    item = item_close(item=item, outcome="found", by=officer_dong_a)
    assert item.status == ItemStatus.CLOSED
    assert item.case == Case.objects.get(household=household_dong_a)
    assert list(item.events.values_list("kind", flat=True)) == [
        "received",
        "match_confirmed",  # the RRN named the household: the link is on the timeline
        "assigned",
        "contacted",
        "visited",
        "closed",
    ]


def test_found_without_a_confirmed_household_is_refused(offices, gangdong, officer_dong_a):
    item = report_submit(data=_neighbour(), sigungu=gangdong).item
    with pytest.raises(TransitionError, match="가구를 먼저"):
        item_close(item=item, outcome="found", by=officer_dong_a)
    assert TriageItem.objects.get().status == ItemStatus.NEW


def test_a_stale_edit_is_refused_instead_of_overwriting(offices, gangdong, officer_dong_a):
    item = report_submit(data=_neighbour(), sigungu=gangdong).item
    seen_version = item.version
    item_assign(item=item, to_user=officer_dong_a, by=officer_dong_a)
    with pytest.raises(ConcurrentEditError):
        item_contact(item=item, by=officer_dong_a, expected_version=seen_version)


def test_an_item_in_the_needs_routing_queue_is_rerouted_to_a_dong_with_a_reason(
    offices, gangdong, dong_b, centre_b, officer_dong_a
):
    item = report_submit(data=_neighbour(subject_address="강동구 시장 근처"), sigungu=gangdong).item
    with pytest.raises(TransitionError, match="이유"):
        item_reroute(item=item, emd_code=dong_b.code, reason=" ", by=officer_dong_a)
    item = item_reroute(
        item=item, emd_code=dong_b.code, reason="천호시장 상인 확인", by=officer_dong_a
    )
    assert item.hub == centre_b and not item.needs_routing


def test_a_report_about_a_household_with_an_open_case_is_linked_to_that_case(
    offices, gangdong, household_dong_a, centre_a
):
    from bokjihub.cases.services import case_open_or_join

    case = case_open_or_join(household=household_dong_a, lead_organisation=centre_a).case
    result = report_submit(data=_neighbour(subject_rrn="4503151234563"), sigungu=gangdong)
    assert result.item.case == case
    assert "사례관리 중" in result.notes[0]
    assert Case.objects.filter(household=household_dong_a).count() == 1


def test_a_stale_reroute_is_refused_by_the_service(offices, gangdong, dong_b, officer_dong_a):
    item = report_submit(data=_neighbour(subject_address="강동구 시장 근처"), sigungu=gangdong).item
    seen = item.version
    item_assign(item=item, to_user=officer_dong_a, by=officer_dong_a)
    with pytest.raises(ConcurrentEditError):
        item_reroute(
            item=item, emd_code=dong_b.code, reason="확인", by=officer_dong_a, expected_version=seen
        )
    assert TriageItem.objects.get().needs_routing
