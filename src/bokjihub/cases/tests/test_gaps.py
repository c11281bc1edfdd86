"""The gap list: assessed needs with no plan goal and no delivery after N days."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bokjihub.cases.gaps import service_gaps
from bokjihub.cases.services import GoalInput, assessment_record, plan_save
from bokjihub.orgs.actors import actor_for

pytestmark = pytest.mark.django_db


def _actor(user):
    return actor_for(user=user)


def _assess(case, user, organisation, *, days_ago, now, needs=None):
    return assessment_record(
        case=case,
        crisis_level="crisis",
        needs=needs or {"housing": 3},
        by=user,
        organisation=organisation,
        at=now - timedelta(days=days_ago),
    )


def _gaps(user, now, **kwargs):
    return [
        (row.case_id, row.domain) for row in service_gaps(actor=_actor(user), now=now, **kwargs)
    ]


@pytest.fixture
def now():
    return timezone.now()


@pytest.mark.accept_services
def test_a_housing_need_with_nothing_planned_after_30_days_is_on_the_gap_list(
    case_a, gu_case_manager, gu_office, now
):
    _assess(case_a, gu_case_manager, gu_office, days_ago=30, now=now)
    page = service_gaps(actor=_actor(gu_case_manager), now=now)
    [row] = page.object_list
    assert (row.case_id, row.domain, row.days_waiting) == (case_a.id, "주거", 30)


@pytest.mark.accept_services
def test_at_29_days_the_need_is_not_yet_a_gap(case_a, gu_case_manager, gu_office, now):
    _assess(case_a, gu_case_manager, gu_office, days_ago=29, now=now)
    assert _gaps(gu_case_manager, now) == []


@pytest.mark.accept_services
def test_a_plan_goal_of_the_domain_takes_the_need_off_the_list(
    case_a, gu_case_manager, gu_office, now, review_day
):
    _assess(
        case_a, gu_case_manager, gu_office, days_ago=40, now=now, needs={"housing": 3, "health": 2}
    )
    plan_save(
        case=case_a,
        goals=[
            GoalInput(
                domain="housing",
                goal="임대료 체납 해소",
                responsible_organisation=gu_office,
                review_on=review_day,
            )
        ],
        by=gu_case_manager,
        organisation=gu_office,
        expected_version=0,
    )
    assert _gaps(gu_case_manager, now) == [(case_a.id, "건강")]


@pytest.mark.accept_services
def test_a_delivery_of_the_domain_takes_the_need_off_the_list(
    case_a, gu_case_manager, gu_office, now
):
    from bokjihub.cases.deliveries import delivery_record

    _assess(case_a, gu_case_manager, gu_office, days_ago=40, now=now)
    delivery_record(
        household=case_a.household,
        case=case_a,
        domain="housing",
        provider=gu_office,
        starts_on=timezone.localdate(now) - timedelta(days=35),
        amount_krw=500_000,
        by=gu_case_manager,
        organisation=gu_office,
    )
    assert _gaps(gu_case_manager, now) == []


def test_help_that_ended_before_the_assessment_does_not_answer_it(
    case_a, gu_case_manager, gu_office, now
):
    from bokjihub.cases.deliveries import delivery_record

    today = timezone.localdate(now)
    delivery_record(
        household=case_a.household,
        case=case_a,
        domain="housing",
        provider=gu_office,
        starts_on=today - timedelta(days=90),
        ends_on=today - timedelta(days=60),
        amount_krw=500_000,
        by=gu_case_manager,
        organisation=gu_office,
    )
    _assess(case_a, gu_case_manager, gu_office, days_ago=40, now=now)
    assert _gaps(gu_case_manager, now) == [(case_a.id, "주거")]


@pytest.mark.accept_services
def test_n_is_a_setting_and_a_parameter(case_a, gu_case_manager, gu_office, now, settings):
    _assess(case_a, gu_case_manager, gu_office, days_ago=12, now=now)
    assert _gaps(gu_case_manager, now) == []
    assert _gaps(gu_case_manager, now, days=10) == [(case_a.id, "주거")]
    settings.BOKJIHUB_SERVICE_GAP_DAYS = 10
    assert _gaps(gu_case_manager, now) == [(case_a.id, "주거")]


def test_only_the_latest_assessment_and_needs_of_medium_severity_or_more_count(
    case_a, gu_case_manager, gu_office, now
):
    _assess(case_a, gu_case_manager, gu_office, days_ago=60, now=now, needs={"housing": 3})
    _assess(
        case_a, gu_case_manager, gu_office, days_ago=45, now=now, needs={"housing": 1, "care": 2}
    )
    assert _gaps(gu_case_manager, now) == [(case_a.id, "돌봄")]


def test_an_officer_of_another_dong_sees_no_gap_of_dong_a(
    case_a, gu_case_manager, gu_office, officer_dong_b, now
):
    _assess(case_a, gu_case_manager, gu_office, days_ago=40, now=now)
    assert _gaps(officer_dong_b, now) == []


def _more_cases(count, gu_case_manager, gu_office, dong_a, now):
    from bokjihub.cases.services import case_open
    from bokjihub.engine.rrn import check_digit
    from bokjihub.people.services import PersonInput, household_register

    for index in range(count):
        first12 = f"500101{1:d}{_more_cases.serial:05d}"
        _more_cases.serial += 1
        household = household_register(
            road_address=f"서울특별시 강동구 양재대로 {1500 + index} (길동)",
            emd_code=dong_a.code,
            household_type="single_elderly",
            members=[
                PersonInput(
                    name=f"이웃{index}",
                    rrn=first12 + str(check_digit(first12)),
                    relation_to_head="head",
                )
            ],
            as_of=timezone.localdate(now),
        )
        case = case_open(
            household=household,
            lead_organisation=gu_office,
            case_manager=gu_case_manager,
            by=gu_case_manager,
        )
        _assess(case, gu_case_manager, gu_office, days_ago=31 + index, now=now)


_more_cases.serial = 1


def _page_queries(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("case_gaps"))
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.mark.accept_services
def test_the_gap_page_lists_oldest_first_in_a_fixed_number_of_queries(
    login, case_a, gu_case_manager, gu_office, dong_a, now
):
    client = login(gu_case_manager)
    _, body = _page_queries(client)
    assert "공백으로 남은 욕구가 없습니다" in body
    _more_cases(1, gu_case_manager, gu_office, dong_a, now)
    one, _ = _page_queries(client)
    _more_cases(4, gu_case_manager, gu_office, dong_a, now)
    many, body = _page_queries(client)
    assert one == many
    assert body.count("data-gap-case=") == 5
    waited = [int(day) for day in re.findall(r"<td>(\d+)일</td>", body)]
    assert waited == sorted(waited, reverse=True)


def test_the_gap_page_is_refused_to_a_finder(login, finder):
    assert login(finder).get(reverse("case_gaps")).status_code == 403
