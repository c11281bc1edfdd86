import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from bokjihub.audit.services import access_denied_record
from bokjihub.audit.tests.helpers import actor, clock, view

pytestmark = pytest.mark.django_db

SEOUL = ZoneInfo("Asia/Seoul")
NOVEMBER = reverse("audit_review") + "?month=2026-11"


@pytest.fixture
def system_administrator(gu_office):
    from bokjihub.orgs.services import membership_grant, user_create

    user = user_create(username="sysadmin", password="a-long-test-password-1", display_name="관리")
    membership_grant(
        user=user,
        organisation=gu_office,
        role="system_administrator",
        started_on=date(2026, 11, 1),
    )
    return user


@pytest.fixture
def november(officer_dong_a, officer_dong_b, household_dong_a):
    view(officer_dong_a, household_dong_a, at=datetime(2026, 11, 3, 22, 15, tzinfo=SEOUL))
    with clock(datetime(2026, 11, 4, 10, tzinfo=SEOUL)):
        access_denied_record(actor=actor(officer_dong_b), reference=household_dong_a.reference)


def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get(NOVEMBER)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    "persona", ["officer_dong_a", "gu_case_manager", "private_worker", "finder"]
)
def test_staff_who_are_not_reviewers_are_refused(request, login, persona):
    response = login(request.getfixturevalue(persona)).get(NOVEMBER)
    assert response.status_code == 403


def test_the_auditor_sees_each_users_counts_and_flags(login, auditor, november):
    response = login(auditor).get(NOVEMBER)
    assert response.status_code == 200
    page = response.content.decode()
    assert "2026년 11월 접속기록 점검" in page
    rows = {
        match.group(1): match.group(0)
        for match in re.finditer(r'<tr>\s*<th scope="row"[^>]*>(\w+)</th>.*?</tr>', page, re.S)
    }
    assert set(rows) == {"officer_a", "officer_b"}
    assert 'data-flag="night_access"' in rows["officer_a"]
    assert 'data-flag="out_of_jurisdiction"' not in rows["officer_a"]
    assert 'data-flag="out_of_jurisdiction"' in rows["officer_b"]
    assert "관할 밖 조회 시도" in rows["officer_b"]
    # The role by its name, not its code.
    assert "길동 주민센터 · 복지 담당 공무원" in rows["officer_a"]


def test_a_system_administrator_may_review_too(login, system_administrator, november):
    assert login(system_administrator).get(NOVEMBER).status_code == 200


def test_another_month_shows_no_rows(login, auditor, november):
    page = login(auditor).get(reverse("audit_review") + "?month=2026-09").content.decode()
    assert "이 달의 접속기록이 없습니다." in page
    assert "officer_a" not in page


def test_a_month_it_cannot_read_falls_back_with_a_message(login, auditor):
    response = login(auditor).get(reverse("audit_review") + "?month=november")
    assert response.status_code == 200
    assert "YYYY-MM" in response.content.decode()


def test_the_page_is_not_cached(login, auditor):
    response = login(auditor).get(NOVEMBER)
    assert "no-store" in response["Cache-Control"]


def test_the_page_has_no_inline_script_style_or_event_handler(login, auditor, november):
    page = login(auditor).get(NOVEMBER).content.decode()
    scripts = re.findall(r"<script\b[^>]*>", page)
    assert scripts and all(" src=" in tag for tag in scripts)
    assert not re.search(r"<style\b|\sstyle=", page)
    assert not re.search(r"\son[a-z]+\s*=", page)


def test_the_page_costs_the_same_queries_for_more_users(
    login,
    auditor,
    november,
    officer_dong_a,
    gu_case_manager,
    household_dong_a,
    django_assert_max_num_queries,
):
    client = login(auditor)
    client.get(NOVEMBER)  # session and actor lookups warm up the same way each time
    with django_assert_max_num_queries(12) as counted:
        client.get(NOVEMBER)
    before = len(counted.captured_queries)
    view(gu_case_manager, household_dong_a, at=datetime(2026, 11, 5, 10, tzinfo=SEOUL))
    with django_assert_max_num_queries(before):
        client.get(NOVEMBER)
