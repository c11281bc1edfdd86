"""The worker's "today" page: my open cases by stage deadline, my open tasks, today's
visits — in a number of queries that does not grow with the caseload."""

import random
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def _caseload(manager, organisation, dong, count: int, start: int = 0):
    from bokjihub.cases.models import Case
    from bokjihub.cases.services import case_open
    from bokjihub.engine.rrn import make_rrn
    from bokjihub.people.services import PersonInput, household_register

    rng = random.Random(start)
    cases = []
    for number in range(start, start + count):
        household = household_register(
            road_address=f"서울특별시 강동구 양재대로 {2000 + number} (길동)",
            emd_code=dong.code,
            household_type="single_elderly",
            members=[
                PersonInput(
                    name=f"대상자{number}",
                    rrn=make_rrn(birth_date=date(1940, 1, 1 + number % 28), sex="F", rng=rng),
                    relation_to_head="head",
                )
            ],
        )
        cases.append(
            case_open(
                household=household,
                lead_organisation=organisation,
                case_manager=manager,
                by=manager,
            )
        )
    # spread the deadlines: some overdue, some later
    now = timezone.now()
    for index, case in enumerate(cases):
        Case.objects.filter(id=case.id).update(stage_due_at=now + timedelta(days=index % 7 - 3))
    return cases


def _today(client):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("case_today"))
    assert response.status_code == 200
    return response, len(captured)


@pytest.mark.accept_cases
@pytest.mark.accept_loop
def test_the_today_page_takes_as_many_queries_for_60_cases_as_for_5_and_pages_them(
    login, gu_case_manager, gu_office, dong_a
):
    client = login(gu_case_manager)
    cases = _caseload(gu_case_manager, gu_office, dong_a, 5)
    small, few = _today(client)
    assert small.content.count(b"data-today-case") == 5
    cases += _caseload(gu_case_manager, gu_office, dong_a, 55, start=5)
    large, many = _today(client)
    assert large.content.count(b"data-today-case") == 50  # a page; the rest a click away
    assert many == few
    second = client.get(reverse("case_today"), {"page": 2})
    assert second.content.count(b"data-today-case") == 10
    assert "(60" in large.content.decode() and "60건 중 1–50번째" in large.content.decode()
    body = large.content.decode() + second.content.decode()
    for number, case in enumerate(cases):
        assert f'<a href="/cases/{case.id}/">{case.number}</a>' in body
        assert f"<td>대상자{number}</td>" in body


def test_overdue_cases_come_first(login, gu_case_manager, gu_office, dong_a):
    from bokjihub.cases.models import Case

    cases = _caseload(gu_case_manager, gu_office, dong_a, 3)
    now = timezone.now()
    Case.objects.filter(id=cases[0].id).update(stage_due_at=now + timedelta(days=5))
    Case.objects.filter(id=cases[1].id).update(stage_due_at=now - timedelta(days=2))
    Case.objects.filter(id=cases[2].id).update(stage_due_at=None)
    body = login(gu_case_manager).get(reverse("case_today")).content.decode()
    first, second, third = (body.index(f'"/cases/{case.id}/"') for case in cases)
    assert second < first < third
    assert "기한 지남" in body


def test_my_tasks_and_todays_visits_are_listed(
    login, case_a, gu_case_manager, gu_office, private_worker, senior_centre
):
    from bokjihub.cases.services import (
        TaskInput,
        case_join,
        conference_decide,
        conference_schedule,
        visit_plan,
    )

    case_join(case=case_a, organisation=senior_centre, by=private_worker)
    conference = conference_schedule(
        kind="sigungu_monthly",
        title="12월 통합사례회의",
        sigungu=gu_office.sigungu,
        convened_by=gu_office,
        scheduled_for=timezone.now(),
        cases=[case_a],
        participants=[(senior_centre, private_worker)],
        by=gu_case_manager,
    )
    conference_decide(
        conference=conference,
        case=case_a,
        decision="주거비 지원",
        tasks=[
            TaskInput(
                title="긴급지원 신청서 접수",
                owner=gu_case_manager,
                owner_organisation=gu_office,
                due_on=timezone.localdate(),
            )
        ],
        by=gu_case_manager,
    )
    visit_plan(
        case=case_a,
        kind="joint",
        staff=[(gu_case_manager, gu_office), (private_worker, senior_centre)],
        planned_for=timezone.localtime().replace(hour=23, minute=0),
        purpose="합동 안부 확인",
        by=gu_case_manager,
    )
    body = login(gu_case_manager).get(reverse("case_today")).content.decode()
    assert "긴급지원 신청서 접수" in body
    assert "합동 안부 확인" in body
    other = login(private_worker).get(reverse("case_today")).content.decode()
    assert "합동 안부 확인" in other and "긴급지원 신청서 접수" not in other


def test_the_today_page_refuses_a_finder_and_an_anonymous_visitor(client, login, finder):
    assert client.get(reverse("case_today")).status_code == 302
    assert login(finder).get(reverse("case_today")).status_code == 403


# This test used to pin "no name on the today page"; issue 12 asks for the name (a row
# reading "1, 길동" tells a worker nothing), as the sharing policy shows it.
@pytest.mark.accept_loop
def test_the_today_page_names_the_head_and_the_case_number_but_not_the_address(
    login, case_a, gu_case_manager
):
    from bokjihub.audit.models import AccessLog

    body = login(gu_case_manager).get(reverse("case_today")).content.decode()
    assert f'<a href="/cases/{case_a.id}/">{case_a.number}</a>' in body
    assert "김영수" in body
    assert "양재대로" not in body
    row = AccessLog.objects.filter(detail__startswith="오늘 할 일").latest("id")
    head = case_a.household.members.get(relation_to_head="head")
    assert row.person_ids == [head.id]


@pytest.mark.accept_loop
def test_tasks_and_visits_carry_the_case_number_the_name_and_a_link(
    login, case_a, gu_case_manager, gu_office
):
    from bokjihub.cases.services import visit_plan

    visit_plan(
        case=case_a,
        kind="single",
        staff=[(gu_case_manager, gu_office)],
        planned_for=timezone.localtime().replace(hour=23, minute=0),
        purpose="안부 확인",
        by=gu_case_manager,
    )
    body = login(gu_case_manager).get(reverse("case_today")).content.decode()
    assert f'<a href="/cases/{case_a.id}/">{case_a.number} 김영수</a> · 23:00' in body
