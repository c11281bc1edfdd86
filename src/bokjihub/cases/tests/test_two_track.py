from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bokjihub.cases.selectors import two_track_indicators, unmet_needs_by_sigungu
from bokjihub.cases.services import GoalInput, case_join, plan_save, unmet_need_record
from bokjihub.finding.services import ReportInput, item_close, report_submit

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")


def _found(gangdong, officer, rrn, address, at, frozen):
    frozen(at)
    data = ReportInput(
        channel="neighbour", concerns=["isolation"], subject_rrn=rrn, subject_address=address
    )
    item = report_submit(data=data, sigungu=gangdong, received_at=at - timedelta(days=3)).item
    return item_close(item=item, outcome="found", by=officer, at=at)


@pytest.mark.accept_cases
def test_a_found_household_with_no_service_after_30_days_is_found_but_not_supported(
    gangdong,
    centre_a,
    centre_b,
    gu_office,
    officer_dong_a,
    officer_dong_b,
    household_dong_a,
    household_dong_b,
    frozen,
):
    found_a = _found(
        gangdong,
        officer_dong_a,
        "4503151234563",
        "서울특별시 강동구 양재대로 1480 (길동)",
        datetime(2026, 10, 5, 10, tzinfo=SEOUL),
        frozen,
    )
    found_b = _found(
        gangdong,
        officer_dong_b,
        "8807222345675",
        "서울특별시 강동구 천호대로 1005 (천호동)",
        datetime(2026, 10, 6, 10, tzinfo=SEOUL),
        frozen,
    )
    frozen(datetime(2026, 10, 20, 10, tzinfo=SEOUL))  # household B gets a plan in time
    case_join(case=found_b.case, organisation=centre_b, by=officer_dong_b)
    plan_save(
        case=found_b.case,
        goals=[GoalInput("economy", "긴급생계지원", centre_b, date(2026, 11, 20))],
        by=officer_dong_b,
        organisation=centre_b,
        expected_version=0,
    )
    early = two_track_indicators(
        month=date(2026, 10, 1), sigungu=gangdong, now=datetime(2026, 10, 30, tzinfo=SEOUL)
    )
    assert early.found == 2
    assert early.found_not_supported[30] == 0  # 30 days not yet passed
    later = two_track_indicators(
        month=date(2026, 10, 1), sigungu=gangdong, now=datetime(2026, 11, 20, tzinfo=SEOUL)
    )
    assert later.found_not_supported[30] == 1
    assert later.found_not_supported_case_ids[30] == [found_a.case_id]
    assert later.found_not_supported[90] == 0
    assert later.cases_opened == 2
    by_hub = two_track_indicators(
        month=date(2026, 10, 1), hub=centre_a, now=datetime(2026, 11, 20, tzinfo=SEOUL)
    )
    assert (by_hub.found, by_hub.found_not_supported[30]) == (1, 1)


def test_unmet_needs_add_up_by_sigungu_and_reason(case_a, gu_case_manager, gu_office, gangdong):
    for reason in ("no_programme", "no_programme", "no_capacity"):
        unmet_need_record(
            case=case_a,
            domain="housing",
            reason=reason,
            description="보증금 지원 사업 없음",
            by=gu_case_manager,
            organisation=gu_office,
        )
    start = datetime(2000, 1, 1, tzinfo=SEOUL)
    rows = unmet_needs_by_sigungu(start=start, end=datetime(2100, 1, 1, tzinfo=SEOUL))
    assert [(r.sigungu_id, r.reason, r.count) for r in rows] == [
        (gangdong.id, "no_programme", 2),
        (gangdong.id, "no_capacity", 1),
    ]
