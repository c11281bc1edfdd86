"""What the review flags, and the log rows behind each flag."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from bokjihub.audit.models import AccessAction, AccessScope
from bokjihub.audit.selectors import ReviewFlag, RowFilter, access_review, review_rows
from bokjihub.audit.services import access_denied_record, access_log_write
from bokjihub.audit.tests.helpers import actor, clock, view

pytestmark = pytest.mark.django_db

SEOUL = ZoneInfo("Asia/Seoul")
OCTOBER = datetime(2026, 10, 1, tzinfo=SEOUL).date()


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 10, day, hour, minute, tzinfo=SEOUL)


def _refused(user, reference: str, at: datetime) -> None:
    with clock(at):
        access_denied_record(actor=actor(user), reference=reference)


def test_a_refusal_of_a_role_that_never_sees_personal_data_is_counted_not_flagged(
    finder, auditor, officer_dong_b, household_dong_a
):
    _refused(finder, household_dong_a.reference, _at(5, 10))
    _refused(auditor, household_dong_a.reference, _at(5, 11))
    _refused(officer_dong_b, household_dong_a.reference, _at(5, 12))

    lines = {line.username: line for line in access_review(month=OCTOBER)}

    assert (lines["finder"].refused_by_role, lines["finder"].denied_attempts) == (1, 0)
    assert lines["finder"].flags == [] and lines["auditor"].flags == []
    assert lines["officer_b"].flags == [ReviewFlag.OUT_OF_JURISDICTION]


def test_the_scope_of_a_refusal_is_written_in_its_own_column(finder, officer_dong_b):
    finder_row = access_denied_record(actor=actor(finder), reference="H-1")
    officer_row = access_denied_record(actor=actor(officer_dong_b), reference="H-1")
    assert finder_row.scope == AccessScope.ROLE_WITHOUT_ACCESS
    assert officer_row.scope == AccessScope.OUT_OF_JURISDICTION


def test_an_out_of_caseload_view_is_marked_in_the_scope_column(officer_dong_a, household_dong_a):
    row = view(officer_dong_a, household_dong_a)  # her centre does not serve this household
    from bokjihub.audit.models import AccessLog

    assert AccessLog.objects.get().scope == AccessScope.OUT_OF_CASELOAD
    assert row.in_caseload is False


def test_a_flag_links_to_exactly_the_rows_behind_it(
    login, auditor, officer_dong_a, household_dong_a
):
    view(officer_dong_a, household_dong_a, at=_at(3, 22, 15))  # after office hours
    view(officer_dong_a, household_dong_a, at=_at(3, 10))
    page = login(auditor).get(reverse("audit_review") + "?month=2026-10").content.decode()
    link = re.search(r'<a class="krds-badge[^"]*" data-flag="night_access" href="([^"]+)"', page)
    assert link is not None

    rows_page = login(auditor).get(link.group(1).replace("&amp;", "&"))

    assert rows_page.status_code == 200
    shown = re.findall(r'<tr data-row="(\d+)">', rows_page.content.decode())
    [night] = review_rows(month=OCTOBER, row_filter=RowFilter.NIGHT_ACCESS)
    assert shown == [str(night.id)]
    assert night.occurred_at.astimezone(SEOUL).hour == 22


def test_the_rows_behind_a_flag_come_a_page_at_a_time(login, auditor, officer_dong_b):
    for minute in range(55):
        _refused(officer_dong_b, f"H-{minute}", _at(7, 9, minute))
    url = reverse("audit_review_rows")
    query = {"month": "2026-10", "flag": "out_of_jurisdiction", "user": officer_dong_b.id}
    first = login(auditor).get(url, query).content.decode()
    second = login(auditor).get(url, {**query, "page": 2}).content.decode()
    assert len(re.findall(r'<tr data-row="', first)) == 50
    assert len(re.findall(r'<tr data-row="', second)) == 5
    assert "55건" in first


def test_bulk_views_drill_down_lists_only_the_days_over_the_limit(officer_dong_a):
    from bokjihub.audit.selectors import BULK_VIEWS_PER_DAY

    for household_id in range(BULK_VIEWS_PER_DAY + 1):
        with clock(_at(8, 10)):
            access_log_write(
                actor=actor(officer_dong_a),
                action=AccessAction.HOUSEHOLD_VIEW,
                purpose="case_work",
                household_id=household_id + 1,
            )
    with clock(_at(9, 10)):
        access_log_write(
            actor=actor(officer_dong_a),
            action=AccessAction.HOUSEHOLD_VIEW,
            purpose="case_work",
            household_id=1,
        )
    rows = review_rows(month=OCTOBER, row_filter=RowFilter.BULK_VIEWS)
    assert rows.count() == BULK_VIEWS_PER_DAY + 1


def test_an_unknown_flag_shows_all_the_months_rows_with_a_message(login, auditor):
    response = login(auditor).get(reverse("audit_review_rows"), {"flag": "nonsense"})
    assert response.status_code == 200
    assert "알 수 없는 점검 사항입니다." in response.content.decode()


def test_the_rows_page_is_for_reviewers_only(login, officer_dong_a):
    assert login(officer_dong_a).get(reverse("audit_review_rows")).status_code == 403


def test_the_rows_page_costs_the_same_queries_for_more_rows(
    login, auditor, officer_dong_b, django_assert_max_num_queries
):
    url = reverse("audit_review_rows")
    query = {"month": "2026-10", "flag": "out_of_jurisdiction"}
    _refused(officer_dong_b, "H-0", _at(7, 9))
    client = login(auditor)
    client.get(url, query)  # session and actor lookups warm up the same way each time
    with django_assert_max_num_queries(12) as counted:
        client.get(url, query)
    for minute in range(1, 30):
        _refused(officer_dong_b, f"H-{minute}", _at(7, 9, minute))
    with django_assert_max_num_queries(len(counted.captured_queries)):
        client.get(url, query)
