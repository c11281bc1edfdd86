import html
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bokjihub.finding.matching import MatchProposal, _record_proposal
from bokjihub.finding.models import ItemStatus, MatchStatus, TriageEvent, TriageItem
from bokjihub.finding.services import ReportInput, item_contact, report_submit

pytestmark = pytest.mark.django_db

ADDRESS_A = "서울특별시 강동구 양재대로 1480 (길동)"
ADDRESS_B = "서울특별시 강동구 천호대로 1005 (천호1동)"


def _report(gangdong, address=ADDRESS_A, name="홍길순", **extra):
    received_at = extra.pop("received_at", None)
    data = ReportInput(
        channel=extra.pop("channel", "neighbour"),
        concerns=extra.pop("concerns", ["isolation"]),
        subject_name=name,
        subject_address=address,
        **extra,
    )
    return report_submit(data=data, sigungu=gangdong, received_at=received_at).item


@pytest.fixture
def hubs(centre_a, centre_b, gu_office):
    return centre_a, centre_b, gu_office


@pytest.fixture
def item_a(hubs, gangdong):
    return _report(gangdong)


@pytest.fixture
def item_b(hubs, gangdong):
    return _report(gangdong, ADDRESS_B, name="박철수")


def _item_url(item, action=""):
    if action:
        return reverse("finding_item_action", args=[item.reference, action])
    return reverse("finding_item", args=[item.reference])


def _fresh(item):
    return TriageItem.objects.get(pk=item.pk)


def _body(response) -> str:
    return html.unescape(response.content.decode())


# --- jurisdiction -------------------------------------------------------------------------


@pytest.mark.accept_intake
def test_the_inbox_lists_only_the_hubs_items(login, officer_dong_a, officer_dong_b, item_a, item_b):
    page_a = _body(login(officer_dong_a).get(reverse("finding_inbox")))
    assert item_a.reference in page_a and "홍길순" in page_a
    assert item_b.reference not in page_a and "박철수" not in page_a
    page_b = _body(login(officer_dong_b).get(reverse("finding_inbox")))
    assert item_b.reference in page_b and item_a.reference not in page_b


@pytest.mark.accept_intake
def test_an_officer_of_another_dong_gets_404_on_the_item_and_on_every_action(
    login, officer_dong_a, officer_dong_b, item_a
):
    from bokjihub.finding.views_inbox import ACTIONS

    client = login(officer_dong_b)
    assert client.get(_item_url(item_a)).status_code == 404
    form = {"to_user": officer_dong_b.pk, "note": "연락함", "outcome": "no_need"}
    form |= {"emd": "1174060000", "reason": "주소 착오"}
    for action in ACTIONS:
        prefix = "match" if action.startswith("match") else action
        data = {f"{prefix}-{key}": value for key, value in form.items()}
        data[f"{prefix}-expected_version"] = item_a.version
        response = client.post(_item_url(item_a, action), data)
        assert response.status_code == 404, action
    bulk = {"items": [item_a.reference], "to_user": officer_dong_b.pk}
    assert client.post(reverse("finding_inbox"), bulk).status_code == 404
    assert _fresh(item_a).version == item_a.version
    assert _fresh(item_a).assigned_to is None


def test_roles_without_an_inbox_are_refused(login, finder, private_worker_unlinked, item_a):
    for user in (finder, private_worker_unlinked):
        client = login(user)
        assert client.get(reverse("finding_inbox")).status_code == 403
        assert client.get(_item_url(item_a)).status_code == 404


def test_the_gu_office_sees_every_dong_and_the_needs_routing_queue(
    login, gu_case_manager, item_a, item_b, gangdong
):
    lost = _report(gangdong, "어딘가 모르는 곳", name="최말순")
    assert lost.needs_routing
    client = login(gu_case_manager)
    body = _body(client.get(reverse("finding_inbox")))
    assert {item_a.reference, item_b.reference, lost.reference} <= set(
        re.findall(r"[0-9a-f]{16}", body)
    )
    assert "이송 필요" in body
    only_routing = _body(client.get(reverse("finding_inbox"), {"routing": "on"}))
    assert lost.reference in only_routing and item_a.reference not in only_routing


