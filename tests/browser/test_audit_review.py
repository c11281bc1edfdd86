"""The privacy officer reviews last month in the pages: follows a flag to its rows, signs
the month off, and finds who viewed a person, in Debian's chromium.

The log rows are written before the story starts; the sign-off and the logged lookup are
checked in the database after it ends. Screenshots go to BOKJIHUB_SCREENSHOT_DIR when set.
"""

from datetime import datetime, time

import pytest
from browser_support import (  # noqa: F401 - fixtures are found by name
    browser,
    needs_chromium,
    screenshot_dir,
)
from django.utils import timezone

from bokjihub.audit.selectors import SEOUL, shift_month

pytestmark = [pytest.mark.browser, pytest.mark.accept_loop, needs_chromium]


@pytest.fixture
def last_month(officer_dong_a, officer_dong_b, finder, household_dong_a):
    from bokjihub.audit.services import access_denied_record
    from bokjihub.audit.tests.helpers import actor, clock, view

    month = shift_month(timezone.localdate().replace(day=1), -1)
    late = datetime.combine(month.replace(day=10), time(22, 30), tzinfo=SEOUL)
    view(officer_dong_a, household_dong_a, at=late)
    with clock(late.replace(hour=11)):
        access_denied_record(actor=actor(officer_dong_b), reference=household_dong_a.reference)
        access_denied_record(actor=actor(finder), reference=household_dong_a.reference)
    return month


def test_the_privacy_officer_reviews_signs_off_and_finds_who_viewed_a_person(
    transactional_db, live_server, browser, auditor, last_month, household_dong_a, screenshot_dir
):
    from conftest import TEST_PASSWORD

    from bokjihub.audit.models import AccessLog, AccessPurpose, ReviewSignOff

    base = live_server.url
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="ko-KR")
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(f"{base}/login/?next=/")
    page.get_by_label("아이디").fill("auditor")
    page.get_by_label("비밀번호").fill(TEST_PASSWORD)
    page.get_by_role("button", name="로그인").click()
    page.wait_for_url(f"{base}/")
    page.get_by_role("link", name="접속기록 보기").click()

    # The latest month with rows is last month: the review opens there.
    heading = f"{last_month.year}년 {last_month.month}월 접속기록 점검"
    page.get_by_role("heading", name=heading).wait_for()
    officer_b = page.locator("tr", has=page.get_by_role("rowheader", name="officer_b"))
    assert officer_b.locator('[data-flag="out_of_jurisdiction"]').is_visible()
    finder_row = page.locator("tr", has=page.get_by_role("rowheader", name="finder"))
    assert finder_row.locator("[data-flag]").count() == 0
    page.screenshot(path=screenshot_dir / "audit-1-review.png", full_page=True)

    officer_a = page.locator("tr", has=page.get_by_role("rowheader", name="officer_a"))
    officer_a.get_by_role("link", name="업무시간 외 조회").click()
    page.wait_for_url("**/audit/review/rows/?*")
    assert page.locator("tbody tr").count() == 1
    page.screenshot(path=screenshot_dir / "audit-2-rows.png", full_page=True)
    page.get_by_role("link", name="점검으로").click()

    note = page.get_by_label("점검 결과")
    note.fill("야간 조회 1건은 긴급 방문 준비로 확인함. 관할 밖 시도 1건 소명 요청.")
    assert page.locator("#note-counter [data-count]").inner_text() == "42"
    page.get_by_role("button", name="이 달 점검 확인").click()
    page.get_by_text("야간 조회 1건은 긴급 방문 준비로 확인함.").wait_for()
    page.screenshot(path=screenshot_dir / "audit-3-signed-off.png", full_page=True)

    page.get_by_role("link", name="특정 대상자를 누가 열람했는지 찾기").click()
    page.get_by_label("이름").fill("김영수")
    page.get_by_label("생년월일").fill("1945-03-15")
    page.get_by_label("기간 시작").fill(f"{last_month:%Y-%m-%d}")
    page.get_by_role("button", name="찾기").click()
    page.get_by_role("heading", name="열람 기록").wait_for()
    results = page.locator("#result tbody tr")
    assert results.count() == 2  # the officer's view, and this lookup itself
    assert "officer_a" in results.nth(1).inner_text()
    page.screenshot(path=screenshot_dir / "audit-4-who-viewed.png", full_page=True)
    assert refused == []

    sign_off = ReviewSignOff.objects.get()
    assert (sign_off.month, sign_off.signed_by, sign_off.amends) == (last_month, auditor, None)
    lookup = AccessLog.objects.get(user=auditor)
    assert lookup.purpose == AccessPurpose.AUDIT
    assert lookup.person_ids == [household_dong_a.members.get().id]
