"""The core loop's services (issue 12): the proposal made by itself when a report
arrives, linking a registered household or registering a new one from the item, opening
the case in one step, and the human numbers."""

import json
import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from bokjihub.audit.models import AccessAction, AccessLog
from bokjihub.cases.models import CaseStatus
from bokjihub.finding.linking import (
    ItemOutOfScope,
    NewHousehold,
    item_case_open,
    item_household_link,
    item_household_register,
)
from bokjihub.finding.models import (
    ItemStatus,
    MatchStatus,
    Report,
    TriageEventKind,
    TriageItem,
)
from bokjihub.finding.services import (
    ConcurrentEditError,
    ReportInput,
    TransitionError,
    report_submit,
)
from bokjihub.orgs.actors import actor_for
from bokjihub.people.models import Household, Person

pytestmark = [pytest.mark.django_db, pytest.mark.accept_loop]


@pytest.fixture
def offices(centre_a, centre_b, gu_office):
    return centre_a, centre_b, gu_office


def _report(dong, **overrides) -> ReportInput:
    values = {
        "channel": "neighbour",
        "concerns": ["isolation", "housing"],
        "subject_name": "최복남",
        "subject_address": "서울특별시 강동구 양재대로 1500",
        "subject_emd_code": dong.code,
        "subject_description": "쪽방에 혼자 사시는 60대 남성",
    }
    values.update(overrides)
    return ReportInput(**values)


@pytest.fixture
def unknown_item(offices, gangdong, dong_a) -> TriageItem:
    """A report about somebody the registry does not know, in 길동."""
    return report_submit(data=_report(dong_a), sigungu=gangdong).item


def _new(dong, **overrides) -> NewHousehold:
    values = {
        "name": "최복남",
        "road_address": "서울특별시 강동구 양재대로 1500",
        "emd_code": dong.code,
        "address_detail": "지하 3호(쪽방)",
        "birth_date": date(1962, 5, 1),
        "sex": "M",
    }
    values.update(overrides)
    return NewHousehold(**values)


# --- the proposal arrives by itself ---------------------------------------------------


def test_a_report_is_matched_against_the_registry_right_after_it_is_saved(
    offices, gangdong, dong_a, household_dong_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        item = report_submit(
            data=_report(
                dong_a,
                subject_name="김영슈",
                subject_birth_year=1945,
                subject_address="양재대로 1480",
            ),
            sigungu=gangdong,
        ).item
    item.refresh_from_db()
    assert item.match_status == MatchStatus.PROPOSED
    assert item.proposed_household == household_dong_a
    assert any("이름" in reason for reason in item.match_reasons)
    assert all(re.search("[가-힣]", reason) for reason in item.match_reasons)
    assert item.events.filter(kind=TriageEventKind.MATCH_PROPOSED).count() == 1


def test_a_partner_api_report_is_matched_too(
    client, offices, gangdong, household_dong_a, django_capture_on_commit_callbacks
):
    from bokjihub.finding.partner_tokens import partner_token_issue
    from bokjihub.orgs.services import organisation_create

    kepco = organisation_create(name="한국전력공사 강동지사", kind="electricity", sigungu=gangdong)
    token = partner_token_issue(organisation=kepco)[1]
    body = {
        "concerns": ["arrears"],
        "subject_name": "김영수",
        "subject_address": "서울특별시 강동구 양재대로 1480",
        "subject_emd_code": "1174068500",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/reports",
            json.dumps(body),
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "k-1"},
        )
    assert response.status_code == 201
    item = TriageItem.objects.get()
    assert (item.match_status, item.proposed_household) == (MatchStatus.PROPOSED, household_dong_a)


def test_a_report_with_the_rrn_arrives_linked_with_the_reason_on_the_timeline(
    offices, gangdong, dong_a, household_dong_a
):
    item = report_submit(data=_report(dong_a, subject_rrn="4503151234563"), sigungu=gangdong).item
    assert item.household == household_dong_a and item.match_reasons == ["주민등록번호 일치"]
    assert item.events.filter(kind=TriageEventKind.MATCH_CONFIRMED).exists()