# --- filters, order, overdue -----------------------------------------------------------------


def test_filters_narrow_the_inbox(login, officer_dong_a, hubs, gangdong):
    now = timezone.now()
    old = _report(gangdong, name="오래된", received_at=now - timedelta(days=20))
    finder_item = _report(
        gangdong,
        "서울특별시 강동구 양재대로 1500 (길동)",
        name="약국신고",
        channel="finder",
        concerns=["health"],
    )
    mine = _report(gangdong, "서울특별시 강동구 양재대로 1510 (길동)", name="내담당")
    closed = _report(gangdong, "서울특별시 강동구 양재대로 1520 (길동)", name="끝난일")
    client = login(officer_dong_a)
    client.post(
        _item_url(mine, "assign"),
        {"assign-to_user": officer_dong_a.pk, "assign-expected_version": mine.version},
    )
    client.post(
        _item_url(closed, "close"),
        {"close-outcome": "no_need", "close-expected_version": closed.version},
    )

    def shown(**query):
        body = _body(client.get(reverse("finding_inbox"), query))
        return {i.subject_name for i in (old, finder_item, mine, closed) if i.reference in body}

    assert shown() == {"오래된", "약국신고", "내담당"}
    assert shown(overdue="on") == {"오래된"}
    assert shown(channel="finder") == {"약국신고"}
    assert shown(concern="health") == {"약국신고"}
    assert shown(mine="on") == {"내담당"}
    assert shown(status="closed") == {"끝난일"}
    assert shown(status="all") == {"오래된", "약국신고", "내담당", "끝난일"}
    assert shown(channel="no-such-channel") == shown()  # an old bookmark still opens


def test_overdue_rows_say_so_in_text_and_urgent_rows_come_first(
    login, officer_dong_a, hubs, gangdong
):
    old = _report(gangdong, name="오래된", received_at=timezone.now() - timedelta(days=20))
    urgent = _report(
        gangdong, "서울특별시 강동구 양재대로 1500 (길동)", name="급한", urgency="urgent"
    )
    body = _body(login(officer_dong_a).get(reverse("finding_inbox")))
    assert body.index(urgent.reference) < body.index(old.reference)
    assert "기한 지남 6일" in body
    assert re.search(r'class="inbox-row is-overdue"[^>]*>', body)


def test_the_inbox_paginates(login, officer_dong_a, hubs, gangdong, monkeypatch):
    monkeypatch.setattr("bokjihub.finding.access.INBOX_PAGE_SIZE", 2)
    for number in range(5):
        _report(
            gangdong, f"서울특별시 강동구 양재대로 {2000 + number} (길동)", name=f"대상{number}"
        )
    client = login(officer_dong_a)
    first = _body(client.get(reverse("finding_inbox"), {"channel": "neighbour"}))
    assert "5건 중 1–2번째" in first
    assert "?channel=neighbour&page=2" in first
    third = _body(client.get(reverse("finding_inbox"), {"page": 3}))
    assert "5건 중 5–5번째" in third


# --- bulk assignment ---------------------------------------------------------------------------


@pytest.fixture
def colleague_a(centre_a):
    from bokjihub.orgs.services import membership_grant, user_create

    user = user_create(username="colleague_a", password="unused-password-9", display_name="")
    membership_grant(
        user=user,
        organisation=centre_a,
        role="welfare_coordinator",
        started_on=timezone.localdate(),
    )
    return user


