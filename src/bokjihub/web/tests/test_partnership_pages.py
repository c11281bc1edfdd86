"""Household page under the sharing policy, the purpose of access, consent pages and the
person's own record."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from bokjihub.audit.models import AccessAction, AccessLog
from bokjihub.people.access import OUT_OF_CASELOAD_MARKER, PERSON_RECORD_DETAIL
from bokjihub.people.models import Consent

pytestmark = pytest.mark.django_db

INCOME = "712,000원"
PURPOSE = {"purpose": "eligibility", "purpose_text": "긴급지원 자격 확인"}


def _url(household):
    return reverse("household_detail", args=[household.reference])


def _head(household):
    return household.members.get(relation_to_head="head")


def _income_cell(page: str) -> str:
    return re.search(r'<td data-label="소득인정액" class="income">(.*?)</td>', page, re.S).group(1)


@pytest.mark.accept_privacy
def test_a_private_worker_sees_income_only_while_the_consent_is_active(
    login, private_worker_with_consent, officer_dong_a, household_dong_a, income_assessment_dong_a
):
    consent = Consent.objects.get()
    page = login(private_worker_with_consent).get(_url(household_dong_a)).content.decode()
    assert INCOME in _income_cell(page)

    officer = login(officer_dong_a)
    officer.post(_url(household_dong_a), PURPOSE)
    confirm = officer.post(reverse("consent_withdraw"), {"consent": consent.id})
    assert "철회할까요" in confirm.content.decode()
    done = officer.post(reverse("consent_withdraw"), {"consent": consent.id, "confirm": "yes"})
    assert done.status_code == 303

    page = login(private_worker_with_consent).get(_url(household_dong_a)).content.decode()
    cell = _income_cell(page)
    assert INCOME not in page
    assert "비공개" in cell and "동의 철회됨" in cell


def test_a_private_worker_without_consent_sees_the_name_and_withheld_fields_with_reasons(
    login, private_worker, household_dong_a, income_assessment_dong_a
):
    page = login(private_worker).get(_url(household_dong_a)).content.decode()
    assert "김영수" in page and "450315-1******" in page
    assert "양재대로 1480" not in page  # the address is contact data
    assert INCOME not in page
    assert "동의 없음" in _income_cell(page)
    row = AccessLog.objects.get(action=AccessAction.HOUSEHOLD_VIEW)
    assert row.person_ids == [_head(household_dong_a).id]
    assert "비공개[동의 없음]" in row.detail and "소득·재산" in row.detail


@pytest.mark.accept_privacy
def test_opening_a_household_outside_the_caseload_asks_for_a_purpose_and_logs_it(
    login, officer_dong_a, household_dong_a
):
    client = login(officer_dong_a)
    asked = client.get(_url(household_dong_a)).content.decode()
    assert "열람 목적을 밝혀 주세요" in asked
    assert "김영수" not in asked and "양재대로" not in asked
    assert not AccessLog.objects.exists()

    shown = client.post(_url(household_dong_a), PURPOSE).content.decode()
    assert "김영수" in shown
    row = AccessLog.objects.get()
    assert row.purpose == "eligibility"
    assert row.detail.startswith(OUT_OF_CASELOAD_MARKER)
    assert "긴급지원 자격 확인" in row.detail

    client.get(_url(household_dong_a))  # the stated purpose holds for the day
    assert AccessLog.objects.filter(purpose="eligibility").count() == 2


def test_a_purpose_without_a_reason_in_words_is_asked_again(
    login, officer_dong_a, household_dong_a
):
    page = login(officer_dong_a).post(_url(household_dong_a), {"purpose": "triage"})
    assert "왜 이 가구를 여는지" in page.content.decode()
    assert not AccessLog.objects.exists()


def test_a_household_in_the_caseload_opens_without_a_purpose(
    login, officer_dong_a, centre_a, household_dong_a
):
    from bokjihub.people.services import engagement_start

    engagement_start(organisation=centre_a, household=household_dong_a, basis="긴급지원")
    page = login(officer_dong_a).get(_url(household_dong_a)).content.decode()
    assert "김영수" in page
    assert not AccessLog.objects.get().detail.startswith(OUT_OF_CASELOAD_MARKER)


@pytest.mark.accept_privacy
def test_the_officer_of_dong_b_still_gets_404_and_cannot_reach_consents_or_records(
    login, officer_dong_b, household_dong_a, income_consent_for_senior_centre
):
    client = login(officer_dong_b)
    person = _head(household_dong_a)
    assert client.post(_url(household_dong_a), PURPOSE).status_code == 404
    assert client.post(reverse("consent_new"), {"person": person.id}).status_code == 404
    withdraw = {"consent": income_consent_for_senior_centre.id, "confirm": "yes"}
    assert client.post(reverse("consent_withdraw"), withdraw).status_code == 404
    assert client.post(reverse("person_record"), {"person": person.id}).status_code == 404
    assert Consent.objects.get().withdrawn_at is None


def test_a_private_worker_records_consents_naming_its_centre_but_withdraws_none(
    login, private_worker, household_dong_a, senior_centre, youth_centre, consent_for
):
    # Issue 12 changed this: the centre records the consents it obtains itself (it could
    # reach no consent page before). It still sees no other recipient's consent and
    # withdraws none from the pages (the person's public office does that).
    person = _head(household_dong_a)
    others = consent_for(person, categories=["contact"], organisation=youth_centre)
    client = login(private_worker)
    page = client.get(_url(household_dong_a)).content.decode()
    assert "새 동의 기록" in page
    assert youth_centre.name not in page
    form = client.post(reverse("consent_new"), {"person": person.id}).content.decode()
    assert f'value="organisation:{senior_centre.id}" selected' in form
    assert youth_centre.name not in form and "협약·네트워크" not in form
    withdraw = {"consent": others.id, "confirm": "yes"}
    assert client.post(reverse("consent_withdraw"), withdraw).status_code == 404


def test_a_private_worker_of_an_unserved_household_reaches_no_consent_form(
    login, private_worker_unlinked, household_dong_a
):
    client = login(private_worker_unlinked)
    person = _head(household_dong_a)
    assert client.post(reverse("consent_new"), {"person": person.id}).status_code == 404


def test_an_officer_records_a_consent_through_the_form(
    login, officer_dong_a, household_dong_a, senior_centre
):
    client = login(officer_dong_a)
    person = _head(household_dong_a)
    form = client.post(reverse("consent_new"), {"person": person.id}).content.decode()
    assert senior_centre.name in form
    response = client.post(
        reverse("consent_new"),
        {
            "person": person.id,
            "save": "1",
            "recipient": f"organisation:{senior_centre.id}",
            "purpose": "밑반찬 배달",
            "categories": ["contact", "income_assets"],
            "retention_until": (timezone.localdate().replace(year=2030)).isoformat(),
            "refusal_notice": "거부할 수 있습니다.",
            "method": "electronic",
            "given_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 303
    consent = Consent.objects.get()
    assert consent.recipient_organisation == senior_centre
    assert consent.categories == ["contact", "income_assets"]
    assert consent.recorded_by == officer_dong_a
    from bokjihub.audit.models import AccessAction, AccessLog

    change = AccessLog.objects.get(action=AccessAction.PERSONAL_DATA_CHANGE)
    assert change.person_ids == [person.id]
    assert change.username == officer_dong_a.username

    client.post(reverse("consent_withdraw"), {"consent": consent.id, "confirm": "yes"})
    assert AccessLog.objects.filter(action=AccessAction.PERSONAL_DATA_CHANGE).count() == 2


def test_the_consent_form_explains_why_health_cannot_be_bundled(
    login, officer_dong_a, household_dong_a, senior_centre
):
    response = login(officer_dong_a).post(
        reverse("consent_new"),
        {
            "person": _head(household_dong_a).id,
            "save": "1",
            "recipient": f"organisation:{senior_centre.id}",
            "purpose": "방문 간호 연계",
            "categories": ["health", "contact"],
            "retention_until": "2030-01-01",
            "refusal_notice": "거부할 수 있습니다.",
            "method": "electronic",
            "given_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 200
    assert "건강 정보는 민감정보라서 다른 항목과 묶을 수 없습니다" in response.content.decode()
    assert not Consent.objects.exists()


@pytest.mark.accept_privacy
def test_the_persons_record_lists_who_accessed_it_and_the_consents(
    login, officer_dong_a, private_worker_with_consent, household_dong_a
):
    login(private_worker_with_consent).get(_url(household_dong_a))
    client = login(officer_dong_a)
    client.post(_url(household_dong_a), PURPOSE)
    consent = Consent.objects.get()
    client.post(reverse("consent_withdraw"), {"consent": consent.id, "confirm": "yes"})

    response = client.post(reverse("person_record"), {"person": _head(household_dong_a).id})

    page = response.content.decode()
    assert response.status_code == 200
    assert "강동구 시범노인복지관" in page  # read the household, and is the recipient
    assert "길동 주민센터" in page
    assert "가구 조회" in page and "대상자 조회" in page
    assert "철회됨" in page and "소득·재산" in page
    assert "450315-1******" in page and "4503151234563" not in page
    assert "person_record_print.css" in page
    row = AccessLog.objects.filter(action=AccessAction.PERSON_VIEW).order_by("id").last()
    assert row.detail == PERSON_RECORD_DETAIL
    assert row.person_ids == [_head(household_dong_a).id]


def test_the_persons_record_is_reached_only_by_post(login, officer_dong_a):
    assert login(officer_dong_a).get(reverse("person_record")).status_code == 405


INLINE = re.compile(r"<script(?![^>]*\bsrc=)|\sstyle=|\son[a-z]+=", re.I)


def test_the_partnership_pages_carry_no_inline_script_style_or_handlers(
    login, officer_dong_a, household_dong_a, income_consent_for_senior_centre
):
    client = login(officer_dong_a)
    person = _head(household_dong_a).id
    pages = [
        client.get(_url(household_dong_a)),
        client.post(_url(household_dong_a), PURPOSE),
        client.post(reverse("consent_new"), {"person": person}),
        client.post(reverse("consent_withdraw"), {"consent": income_consent_for_senior_centre.id}),
        client.post(reverse("person_record"), {"person": person}),
    ]
    for response in pages:
        assert response.status_code == 200
        assert not INLINE.search(response.content.decode())
