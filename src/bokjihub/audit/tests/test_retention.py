import io
import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from bokjihub.audit.models import DeidentifiedCaseCount, DestructionRegister, RetentionException
from bokjihub.audit.retention import DESTROYED, retention_destroy
from bokjihub.cases.services import case_close, case_open_or_join
from bokjihub.people.models import Household, IncomeAssessment, Person
from bokjihub.people.services import income_assessment_record

pytestmark = pytest.mark.django_db
NOW = datetime(2032, 6, 1, 9, 0, tzinfo=ZoneInfo("Asia/Seoul"))


def _closed_case(household, organisation, closed_at, note_by=None):
    case = case_open_or_join(household=household, lead_organisation=organisation).case
    if note_by is not None:
        from bokjihub.cases.services import note_add

        note_add(
            case=case,
            body="김영수 님 월세 3개월 체납",
            visibility="own_organisation",
            by=note_by,
            organisation=organisation,
        )
    return case_close(case=case, outcome="goals_met", at=closed_at, override_reason="시험")


@pytest.mark.accept_privacy
def test_households_of_cases_closed_over_five_years_ago_are_destroyed_and_counted(
    household_dong_a, household_dong_b, centre_a, centre_b, gu_office, officer_dong_a
):
    _closed_case(
        household_dong_a, centre_a, NOW - timedelta(days=365 * 5 + 10), note_by=officer_dong_a
    )
    _closed_case(household_dong_b, centre_b, NOW - timedelta(days=365 * 4))  # not yet due
    income_assessment_record(
        household=household_dong_a,
        monthly_recognised_income=400_000,
        assets=0,
        source_organisation=gu_office,
        assessed_on=date(2027, 1, 1),
    )

    result = retention_destroy(ran_by="test", now=NOW)

    assert result.households == 1 and result.persons == 1
    destroyed = Household.objects.get(pk=household_dong_a.pk)
    assert destroyed.destroyed_at == NOW
    assert destroyed.road_address == DESTROYED
    person = destroyed.members.get()
    assert person.name == DESTROYED
    assert (
        person.rrn_ciphertext is None and person.rrn_blind_index is None and person.rrn_front == ""
    )
    assert person.birth_date == date(1945, 1, 1)
    assert not IncomeAssessment.objects.filter(household=destroyed).exists()
    from bokjihub.cases.models import CaseNote

    assert list(CaseNote.objects.values_list("body", flat=True)) == [DESTROYED]
    kept = Person.objects.get(household=household_dong_b, relation_to_head="head")
    assert kept.name == "박지은"

    register = DestructionRegister.objects.get()
    assert (register.households, register.persons, register.ran_by) == (1, 1, "test")
    count = DeidentifiedCaseCount.objects.get()
    assert (count.emd_code, count.household_type, count.households, count.persons) == (
        "1174068500",
        "single_elderly",
        1,
        1,
    )


def test_a_household_under_a_retention_exception_is_kept_and_listed(
    household_dong_a, centre_a, officer_dong_a
):
    _closed_case(household_dong_a, centre_a, NOW - timedelta(days=365 * 6))
    RetentionException.objects.create(
        household=household_dong_a,
        reason="소송 진행 중",
        keep_until=date(2033, 1, 1),
        recorded_by=officer_dong_a,
        recorded_at=NOW,
    )
    result = retention_destroy(ran_by="test", now=NOW)
    assert result.households == 0 and result.exceptions_kept == 1
    assert Person.objects.get(household=household_dong_a).name == "김영수"


def test_a_household_with_an_open_case_is_never_destroyed(household_dong_a, centre_a, gu_office):
    _closed_case(household_dong_a, centre_a, NOW - timedelta(days=365 * 6))
    case_open_or_join(household=household_dong_a, lead_organisation=gu_office)  # reopened since
    assert retention_destroy(ran_by="test", now=NOW).households == 0


def test_the_command_counts_without_destroying_on_a_dry_run(household_dong_a, centre_a):
    _closed_case(household_dong_a, centre_a, datetime(2019, 1, 1, tzinfo=ZoneInfo("Asia/Seoul")))
    output = io.StringIO()
    call_command("retention", "run", "--dry-run", "--json", stdout=output)
    summary = json.loads(output.getvalue())
    assert summary["households"] == 1 and summary["register_id"] is None
    assert Person.objects.get(household=household_dong_a).name == "김영수"
    call_command("retention", "run", "--ran-by", "privacy-officer", stdout=io.StringIO())
    assert Person.objects.get(household=household_dong_a).name == DESTROYED
    assert DestructionRegister.objects.get().ran_by == "privacy-officer"
