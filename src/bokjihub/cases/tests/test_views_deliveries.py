"""The case page's delivery form, redundancy and eligibility panels; the redundancy page."""

import re
from datetime import date

import pytest
from django.urls import reverse

from bokjihub.cases.deliveries import delivery_record
from bokjihub.cases.models import Delivery, RedundancyFlag, RedundancyStatus

pytestmark = pytest.mark.django_db


def _row(body: str, benefit: str) -> str:
    match = re.search(rf'<tr data-benefit="{benefit}"[^>]*>.*?</tr>', body, re.S)
    assert match, benefit
    return match.group(0)


@pytest.fixture
def joined(case_a, private_worker, senior_centre):
    from bokjihub.cases.services import case_join

    case_join(case=case_a, organisation=senior_centre, by=private_worker)
    return case_a


def _post_delivery(client, case, **fields):
    data = {
        "delivery-domain": "housing",
        "delivery-provider": str(case.lead_organisation_id),
        "delivery-starts_on": "2026-11-01",
        "delivery-amount_krw": "300000",
    } | {f"delivery-{key}": value for key, value in fields.items()}
    return client.post(reverse("case_action", args=[case.id, "delivery"]), data)


def test_a_participant_records_a_delivery_from_the_case_page(login, case_a, gu_case_manager):
    client = login(gu_case_manager)
    response = _post_delivery(client, case_a, description="월세 3개월분")
    assert response.status_code == 303
    delivery = Delivery.objects.get()
    assert (delivery.domain, delivery.amount_krw, delivery.case) == ("housing", 300_000, case_a)
    body = client.get(reverse("case_detail", args=[case_a.id])).content.decode()
    assert "월세 3개월분" in body and "300,000원" in body


