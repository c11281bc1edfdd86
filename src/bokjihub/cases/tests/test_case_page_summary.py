"""The top of the case page: who (as the sharing policy shows them), where the case
stands, what to do next, with links only where the viewer may follow them; and the
section that opens by itself."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _page(client, case) -> str:
    response = client.get(reverse("case_detail", args=[case.id]))
    assert response.status_code == 200
    return response.content.decode()


def _open_sections(body: str) -> list[str]:
    return re.findall(r'<details class="case-panel[^"]*"[^>]*data-section="(\w+)" open>', body)


def _household_line(body: str) -> str:
    return re.search(r"<dd data-case-household>(.*?)</dd>", body, re.S).group(1)


@pytest.mark.accept_loop
def test_the_summary_names_the_head_and_the_address_and_links_the_household(login, case_a):
    body = _page(login(case_a.case_manager), case_a)
    line = _household_line(body)
    assert "김영수" in line and "양재대로 1480 (길동) 3층" in line
    assert reverse("household_detail", args=[case_a.household.reference]) in line
    assert f"사례 {case_a.number}" in body
    assert "다음 할 일" in body and "사정 기록" in body


def test_a_private_worker_without_consent_sees_the_name_but_not_the_address(
    login, case_a, private_worker, senior_centre
):
    from bokjihub.cases.services import case_join

    case_join(case=case_a, organisation=senior_centre, by=private_worker)
    line = _household_line(_page(login(private_worker), case_a))
    assert "김영수" in line
    assert "양재대로" not in line and "주소 비공개(동의 없음)" in line


def test_a_new_case_opens_on_the_assessment_and_a_refused_form_on_its_own_section(login, case_a):
    client = login(case_a.case_manager)
    assert _open_sections(_page(client, case_a)) == ["assessment"]
    response = client.post(reverse("case_action", args=[case_a.id, "note"]), {})
    assert _open_sections(response.content.decode()) == ["notes"]


def test_a_case_with_its_assessment_suggests_the_next_stage(
    login, case_a, gu_case_manager, gu_office
):
    from bokjihub.cases.services import assessment_record

    assessment_record(
        case=case_a,
        crisis_level="crisis",
        needs={"housing": 3},
        by=gu_case_manager,
        organisation=gu_office,
    )
    body = _page(login(gu_case_manager), case_a)
    assert 'data-next-action="stage"' in body and "사정 단계로 넘기기" in body
    assert _open_sections(body) == ["stage"]


def test_the_triage_item_the_case_came_from_is_linked_for_staff_of_its_hub_only(
    login, gangdong, centre_a, officer_dong_a, household_dong_a, private_worker, senior_centre
):
    from bokjihub.cases.services import case_join
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
        subject_address=household_dong_a.road_address,
    )
    item = report_submit(data=data, sigungu=gangdong).item
    item = item_assign(item=item, to_user=officer_dong_a, by=officer_dong_a)
    item = item_match_confirm(item=item, household=household_dong_a, by=officer_dong_a)
    item = item_close(item=item, outcome="found", by=officer_dong_a, note="고립")
    case = item.case
    item_url = reverse("finding_item", args=[item.reference])
    assert item_url in _page(login(officer_dong_a), case)
    case_join(case=case, organisation=senior_centre, by=private_worker)
    body = _page(login(private_worker), case)
    assert item_url not in body and str(item) in body


def test_a_referral_line_of_the_timeline_links_the_referral(
    login, case_a, gu_case_manager, gu_office, senior_centre
):
    from bokjihub.referrals.services import referral_send

    referral = referral_send(
        case=case_a,
        from_organisation=gu_office,
        by=gu_case_manager,
        to_organisation=senior_centre,
        need_domain="daily_living",
        request_text="밑반찬 배달",
        idempotency_key="timeline-1",
    )
    body = _page(login(gu_case_manager), case_a)
    timeline = re.search(r'<ol class="case-timeline">(.*?)</ol>', body, re.S).group(1)
    assert reverse("referrals:referral_detail", args=[referral.id]) in timeline
    assert 'data-open-referrals="1"' in body