@pytest.mark.accept_intake
def test_bulk_assign_gives_the_checked_items_to_a_colleague(
    login, officer_dong_a, colleague_a, hubs, gangdong
):
    first = _report(gangdong, name="첫째")
    second = _report(gangdong, "서울특별시 강동구 양재대로 1500 (길동)", name="둘째")
    untouched = _report(gangdong, "서울특별시 강동구 양재대로 1510 (길동)", name="셋째")
    client = login(officer_dong_a)
    response = client.post(
        reverse("finding_inbox") + "?channel=neighbour",
        {"items": [first.reference, second.reference], "to_user": colleague_a.pk},
    )
    assert response.status_code == 303
    assert response["Location"] == reverse("finding_inbox") + "?channel=neighbour"
    assert _fresh(first).assigned_to == colleague_a == _fresh(second).assigned_to
    assert _fresh(untouched).assigned_to is None
    assert _fresh(first).status == ItemStatus.ASSIGNED
    assert "2건을 colleague_a 님에게 배정했습니다." in _body(client.get(response["Location"]))


def test_bulk_assign_refuses_staff_of_another_hub_and_keeps_the_selection(
    login, officer_dong_a, officer_dong_b, item_a
):
    client = login(officer_dong_a)
    response = client.post(
        reverse("finding_inbox"), {"items": [item_a.reference], "to_user": officer_dong_b.pk}
    )
    assert response.status_code == 400
    body = _body(response)
    assert "배정할 담당자를 목록에서 골라 주세요." in body
    assert re.search(rf'value="{item_a.reference}"[^>]*checked', body)
    assert _fresh(item_a).assigned_to is None
    nothing = client.post(reverse("finding_inbox"), {"to_user": officer_dong_a.pk})
    assert "배정할 항목을 하나 이상 골라 주세요." in _body(nothing)


def test_bulk_assign_offers_only_triage_staff_of_the_hub(
    login, officer_dong_a, colleague_a, officer_dong_b, finder, item_a
):
    body = _body(login(officer_dong_a).get(reverse("finding_inbox")))
    options = re.findall(
        r'<option value="(\d+)"', body.split('id="bulk-to-user"')[1].split("</select>")[0]
    )
    assert set(options) == {str(officer_dong_a.pk), str(colleague_a.pk)}


# --- the item page ------------------------------------------------------------------------------


@pytest.fixture
def item_with_household(hubs, gangdong, household_dong_a):
    data = ReportInput(
        channel="finder",
        concerns=["isolation", "arrears"],
        subject_rrn="4503151234563",
        subject_name="김영수",
        subject_address=ADDRESS_A,
        free_text="약을 사러 오지 않으신 지 3주째입니다.",
        reporter_kind="identified",
        reporter_name="이약사",
        reporter_phone="010-1234-5678",
    )
    return report_submit(data=data, sigungu=gangdong).item


def test_the_item_page_shows_reports_timeline_and_reporter_without_phone(
    login, officer_dong_a, item_with_household
):
    body = _body(login(officer_dong_a).get(_item_url(item_with_household)))
    assert "약을 사러 오지 않으신 지 3주째입니다." in body
    assert "신고인 밝힘 · 이약사" in body and "010-1234-5678" not in body
    assert "체납, 고립·고독사 위험" in body
    assert "처리 기록" in body and "접수" in body
    assert reverse("household_detail", args=[item_with_household.household.reference]) in body


@pytest.mark.accept_intake
def test_an_item_goes_from_assign_to_found_through_the_page(
    login, officer_dong_a, item_with_household
):
    client = login(officer_dong_a)
    item = item_with_household

    def post(action, **fields):
        data = {f"{action}-{key}": value for key, value in fields.items()}
        data[f"{action}-expected_version"] = _fresh(item).version
        response = client.post(_item_url(item, action), data)
        assert response.status_code == 303, _body(response)
        assert response["Location"] == _item_url(item)
        return _body(client.get(response["Location"]))

    assert "나에게 배정" in post("assign", to_user=officer_dong_a.pk)
    assert _fresh(item).assigned_to == officer_dong_a
    assert "연락을 기록했습니다." in post("contact", note="전화로 안부 확인")
    assert "방문을 기록했습니다." in post("visit", note="월세 3개월 밀림")
    page = post("close", outcome="found", note="긴급지원 검토")
    closed = _fresh(item)
    assert closed.status == ItemStatus.CLOSED and closed.case_id
    case_number = getattr(closed.case, "number", "")
    assert (
        f"사례 {case_number}이(가) 열렸습니다." if case_number else f"사례 {closed.case_id}번이"
    ) in page
    assert "사례 화면으로 가기" in page and f"/cases/{closed.case_id}/" in page
    notes = list(TriageEvent.objects.filter(item=item).values_list("kind", "note"))
    assert ("contacted", "전화로 안부 확인") in notes and ("visited", "월세 3개월 밀림") in notes


