"""Scenario 1, end to end: a pharmacist appointed as a finder reports an elderly man on
her phone; the report lands in the Gil-dong centre's inbox; the officer (password and
second factor) assigns it, records a call and a visit, confirms the household and the
need; the pharmacist then sees "처리 완료" and nothing about the man; the centre's found
count for the month rises by one.

Drives Debian's chromium through Playwright's sync API against pytest-django's live
server. Screenshots go to BOKJIHUB_SCREENSHOT_DIR when set, else to a temporary folder.
"""

import re
from datetime import date

import pytest
from browser_support import (  # noqa: F401 - fixtures are found by name
    browser,
    current_code,
    log_in,
    needs_chromium,
    screenshot_dir,
    watch_csp,
)

PHONE = {"width": 390, "height": 844}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.accept_intake,
    pytest.mark.accept_loop,
    needs_chromium,
]


@pytest.fixture
def pharmacist(finder, centre_a, gu_office):
    """The persona `finder`, appointed by the Gil-dong centre as a pharmacist."""
    from bokjihub.finding.finders import finder_register

    # the persona already holds the finder role there; registration adds the Finder record
    return finder_register(
        user=finder, hub=centre_a, kind="pharmacist", registered_on=date(2026, 3, 2)
    )


def _found_this_month(centre) -> int:
    from django.utils import timezone

    from bokjihub.finding.models import TriageItem
    from bokjihub.finding.selectors import finding_indicators

    items = TriageItem.objects.filter(hub=centre)
    return finding_indicators(items=items, month=timezone.localdate()).found


def test_a_finders_phone_report_is_handled_and_she_sees_only_that(
    transactional_db,
    live_server,
    browser,
    pharmacist,
    officer_dong_a,
    officer_dong_b,
    household_dong_a,
    centre_a,
    screenshot_dir,
):
    from bokjihub.finding.models import TriageItem

    base = live_server.url
    refused: list[str] = []
    found_before = _found_this_month(centre_a)

    # --- the pharmacist, on her phone ----------------------------------------------------
    phone = browser.new_page(viewport=PHONE, locale="ko-KR", is_mobile=True, has_touch=True)
    watch_csp(phone, refused)
    log_in(phone, base, "finder", "/finding/report/")
    phone.screenshot(path=screenshot_dir / "1-finder-form-phone.png", full_page=True)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.get_by_label("도움이 필요한 분의 이름").fill("김영수")
    phone.get_by_label("사는 곳").fill("양재대로 1480 3층")
    assert phone.get_by_label("동", exact=True).input_value() == "1174068500"  # 길동
    phone.locator("label", has_text="건강 문제").click()  # KRDS draws the box on the label
    phone.locator("label", has_text="고립·고독사 위험").click()
    phone.get_by_label("상황 설명").fill(
        "혼자 사시는 어르신이 두 달째 혈압약을 사러 오지 않으세요."
    )
    phone.get_by_role("button", name="신고 보내기").click()
    phone.wait_for_url("**/finding/report/sent/")
    assert phone.get_by_role("heading", name="신고가 접수되었습니다").is_visible()
    receipt = phone.locator(".receipt-number").inner_text()
    assert re.fullmatch(r"접수 \d{4}-\d{4}-\d{4}", receipt)  # "접수 2026-1207-0001"
    phone.screenshot(path=screenshot_dir / "2-finder-sent-phone.png", full_page=True)

    item = TriageItem.objects.get()
    assert item.hub == centre_a and item.emd.code == "1174068500"
    assert item.first_channel == "finder"

    # --- the Gil-dong officer ------------------------------------------------------------
    desk = browser.new_page(viewport={"width": 1280, "height": 900}, locale="ko-KR")
    watch_csp(desk, refused)
    log_in(desk, base, "officer_a", "/finding/inbox/", user=officer_dong_a)
    # the inbox names the item by its human number ("2026-길동-0001"), not the URL's hex
    row_link = desk.get_by_role("link", name=item.number)
    assert row_link.is_visible() and "-길동-" in item.number
    assert item.reference not in desk.locator("table").inner_text()
    desk.screenshot(path=screenshot_dir / "3-inbox.png", full_page=True)
    row_link.click()
    desk.wait_for_url(f"**/finding/items/{item.reference}/")

    desk.get_by_role("button", name="나에게 배정").click()
    desk.wait_for_url(f"**/finding/items/{item.reference}/")
    desk.locator("textarea[name='contact-note']").fill("전화 연결: 월세 3개월 체납, 혼자 지내심")
    desk.get_by_role("button", name="연락함으로 기록").click()
    desk.wait_for_url(f"**/finding/items/{item.reference}/")
    desk.locator("textarea[name='visit-note']").fill("방문: 냉장고가 비어 있음, 약 복용 중단")
    desk.get_by_role("button", name="방문함으로 기록").click()
    desk.wait_for_url(f"**/finding/items/{item.reference}/")

    # the registry matcher ran by itself when the report arrived: the page shows its
    # proposal with the reasons in Korean and the probability; the officer confirms it
    proposal = desk.locator("[data-match-proposal]")
    assert proposal.is_visible()
    assert "이름" in proposal.inner_text() and "%" in proposal.inner_text()
    assert desk.get_by_role("heading", name=f"발굴 항목 {item.number}").is_visible()
    desk.screenshot(path=screenshot_dir / "4-item-proposal.png", full_page=True)
    desk.get_by_role("button", name="이 가구가 맞습니다").click()
    desk.wait_for_url(f"**/finding/items/{item.reference}/")
    desk.get_by_label("확인한 욕구(사례 요약에 남습니다)").fill(
        "긴급지원 신청, 노인복지관 연계 예정"
    )
    desk.get_by_role("button", name="사례 열기").click()
    desk.wait_for_url(f"**/finding/items/{item.reference}/")
    desk.screenshot(path=screenshot_dir / "5-item-closed.png", full_page=True)
    desk.get_by_role("link", name="사례 화면으로 가기").click()
    desk.wait_for_url("**/cases/*/")
    item.refresh_from_db()
    assert (item.status, item.outcome, item.household) == ("closed", "found", household_dong_a)
    assert item.case is not None

    # the centre's found count for the month rose by one, on its home page too
    assert _found_this_month(centre_a) == found_before + 1
    desk.goto(f"{base}/")
    found_box = desk.locator(".finding-home-stats .stat-box").first
    assert found_box.locator("dd strong").inner_text() == str(found_before + 1)

    # --- the pharmacist sees "handled", and nothing about the man ------------------------
    phone.goto(f"{base}/finding/my-reports/")
    phone.screenshot(path=screenshot_dir / "6-my-reports-phone.png", full_page=True)
    assert phone.get_by_text("처리 완료").is_visible()
    assert phone.get_by_text(receipt).is_visible()  # she can tell this report apart
    content = phone.content()
    for private in (
        "김영수",
        "양재대로",
        "월세",
        "냉장고",
        "긴급지원",
        "욕구 확인",
        item.reference,
        item.number,
    ):
        assert private not in content, private
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert refused == []
