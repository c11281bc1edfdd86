import time
from datetime import timedelta

import pytest
from django.utils import timezone

from bokjihub.finding.models import Report
from bokjihub.finding.report_forms import client_fingerprint, public_form_stamp
from bokjihub.finding.services import ReportInput, report_submit

pytestmark = pytest.mark.django_db

URL = "/finding/public/11740/"
ADDRESS = "203.0.113.7"


@pytest.fixture
def offices(centre_a, centre_b, gu_office):
    return centre_a, centre_b, gu_office


def _form(**overrides) -> dict:
    values = {
        "subject_name": "",
        "subject_address": "양재대로 1480 뒤 빌라",
        "subject_emd_code": "1174068500",
        "concerns": ["isolation", "health"],
        "urgency": "normal",
        "subject_description": "할머니가 일주일째 보이지 않아요",
        "reporter_kind": "anonymous",
        "stamp": public_form_stamp(sigungu_code="11740", at=time.time() - 20),
        "website": "",
    }
    values.update(overrides)
    return values


def _send(client, address=ADDRESS, **overrides):
    return client.post(URL, _form(**overrides), REMOTE_ADDR=address)


def test_anyone_can_report_anonymously_without_logging_in(client, offices, centre_a):
    page = client.get(URL)
    assert page.status_code == 200
    assert 'name="stamp"' in page.content.decode()

    response = _send(client)

    assert response.status_code == 303
    assert response["Location"] == "/finding/public/11740/sent/"
    report = Report.objects.get()
    assert (report.channel, report.reporter_kind, report.item.hub) == (
        "neighbour",
        "anonymous",
        centre_a,
    )
    # the address is kept only as a keyed hash, for the rate limit
    assert report.client_fingerprint == client_fingerprint(ADDRESS)
    assert ADDRESS not in report.client_fingerprint
    sent = client.get(response["Location"])
    assert sent.status_code == 200
    # her receipt, to quote if she calls; never the item's number
    assert f"접수 {report.receipt_number}" in sent.content.decode()
    assert report.item.number not in sent.content.decode()


def test_a_filled_honeypot_is_refused_and_nothing_is_saved(client, offices):
    response = _send(client, website="http://spam.example")
    assert response.status_code == 400
    assert "자동 입력 프로그램" in response.content.decode()
    assert not Report.objects.exists()


def test_a_submission_within_three_seconds_of_the_page_is_refused(client, offices):
    response = _send(client, stamp=public_form_stamp(sigungu_code="11740"))
    assert response.status_code == 400
    assert "너무 빨리" in response.content.decode()
    assert not Report.objects.exists()


def test_a_form_older_than_two_hours_or_forged_is_refused(client, offices):
    stale = public_form_stamp(sigungu_code="11740", at=time.time() - 3 * 60 * 60)
    assert "2시간" in _send(client, stamp=stale).content.decode()
    assert _send(client, stamp="forged").status_code == 400
    other_gu = public_form_stamp(sigungu_code="11710", at=time.time() - 20)
    assert _send(client, stamp=other_gu).status_code == 400
    assert not Report.objects.exists()


def test_a_refused_form_keeps_what_was_typed(client, offices):
    body = _send(client, stamp=public_form_stamp(sigungu_code="11740")).content.decode()
    assert "할머니가 일주일째 보이지 않아요" in body


@pytest.mark.accept_intake
def test_the_31st_submission_from_one_address_within_an_hour_is_refused_and_says_why(
    client, offices
):
    for number in range(30):
        response = _send(client, subject_name=f"이웃{number}")
        assert response.status_code == 303, number

    refused = _send(client, subject_name="서른한번째")

    assert refused.status_code == 429
    body = refused.content.decode()
    assert "한 시간 동안 30건을 넘게 신고할 수 없어" in body
    assert "이후에 다시 보내 주세요" in body
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert Report.objects.count() == 30
    # another address is not held up
    assert _send(client, address="198.51.100.4", subject_name="다른 곳").status_code == 303


def test_the_limit_lifts_when_the_hour_has_passed(client, offices):
    for number in range(30):
        _send(client, subject_name=f"이웃{number}")
    Report.objects.update(received_at=timezone.now() - timedelta(minutes=61))
    assert _send(client, subject_name="한 시간 뒤").status_code == 303


@pytest.mark.accept_intake
def test_missing_fields_get_specific_messages(client, offices):
    response = _send(
        client, concerns=[], subject_address="", subject_description="", subject_emd_code=""
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "걱정되는 점을 하나 이상 골라 주세요." in body
    assert "이름, 대략의 주소, 또는 특징 중 하나는 적어 주세요." in body
    identified = _send(client, reporter_kind="identified", reporter_name="", reporter_phone="")
    assert "신고인을 밝히려면 이름이나 연락처를 적어 주세요." in identified.content.decode()
    assert not Report.objects.exists()


def test_the_public_pages_never_show_existing_reports(client, offices, gangdong):
    report_submit(
        data=ReportInput(
            channel="neighbour",
            concerns=["isolation"],
            subject_name="김영수",
            subject_address="서울특별시 강동구 양재대로 1480 (길동)",
        ),
        sigungu=gangdong,
    )
    pages = [client.get(URL), _send(client, subject_name="김영수"), client.get(URL + "sent/")]
    for page in pages:
        assert "김영수" not in page.content.decode() or page.status_code == 303
    assert "합쳐" not in client.get(URL + "sent/").content.decode()


def test_a_region_without_an_office_has_no_public_form(client, offices):
    assert client.get("/finding/public/26290/").status_code == 404
    assert client.get("/finding/public/abc/").status_code == 404