@pytest.mark.accept_intake
def test_a_stale_version_is_refused_with_the_message_and_the_note_is_kept(
    login, officer_dong_a, colleague_a, item_a
):
    seen_version = item_a.version
    item_contact(item=item_a, by=colleague_a, note="먼저 연락함")  # someone else, meanwhile
    response = login(officer_dong_a).post(
        _item_url(item_a, "contact"),
        {"contact-note": "제가 적던 긴 메모", "contact-expected_version": seen_version},
    )
    assert response.status_code == 409
    body = _body(response)
    assert "다른 담당자가 먼저 이 항목을 바꿨습니다." in body
    assert "제가 적던 긴 메모" in body
    assert f'name="contact-expected_version" value="{_fresh(item_a).version}"' in body
    assert TriageEvent.objects.filter(item=item_a, kind="contacted").count() == 1


def test_a_move_the_state_does_not_allow_is_refused_next_to_its_form(login, officer_dong_a, item_a):
    response = login(officer_dong_a).post(
        _item_url(item_a, "visit"),
        {"visit-note": "방문했음", "visit-expected_version": item_a.version},
    )
    assert response.status_code == 400
    body = _body(response)
    assert "'접수' 상태에서는 '방문'(으)로 바꿀 수 없습니다." in body
    assert 'id="visit-error"' in body and "방문했음" in body
    assert _fresh(item_a).status == ItemStatus.NEW


def test_found_without_a_household_asks_to_confirm_one_first(login, officer_dong_a, item_a):
    response = login(officer_dong_a).post(
        _item_url(item_a, "close"),
        {"close-outcome": "found", "close-note": "메모", "close-expected_version": item_a.version},
    )
    assert response.status_code == 400
    assert "지원이 필요한 가구를 먼저 확인(연결)해야" in _body(response)
    assert _fresh(item_a).status == ItemStatus.NEW


def test_a_missing_outcome_or_reason_gets_a_specific_message(login, officer_dong_a, item_a):
    client = login(officer_dong_a)
    no_outcome = client.post(_item_url(item_a, "close"), {"close-expected_version": item_a.version})
    assert "결과를 골라 주세요." in _body(no_outcome)
    no_reason = client.post(
        _item_url(item_a, "reroute"),
        {"reroute-emd": "1174060000", "reroute-expected_version": item_a.version},
    )
    assert "이송하는 이유를 적어 주세요." in _body(no_reason)
    assert client.post(_item_url(item_a, "teleport"), {}).status_code == 404


def test_reroute_sends_the_item_to_another_dong_and_back_to_the_inbox(
    login, officer_dong_a, officer_dong_b, item_a
):
    response = login(officer_dong_a).post(
        _item_url(item_a, "reroute"),
        {
            "reroute-emd": "1174060000",
            "reroute-reason": "실제 거주지는 천호1동",
            "reroute-expected_version": item_a.version,
        },
    )
    assert response.status_code == 303 and response["Location"] == reverse("finding_inbox")
    assert _fresh(item_a).emd.code == "1174060000"
    assert login(officer_dong_b).get(_item_url(item_a)).status_code == 200


def _propose(item, household):
    _record_proposal(
        item,
        MatchProposal(
            household=household,
            person=household.members.get(),
            probability=0.97,
            reasons=["이름 일치", "출생연도 일치"],
        ),
    )
    return _fresh(item)