# --- human numbers ----------------------------------------------------------------------


def test_items_get_a_human_number_per_hub_and_year_and_reports_a_receipt(
    offices, gangdong, dong_a, dong_b
):
    first = report_submit(data=_report(dong_a), sigungu=gangdong)
    second = report_submit(data=_report(dong_a, subject_name="이말순"), sigungu=gangdong)
    other_dong = report_submit(
        data=_report(dong_b, subject_name="박하나", subject_address="천호대로 1005"),
        sigungu=gangdong,
    )
    year = first.item.received_at.year
    assert first.item.number == f"{year}-길동-0001"
    assert second.item.number == f"{year}-길동-0002"
    assert other_dong.item.number == f"{year}-천호1동-0001"
    assert str(first.item) == first.item.number
    receipts = [r.receipt_number for r in (first.report, second.report, other_dong.report)]
    assert len(set(receipts)) == 3
    assert all(re.fullmatch(rf"{year}-\d{{4}}-\d{{4}}", receipt) for receipt in receipts)


def test_a_joined_report_gets_its_own_receipt_but_no_new_item_number(offices, gangdong, dong_a):
    first = report_submit(data=_report(dong_a), sigungu=gangdong)
    again = report_submit(data=_report(dong_a, channel="finder"), sigungu=gangdong)
    assert again.joined and again.item.number == first.item.number
    assert again.report.receipt_number != first.report.receipt_number


# --- linking a registered household ---------------------------------------------------


def test_an_officer_links_a_household_of_her_dong_and_the_read_is_logged(
    unknown_item, officer_dong_a, household_dong_a
):
    actor = actor_for(user=officer_dong_a)
    linked = item_household_link(
        item=unknown_item,
        household=household_dong_a,
        actor=actor,
        expected_version=unknown_item.version,
    )
    assert (linked.household, linked.match_status) == (household_dong_a, MatchStatus.CONFIRMED)
    assert linked.events.filter(
        kind=TriageEventKind.HOUSEHOLD_LINKED, actor=officer_dong_a
    ).exists()
    log = AccessLog.objects.filter(user=officer_dong_a, household_id=household_dong_a.id).last()
    assert log.action == AccessAction.HOUSEHOLD_VIEW and "가구 연결" in log.detail


def test_linking_the_same_household_twice_is_one_link(
    unknown_item, officer_dong_a, household_dong_a
):
    actor = actor_for(user=officer_dong_a)
    stale = unknown_item.version
    item_household_link(
        item=unknown_item, household=household_dong_a, actor=actor, expected_version=stale
    )
    # the second click of a double click carries the old version: nothing changes, no error
    again = item_household_link(
        item=unknown_item, household=household_dong_a, actor=actor, expected_version=stale
    )
    assert again.household == household_dong_a
    assert again.events.filter(kind=TriageEventKind.HOUSEHOLD_LINKED).count() == 1


def test_a_stale_version_is_refused_when_another_household_was_linked(
    unknown_item, officer_dong_a, household_dong_a, dong_a
):
    from bokjihub.people.services import PersonInput, household_register

    other = household_register(
        road_address="서울특별시 강동구 양재대로 1490",
        emd_code=dong_a.code,
        members=[PersonInput(name="최복남", rrn="6205011234560", relation_to_head="head")],
    )
    actor = actor_for(user=officer_dong_a)
    stale = unknown_item.version
    item_household_link(
        item=unknown_item, household=household_dong_a, actor=actor, expected_version=stale
    )
    with pytest.raises(ConcurrentEditError):
        item_household_link(item=unknown_item, household=other, actor=actor, expected_version=stale)


