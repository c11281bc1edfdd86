"""Issue 5, end to end: a found report becomes a case; the Gu case manager takes it up
(joins it from the case page), records an assessment, schedules a conference with a
private centre worker, records a decision that becomes a task, plans and records a joint
visit and closes the case with an outcome; the hub's two-track indicators count the
household as supported.

Drives Debian's chromium through Playwright's sync API against pytest-django's live
server. Every step waits for the page it leads to; nothing sleeps.
"""

import pytest
from browser_support import (  # noqa: F401 - fixtures are found by name
    browser,
    current_code,
    log_in,
    needs_chromium,
    screenshot_dir,
    watch_csp,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.accept_cases,
    needs_chromium,
]


def _found_item(household, officer):
    """A neighbour's report about the household, handled by the Dong A officer up to
    "needs confirmed", which opens the household's case (the finding services)."""
    from bokjihub.finding.services import (
        ReportInput,
        item_assign,
        item_close,
        item_match_confirm,
        report_submit,
    )

    data = ReportInput(
        channel="neighbour",
        concerns=["isolation"],
        subject_name="김영수",
        subject_address=household.road_address,
    )
    item = report_submit(data=data, sigungu=household.emd.sigungu).item
    item = item_assign(item=item, to_user=officer, by=officer)
    item = item_match_confirm(item=item, household=household, by=officer)
    return item_close(item=item, outcome="found", by=officer, note="고립, 월세 체납")


def _supported(hub) -> int:
    from django.utils import timezone

    from bokjihub.cases.selectors import two_track_indicators

    return two_track_indicators(month=timezone.localdate(), hub=hub).supported


def _open_section(page, key: str):
    """The case page opens one section at a time (issue 12): open `key`'s if closed."""
    section = page.locator(f"#section-{key}")
    if section.get_attribute("open") is None:
        section.locator("summary").click()
    return section


def _submit(page, form, button: str, case_url: str) -> None:
    form.get_by_role("button", name=button).click()
    page.wait_for_url(case_url)
    page.locator(".site-messages .notice").first.wait_for()


def test_a_found_household_is_supported_through_a_case(
    transactional_db,
    live_server,
    browser,
    officer_dong_a,
    gu_case_manager,
    private_worker,
    senior_centre,
    household_dong_a,
    centre_a,
    tmp_path,
):
    from bokjihub.cases.models import CaseTask, Visit
    from bokjihub.cases.services import case_join

    item = _found_item(household_dong_a, officer_dong_a)
    case = item.case
    case_join(case=case, organisation=senior_centre, by=private_worker)
    supported_before = _supported(centre_a)
    base, path = live_server.url, f"/cases/{case.id}/"
    case_url = f"{base}{path}"
    refused: list[str] = []

    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="ko-KR")
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    log_in(page, base, "gu_manager", path, gu_case_manager)
    assert page.get_by_text("아직 지원 전").is_visible()
    page.get_by_role("button", name="우리 기관도 참여").click()
    page.wait_for_url(case_url)

    # assessment
    _open_section(page, "assessment")
    form = page.locator("form[action$='/assess/']")
    form.get_by_label("위기도").select_option("crisis")
    form.get_by_label("주거").select_option("3")
    form.get_by_label("사회적 관계").select_option("2")
    _submit(page, form, "사정 기록", case_url)
    assert page.locator("[data-crisis-level='crisis']").count() == 1

    # conference with the private centre worker
    _open_section(page, "conference")
    form = page.locator("form[action$='/conference/']")
    form.get_by_label("회의 이름").fill("12월 통합사례회의")
    form.get_by_label("일시").fill("2026-12-03T14:00")
    form.locator("label", has_text="private_worker (").click()  # KRDS draws the box
    _submit(page, form, "회의 잡기", case_url)

    # the decision becomes a task of the private worker
    _open_section(page, "conference")
    form = page.locator("form[action$='/decide/']")
    form.get_by_label("사례회의").select_option(index=1)
    form.get_by_label("결정 내용").fill("노인복지관 밑반찬 배달과 주거비 긴급지원")
    form.get_by_label("할 일", exact=True).fill("밑반찬 배달 시작")
    form.get_by_label("할 일 담당").select_option(label="private_worker (강동구 시범노인복지관)")
    form.get_by_label("할 일 기한").fill("2026-12-10")
    _submit(page, form, "결정 기록", case_url)
    task = CaseTask.objects.get(case=case)
    assert (task.title, task.owner) == ("밑반찬 배달 시작", private_worker)

    # a joint visit, planned then recorded
    _open_section(page, "visits")
    form = page.locator("form[action$='/visit-plan/']")
    form.get_by_label("방문 유형").select_option("joint")
    form.get_by_label("방문 예정 일시").fill("2026-12-04T10:00")
    form.get_by_label("방문 목적").fill("합동 안부 확인")
    form.locator("label", has_text="gu_manager (").click()
    form.locator("label", has_text="private_worker (").click()  # KRDS draws the box
    _submit(page, form, "방문 계획 저장", case_url)
    visit = Visit.objects.get(case=case)
    assert visit.staff.count() == 2

    _open_section(page, "visits")
    form = page.locator(f"form[data-visit-record='{visit.id}']")
    form.get_by_label("방문 일시").fill("2026-12-04T10:30")
    form.get_by_label("방문 결과").select_option("met")
    form.get_by_label("관찰 내용").fill("식사 상태 호전, 난방 필요")
    _submit(page, form, "방문 결과 저장", case_url)
    visit.refresh_from_db()
    assert visit.status == "done"

    # closure with an outcome; without a service plan on record, closing needs a stated
    # reason since issue 12
    _open_section(page, "stage")
    form = page.locator("form[action$='/close/']")
    form.get_by_label("종결 사유").select_option("goals_met")
    form.get_by_label("사후관리 예정일").fill("2027-03-04")
    form.get_by_label("그래도 종결하는 이유").fill("계획 없이 긴급지원과 밑반찬 배달로 목표 달성")
    _submit(page, form, "종결", case_url)
    page.screenshot(path=tmp_path / "case-closed.png", full_page=True)
    case.refresh_from_db()
    assert (case.status, case.outcome) == ("closed", "goals_met")
    assert page.get_by_text("지원 중").first.is_visible()
    assert _supported(centre_a) == supported_before + 1
    assert refused == []
