from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bokjihub.audit import selectors
from bokjihub.audit.models import AccessAction, AccessPurpose
from bokjihub.audit.selectors import ReviewFlag, ReviewLine, access_review, month_bounds
from bokjihub.audit.services import access_denied_record, access_log_write
from bokjihub.audit.tests.helpers import actor, clock, search, view

pytestmark = pytest.mark.django_db

SEOUL = ZoneInfo("Asia/Seoul")


def _at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SEOUL)


@pytest.fixture
def november(officer_dong_a, gu_case_manager, household_dong_a, household_dong_b):
    view(officer_dong_a, household_dong_a, at=_at(2, 9))
    view(officer_dong_a, household_dong_a, at=_at(3, 7, 59))  # before office hours
    view(officer_dong_a, household_dong_a, at=_at(30, 20, 0))  # after office hours
    search(officer_dong_a, "김", at=_at(3, 10))
    search(officer_dong_a, "김영수", at=_at(4, 21))  # a search, not a view
    view(gu_case_manager, household_dong_a, at=_at(5, 14))
    view(gu_case_manager, household_dong_b, at=_at(5, 15))
    # 2026-11-01 00:30 in Seoul is still 31 October in UTC; it belongs to November.
    view(gu_case_manager, household_dong_b, at=_at(1, 0, 30))
    # Outside the month, on either side.
    view(officer_dong_a, household_dong_a, at=_at(31, 23, 59, month=10))
    view(officer_dong_a, household_dong_a, at=_at(1, 0, 0, month=12))


def test_the_review_counts_each_users_views_searches_and_households(
    november, officer_dong_a, gu_case_manager
):
    lines = {line.username: line for line in access_review(month=date(2026, 11, 1))}
    assert lines["officer_a"] == ReviewLine(
        user_id=officer_dong_a.id,
        username="officer_a",
        organisation_name="길동 주민센터",
        role="welfare_officer",
        household_views=3,
        searches=2,
        distinct_households=1,
        off_hours_views=2,
        busiest_day_views=1,
        denied_attempts=0,
        exports=0,
        exports_without_reason=0,
        out_of_caseload_busiest_day=1,  # the household is outside her centre's caseload
    )
    manager = lines["gu_manager"]
    assert (manager.household_views, manager.searches, manager.distinct_households) == (3, 0, 2)
    assert manager.off_hours_views == 1


def test_the_review_lists_the_busiest_users_first(november):
    lines = access_review(month=date(2026, 11, 17))
    assert [line.username for line in lines] == ["officer_a", "gu_manager"]


def test_a_month_without_accesses_has_no_lines(november):
    assert access_review(month=date(2026, 9, 1)) == []


def test_december_ends_at_the_start_of_january_in_seoul():
    start, end = month_bounds(date(2026, 12, 5))
    assert (start, end) == (_at(1, 0, month=12), datetime(2027, 1, 1, tzinfo=SEOUL))


def test_a_quiet_month_in_office_hours_raises_no_flag(officer_dong_a, household_dong_a):
    view(officer_dong_a, household_dong_a, at=_at(2, 9))
    [line] = access_review(month=date(2026, 11, 1))
    assert line.flags == []


def test_night_time_views_are_flagged(november):
    lines = {line.username: line for line in access_review(month=date(2026, 11, 1))}
    assert ReviewFlag.NIGHT_ACCESS in lines["officer_a"].flags


def test_more_views_in_one_seoul_day_than_the_limit_are_flagged_as_bulk(
    monkeypatch, officer_dong_a, household_dong_a, household_dong_b, gu_case_manager
):
    monkeypatch.setattr(selectors, "BULK_VIEWS_PER_DAY", 2)
    # Three views on 3 November in Seoul, one of them still 2 November in UTC.
    for moment in (_at(3, 0, 30), _at(3, 10), _at(3, 11)):
        view(gu_case_manager, household_dong_a, at=moment)
    # Two a day, on two days: at the limit, not over it.
    for moment in (_at(4, 10), _at(4, 11), _at(5, 10), _at(5, 11)):
        view(officer_dong_a, household_dong_a, at=moment)
    lines = {line.username: line for line in access_review(month=date(2026, 11, 1))}
    assert lines["gu_manager"].busiest_day_views == 3
    assert ReviewFlag.BULK_VIEWS in lines["gu_manager"].flags
    assert lines["officer_a"].busiest_day_views == 2
    assert ReviewFlag.BULK_VIEWS not in lines["officer_a"].flags


def test_refused_reads_are_counted_and_flagged(officer_dong_b, household_dong_a):
    with clock(_at(6, 10)):
        access_denied_record(actor=actor(officer_dong_b), reference=household_dong_a.reference)
        access_denied_record(actor=actor(officer_dong_b), reference="no-such-household")
    [line] = access_review(month=date(2026, 11, 1))
    assert (line.username, line.denied_attempts, line.household_views) == ("officer_b", 2, 0)
    assert line.flags == [ReviewFlag.OUT_OF_JURISDICTION]


def test_only_exports_without_a_stated_reason_are_flagged(officer_dong_a, gu_case_manager):
    with clock(_at(9, 10)):
        for user, reason in ((officer_dong_a, "사례회의 자료"), (gu_case_manager, "")):
            access_log_write(
                actor=actor(user),
                action=AccessAction.EXPORT,
                purpose=AccessPurpose.CASE_WORK,
                detail=reason,
            )
    lines = {line.username: line for line in access_review(month=date(2026, 11, 1))}
    assert (lines["officer_a"].exports, lines["officer_a"].flags) == (1, [])
    assert (lines["gu_manager"].exports, lines["gu_manager"].exports_without_reason) == (1, 1)
    assert lines["gu_manager"].flags == [ReviewFlag.EXPORT_WITHOUT_REASON]


def test_the_review_takes_three_queries_whatever_the_number_of_users(
    november, django_assert_num_queries
):
    with django_assert_num_queries(3):
        access_review(month=date(2026, 11, 1))


def test_repeated_out_of_caseload_opening_is_flagged(officer_dong_a, dong_a):
    from django.utils import timezone

    from bokjihub.audit.models import AccessScope
    from bokjihub.people.selectors import OUT_OF_CASELOAD_DAILY_LIMIT

    # The scope column says "out of caseload"; the detail's wording plays no part.
    for household_id in range(OUT_OF_CASELOAD_DAILY_LIMIT + 1):
        access_log_write(
            actor=actor(officer_dong_a),
            action="household_view",
            purpose="eligibility",
            household_id=household_id + 1,
            detail="사유: 확인",
            scope=AccessScope.OUT_OF_CASELOAD,
        )

    line = access_review(month=timezone.localdate().replace(day=1))[0]
    assert line.out_of_caseload_busiest_day == OUT_OF_CASELOAD_DAILY_LIMIT + 1
    assert ReviewFlag.REPEATED_OUT_OF_CASELOAD in line.flags
