"""Human case numbers: 강동-2026-0001, one sequence per Si/Gun/Gu and year, never twice."""

import random
import re
import threading
from datetime import UTC, date, datetime

import pytest
from django.db import IntegrityError, connection, transaction

from bokjihub.cases.numbers import case_number_prefix, sido_short, sigungu_stem

pytestmark = pytest.mark.django_db

NUMBER = re.compile(r"^[가-힣]+-\d{4}-\d{4,}$")


def _household(emd_code: str, name: str, rrn: str, road: str):
    from bokjihub.people.services import PersonInput, household_register

    return household_register(
        road_address=road,
        emd_code=emd_code,
        household_type="single_elderly",
        members=[PersonInput(name=name, rrn=rrn, relation_to_head="head")],
    )


def _open(household, organisation, manager):
    from bokjihub.cases.services import case_open

    return case_open(
        household=household, lead_organisation=organisation, case_manager=manager, by=manager
    )


@pytest.mark.accept_loop
def test_a_new_case_gets_the_gu_the_year_and_the_next_number_of_the_gu(
    household_dong_a, household_dong_b, gu_office, gu_case_manager
):
    from django.utils import timezone

    first = _open(household_dong_a, gu_office, gu_case_manager)
    second = _open(household_dong_b, gu_office, gu_case_manager)
    year = timezone.localdate().year
    assert first.number == f"강동-{year}-0001"
    assert second.number == f"강동-{year}-0002"
    assert NUMBER.match(first.number)
    assert str(first) == first.number


@pytest.mark.accept_loop
def test_the_database_refuses_a_second_case_with_the_same_number(case_a, household_dong_b):
    from bokjihub.cases.models import Case

    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(
            number=case_a.number,
            household=household_dong_b,
            lead_organisation=case_a.lead_organisation,
            opened_at=case_a.opened_at,
        )


def test_the_year_is_the_year_in_seoul_when_the_case_was_opened(
    household_dong_a, gu_office, gu_case_manager, frozen
):
    # 31 December 15:30 UTC is already New Year's Day in Seoul
    frozen(datetime(2026, 12, 31, 15, 30, tzinfo=UTC))
    case = _open(household_dong_a, gu_office, gu_case_manager)
    assert case.number == "강동-2027-0001"


def test_each_year_starts_its_own_sequence(
    household_dong_a, household_dong_b, gu_office, gu_case_manager, frozen
):
    frozen(datetime(2026, 6, 1, 3, 0, tzinfo=UTC))
    assert _open(household_dong_a, gu_office, gu_case_manager).number == "강동-2026-0001"
    frozen(datetime(2027, 6, 1, 3, 0, tzinfo=UTC))
    assert _open(household_dong_b, gu_office, gu_case_manager).number == "강동-2027-0001"


def test_a_household_that_already_has_a_case_uses_up_no_number(
    case_a, household_dong_b, gu_office, gu_case_manager
):
    from bokjihub.cases.services import CaseAlreadyOpen

    with pytest.raises(CaseAlreadyOpen):
        _open(case_a.household, gu_office, gu_case_manager)
    second = _open(household_dong_b, gu_office, gu_case_manager)
    assert second.number.endswith("-0002")


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("강동구", "강동"),
        ("장성군", "장성"),
        ("청주시 흥덕구", "흥덕"),
        ("중구", "중구"),
        ("세종특별자치시", "세종"),
    ],
)
def test_the_short_name_drops_the_suffix_where_a_name_is_left(name, stem):
    assert sigungu_stem(name) == stem


@pytest.mark.parametrize(
    ("name", "short"),
    [("서울특별시", "서울"), ("부산광역시", "부산"), ("충청북도", "충북"), ("경기도", "경기")],
)
def test_a_si_do_has_its_usual_short_name(name, short):
    assert sido_short(name) == short


def test_si_gun_gus_sharing_a_name_take_their_si_do_or_city_in_front():
    from bokjihub.regions.models import Sigungu

    def prefix(code):
        return case_number_prefix(Sigungu.objects.get(code=code, valid_to__isnull=True))

    assert prefix("11740") == "강동"
    assert prefix("26110") == "부산중구"  # 중구 is in Seoul, Busan, Daegu, Daejeon, Ulsan
    assert prefix("11500") == "서울강서"  # and Busan has a 강서구 too
    assert prefix("47111") == "포항남구"  # a 일반구 takes its city


def test_cases_of_two_gus_count_separately(gu_office, gu_case_manager, household_dong_a):
    from django.utils import timezone

    from bokjihub.engine.rrn import make_rrn

    rrn = make_rrn(birth_date=date(1948, 1, 1), sex="F", rng=random.Random(1))
    busan = _household("2611051000", "이순자", rrn, "부산광역시 중구 중앙대로 1 (중앙동)")
    _open(household_dong_a, gu_office, gu_case_manager)
    case = _open(busan, gu_office, gu_case_manager)
    assert case.number == f"부산중구-{timezone.localdate().year}-0001"


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises writers; the race needs rows locks"
)
def test_cases_opened_at_the_same_moment_in_one_gu_get_different_numbers(
    transactional_db, dong_a, gu_office, gu_case_manager
):
    import random
    from datetime import date

    from bokjihub.engine.rrn import make_rrn

    rng = random.Random(3)
    households = [
        _household(
            dong_a.code,
            f"동시{index}",
            make_rrn(birth_date=date(1950, 1, index + 1), sex="M", rng=rng),
            f"서울특별시 강동구 양재대로 {900 + index} (길동)",
        )
        for index in range(6)
    ]
    numbers, errors = [], []
    start = threading.Barrier(len(households))

    def open_one(household):
        try:
            start.wait()
            numbers.append(_open(household, gu_office, gu_case_manager).number)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=open_one, args=(h,)) for h in households]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(numbers)) == len(households)
