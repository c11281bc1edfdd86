"""Issue 12, end to end in the pages: the senior centre's social worker accepts a referral
from the inbox, follows the link to the case, sees the household within the head's
consent and records two deliveries, without typing an address.

Prepared before the story: the Dong A household's case (led by the Dong centre), the
head's consent to the senior centre (contact and household composition), and a referral
of the case to the centre. Checked in the database after it. Drives Debian's chromium
through Playwright's sync API; every step waits for the page it leads to.
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

DELIVERIES = [
    ("2026-11-20", "밑반찬 배달 (월·수·금)", "3"),
    ("2026-11-27", "안부 전화와 밑반찬 배달", "2"),
]


def _prepare(household, officer, centre_a, senior_centre, consent_for):
    from bokjihub.cases.services import case_open
    from bokjihub.referrals.services import referral_send

    case = case_open(
        household=household,
        lead_organisation=centre_a,
        case_manager=officer,
        by=officer,
        summary="월세 체납, 끼니 거름",
    )
    consent_for(
        household.members.get(),
        categories=["contact", "household_composition"],
        organisation=senior_centre,
    )
    referral = referral_send(
        case=case,
        from_organisation=centre_a,
        by=officer,
        to_organisation=senior_centre,
        need_domain="daily_living",
        request_text="주 3회 밑반찬 배달과 안부 확인을 부탁드립니다.",
    )
    return case, referral


def test_the_centres_worker_accepts_follows_the_link_and_records_what_it_delivers(
    transactional_db,
    live_server,
    browser,
    screenshot_dir,
    officer_dong_a,
    centre_a,
    senior_centre,
    household_dong_a,
    consent_for,
):
    from conftest import _persona

    from bokjihub.cases.models import CaseParticipant, Delivery
    from bokjihub.people.models import Engagement

    worker = _persona("centre_worker", senior_centre, "private_social_worker")
    case, referral = _prepare(
        household_dong_a, officer_dong_a, centre_a, senior_centre, consent_for
    )
    base = live_server.url
    case_url = f"{base}/cases/{case.id}/"
    refused: list[str] = []
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ko-KR")
    page = context.new_page()
    watch_csp(page, refused)

    # The inbox: who sent it and how to reach them; no case link before accepting.
    log_in(page, base, "centre_worker", "/referrals/inbox/", worker)
    row = page.locator(f"[data-referral-row='{referral.id}']")
    assert "길동 주민센터" in row.inner_text() and "officer_a" in row.inner_text()
    assert row.locator(f"a[href='/cases/{case.id}/']").count() == 0
    page.screenshot(path=screenshot_dir / "partner-1-inbox.png", full_page=True)
    row.get_by_role("link", name=f"의뢰 {referral.id}").click()
    page.wait_for_url(f"{base}/referrals/{referral.id}/")

    # Accept; the referral page now links to the case.
    page.get_by_role("button", name="수락", exact=True).click()
    page.wait_for_url(f"{base}/referrals/{referral.id}/")
    page.locator(".site-messages .notice").first.wait_for()
    page.screenshot(path=screenshot_dir / "partner-2-accepted.png", full_page=True)
    page.locator("[data-case-link]").click()
    page.wait_for_url(case_url)

    # The case page: the centre among the participants, the household within the consent.
    assert senior_centre.name in page.locator(".case-participants").inner_text()
    household_line = page.locator("[data-case-household]")
    assert "김영수" in household_line.inner_text()
    assert "양재대로 1480" in household_line.inner_text()  # contact is consented
    page.screenshot(path=screenshot_dir / "partner-3-case.png", full_page=True)
    household_line.get_by_role("link").first.click()
    page.wait_for_url(f"{base}/households/{household_dong_a.reference}/")
    facts = page.locator(".household-facts").inner_text()
    assert "양재대로 1480" in facts
    assert "동의 없음" in page.locator("td.income").first.inner_text()  # income withheld
    page.screenshot(path=screenshot_dir / "partner-4-household.png", full_page=True)
    page.go_back()
    page.wait_for_url(case_url)

    # Two deliveries, recorded from the case page's form.
    for day, what, times in DELIVERIES:
        section = page.locator("#section-deliveries")
        if section.get_attribute("open") is None:
            section.locator("summary").click()
        form = section.locator("form.case-form").last
        form.get_by_label("지원 영역").select_option("daily_living")
        form.get_by_label("제공 기관").select_option(label=senior_centre.name)
        form.get_by_label("지원 내용").fill(what)
        form.get_by_label("제공 시작일").fill(day)
        form.get_by_label("제공 종료일").fill(day)
        form.get_by_label("수량").fill(times)
        form.get_by_label("단위").fill("회")
        form.get_by_role("button", name="제공 기록").click()
        page.wait_for_url(f"{case_url}?open=deliveries")
        page.locator(".site-messages .notice").first.wait_for()
    section = page.locator("#section-deliveries")
    if section.get_attribute("open") is None:
        section.locator("summary").click()
    page.screenshot(path=screenshot_dir / "partner-5-deliveries.png", full_page=True)
    assert refused == []
    context.close()

    deliveries = list(Delivery.objects.filter(case=case).order_by("starts_on"))
    assert [(str(d.starts_on), d.description) for d in deliveries] == [
        (day, what) for day, what, _ in DELIVERIES
    ]
    assert all(d.provider == senior_centre and d.recorded_by == worker for d in deliveries)
    assert CaseParticipant.objects.filter(
        case=case, organisation=senior_centre, left_at__isnull=True
    ).exists()
    assert Engagement.objects.filter(referral=referral, ended_on__isnull=True).exists()


def test_the_centre_records_a_consent_it_obtained_itself_from_the_household_page(
    transactional_db,
    live_server,
    browser,
    screenshot_dir,
    private_worker,
    senior_centre,
    household_dong_a,
):
    """The centre serves the household (its meal programme, the private_worker persona);
    the head signs the centre's consent form; the worker records it, fixing the errors
    the page shows all at once, and then sees the address the consent opened."""
    from bokjihub.people.models import Consent

    base = live_server.url
    household_path = f"/households/{household_dong_a.reference}/"
    refused: list[str] = []
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ko-KR")
    page = context.new_page()
    watch_csp(page, refused)

    log_in(page, base, "private_worker", household_path, private_worker)
    assert "양재대로 1480" not in page.locator(".household-facts").inner_text()
    page.locator(".own-consents").get_by_role("button", name="새 동의 기록").click()
    page.wait_for_url(f"{base}/consents/new/")

    form = page.locator("form.consent-form")
    form.get_by_label("제공받는 자의 이용 목적").fill("")
    # KRDS draws the boxes on their labels: a person clicks the label
    form.get_by_text("연락처·주소", exact=True).click()
    form.get_by_text("건강", exact=True).click()
    form.get_by_role("button", name="동의 기록").click()
    page.wait_for_url(f"{base}/consents/new/")
    errors = page.locator("form.consent-form").inner_text()
    assert "이용 목적을 입력해 주세요" in errors
    assert "건강 정보는 민감정보라서" in errors
    assert "보유·이용 기간이 끝나는 날을 입력해 주세요" in errors
    page.screenshot(path=screenshot_dir / "partner-6-consent-errors.png", full_page=True)

    form = page.locator("form.consent-form")
    form.get_by_label("제공받는 자의 이용 목적").fill("밑반찬 배달과 안부 확인")
    form.get_by_text("건강", exact=True).click()  # unticks it
    form.get_by_label("제공받는 자의 보유·이용 기간 (끝나는 날)").fill("2027-12-31")
    form.get_by_text("서명한 동의서(스캔)", exact=True).click()
    form.get_by_role("button", name="동의 기록").click()
    page.wait_for_url(f"{base}{household_path}")
    assert "양재대로 1480" in page.locator(".household-facts").inner_text()
    page.screenshot(path=screenshot_dir / "partner-7-consent-recorded.png", full_page=True)
    assert refused == []
    context.close()

    consent = Consent.objects.get()
    assert consent.recipient_organisation == senior_centre
    assert consent.recording_organisation == senior_centre
    assert consent.categories == ["contact"]
    assert consent.recorded_by == private_worker
