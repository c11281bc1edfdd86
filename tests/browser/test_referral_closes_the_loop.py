"""Issue 6, item 3, end to end: the Dong A officer refers the household's case to the senior
centre from the case page; the centre's worker finds it in the referral inbox, confirms
receipt, accepts, starts the service and completes it; after each move the officer sees
the status on the case page, and the case timeline shows every move.

Drives Debian's chromium through Playwright's sync API against pytest-django's live
server. Every step waits for the page it leads to; nothing sleeps.
"""

import pytest
from browser_support import (  # noqa: F401 - fixtures are found by name
    browser,
    log_in,
    needs_chromium,
    watch_csp,
)

pytestmark = [pytest.mark.browser, pytest.mark.accept_services, needs_chromium]

MOVES = [
    ("접수 확인", "received", "의뢰 접수"),
    ("수락", "accepted", "의뢰 수락"),
    ("서비스 시작", "in_service", "의뢰 서비스 시작"),
    ("서비스 완료", "completed", "의뢰 서비스 완료"),
]


def test_a_referral_closes_the_loop_between_the_dong_and_a_private_centre(
    transactional_db,
    live_server,
    browser,
    officer_dong_a,
    private_worker,
    centre_a,
    senior_centre,
    household_dong_a,
    tmp_path,
):
    from bokjihub.cases.services import case_open
    from bokjihub.referrals.models import Referral

    case = case_open(
        household=household_dong_a,
        lead_organisation=centre_a,
        case_manager=officer_dong_a,
        by=officer_dong_a,
        summary="월세 체납, 끼니 거름",
    )
    base, case_path = live_server.url, f"/cases/{case.id}/"
    refused: list[str] = []
    officer = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ko-KR")
    centre = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ko-KR")
    officer_page, centre_page = officer.new_page(), centre.new_page()
    watch_csp(officer_page, refused)
    watch_csp(centre_page, refused)

    # The officer refers the case from the case page (keyboard-usable labelled fields).
    log_in(officer_page, base, "officer_a", case_path, officer_dong_a)
    # the case page opens one section at a time (issue 12): open the referrals one
    officer_page.locator("#section-referrals > summary").click()
    form = officer_page.locator("form.referral-send")
    form.get_by_label("의뢰할 기관").select_option(label=senior_centre.name)
    form.get_by_label("욕구 영역").select_option("daily_living")
    form.get_by_label("의뢰 내용").fill("주 3회 밑반찬 배달과 안부 확인을 부탁드립니다.")
    form.get_by_role("button", name="의뢰하기").click()
    officer_page.wait_for_url(f"{base}{case_path}")
    referral = Referral.objects.get(case=case)
    row = officer_page.locator(f"[data-referral='{referral.id}']")
    assert row.get_attribute("data-referral-status") == "sent"

    # The centre worker finds it in the inbox and opens it.
    log_in(centre_page, base, "private_worker", "/referrals/inbox/", private_worker)
    centre_page.locator(f"[data-referral-row='{referral.id}'] th a").click()  # the number
    detail_url = f"{base}/referrals/{referral.id}/"
    centre_page.wait_for_url(detail_url)
    assert centre_page.get_by_text("최소 정보").first.is_visible()  # no consent: no name
    assert centre_page.get_by_text("김영수").count() == 0

    for button, status, timeline_line in MOVES:
        centre_page.get_by_role("button", name=button, exact=True).click()
        centre_page.wait_for_url(detail_url)
        centre_page.locator(".site-messages .notice").first.wait_for()
        assert (
            centre_page.locator("h1 [data-referral-status]").get_attribute("data-referral-status")
            == status
        )
        officer_page.goto(f"{base}{case_path}")
        assert row.get_attribute("data-referral-status") == status
        assert officer_page.locator(".case-timeline li", has_text=timeline_line).count() == 1

    officer_page.locator("details[data-section='timeline'] > summary").click()
    officer_page.screenshot(path=tmp_path / "referral-completed.png", full_page=True)
    timeline = officer_page.locator(".case-timeline").inner_text()
    assert "의뢰 보냄" in timeline
    assert refused == []
    officer.close()
    centre.close()
