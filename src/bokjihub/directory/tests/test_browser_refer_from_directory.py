"""Issue 12, item 11, in the browser: the Dong A officer, looking for a service for the
household's case, searches the directory for a meal delivery, opens the senior centre's
programme and its provider, and presses "이 서비스로 의뢰", which opens the case's
referral form with the service in its address. Without a case the same page says how to
refer.

Data is made before the story; the pages do the rest. Drives Debian's chromium through
Playwright's sync API against pytest-django's live server.
"""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[4] / "tests" / "browser"))

import browser_support
from browser_support import log_in, needs_chromium, watch_csp

# pytest finds fixtures by name in the test's module
browser = browser_support.browser
screenshot_dir = browser_support.screenshot_dir

pytestmark = [pytest.mark.browser, pytest.mark.accept_loop, needs_chromium]


def test_an_officer_finds_a_local_meal_delivery_for_a_case_and_opens_its_referral_form(
    transactional_db,
    live_server,
    browser,
    screenshot_dir,
    officer_dong_a,
    centre_a,
    senior_centre,
    household_dong_a,
    dong_a,
):
    from bokjihub.cases.services import case_open
    from bokjihub.directory.demo import demo_local_service

    case = case_open(
        household=household_dong_a,
        lead_organisation=centre_a,
        case_manager=officer_dong_a,
        by=officer_dong_a,
        summary="끼니를 거름",
    )
    meals = demo_local_service(senior_centre, emds=[dong_a])
    base = live_server.url
    refused: list[str] = []
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ko-KR")
    page = context.new_page()
    watch_csp(page, refused)

    search_path = f"/directory/?case={case.id}"
    log_in(page, base, "officer_a", search_path, officer_dong_a)
    page.get_by_label("검색어").fill("도시락")
    page.get_by_role("button", name="찾기").click()
    page.wait_for_url("**/directory/?*q=*")
    assert f"case={case.id}" in page.url
    page.screenshot(path=str(screenshot_dir / "directory-search-from-case.png"), full_page=True)

    page.get_by_role("link", name=senior_centre.name).first.click()
    page.wait_for_url(f"**/directory/providers/{senior_centre.pk}/?case={case.id}")
    page.screenshot(path=str(screenshot_dir / "directory-provider.png"), full_page=True)
    page.get_by_role("link", name=meals.name).click()
    page.wait_for_url(f"**/directory/{meals.pk}/?case={case.id}")
    page.screenshot(path=str(screenshot_dir / "directory-service-refer.png"), full_page=True)

    page.get_by_role("link", name="이 서비스로 의뢰").click()
    page.wait_for_url(f"**/referrals/case/{case.id}/send/?service={meals.pk}")
    assert page.locator("form").count() >= 1
    page.screenshot(path=str(screenshot_dir / "referral-send-with-service.png"), full_page=True)

    # Without a case in hand, the service page explains instead of offering a button.
    page.goto(f"{base}/directory/{meals.pk}/")
    assert page.get_by_role("link", name="이 서비스로 의뢰").count() == 0
    assert page.get_by_text("이 서비스로 의뢰하려면 먼저 사례를 여세요.").is_visible()
    page.screenshot(path=str(screenshot_dir / "directory-service-no-case.png"), full_page=True)
    assert refused == []
    context.close()
