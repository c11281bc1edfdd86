"""Shared test setup: regions loaded once per session, and the personas every test uses.

Personas (STYLE.md): an officer of Dong A (길동, Gangdong-gu), an officer of Dong B
(천호1동) who must be refused Dong A's households, a Gu case manager, a private social
worker whose centre serves a Dong A household, and one whose centre serves nobody.
"""

from datetime import date

import pytest

DONG_A = "1174068500"  # 길동
DONG_B = "1174060000"  # 천호1동
GANGDONG = "11740"
TEST_PASSWORD = "correct-horse-battery-9"  # noqa: S105 - test-only credential
TODAY = date(2026, 11, 26)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from bokjihub.regions.services import regions_load

    with django_db_blocker.unblock():
        regions_load()


@pytest.fixture(autouse=True)
def _regions_survive_transactional_tests(request, django_db_blocker):
    """A transactional test (the browser tests) ends by emptying every table, regions
    included; load them again so the tests after it find them. The database fixture is
    requested from here so that its flush runs before this teardown."""
    if "transactional_db" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    from bokjihub.regions.services import regions_load

    with django_db_blocker.unblock():
        regions_load()


def _persona(username: str, organisation, role: str):
    from bokjihub.orgs.services import membership_grant, user_create

    user = user_create(username=username, password=TEST_PASSWORD, display_name=username)
    membership_grant(user=user, organisation=organisation, role=role, started_on=TODAY)
    return user


@pytest.fixture
def gangdong(db):
    from bokjihub.regions.models import Sigungu

    return Sigungu.objects.get(code=GANGDONG, valid_to__isnull=True)


@pytest.fixture
def dong_a(db):
    from bokjihub.regions.models import EupMyeonDong

    return EupMyeonDong.objects.get(code=DONG_A, valid_to__isnull=True)


@pytest.fixture
def dong_b(db):
    from bokjihub.regions.models import EupMyeonDong

    return EupMyeonDong.objects.get(code=DONG_B, valid_to__isnull=True)


@pytest.fixture
def centre_a(dong_a):
    from bokjihub.orgs.services import organisation_create

    return organisation_create(name="길동 주민센터", kind="emd_centre", emd=dong_a)


@pytest.fixture
def centre_b(dong_b):
    from bokjihub.orgs.services import organisation_create

    return organisation_create(name="천호1동 주민센터", kind="emd_centre", emd=dong_b)


@pytest.fixture
def gu_office(gangdong):
    from bokjihub.orgs.services import organisation_create

    return organisation_create(
        name="강동구청 희망복지지원단", kind="sigungu_office", sigungu=gangdong
    )


@pytest.fixture
def senior_centre(gangdong):
    from bokjihub.orgs.services import organisation_create

    return organisation_create(
        name="강동구 시범노인복지관", kind="senior_welfare_centre", sigungu=gangdong
    )


@pytest.fixture
def youth_centre(gangdong):
    from bokjihub.orgs.services import organisation_create

    return organisation_create(
        name="강동구 시범청소년상담복지센터", kind="youth_counselling_centre", sigungu=gangdong
    )


@pytest.fixture
def officer_dong_a(centre_a):
    return _persona("officer_a", centre_a, "welfare_officer")


@pytest.fixture
def officer_dong_b(centre_b):
    return _persona("officer_b", centre_b, "welfare_officer")


@pytest.fixture
def gu_case_manager(gu_office):
    return _persona("gu_manager", gu_office, "case_manager")


@pytest.fixture
def private_worker(senior_centre, household_dong_a):
    from bokjihub.people.services import engagement_start

    engagement_start(
        organisation=senior_centre,
        household=household_dong_a,
        basis="밑반찬 배달",
        started_on=TODAY,
    )
    return _persona("private_worker", senior_centre, "private_social_worker")


@pytest.fixture
def private_worker_unlinked(youth_centre):
    return _persona("private_unlinked", youth_centre, "private_social_worker")


@pytest.fixture
def finder(centre_a):
    return _persona("finder", centre_a, "finder")


@pytest.fixture
def auditor(gu_office):
    return _persona("auditor", gu_office, "auditor")


@pytest.fixture
def household_dong_a(dong_a):
    from bokjihub.people.services import PersonInput, household_register

    return household_register(
        road_address="서울특별시 강동구 양재대로 1480 (길동)",
        emd_code=dong_a.code,
        address_detail="3층",
        household_type="single_elderly",
        members=[PersonInput(name="김영수", rrn="4503151234563", relation_to_head="head")],
        as_of=TODAY,
    )


@pytest.fixture
def household_dong_b(dong_b):
    from bokjihub.people.services import PersonInput, household_register

    return household_register(
        road_address="서울특별시 강동구 천호대로 1005 (천호동)",
        emd_code=dong_b.code,
        household_type="single_parent",
        members=[
            PersonInput(name="박지은", rrn="8807222345675", relation_to_head="head"),
            PersonInput(name="박서준", rrn="1503033123453", relation_to_head="child"),
        ],
        as_of=TODAY,
    )


@pytest.fixture
def login(client):
    """Log a persona into the Django test client."""

    def _login(user):
        client.force_login(user)
        return client

    return _login