def test_a_bad_delivery_comes_back_with_korean_errors_and_what_was_typed(
    login, case_a, gu_case_manager
):
    client = login(gu_case_manager)
    response = _post_delivery(
        client, case_a, amount_krw="", ends_on="2026-10-01", description="수리비 지원"
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "제공 종료일은 시작일과 같거나 그 뒤여야 합니다." in body
    assert "금액이나 수량 가운데 하나는 입력해 주세요." in body
    assert 'value="수리비 지원"' in body and 'value="2026-10-01"' in body
    assert Delivery.objects.count() == 0


def test_a_reader_who_has_not_joined_may_not_record_a_delivery(login, case_a, officer_dong_a):
    response = _post_delivery(login(officer_dong_a), case_a)
    assert response.status_code == 403
    assert Delivery.objects.count() == 0


@pytest.mark.accept_services
def test_each_provider_sees_its_flag_on_the_case_page_and_its_redundancy_page(
    login, joined, gu_case_manager, gu_office, private_worker, senior_centre
):
    for user, organisation, start in (
        (gu_case_manager, gu_office, date(2026, 9, 1)),
        (private_worker, senior_centre, date(2026, 10, 1)),
    ):
        delivery_record(
            household=joined.household,
            case=joined,
            domain="housing",
            provider=organisation,
            starts_on=start,
            amount_krw=200_000,
            by=user,
            organisation=organisation,
        )
    for user, other in ((gu_case_manager, senior_centre), (private_worker, gu_office)):
        client = login(user)
        case_page = client.get(reverse("case_detail", args=[joined.id])).content.decode()
        assert f"{other.name}도 같은 기간에 지원합니다" in case_page
        page = client.get(reverse("case_redundancy")).content.decode()
        assert page.count("data-redundancy-flag=") == 1
        assert other.name in page


def test_resolving_a_flag_from_the_redundancy_page_keeps_the_note(
    login, joined, gu_case_manager, gu_office, private_worker, senior_centre
):
    for user, organisation in ((gu_case_manager, gu_office), (private_worker, senior_centre)):
        delivery_record(
            household=joined.household,
            case=joined,
            domain="housing",
            provider=organisation,
            starts_on=date(2026, 9, 1),
            amount_krw=200_000,
            by=user,
            organisation=organisation,
        )
    flag = RedundancyFlag.objects.get(organisation=gu_office)
    client = login(gu_case_manager)
    url = reverse("case_redundancy_resolve", args=[flag.id])
    assert client.post(url, {"resolve-note": ""}).status_code == 400
    response = client.post(url, {"resolve-note": "복지관과 통화, 용도가 다름"})
    assert response.status_code == 303
    flag.refresh_from_db()
    assert (flag.status, flag.resolution_note) == (
        RedundancyStatus.RESOLVED,
        "복지관과 통화, 용도가 다름",
    )
    other = RedundancyFlag.objects.get(organisation=senior_centre)
    assert (
        client.post(
            reverse("case_redundancy_resolve", args=[other.id]), {"resolve-note": "x"}
        ).status_code
        == 404
    )


def test_the_redundancy_page_takes_a_fixed_number_of_queries(
    login,
    joined,
    gu_case_manager,
    gu_office,
    private_worker,
    senior_centre,
    django_assert_num_queries,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(gu_case_manager)

    def deliver(user, organisation, day):
        delivery_record(
            household=joined.household,
            case=joined,
            domain="housing",
            provider=organisation,
            starts_on=date(2026, 9, day),
            ends_on=date(2026, 9, day),
            amount_krw=1,
            by=user,
            organisation=organisation,
        )

    counts = []
    for day in (1, 2, 3):
        deliver(gu_case_manager, gu_office, day)
        deliver(private_worker, senior_centre, day)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("case_redundancy")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2]


@pytest.mark.accept_services
def test_the_case_page_shows_each_benefits_result_with_the_deciding_criteria(
    login, case_a, gu_case_manager, income_assessment_dong_a
):
    body = login(gu_case_manager).get(reverse("case_detail", args=[case_a.id])).content.decode()
    assert "수급 가능성 사전 확인" in body
    assert body.count("<tr data-benefit=") == 12
    housing = _row(body, "housing")
    assert 'data-outcome="likely_eligible"' in housing and "수급 가능성 높음" in housing
    assert "소득인정액 712,000원" in housing
    livelihood = _row(body, "livelihood")
    assert "확인 필요" in livelihood and "부양의무자" in livelihood
    child = _row(body, "child_allowance")
    assert "해당 없음" in child and "is-deciding" in child


@pytest.mark.accept_services
def test_without_consent_to_income_the_panel_says_check_and_shows_no_figure(
    login, joined, private_worker, income_assessment_dong_a
):
    body = login(private_worker).get(reverse("case_detail", args=[joined.id])).content.decode()
    assert "712,000" not in body
    housing = _row(body, "housing")
    assert 'data-outcome="check"' in housing and "소득인정액을 알 수 없습니다" in housing
    assert "소득·재산 정보를 볼 수 없어(동의 없음)" in body


def test_with_consent_to_income_the_private_worker_sees_the_income_criteria(
    login, joined, private_worker_with_consent, income_assessment_dong_a
):
    body = (
        login(private_worker_with_consent)
        .get(reverse("case_detail", args=[joined.id]))
        .content.decode()
    )
    assert 'data-outcome="likely_eligible"' in _row(body, "housing")
    assert "소득인정액 712,000원" in body


def test_a_registered_disability_of_unknown_severity_is_left_to_the_worker(
    login, case_a, gu_case_manager, private_worker, joined
):
    head = case_a.household.members.order_by("id").first()
    head.has_disability = True
    head.save(update_fields=["has_disability"])
    body = login(gu_case_manager).get(reverse("case_detail", args=[case_a.id])).content.decode()
    pension = _row(body, "disability_pension")
    assert 'data-outcome="check"' in pension
    assert "장애의 정도를 알 수 없어 확인이 필요합니다" in pension
    assert "장애 등록은 있으나 장애의 정도는 기록에 없어" in body
    # a viewer without consent to 장애 is told why, and sees no registration
    body = login(private_worker).get(reverse("case_detail", args=[joined.id])).content.decode()
    assert "장애 정보는 동의가 없어 볼 수 없습니다" in body