def test_another_dongs_officer_cannot_link_and_a_household_of_another_dong_cannot_be_linked(
    unknown_item, officer_dong_a, officer_dong_b, household_dong_a, household_dong_b
):
    with pytest.raises(ItemOutOfScope):
        item_household_link(
            item=unknown_item, household=household_dong_a, actor=actor_for(user=officer_dong_b)
        )
    with pytest.raises(ItemOutOfScope):
        item_household_link(
            item=unknown_item, household=household_dong_b, actor=actor_for(user=officer_dong_a)
        )
    unknown_item.refresh_from_db()
    assert unknown_item.household is None


# --- registering a new household from the report ----------------------------------------


def test_a_person_not_on_the_registry_is_registered_without_an_rrn_and_linked(
    unknown_item, officer_dong_a, dong_a
):
    actor = actor_for(user=officer_dong_a)
    linked = item_household_register(
        item=unknown_item, data=_new(dong_a), actor=actor, expected_version=unknown_item.version
    )
    household = linked.household
    person = household.members.get()
    assert (person.name, person.birth_date, person.rrn_blind_index) == (
        "최복남",
        date(1962, 5, 1),
        None,
    )
    assert household.emd == dong_a and household.address_detail == "지하 3호(쪽방)"
    assert linked.events.filter(kind=TriageEventKind.HOUSEHOLD_REGISTERED).exists()
    assert AccessLog.objects.filter(
        user=officer_dong_a, action=AccessAction.PERSONAL_DATA_CHANGE, household_id=household.id
    ).exists()


def test_registering_with_an_rrn_goes_through_the_registry_service(
    unknown_item, officer_dong_a, dong_a
):
    linked = item_household_register(
        item=unknown_item,
        data=_new(dong_a, rrn="620501-1234560", birth_date=None, sex=""),
        actor=actor_for(user=officer_dong_a),
    )
    assert linked.household.members.get().rrn_front == "620501"


def test_every_problem_of_the_new_household_is_named_at_once_and_nothing_is_written(
    unknown_item, officer_dong_a, dong_b
):
    households = Household.objects.count()
    with pytest.raises(ValidationError) as refused:
        item_household_register(
            item=unknown_item,
            data=_new(dong_b, name="", birth_date=None, sex="", address_detail="가" * 101),
            actor=actor_for(user=officer_dong_a),
        )
    errors = refused.value.message_dict
    assert {"name", "birth_date", "sex", "emd_code", "address_detail"} <= set(errors)
    assert "담당 관할" in errors["emd_code"][0]
    assert Household.objects.count() == households
    unknown_item.refresh_from_db()
    assert unknown_item.household is None


def test_an_rrn_already_registered_is_refused_and_the_registry_is_untouched(
    unknown_item, officer_dong_a, dong_a, household_dong_a
):
    with pytest.raises(ValidationError) as refused:
        item_household_register(
            item=unknown_item,
            data=_new(dong_a, rrn="4503151234563"),
            actor=actor_for(user=officer_dong_a),
        )
    assert "이미 다른 가구에 등록된" in refused.value.message_dict["rrn"][0]
    assert Person.objects.filter(name="최복남").count() == 0


def test_registering_is_refused_to_another_dongs_officer_and_on_a_stale_version(
    unknown_item, officer_dong_a, officer_dong_b, dong_a, dong_b
):
    with pytest.raises(ItemOutOfScope):
        item_household_register(
            item=unknown_item, data=_new(dong_b), actor=actor_for(user=officer_dong_b)
        )
    with pytest.raises(ConcurrentEditError):
        item_household_register(
            item=unknown_item,
            data=_new(dong_a),
            actor=actor_for(user=officer_dong_a),
            expected_version=unknown_item.version - 1 or 99,
        )
    assert not Person.objects.filter(name="최복남").exists()


def test_an_item_already_linked_does_not_register_a_second_household(
    unknown_item, officer_dong_a, dong_a, household_dong_a
):
    actor = actor_for(user=officer_dong_a)
    item_household_link(item=unknown_item, household=household_dong_a, actor=actor)
    with pytest.raises(TransitionError, match="이미 가구가 연결된"):
        item_household_register(item=unknown_item, data=_new(dong_a), actor=actor)


