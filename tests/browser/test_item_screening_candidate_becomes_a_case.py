"""A screening candidate (issue 12): prepared with the screening import before the story,
it arrives in the Gil-dong inbox already linked to the household the pipeline linked;
the officer reads its reasons in Korean, each with the agency that sent it and the day it
was observed, the score on its scale and the Dong's rank, and opens the case in one step.
"""

import json
from datetime import date

import pyarrow as pa
import pyarrow.parquet as pq
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
def screening_run(tmp_path, household_dong_a, centre_a, centre_b, gu_office, gangdong):
    """A run folder as the pipeline writes it: ranked candidates, the registry it linked
    against (the head's key is the registered RRN's blind index), and validated signals."""
    from bokjihub.engine.rrn import parse_rrn
    from bokjihub.finding.screening_intake import screening_import
    from bokjihub.people.identifiers import rrn_blind_index

    key = rrn_blind_index(parse_rrn("4503151234563", today=date(2026, 1, 1)))
    pq.write_table(
        pa.Table.from_pylist(
            [
                {
                    "household_key": "H1",
                    "sigungu_code": "11740",
                    "emd_code": "1174068500",
                    "score": 5.75,
                    "reasons": "전기요금 3개월 체납 · 건강보험료 6개월 체납",
                    "top_indicators": "electricity_arrears_months,health_insurance_arrears_months",
                    "hub_rank": 1,
                }
            ]
        ),
        tmp_path / "candidates.parquet",
    )
    pq.write_table(
        pa.table(
            {
                "person_key": [key],
                "household_key": ["H1"],
                "name": ["김영수"],
                "birth_date": [date(1945, 3, 15)],
                "address": ["서울특별시 강동구 양재대로 1480"],
            }
        ),
        tmp_path / "registry.parquet",
    )
    (tmp_path / "signals").mkdir()
    pq.write_table(
        pa.table(
            {
                "person_key": [key, key],
                "indicator": ["electricity_arrears_months", "health_insurance_arrears_months"],
                "value": [3.0, 6.0],
                "observed_on": [date(2026, 10, 31), date(2026, 9, 30)],
                "agency": ["kepco", "nhis"],
            }
        ),
        tmp_path / "signals" / "feed.parquet",
    )
    (tmp_path / "summary.json").write_text(
        json.dumps({"registry": str(tmp_path / "registry.parquet")})
    )
    result = screening_import(run=tmp_path, sigungu=gangdong)
    assert result.created == 1
    return result


def test_a_screening_candidate_arrives_linked_and_becomes_a_case_in_one_step(
    transactional_db,
    live_server,
    browser,
    officer_dong_a,
    household_dong_a,
    screening_run,
    screenshot_dir,
):
    from bokjihub.cases.models import CaseStatus
    from bokjihub.finding.models import TriageItem

    item = TriageItem.objects.get()
    base = live_server.url
    refused: list[str] = []
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="ko-KR")
    watch_csp(page, refused)
    log_in(page, base, "officer_a", "/finding/inbox/", user=officer_dong_a)
    row = page.locator("[data-inbox-row]", has=page.get_by_role("link", name=item.number))
    text = row.inner_text()
    for expected in (
        "전기요금 3개월 체납",
        "한국전력공사",
        "2026년 10월 31일 기준",
        "건강보험료 6개월 체납",
        "국민건강보험공단",
        "2026년 9월 30일 기준",
        "위험 점수 5.75 / 최대",
        "길동 후보 1가구 중 1위",
    ):
        assert expected in text, expected
    assert "electricity_arrears_months" not in page.content()
    # the reasons are read at the body's size, not in small print
    body_size = page.evaluate("getComputedStyle(document.body).fontSize")
    reason_size = row.locator(".screening-reason").first.evaluate(
        "element => getComputedStyle(element).fontSize"
    )
    assert float(reason_size.removesuffix("px")) >= float(body_size.removesuffix("px"))
    page.screenshot(path=screenshot_dir / "screening-1-inbox.png", full_page=True)

    row.get_by_role("link", name=item.number).click()
    page.wait_for_url(f"**/finding/items/{item.reference}/")
    evidence = page.locator(".item-evidence")
    assert (
        "한국전력공사" in evidence.inner_text() and "2026년 10월 31일 기준" in evidence.inner_text()
    )
    assert page.get_by_text("가구 확인됨").is_visible()
    page.screenshot(path=screenshot_dir / "screening-2-item.png", full_page=True)
    page.get_by_role("button", name="사례 열기").click()
    page.wait_for_url(f"**/finding/items/{item.reference}/")
    page.get_by_role("link", name="사례 화면으로 가기").click()
    page.wait_for_url("**/cases/*/")
    assert refused == []

    item.refresh_from_db()
    assert item.household == household_dong_a
    assert item.case is not None and item.case.status == CaseStatus.OPEN
    assert item.case.household == household_dong_a
