import pytest

from bokjihub.finding.matching import MATCH_THRESHOLD, propose_household_match
from bokjihub.finding.models import MatchStatus, TriageEventKind, TriageItem
from bokjihub.finding.services import (
    ReportInput,
    item_match_confirm,
    item_match_reject,
    report_submit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def offices(centre_a, centre_b, gu_office):
    return centre_a, centre_b, gu_office


def _report(dong, **overrides) -> ReportInput:
    values = {
        "channel": "neighbour",
        "concerns": ["isolation"],
        "subject_name": "김영슈",  # one jamo off 김영수
        "subject_birth_year": 1945,
        "subject_address": "양재대로 1480",
        "subject_emd_code": dong.code,
    }
    values.update(overrides)
    return ReportInput(**values)


def _submitted_and_matched(data, gangdong) -> TriageItem:
    item = report_submit(data=data, sigungu=gangdong).item
    propose_household_match(item=item)  # no-op if report_submit already proposed
    return TriageItem.objects.get(pk=item.pk)


def test_a_report_with_a_one_jamo_typo_is_proposed_for_the_registered_household(
    offices, gangdong, dong_a, household_dong_a, household_dong_b
):
    item = _submitted_and_matched(_report(dong_a), gangdong)
    assert item.match_status == MatchStatus.PROPOSED
    assert item.proposed_household == household_dong_a
    assert item.household is None  # proposed, never confirmed by itself
    assert item.match_probability >= MATCH_THRESHOLD
    event = item.events.get(kind=TriageEventKind.MATCH_PROPOSED)
    assert event.note.startswith("이름 자모 하나 차이 · 출생연도 일치 · 같은 도로명 주소")
    assert event.actor is None


def test_the_proposal_names_its_reasons_and_probability(offices, dong_a, household_dong_a):
    item = report_submit(data=_report(dong_a), sigungu=dong_a.sigungu).item
    TriageItem.objects.filter(pk=item.pk).update(
        match_status=MatchStatus.UNMATCHED, proposed_household=None
    )
    item.refresh_from_db()
    item.events.filter(kind=TriageEventKind.MATCH_PROPOSED).delete()
    proposal = propose_household_match(item=item)
    assert proposal is not None
    assert proposal.household == household_dong_a
    assert proposal.person.name == "김영수"
    assert proposal.reasons == ["이름 자모 하나 차이", "출생연도 일치", "같은 도로명 주소"]
    assert item.match_status == MatchStatus.PROPOSED  # the instance passed in is updated
    assert item.version == TriageItem.objects.get(pk=item.pk).version
    # asked again, nothing changes and no second event is written
    assert propose_household_match(item=item) is None
    assert item.events.filter(kind=TriageEventKind.MATCH_PROPOSED).count() == 1


@pytest.mark.parametrize(
    "overrides",
    [
        {"subject_name": "박민지", "subject_birth_year": 1990},  # someone else at the address
        {"subject_name": "김영수", "subject_birth_year": 1988, "subject_address": "천호대로 1005"},
        {"subject_name": "", "subject_birth_year": None, "subject_description": "2층 할머니"},
    ],
)
def test_a_report_about_someone_else_is_not_proposed(
    offices, gangdong, dong_a, household_dong_a, household_dong_b, overrides
):
    item = _submitted_and_matched(_report(dong_a, **overrides), gangdong)
    assert item.match_status == MatchStatus.UNMATCHED
    assert item.proposed_household is None
    assert not item.events.filter(kind=TriageEventKind.MATCH_PROPOSED).exists()


def test_a_household_in_another_dong_is_found_through_the_name_block(
    offices, gangdong, dong_a, dong_b, household_dong_b
):
    # reported with the right Dong but a misspelt given name: name prefix 박지 + birth year
    data = _report(
        dong_b, subject_name="박지언", subject_birth_year=1988, subject_address="천호대로 1005"
    )
    item = _submitted_and_matched(data, gangdong)
    assert item.proposed_household == household_dong_b


def test_items_matched_by_rrn_or_rejected_are_left_alone(
    offices, gangdong, dong_a, household_dong_a, officer_dong_a
):
    by_rrn = report_submit(data=_report(dong_a, subject_rrn="4503151234563"), sigungu=gangdong)
    assert by_rrn.item.match_status == MatchStatus.CONFIRMED
    assert propose_household_match(item=by_rrn.item) is None

    item = _submitted_and_matched(_report(dong_a, subject_name="김영수"), gangdong)
    rejected = item_match_reject(item=item, by=officer_dong_a)
    assert propose_household_match(item=rejected) is None
    assert TriageItem.objects.get(pk=item.pk).match_status == MatchStatus.REJECTED


def test_the_officer_confirms_a_proposal_with_the_existing_service(
    offices, gangdong, dong_a, household_dong_a, officer_dong_a
):
    item = _submitted_and_matched(_report(dong_a), gangdong)
    confirmed = item_match_confirm(item=item, household=item.proposed_household, by=officer_dong_a)
    assert confirmed.household == household_dong_a
    assert confirmed.match_status == MatchStatus.CONFIRMED
