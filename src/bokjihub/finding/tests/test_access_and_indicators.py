from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied

from bokjihub.finding.access import (
    InboxFilter,
    TriageItemNotFound,
    access_inbox,
    access_item,
    items_in_scope,
)
from bokjihub.finding.selectors import finding_indicators
from bokjihub.finding.services import ReportInput, item_close, item_contact, report_submit
from bokjihub.orgs.actors import actor_for

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")


def _report(gangdong, address="서울특별시 강동구 양재대로 1480 (길동)", **extra):
    data = ReportInput(
        channel=extra.pop("channel", "neighbour"),
        concerns=["isolation"],
        subject_name=extra.pop("name", "홍길순"),
        subject_address=address,
        **extra,
    )
    return report_submit(data=data, sigungu=gangdong).item


@pytest.fixture
def items(centre_a, centre_b, gu_office, gangdong):
    return _report(gangdong), _report(
        gangdong, "서울특별시 강동구 천호대로 1005 (천호1동)", name="박철수"
    )


@pytest.mark.accept_intake
def test_an_officer_of_another_dong_can_neither_see_nor_open_the_item(
    items, officer_dong_a, officer_dong_b
):
    item_a, item_b = items
    actor_b = actor_for(user=officer_dong_b)
    assert list(items_in_scope(actor_b)) == [item_b]
    with pytest.raises(TriageItemNotFound):
        access_item(actor=actor_b, reference=item_a.reference)
    assert access_item(actor=actor_for(user=officer_dong_a), reference=item_a.reference) == item_a


def test_the_gu_office_sees_every_item_of_the_gu(items, gu_case_manager):
    assert set(items_in_scope(actor_for(user=gu_case_manager))) == set(items)


def test_a_finder_has_no_inbox(items, finder):
    with pytest.raises(PermissionDenied):
        access_inbox(actor=actor_for(user=finder), flt=InboxFilter())


def test_the_inbox_shows_urgent_items_first_and_filters_overdue(
    centre_a, gu_office, gangdong, officer_dong_a
):
    normal = _report(gangdong)
    urgent = _report(
        gangdong, "서울특별시 강동구 양재대로 1500 (길동)", name="이순자", urgency="urgent"
    )
    actor = actor_for(user=officer_dong_a)
    assert list(access_inbox(actor=actor, flt=InboxFilter()).object_list) == [urgent, normal]
    assert list(access_inbox(actor=actor, flt=InboxFilter(overdue_only=True)).object_list) == []


def test_the_inbox_costs_the_same_queries_for_any_page_size(
    centre_a, gu_office, gangdong, officer_dong_a, django_assert_max_num_queries
):
    for number in range(30):
        _report(
            gangdong, f"서울특별시 강동구 양재대로 {2000 + number} (길동)", name=f"대상{number}"
        )
    actor = actor_for(user=officer_dong_a)
    with django_assert_max_num_queries(8):
        page = access_inbox(actor=actor, flt=InboxFilter())
        [(item.emd.name_ko, item.assigned_to) for item in page.object_list]


def test_indicators_count_found_items_and_days_to_first_contact(
    centre_a, gu_office, gangdong, officer_dong_a, household_dong_a
):
    received = datetime(2026, 11, 3, 10, 0, tzinfo=SEOUL)
    data = ReportInput(
        channel="finder",
        concerns=["isolation"],
        subject_rrn="4503151234563",
        subject_address="서울특별시 강동구 양재대로 1480 (길동)",
    )
    item = report_submit(data=data, sigungu=gangdong, received_at=received).item
    item = item_contact(item=item, by=officer_dong_a, at=received + timedelta(days=4))
    item_close(item=item, outcome="found", by=officer_dong_a, at=received + timedelta(days=6))
    result = finding_indicators(
        items=items_in_scope(actor_for(user=officer_dong_a)), month=date(2026, 11, 1)
    )
    assert result.reports_by_channel == {"finder": 1}
    assert result.found_by_channel == {"finder": 1}
    assert result.found == 1
    assert result.median_days_to_first_contact == 4.0
    assert result.share_contacted_within_14_days == 1.0
    assert (
        finding_indicators(
            items=items_in_scope(actor_for(user=officer_dong_a)), month=date(2026, 10, 1)
        ).found
        == 0
    )