@pytest.mark.parametrize(
    ("action", "status"), [("match-confirm", "confirmed"), ("match-reject", "rejected")]
)
def test_the_proposed_household_is_confirmed_or_rejected_through_the_page(
    login, officer_dong_a, item_a, household_dong_a, action, status
):
    item = _propose(item_a, household_dong_a)
    client = login(officer_dong_a)
    body = _body(client.get(_item_url(item)))
    assert "97%" in body and "이름 일치 · 출생연도 일치" in body
    response = client.post(_item_url(item, action), {"match-expected_version": item.version})
    assert response.status_code == 303
    assert _fresh(item).match_status == status
    assert (_fresh(item).household == household_dong_a) is (status == MatchStatus.CONFIRMED)


def test_a_stale_match_confirmation_is_refused(
    login, officer_dong_a, colleague_a, item_a, household_dong_a
):
    item = _propose(item_a, household_dong_a)
    item_contact(item=item, by=colleague_a)
    response = login(officer_dong_a).post(
        _item_url(item, "match-confirm"), {"match-expected_version": item.version}
    )
    assert response.status_code == 409
    assert "다른 담당자가 먼저 이 항목을 바꿨습니다." in _body(response)
    assert _fresh(item).match_status == MatchStatus.PROPOSED


# --- queries, markup, home ---------------------------------------------------------------------


@pytest.mark.parametrize("count", [5, 40])
def test_the_inbox_page_costs_the_same_queries_for_5_and_40_rows(
    login, officer_dong_a, colleague_a, hubs, gangdong, count, django_assert_max_num_queries
):
    for number in range(count):
        item = _report(
            gangdong, f"서울특별시 강동구 양재대로 {3000 + number} (길동)", name=f"대상{number}"
        )
        if number % 2:
            item_contact(item=item, by=colleague_a)
    client = login(officer_dong_a)
    client.get(reverse("finding_inbox"))  # session and caches warm
    with django_assert_max_num_queries(16):
        response = client.get(reverse("finding_inbox"))
    assert _body(response).count("data-inbox-row") == count


def test_the_inbox_query_count_does_not_depend_on_the_number_of_rows(
    login, officer_dong_a, hubs, gangdong
):
    client = login(officer_dong_a)
    counts = []
    for batch in (3, 30):
        for number in range(batch):
            _report(
                gangdong,
                f"서울특별시 강동구 양재대로 {4000 + batch + number} (길동)",
                name=f"묶음{batch}-{number}",
            )
        client.get(reverse("finding_inbox"))
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("finding_inbox"))
        counts.append(len(queries))
    assert counts[0] == counts[1]


INLINE = re.compile(r"<script(?![^>]*\bsrc=)|\sstyle=|\son[a-z]+=", re.IGNORECASE)


def test_pages_have_no_inline_script_style_or_handlers_and_every_post_has_csrf(
    login, officer_dong_a, item_with_household
):
    client = login(officer_dong_a)
    for url in (reverse("finding_inbox"), _item_url(item_with_household), reverse("home")):
        body = _body(client.get(url))
        assert not INLINE.search(body), url
        posts = re.findall(r'<form method="post".*?</form>', body, re.DOTALL)
        assert posts and all("csrfmiddlewaretoken" in form for form in posts), url
    assert "finding/inbox.js" in _body(client.get(reverse("finding_inbox")))


def test_home_shows_the_finding_indicators_to_hub_staff_only(
    login, officer_dong_a, private_worker, item_with_household
):
    body = _body(login(officer_dong_a).get(reverse("home")))
    assert "발굴 현황" in body and "14일 안에 연락한 비율" in body
    assert "명예사회복지공무원(발굴단) <strong>1</strong>건" in body
    assert reverse("finding_inbox") in body
    assert "발굴 현황" not in _body(login(private_worker).get(reverse("home")))
