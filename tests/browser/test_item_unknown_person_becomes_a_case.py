"""The core loop walked by a person (issue 12): a neighbour's report about a man the
registry does not know (a rented room, no RRN at hand) reaches the Gil-dong inbox; the
officer assigns it to herself, records the call and the visit, finds nobody in the
registry, registers him from the report's facts (her first try missing two facts is
refused with both named at once), and opens the case in one step.

Pages only between the preparation and the database checks at the end.
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

pytestmark = [pytest.mark.browser, pytest.mark.accept_loop, needs_chromium]


@pytest.fixture
def report_about_unknown_man(centre_a, centre_b, gu_office, gangdong, dong_a):
    from bokjihub.finding.services import ReportInput, report_submit

    return report_submit(
        data=ReportInput(
            channel="neighbour",
            concerns=["housing", "isolation"],
            subject_name="최복남",
            subject_address="서울특별시 강동구 양재대로 1500",
            subject_emd_code=dong_a.code,
            subject_description="지하 쪽방에 혼자 사시는 60대 남성, 며칠째 인기척이 없음",
        ),
        sigungu=gangdong,
    ).item


def test_a_report_about_a_man_not_on_the_registry_becomes_a_case_through_the_pages(
    transactional_db,
    live_server,
    browser,
    officer_dong_a,
    household_dong_a,
    report_about_unknown_man,
    screenshot_dir,
):
    from bokjihub.cases.models import CaseStatus
    from bokjihub.finding.models import TriageItem

    item = report_about_unknown_man
    base = live_server.url
    refused: list[str] = []
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="ko-KR")
    watch_csp(page, refused)
    log_in(page, base, "officer_a", "/finding/inbox/", user=officer_dong_a)
    page.screenshot(path=screenshot_dir / "loop-1-inbox.png", full_page=True)
    page.get_by_role("link", name=item.number).click()
    page.wait_for_url(f"**/finding/items/{item.reference}/")
    assert page.get_by_role("heading", name=f"발굴 항목 {item.number}").is_visible()

    page.get_by_role("button", name="나에게 배정").click()
    page.wait_for_url(f"**/finding/items/{item.reference}/")
    page.locator("textarea[name='contact-note']").fill("집주인 통해 통화: 월세 2개월 밀림")
    page.get_by_role("button", name="연락함으로 기록").click()
    page.wait_for_url(f"**/finding/items/{item.reference}/")
    page.locator("textarea[name='visit-note']").fill("방문: 난방 없음, 식사 거름")
    page.get_by_role("button", name="방문함으로 기록").click()
    page.wait_for_url(f"**/finding/items/{item.reference}/")

    # the registry does not know him
    page.get_by_label("이름, 생년월일(주민등록번호 앞자리) 또는 주소").fill("최복남")
    page.get_by_role("button", name="등록부 검색").click()
    page.wait_for_url("**?q=*")
    assert page.get_by_text("담당 관할의 등록부에서 찾지 못했습니다").is_visible()

    # a first try without birth date and sex: both named at once, nothing typed is lost
    register = page.locator("form[action$='/household-register/']")
    assert register.get_attribute("novalidate") is not None
    assert register.get_by_label("이름", exact=True).input_value() == "최복남"
    register.get_by_label("상세주소(동·호수, 방 번호)").fill("지하 3호")
    register.get_by_role("button", name="새 가구로 등록하고 연결").click()
    page.wait_for_load_state()
    alert = page.locator(".notice.error[role='alert']").last
    assert "생년월일" in alert.inner_text() and "성별" in alert.inner_text()
    register = page.locator("form[action$='/household-register/']")
    assert register.get_by_label("상세주소(동·호수, 방 번호)").input_value() == "지하 3호"
    page.screenshot(path=screenshot_dir / "loop-2-register-errors.png", full_page=True)

    register.get_by_label("생년월일").fill("1962-05-01")
    register.get_by_label("성별").select_option("M")
    register.get_by_role("button", name="새 가구로 등록하고 연결").click()
    page.wait_for_url(f"**/finding/items/{item.reference}/")
    assert page.get_by_text("가구 확인됨").is_visible()
    assert page.get_by_role("link", name="가구 정보", exact=True).is_visible()
    page.screenshot(path=screenshot_dir / "loop-3-item-registered.png", full_page=True)

    page.get_by_label("확인한 욕구(사례 요약에 남습니다)").fill("주거·식사 지원 필요")
    page.get_by_role("button", name="사례 열기").click()
    page.wait_for_url(f"**/finding/items/{item.reference}/")
    page.screenshot(path=screenshot_dir / "loop-4-case-opened.png", full_page=True)
    page.get_by_role("link", name="사례 화면으로 가기").click()
    page.wait_for_url("**/cases/*/")
    assert refused == []

    item = TriageItem.objects.get(pk=item.pk)
    assert item.household is not None and item.household != household_dong_a
    head = item.household.members.get()
    assert (head.name, str(head.birth_date), head.rrn_blind_index) == ("최복남", "1962-05-01", None)
    assert item.case is not None and item.case.status == CaseStatus.OPEN
    assert item.case.household == item.household
    assert (item.status, item.outcome) == ("closed", "found")
    assert page.url.endswith(f"/cases/{item.case_id}/")
