"""Every form of the case pages: an empty submit lists all its errors at once, in Korean,
beside their fields; text over its documented maximum is refused with the limit named;
the browser's own (English) validation never runs."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_case(case_a, gu_case_manager, gu_office):
    """The case with a conference on its agenda and a planned visit, so that every form
    of the page is drawn."""
    from bokjihub.cases.services import conference_schedule, visit_plan

    conference_schedule(
        kind="sigungu_monthly",
        title="12월 통합사례회의",
        sigungu=gu_office.sigungu,
        convened_by=gu_office,
        scheduled_for=timezone.now(),
        cases=[case_a],
        participants=[],
        by=gu_case_manager,
    )
    visit = visit_plan(
        case=case_a,
        kind="single",
        staff=[(gu_case_manager, gu_office)],
        planned_for=timezone.now(),
        by=gu_case_manager,
    )
    case_a.refresh_from_db()
    return case_a, visit


# action → (what the page itself sends besides the fields, the errors of an empty submit)
EMPTY_SUBMITS = {
    "assess": ({}, ["위기도: 골라 주세요."]),
    "plan": (
        {"plan-0-goal": "", "plan-expected_version": "0"},
        ["목표를 하나 이상 입력해 주세요."],
    ),
    "conference": ({}, ["회의 이름: 입력해 주세요.", "일시: 입력해 주세요."]),
    "decide": ({}, ["사례회의: 골라 주세요.", "결정 내용: 입력해 주세요."]),
    "visit-plan": (
        {},
        ["방문 유형: 골라 주세요.", "방문 예정 일시: 입력해 주세요.", "방문 직원: 골라 주세요."],
    ),
    "visit-record": (
        {"visit-record-visit": "{visit}", "visit-record-expected_version": "1"},
        ["방문 일시: 입력해 주세요.", "방문 결과: 골라 주세요.", "관찰 내용: 입력해 주세요."],
    ),
    "note": ({}, ["공개 범위: 골라 주세요.", "기록 내용: 입력해 주세요."]),
    "advance": ({"advance-expected_version": "{version}"}, ["다음 단계: 골라 주세요."]),
    "close": ({"close-expected_version": "{version}"}, ["종결 사유: 골라 주세요."]),
    "unmet": (
        {},
        ["욕구 영역: 골라 주세요.", "충족되지 못한 이유: 골라 주세요.", "내용: 입력해 주세요."],
    ),
}


@pytest.mark.accept_loop
@pytest.mark.parametrize("action", sorted(EMPTY_SUBMITS))
def test_every_case_form_submitted_empty_shows_all_its_errors_at_once(login, busy_case, action):
    case, visit = busy_case
    hidden, expected = EMPTY_SUBMITS[action]
    data = {
        key: value.format(visit=visit.id, version=case.version) for key, value in hidden.items()
    }
    response = login(case.case_manager).post(reverse("case_action", args=[case.id, action]), data)
    assert response.status_code == 400
    body = response.content.decode()
    for message in expected:
        assert message in body, message
    assert "This field is required" not in body


@pytest.mark.accept_loop
def test_reopening_and_handing_over_submitted_empty_show_all_their_errors(
    login, case_a, gu_case_manager
):
    from bokjihub.cases.services import case_close

    client = login(gu_case_manager)
    closed = case_close(case=case_a, outcome="refused", override_reason="연락 두절")
    response = client.post(
        reverse("case_action", args=[closed.id, "reopen"]),
        {"reopen-expected_version": closed.version},
    )
    assert response.status_code == 400
    assert "재개 이유: 입력해 주세요." in response.content.decode()
    response = client.post(reverse("case_handover"), {})
    body = response.content.decode()
    for message in (
        "떠나는 담당자: 골라 주세요.",
        "새 담당자: 골라 주세요.",
        "인수인계 내용: 입력해 주세요.",
    ):
        assert message in body


@pytest.mark.accept_loop
def test_a_case_note_over_the_maximum_is_refused_with_the_limit_named(login, case_a):
    client = login(case_a.case_manager)
    response = client.post(
        reverse("case_action", args=[case_a.id, "note"]),
        {"note-visibility": "participants", "note-body": "가" * 20_000},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "4,000자 이내로 적어 주세요 (지금 20,000자)" in body
    # what was typed comes back, to be shortened rather than typed again
    assert "가" * 20_000 in body
    assert not case_a.notes.exists()


def test_a_note_at_the_maximum_is_kept_and_line_breaks_count_once(login, case_a):
    body = ("가" * 99 + "\r\n") * 40  # 4,000 characters as typed, 4,040 as sent
    response = login(case_a.case_manager).post(
        reverse("case_action", args=[case_a.id, "note"]),
        {"note-visibility": "participants", "note-body": body},
    )
    assert response.status_code == 303
    assert len(case_a.notes.get().body) == 3999  # the last line break is trimmed


def test_the_note_service_refuses_an_over_long_note_from_any_caller(case_a):
    from django.core.exceptions import ValidationError

    from bokjihub.cases.services import note_add

    with pytest.raises(ValidationError) as refused:
        note_add(
            case=case_a,
            body="가" * 4001,
            visibility="participants",
            by=case_a.case_manager,
            organisation=case_a.lead_organisation,
        )
    assert refused.value.message_dict["body"] == ["4,000자 이내로 적어 주세요 (지금 4,001자)"]


def test_every_form_of_the_case_page_leaves_validation_to_the_server_and_shows_its_limits(
    login, busy_case
):
    case, _ = busy_case
    body = login(case.case_manager).get(reverse("case_detail", args=[case.id])).content.decode()
    own_forms = re.findall(r'<form method="post" action="/cases/\d+/[a-z-]+/"[^>]*>', body)
    assert len(own_forms) >= 10
    assert all("novalidate" in form for form in own_forms)
    assert 'data-maxlength="4000"' in body and "최대 4,000자" in body
    assert " maxlength=" not in body.split('id="referrals-body"')[0]
