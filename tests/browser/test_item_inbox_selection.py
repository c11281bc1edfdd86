"""Picking inbox rows by mouse and by keyboard (issue 12): the row's checkbox is drawn
and clickable, a click elsewhere on the row picks it, x picks the focused row with a
visible change, and the picked rows are assigned in one action."""

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
def three_items(centre_a, centre_b, gu_office, gangdong, dong_a):
    from bokjihub.finding.services import ReportInput, report_submit

    return [
        report_submit(
            data=ReportInput(
                channel="neighbour",
                concerns=["isolation"],
                subject_name=name,
                subject_address=f"서울특별시 강동구 양재대로 {number}",
                subject_emd_code=dong_a.code,
            ),
            sigungu=gangdong,
        ).item
        for name, number in (("한정희", 1501), ("오민재", 1502), ("서영자", 1503))
    ]


def test_rows_are_picked_by_mouse_and_keyboard_and_assigned_together(
    transactional_db, live_server, browser, officer_dong_a, three_items, screenshot_dir
):
    from bokjihub.finding.models import TriageItem

    first, second, third = three_items
    refused: list[str] = []
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="ko-KR")
    watch_csp(page, refused)
    log_in(page, live_server.url, "officer_a", "/finding/inbox/", user=officer_dong_a)

    def row(item):
        return page.locator("[data-inbox-row]", has=page.get_by_role("link", name=item.number))

    def box(item):
        return page.locator(f"#pick-{item.reference}")

    # the drawn box (on the label) is big enough to hit and clicking it ticks the row
    label = row(first).locator(".inbox-pick label")
    size = label.bounding_box()
    assert size["width"] >= 20 and size["height"] >= 20
    label.click()
    assert box(first).is_checked()
    assert "is-picked" in row(first).get_attribute("class")

    # a click on the row's plain text picks it too
    row(second).get_by_text("오민재").click()
    assert box(second).is_checked()

    # keyboard: focus the third row's link and press x; the row changes visibly
    row(third).get_by_role("link", name=third.number).focus()
    # (the cells' colour: it is what the eye sees, a row background would sit under them)
    cell = row(third).locator("td").nth(1)
    before = cell.evaluate("element => getComputedStyle(element).backgroundColor")
    page.keyboard.press("x")
    assert box(third).is_checked()
    after = cell.evaluate("element => getComputedStyle(element).backgroundColor")
    assert before != after
    # and x again un-picks it
    page.keyboard.press("x")
    assert not box(third).is_checked()
    page.screenshot(path=screenshot_dir / "inbox-picked.png", full_page=True)

    page.get_by_label("고른 항목을").select_option(str(officer_dong_a.pk))
    page.get_by_role("button", name="선택 항목 배정").click()
    page.wait_for_url("**/finding/inbox/")
    assert page.get_by_text("2건을").is_visible()
    assert refused == []

    assigned = {i.pk: i.assigned_to_id for i in TriageItem.objects.all()}
    assert assigned == {first.pk: officer_dong_a.pk, second.pk: officer_dong_a.pk, third.pk: None}
