"""Who viewed this person, when and why: the privacy officer's one search."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bokjihub.audit.models import AccessLog, AccessPurpose
from bokjihub.audit.tests.helpers import clock, search, view

pytestmark = pytest.mark.django_db

URL = reverse("audit_who_viewed")


@pytest.fixture
def dong_b_auditor(centre_b):
    from bokjihub.orgs.services import membership_grant, user_create

    user = user_create(username="auditor_b", password="a-long-test-password-1", display_name="감사")
    membership_grant(user=user, organisation=centre_b, role="auditor", started_on=date(2026, 11, 1))
    return user


@pytest.fixture
def viewed_by_two(officer_dong_a, gu_case_manager, household_dong_a, household_dong_b):
    """김영수 (Dong A) viewed by the Dong A officer and the Gu case manager this month, by
    the officer 40 days ago too; 박지은 (Dong B) viewed by the Gu case manager."""
    view(officer_dong_a, household_dong_a, at=timezone.now() - timedelta(days=40))
    view(officer_dong_a, household_dong_a)
    view(gu_case_manager, household_dong_a)
    view(gu_case_manager, household_dong_b)
    return household_dong_a.members.get()


def _rows_shown(page: str) -> list[str]:
    import re

    return re.findall(r'<tr data-row="(\d+)">', page)


@pytest.mark.accept_loop
def test_the_privacy_officer_finds_who_viewed_a_given_person_in_the_last_30_days_in_one_search(
    login, auditor, viewed_by_two, officer_dong_a, gu_case_manager
):
    person = viewed_by_two
    response = login(auditor).get(URL, {"name": "김영수", "birth_date": "1945-03-15"})

    assert response.status_code == 200
    page = response.content.decode()
    recent_views = AccessLog.objects.filter(
        household_id=person.household_id, occurred_at__gte=timezone.now() - timedelta(days=30)
    ).exclude(user=auditor)
    lookup = AccessLog.objects.get(user=auditor)
    shown = _rows_shown(page)
    # Every row of the last 30 days naming him, newest first, the lookup itself included;
    # not the view of 40 days ago, nor the view of the other household.
    assert shown == [str(lookup.id)] + [str(row.id) for row in recent_views.order_by("-id")]
    assert len(shown) == 3
    # Who (user, organisation, role), when, what, why.
    for text in ["officer_a", "길동 주민센터", "gu_manager", "강동구청 희망복지지원단"]:
        assert text in page
    assert "복지 담당 공무원" in page and "통합사례관리사" in page
    assert "가구 조회" in page and "사례관리·상담" in page
    assert f"대상자 {person.id} · 가구 {person.household.reference} · 길동" in page
    # The search is a logged read of personal data, naming the person found.
    assert (lookup.purpose, lookup.person_ids) == (AccessPurpose.AUDIT, [person.id])
    assert "김영수" not in lookup.detail  # how he was named, not his name


def test_a_search_results_page_that_listed_the_person_is_found_too(
    login, auditor, officer_dong_a, household_dong_a
):
    search(officer_dong_a, "김영수")
    person = household_dong_a.members.get()
    page = login(auditor).get(URL, {"person": person.id}).content.decode()
    searched = AccessLog.objects.get(user=officer_dong_a)
    assert str(searched.id) in _rows_shown(page)


def test_the_household_reference_finds_the_person_too(login, auditor, viewed_by_two):
    reference = viewed_by_two.household.reference
    page = login(auditor).get(URL, {"household": reference}).content.decode()
    assert len(_rows_shown(page)) == 3


def test_a_chosen_period_reaches_back_further(login, auditor, viewed_by_two):
    today = timezone.localdate()
    page = (
        login(auditor)
        .get(URL, {"person": viewed_by_two.id, "date_from": str(today - timedelta(days=60))})
        .content.decode()
    )
    assert len(_rows_shown(page)) == 4


def test_an_auditor_outside_the_persons_jurisdiction_finds_nobody_and_is_logged(
    login, dong_b_auditor, viewed_by_two
):
    page = login(dong_b_auditor).get(URL, {"name": "김영수", "birth_date": "1945-03-15"})
    assert "관할 안에서 일치하는 대상자가 없습니다." in page.content.decode()
    assert _rows_shown(page.content.decode()) == []
    assert AccessLog.objects.get(user=dong_b_auditor).person_ids == []


def test_every_problem_of_the_form_is_reported_at_once(login, auditor):
    today = timezone.localdate()
    response = login(auditor).get(
        URL,
        {
            "name": "김" * 61,
            "person": "abc",
            "date_from": str(today),
            "date_to": str(today - timedelta(days=1)),
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "이름은 60자까지 입력할 수 있습니다 (지금 61자)." in page
    assert "<span data-count>61</span> / 60자" in page  # the counter beside the field
    assert "대상자 번호는 숫자로 입력하세요." in page
    assert "기간 시작일이 끝날보다 늦습니다." in page
    assert " novalidate" in page
    assert not AccessLog.objects.exists()  # nothing was looked up


def test_a_name_needs_its_birth_date(login, auditor):
    page = login(auditor).get(URL, {"name": "김영수"}).content.decode()
    assert "이름으로 찾을 때는 생년월일도 입력하세요." in page


def test_an_empty_search_asks_for_one_way_of_naming_the_person(login, auditor):
    response = login(auditor).get(URL, {"date_from": ""})
    assert (
        "이름과 생년월일, 가구 번호, 대상자 번호 중 하나로 찾으세요." in response.content.decode()
    )


def test_the_blank_page_looks_nothing_up(login, auditor):
    response = login(auditor).get(URL)
    assert response.status_code == 200
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize("persona", ["officer_dong_a", "finder", "private_worker"])
def test_staff_who_are_not_reviewers_are_refused(request, login, persona):
    user = request.getfixturevalue(persona)
    assert login(user).get(URL, {"person": 1}).status_code == 403


def test_a_period_longer_than_a_year_is_refused(login, auditor):
    with clock(timezone.now()):
        today = timezone.localdate()
        page = (
            login(auditor)
            .get(URL, {"person": 1, "date_from": str(today - timedelta(days=400))})
            .content.decode()
        )
    assert "기간은 366일 이내로 정해 주세요." in page


def test_the_search_costs_the_same_queries_for_more_views(
    login, auditor, officer_dong_a, household_dong_a, django_assert_max_num_queries
):
    person = household_dong_a.members.get()
    view(officer_dong_a, household_dong_a)
    client = login(auditor)
    client.get(URL, {"person": person.id})
    with django_assert_max_num_queries(20) as counted:
        client.get(URL, {"person": person.id})
    for _ in range(10):
        view(officer_dong_a, household_dong_a)
    with django_assert_max_num_queries(len(counted.captured_queries)):
        page = client.get(URL, {"person": person.id}).content.decode()
    assert len(_rows_shown(page)) == 14  # eleven views and three lookups