# --- the case in one step ---------------------------------------------------------------


def test_a_linked_item_becomes_a_case_in_one_step_and_a_second_click_changes_nothing(
    unknown_item, officer_dong_a, dong_a
):
    actor = actor_for(user=officer_dong_a)
    item = item_household_register(item=unknown_item, data=_new(dong_a), actor=actor)
    version = item.version
    opened = item_case_open(item=item, actor=actor, note="월세 체납", expected_version=version)
    assert (opened.status, opened.outcome) == (ItemStatus.CLOSED, "found")
    assert opened.case.status == CaseStatus.OPEN and opened.case.household == item.household
    again = item_case_open(item=item, actor=actor, expected_version=version)
    assert again.case == opened.case
    assert opened.events.filter(kind=TriageEventKind.CLOSED).count() == 1


def test_an_unlinked_item_cannot_open_a_case(unknown_item, officer_dong_a):
    with pytest.raises(TransitionError, match="먼저 이 신고의 가구를 확인"):
        item_case_open(item=unknown_item, actor=actor_for(user=officer_dong_a))


def test_another_dongs_officer_cannot_open_the_case(
    unknown_item, officer_dong_a, officer_dong_b, household_dong_a
):
    item_household_link(
        item=unknown_item, household=household_dong_a, actor=actor_for(user=officer_dong_a)
    )
    with pytest.raises(ItemOutOfScope):
        item_case_open(item=unknown_item, actor=actor_for(user=officer_dong_b))
    unknown_item.refresh_from_db()
    assert unknown_item.case is None


def test_a_stale_version_cannot_open_the_case(unknown_item, officer_dong_a, household_dong_a):
    actor = actor_for(user=officer_dong_a)
    stale = unknown_item.version
    item_household_link(item=unknown_item, household=household_dong_a, actor=actor)
    with pytest.raises(ConcurrentEditError):
        item_case_open(item=unknown_item, actor=actor, expected_version=stale)


def test_screening_reasons_are_kept_as_data_not_as_a_text_prefix(offices, gangdong, dong_a):
    evidence = {"ranking": "rule", "score": 5.75, "reasons": ["전기요금 3개월 체납"], "signals": []}
    report = report_submit(
        data=_report(dong_a, channel="screening", subject_description="", screening=evidence),
        sigungu=gangdong,
    ).report
    stored = Report.objects.get(pk=report.pk)
    assert stored.screening == evidence and not stored.subject_description


def test_the_backfill_numbers_rows_written_without_numbers_and_moves_old_screening_reasons(
    offices, gangdong, dong_a
):
    """Migration 0005 on rows like the bench's bulk load or older screening reports."""
    import importlib

    from django.apps import apps

    backfill = importlib.import_module(
        "bokjihub.finding.migrations.0005_backfill_item_numbers_and_receipts"
    ).backfill
    kept = report_submit(data=_report(dong_a), sigungu=gangdong)
    old = report_submit(data=_report(dong_a, subject_name="이말순"), sigungu=gangdong)
    TriageItem.objects.filter(pk=old.item.pk).update(number="")
    Report.objects.filter(pk=old.report.pk).update(
        receipt_number="",
        channel="screening",
        subject_description="빅데이터 발굴: 전기요금 3개월 체납 · 수도 단수",
        screening={},
    )
    backfill(apps, None)
    old_item = TriageItem.objects.get(pk=old.item.pk)
    year = old_item.received_at.year
    assert old_item.number == f"{year}-길동-0003"  # after the two numbers already taken
    assert old_item.number != kept.item.number
    report = Report.objects.get(pk=old.report.pk)
    assert report.receipt_number and report.subject_description == ""
    assert report.screening["reasons"] == ["전기요금 3개월 체납", "수도 단수"]
    # the counter went on from there: the next report does not reuse a number
    following = report_submit(data=_report(dong_a, subject_name="박하나"), sigungu=gangdong)
    assert following.item.number == f"{year}-길동-0004"
