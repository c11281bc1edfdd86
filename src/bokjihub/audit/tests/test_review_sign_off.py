"""The privacy officer signs off a reviewed month; a sign-off is never changed, only
amended by a new row."""

import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from bokjihub.audit.models import ReviewSignOff

pytestmark = pytest.mark.django_db

OCTOBER = reverse("audit_review") + "?month=2026-10"


def _post(client, url=OCTOBER, **data):
    return client.post(url, data)


def test_the_privacy_officer_signs_off_a_month_and_the_page_shows_who_and_when(login, auditor):
    client = login(auditor)
    response = _post(client, note="야간 조회 1건: 긴급 방문 확인함.")
    assert response.status_code == 302
    sign_off = ReviewSignOff.objects.get()
    assert (sign_off.month, sign_off.signed_by, sign_off.role) == (
        date(2026, 10, 1),
        auditor,
        "auditor",
    )
    page = client.get(OCTOBER).content.decode()
    assert "야간 조회 1건: 긴급 방문 확인함." in page
    assert f"{timezone.localtime(sign_off.signed_at):%Y-%m-%d %H:%M} · auditor" in page


def test_an_amendment_is_a_new_row_and_the_first_sign_off_stays_as_it_was(login, auditor):
    client = login(auditor)
    _post(client, note="이상 없음")
    original = ReviewSignOff.objects.get()
    response = _post(client, note="정정: officer_b 관할 밖 시도 1건 소명 받음", amends=original.id)
    assert response.status_code == 302
    original.refresh_from_db()
    amendment = ReviewSignOff.objects.exclude(id=original.id).get()
    assert original.note == "이상 없음"
    assert amendment.amends == original
    page = client.get(OCTOBER).content.decode()
    assert page.index("이상 없음") < page.index("정정: officer_b")
    assert "정정됨" in page


def test_a_sign_off_written_without_reading_the_latest_one_is_refused(login, auditor):
    client = login(auditor)
    _post(client, note="이상 없음")
    response = _post(client, note="나도 확인함")  # read the page before the first existed
    assert response.status_code == 400
    page = response.content.decode()
    assert "그 사이 이 달의 점검 확인이 새로 기록되었습니다." in page
    assert ReviewSignOff.objects.count() == 1
    # The refused note is kept, now amending the sign-off the officer can read above it.
    latest = ReviewSignOff.objects.get()
    assert "나도 확인함" in page and latest.note in page
    assert re.search(rf'name="amends" value="{latest.id}"', page)


def test_every_problem_of_a_sign_off_is_reported_at_once_and_the_note_is_kept(login, auditor):
    this_month = timezone.localdate().replace(day=1)
    url = reverse("audit_review") + f"?month={this_month:%Y-%m}"
    response = _post(login(auditor), url=url, note="")
    page = response.content.decode()
    assert response.status_code == 400
    assert "점검 결과를 적어 주세요." in page
    assert "끝나지 않은 달은 점검 확인을 할 수 없습니다." in page
    assert not ReviewSignOff.objects.exists()


def test_a_note_over_the_limit_is_refused_with_its_length_and_kept_in_the_form(login, auditor):
    note = "가" * (ReviewSignOff.NOTE_MAX_LENGTH + 5)
    page = _post(login(auditor), note=note).content.decode()
    assert "점검 결과는 1000자까지 적을 수 있습니다 (지금 1005자)." in page
    assert note in page
    assert re.search(r'<textarea[^>]*maxlength="1000"', page)
    assert "data-counter-for=" in page and " novalidate" in page


def test_line_breaks_count_once_as_the_browser_counts_them(login, auditor):
    note = ("가" * 9 + "\r\n") * 100  # 1000 characters in the browser, 1100 bytes of CRLF
    assert _post(login(auditor), note=note).status_code == 302


def test_only_reviewers_may_sign_off(login, officer_dong_a):
    assert _post(login(officer_dong_a), note="확인").status_code == 403
    assert not ReviewSignOff.objects.exists()


def test_the_current_month_offers_no_sign_off_form(login, auditor):
    this_month = timezone.localdate().replace(day=1)
    page = login(auditor).get(reverse("audit_review") + f"?month={this_month:%Y-%m}")
    assert 'class="sign-off-form"' not in page.content.decode()


def test_the_database_refuses_to_change_or_remove_a_sign_off(login, auditor):
    from django.db import DatabaseError, transaction

    _post(login(auditor), note="이상 없음")
    sign_off = ReviewSignOff.objects.get()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        ReviewSignOff.objects.filter(id=sign_off.id).update(note="고친 내용")
    _post(login(auditor), note="정정", amends=sign_off.id)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        ReviewSignOff.objects.filter(id=sign_off.amended_by.id).delete()
    sign_off.refresh_from_db()
    assert sign_off.note == "이상 없음"


def test_the_page_lists_which_recent_months_are_signed_off(
    login, auditor, officer_dong_a, household_dong_a
):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from bokjihub.audit.tests.helpers import view

    seoul = ZoneInfo("Asia/Seoul")
    view(officer_dong_a, household_dong_a, at=datetime(2026, 9, 3, 10, tzinfo=seoul))
    view(officer_dong_a, household_dong_a, at=datetime(2026, 10, 3, 10, tzinfo=seoul))
    client = login(auditor)
    _post(client, note="이상 없음")
    page = client.get(OCTOBER).content.decode()
    statuses = dict(
        re.findall(r'<li data-month="(\d{4}-\d\d)">.*?krds-badge [^"]*">([^<]+)<', page, re.S)
    )
    assert statuses == {"2026-10": "점검 확인됨", "2026-09": "점검 확인 전"}
