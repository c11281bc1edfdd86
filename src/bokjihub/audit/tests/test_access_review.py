from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bokjihub.audit.selectors import ReviewLine, access_review, month_bounds
from bokjihub.audit.tests.helpers import search, view

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
