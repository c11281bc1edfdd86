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


@pytest.fixture(scope="session", autouse=True)
def huey_immediate():
    """Tasks run inline in tests (huey's immediate mode keeps its queue in memory), so a
    test sees a task's effect without a worker process."""
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True
    yield HUEY


@pytest.fixture(autouse=True)
def korean_by_default():
    """Each test starts in Korean, the source language. Django's LocaleMiddleware leaves
    the language of the last request active in the thread, so without this a test that
    asked for an English page would make the next test's messages English."""
    from django.utils import translation

    translation.activate("ko")
    yield
    translation.deactivate()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test (the browser tests) ends by emptying every table, regions
    included; load them again once its teardown (and so the flush) is over, so that the
    tests after it find them. A fixture cannot do this: with live_server, pytest-django
    sets up transactional_db before any autouse fixture of ours, so the flush would come
    after that fixture's teardown and wipe the reload."""
    blocker = item.funcargs.get("django_db_blocker") if hasattr(item, "funcargs") else None
    transactional = "transactional_db" in getattr(item, "fixturenames", ())
    yield
    if transactional and blocker is not None:
        from bokjihub.regions.services import regions_load

        with blocker.unblock():
            regions_load()


def _persona(username: str, organisation, role: str):
    from bokjihub.orgs.services import membership_grant, user_create

    user = user_create(username=username, password=TEST_PASSWORD, display_name=username)
    membership_grant(user=user, organisation=organisation, role=role, started_on=TODAY)
    confirmed_totp_device(user)
    return user


def confirmed_totp_device(user):
    """Every persona has enrolled an authenticator app (the second login factor); tests
    read its current code with bokjihub.orgs.services.totp_current_code."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="테스트", confirmed=True)


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
    """Log a persona into the Django test client, second factor included when the persona
    has a device (as if the code had been typed)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from bokjihub.core.middleware import login_stamp

    def _login(user):
        client.force_login(user)
        session = client.session
        session.update(login_stamp(user))
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None:
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client

    return _login


# Partnership (issue 7): consents, a network, a means test. Consents are given an hour ago
# and kept a year, so that they are active whatever day the suite runs.

CONSENT_REFUSAL_NOTICE = (
    "동의하지 않을 권리가 있으며, 동의하지 않으면 복지관의 방문·상담 연계가 제한될 수 있습니다."
)


@pytest.fixture
def hope_network(gangdong, senior_centre, youth_centre):
    from bokjihub.orgs.services import network_create

    return network_create(
        name="강동 희망복지 네트워크",
        kind="mou",
        sigungu=gangdong,
        members=[senior_centre, youth_centre],
        signed_on=TODAY,
    )


@pytest.fixture
def consent_for(officer_dong_a, centre_a):
    """Record a consent of `person` for a recipient, as the officer of Dong A."""
    from datetime import timedelta

    from django.utils import timezone

    from bokjihub.people.services import consent_record

    def _consent_for(person, *, categories, organisation=None, network=None):
        return consent_record(
            person=person,
            recipient_organisation=organisation,
            recipient_network=network,
            purpose="밑반찬 배달과 안부 확인, 사례관리 연계",
            categories=categories,
            retention_until=timezone.localdate() + timedelta(days=365),
            refusal_notice=CONSENT_REFUSAL_NOTICE,
            method="signed_form_scan",
            given_at=timezone.now() - timedelta(hours=1),
            recorded_by=officer_dong_a,
            recording_organisation=centre_a,
        )

    return _consent_for


@pytest.fixture
def income_assessment_dong_a(household_dong_a, centre_a):
    from bokjihub.people.services import income_assessment_record

    return income_assessment_record(
        household=household_dong_a,
        person=household_dong_a.members.get(),
        monthly_recognised_income=712_000,
        assets=18_500_000,
        source_organisation=centre_a,
        assessed_on=TODAY,
    )


@pytest.fixture
def income_consent_for_senior_centre(consent_for, household_dong_a, senior_centre):
    return consent_for(
        household_dong_a.members.get(),
        categories=["contact", "household_composition", "income_assets"],
        organisation=senior_centre,
    )


@pytest.fixture
def private_worker_with_consent(private_worker, income_consent_for_senior_centre):
    """The private worker whose centre serves the Dong A household and holds the head's
    consent to contact, household composition and income (not health)."""
    return private_worker
