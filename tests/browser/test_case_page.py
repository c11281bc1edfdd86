"""Issue 12, the case page walked by a person: from the day's list to the case, the
summary on top, sections that open one at a time by mouse and by keyboard, a page about
two screens high with every section closed, a live counter on the note, and a case
closed with a referral still accepted — refused first, then closed with a stated reason
that the timeline keeps.

Data is prepared before the story (a case of the Dong A household with an assessment and
a referral the senior centre has accepted) and checked in the database after it; in
between only the browser acts.
"""

import pytest
from browser_support import (  # noqa: F401 - fixtures are found by name
    browser,
    log_in,
    needs_chromium,
    screenshot_dir,
    watch_csp,
)

pytestmark = [pytest.mark.browser, pytest.mark.accept_loop, needs_chromium]

VIEWPORT = {"width": 1280, "height": 900}


def _case_with_accepted_referral(household, office, manager, centre, centre_worker):
    from bokjihub.cases.services import assessment_record, case_open
    from bokjihub.referrals.services import referral_send, referral_status_update

    case = case_open(
        household=household, lead_organisation=office, case_manager=manager, by=manager
    )
    assessment_record(
        case=case, crisis_level="crisis", needs={"housing": 3}, by=manager, organisation=office
    )
    referral = referral_send(
        case=case,
        from_organisation=office,
        by=manager,
        to_organisation=centre,
        need_domain="daily_living",
        request_text="밑반찬 배달",
        idempotency_key="case-page-1",
    )
    for status in ("received", "accepted"):
        referral = referral_status_update(
            referral=referral,
            to_status=status,
            by=centre_worker,
            organisation=centre,
            expected_version=referral.version,
        ).referral
    return case


def _open_sections(page) -> list[str]:
    return page.eval_on_selector_all(
        "details.case-panel", "panels => panels.filter(p => p.open).map(p => p.dataset.section)"
    )


def _summary(page, title: str):
    return page.locator("details.case-panel > summary", has_text=title)


def test_a_worker_reads_the_case_page_section_by_section_and_closes_with_a_reason(
    transactional_db,
    live_server,
    browser,
    screenshot_dir,
    household_dong_a,
    gu_office,
    gu_case_manager,
    senior_centre,
    private_worker,
    capsys,
):
    from bokjihub.cases.models import Case

    case = _case_with_accepted_referral(
        household_dong_a, gu_office, gu_case_manager, senior_centre, private_worker
    )
    base, path = live_server.url, f"/cases/{case.id}/"
    refused: list[str] = []
    page = browser.new_page(viewport=VIEWPORT, locale="ko-KR")
    watch_csp(page, refused)
    log_in(page, base, "gu_manager", "/cases/today/", gu_case_manager)

    # the day's list names the case and its household, and leads to it
    row = page.locator("tr[data-today-case]")
    assert case.number in row.inner_text() and "김영수" in row.inner_text()
    page.screenshot(path=screenshot_dir / "case-page-today.png", full_page=True)
    row.get_by_role("link", name=case.number).click()
    page.wait_for_url(f"{base}{path}")

    # the summary: number, who, next step, the open referral
    assert page.locator("h1").inner_text().startswith(f"사례 {case.number}")
    household = page.locator("[data-case-household]")
    assert "김영수" in household.inner_text() and "양재대로 1480" in household.inner_text()
    assert household.locator("a").get_attribute("href").startswith("/households/")
    assert page.locator("[data-open-referrals='1']").is_visible()
    assert "사정 단계로 넘기기" in page.locator(".case-next").inner_text()
    assert _open_sections(page) == ["stage"]  # the section of the next step
    page.screenshot(path=screenshot_dir / "case-page-first-view.png", full_page=True)

    # every section closed: the page is about two screens high
    _summary(page, "단계·종결").click()
    assert _open_sections(page) == []
    height = page.evaluate("document.documentElement.scrollHeight")
    page.screenshot(path=screenshot_dir / "case-page-all-closed.png", full_page=True)
    with capsys.disabled():
        print(f"\ncase page height, every section closed, at 1280x900: {height}px")
    assert height <= 2 * VIEWPORT["height"]

    # the summary's links open the section they point into
    page.locator(".case-next a").click()
    assert _open_sections(page) == ["stage"]
    page.locator("[data-open-referrals]").click()
    assert _open_sections(page) == ["referrals"]

    # one at a time, by mouse
    _summary(page, "서비스 계획").click()
    assert _open_sections(page) == ["plan"]
    _summary(page, "의뢰").click()
    assert _open_sections(page) == ["referrals"]
    assert page.locator("[data-referral-status='accepted']").is_visible()

    # one at a time, by keyboard: Tab reaches the next summary, Enter and Space open it
    _summary(page, "의뢰").focus()
    page.keyboard.press("Enter")  # closes it again
    assert _open_sections(page) == []
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert _open_sections(page) == ["deliveries"]
    _summary(page, "사례 기록").focus()
    page.keyboard.press("Space")
    assert _open_sections(page) == ["notes"]

    # each benefit's result has its own reasons beside it
    _summary(page, "수급 가능성 사전 확인").click()
    housing = page.locator("tr[data-benefit='housing']")
    assert "소득인정액" in housing.inner_text()
    page.screenshot(path=screenshot_dir / "case-page-eligibility.png", full_page=True)
    _summary(page, "사례 기록").click()

    # the note's counter follows what is typed
    note = page.locator("details[data-section='notes'] textarea")
    note.fill("가" * 4010)
    counter = page.locator("details[data-section='notes'] .case-counter")
    assert "4,010 / 4,000자" in counter.inner_text() and "10자 넘었습니다" in counter.inner_text()
    page.screenshot(path=screenshot_dir / "case-page-note-over.png", full_page=True)
    note.fill("")

    # closing with the referral still accepted: refused beside the reason field first
    _summary(page, "단계·종결").focus()
    page.keyboard.press("Enter")
    assert _open_sections(page) == ["stage"]
    form = page.locator("form.case-close-form")
    assert "끝나지 않은 의뢰 1건" in form.locator("[data-closure-gaps]").inner_text()
    form.get_by_label("종결 사유").select_option("goals_met")
    form.get_by_role("button", name="종결").click()
    page.wait_for_load_state()
    form = page.locator("form.case-close-form")
    reason_error = form.locator("#id_close-override_reason_error")
    assert "그래도 종결하려면 그 이유를 적어 주세요" in reason_error.inner_text()
    assert _open_sections(page) == ["stage"]
    page.screenshot(path=screenshot_dir / "case-page-close-refused.png", full_page=True)
    assert form.get_by_label("종결 사유").input_value() == "goals_met"  # kept

    form.get_by_label("그래도 종결하는 이유").fill("대상자가 복지관 서비스만 계속 받기로 함")
    form.get_by_role("button", name="종결").click()
    page.locator(".site-messages .notice").first.wait_for()
    _summary(page, "사례 경과").click()
    timeline = page.locator(".case-timeline").inner_text()
    assert "그래도 종결하는 이유: 대상자가 복지관 서비스만 계속 받기로 함" in timeline
    page.screenshot(path=screenshot_dir / "case-page-closed.png", full_page=True)
    assert refused == []
    page.close()

    case = Case.objects.get(pk=case.pk)
    assert (case.status, case.outcome) == ("closed", "goals_met")
    event = case.events.get(kind="closed")
    assert event.data["missing"] == ["서비스 계획 없음", "끝나지 않은 의뢰 1건"]
    assert event.data["override_reason"] == "대상자가 복지관 서비스만 계속 받기로 함"
