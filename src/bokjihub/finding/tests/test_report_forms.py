from datetime import date, timedelta

import pytest
from django.utils import timezone

from bokjihub.finding.models import Report, TriageItem
from bokjihub.finding.services import (
    item_close,
    item_contact,
    item_match_confirm,
    item_visit,
)

pytestmark = pytest.mark.django_db

GIL_DONG = "1174068500"


@pytest.fixture
def offices(centre_a, centre_b, gu_office):
    return centre_a, centre_b, gu_office


@pytest.fixture
def pharmacist(finder, centre_a):
    """The persona `finder`, appointed by the Dong A centre as a pharmacist."""
    from bokjihub.finding.models import Finder

    return Finder.objects.create(
        user=finder, hub=centre_a, kind="pharmacist", registered_on=date(2026, 3, 2)
    )


def _finder_form(**overrides) -> dict:
    values = {
        "subject_name": "김영수",
        "subject_address": "양재대로 1480 3층",
        "subject_emd_code": GIL_DONG,
        "concerns": ["health", "isolation"],
        "urgency": "normal",
        "subject_description": "혼자 사시는 어르신이 두 달째 약을 사러 오지 않으세요.",
    }
    values.update(overrides)
    return values


def test_a_finder_reports_from_the_phone_form_and_it_reaches_the_dongs_inbox(
    client, login, offices, pharmacist, centre_a
):
    browser = login(pharmacist.user)
    page = browser.get("/finding/report/")
    assert page.status_code == 200
    assert f'value="{GIL_DONG}" selected' in page.content.decode()  # the hub's own Dong

    response = browser.post("/finding/report/", _finder_form())

    assert response.status_code == 303
    assert response["Location"] == "/finding/report/sent/"
    report = Report.objects.get()
    assert (report.channel, report.finder, report.submitted_by) == (
        "finder",
        pharmacist,
        pharmacist.user,
    )
    assert report.reporter_kind == "identified"
    assert report.item.hub == centre_a
    assert report.item.emd.code == GIL_DONG
    sent = browser.get(response["Location"]).content.decode()
    assert "신고가 접수되었습니다" in sent
    assert "김영수" not in sent


@pytest.mark.accept_intake
def test_missing_fields_on_the_finder_form_get_specific_messages(
    client, login, offices, pharmacist
):
    response = login(pharmacist.user).post(
        "/finding/report/",
        _finder_form(concerns=[], subject_name="", subject_address="", subject_description=""),
    )
    body = response.content.decode()
    assert "걱정되는 점을 하나 이상 골라 주세요." in body
    assert "이름, 대략의 주소, 또는 특징 중 하나는 적어 주세요." in body
    assert not Report.objects.exists()


def test_only_finders_open_the_finder_form(client, login, offices, officer_dong_a, finder):
    assert login(officer_dong_a).get("/finding/report/").status_code == 403
    # a finder role without a Finder record (not appointed yet) is refused too
    assert login(finder).get("/finding/report/").status_code == 403
    client.logout()
    assert client.get("/finding/report/").status_code == 302


@pytest.mark.accept_intake
def test_the_finder_sees_that_the_report_was_handled_and_never_the_household(
    client, login, offices, pharmacist, officer_dong_a, household_dong_a
):
    browser = login(pharmacist.user)
    browser.post("/finding/report/", _finder_form())
    assert "처리 중" in browser.get("/finding/my-reports/").content.decode()

    item = TriageItem.objects.get()
    item_contact(item=item, by=officer_dong_a, note="전화 연결: 월세 3개월 체납 확인")
    item_visit(item=item, by=officer_dong_a, note="방문: 냉장고가 비어 있음")
    assert "처리 중" in browser.get("/finding/my-reports/").content.decode()
    item_match_confirm(item=item, household=household_dong_a, by=officer_dong_a)
    item_close(item=item, outcome="found", by=officer_dong_a, note="긴급지원 연계")

    body = browser.get("/finding/my-reports/").content.decode()
    assert "처리 완료" in body
    head = household_dong_a.members.get()
    for private in (
        head.name,
        head.rrn_masked[:8],
        "양재대로 1480",
        "월세",
        "냉장고",
        "긴급지원",
        "욕구 확인",
        item.reference,
        item.number,  # the officers' number is not hers either: she has her receipt
    ):
        assert private not in body, private


def test_hub_staff_type_in_a_walk_in_report_with_every_field(
    client, login, offices, officer_dong_a, household_dong_a
):
    two_days_ago = timezone.localtime() - timedelta(days=2)
    response = login(officer_dong_a).post(
        "/finding/intake/",
        {
            "channel": "walk_in",
            "reporter_kind": "identified",
            "reporter_name": "김영수",
            "reporter_phone": "010-1234-5678",
            "subject_name": "김영수",
            "subject_birth_year": "1945",
            "subject_rrn": "450315-1234563",
            "subject_address": "서울특별시 강동구 양재대로 1480 (길동)",
            "subject_emd_code": GIL_DONG,
            "concerns": ["income_loss", "housing"],
            "urgency": "urgent",
            "free_text": "본인 방문. 실직 후 월세 체납.",
            "received_at": two_days_ago.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 303
    report = Report.objects.get()
    assert (report.channel, report.submitted_by, report.reporter_phone) == (
        "walk_in",
        officer_dong_a,
        "010-1234-5678",
    )
    # the RRN matched the registered household exactly, and only its blind index is kept
    assert report.item.household == household_dong_a
    assert report.subject_rrn_blind_index and "1234563" not in str(report.__dict__)
    assert timezone.localtime(report.received_at).strftime("%Y-%m-%d %H:%M") == (
        two_days_ago.strftime("%Y-%m-%d %H:%M")
    )
    follow = login(officer_dong_a).get("/finding/intake/").content.decode()
    assert report.item.number in follow  # the human number, not the URL's hex


@pytest.mark.accept_intake
def test_the_intake_form_names_what_is_missing(client, login, offices, officer_dong_a):
    response = login(officer_dong_a).post(
        "/finding/intake/", {"reporter_kind": "anonymous", "subject_birth_year": "천구백"}
    )
    body = response.content.decode()
    assert "신고 경로(방문, 이웃 전화, 129 등)를 골라 주세요." in body
    assert "출생 연도는 1946처럼 네 자리 숫자로 적어 주세요." in body
    assert not Report.objects.exists()


def test_finders_and_private_workers_may_not_use_the_intake_form(
    client, login, offices, finder, private_worker_unlinked
):
    assert login(finder).get("/finding/intake/").status_code == 403
    assert login(private_worker_unlinked).get("/finding/intake/").status_code == 403
