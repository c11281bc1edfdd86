"""The item page's part of the core loop (issue 12): the registry search, registering a
household, opening the case, and the forms' server-side checks."""

import html

import pytest
from django.urls import reverse

from bokjihub.audit.models import AccessLog, AccessPurpose
from bokjihub.finding.models import ItemStatus, TriageItem
from bokjihub.finding.services import ReportInput, report_submit

pytestmark = [pytest.mark.django_db, pytest.mark.accept_loop]


@pytest.fixture
def item_a(centre_a, centre_b, gu_office, gangdong, dong_a):
    data = ReportInput(
        channel="neighbour",
        concerns=["isolation"],
        subject_name="최복남",
        subject_address="서울특별시 강동구 양재대로 1500",
        subject_emd_code=dong_a.code,
    )
    return report_submit(data=data, sigungu=gangdong).item


def _url(item, action=""):
    if action:
        return reverse("finding_item_action", args=[item.reference, action])
    return reverse("finding_item", args=[item.reference])


def _body(response) -> str:
    return html.unescape(response.content.decode())


def test_the_registry_search_shows_only_her_jurisdiction_and_is_logged_as_triage(
    login, officer_dong_a, item_a, household_dong_a, household_dong_b
):
    client = login(officer_dong_a)
    page = _body(client.get(_url(item_a), {"q": "김영수"}))
    assert "김영수 님 가구로 연결" in page and "450315-1******" in page
    other = _body(client.get(_url(item_a), {"q": "박지은"}))  # 천호1동: not hers
    assert "박지은 님 가구로 연결" not in other and "찾지 못했습니다" in other
    assert AccessLog.objects.filter(user=officer_dong_a, purpose=AccessPurpose.TRIAGE).exists()


def test_a_household_found_by_search_is_linked_from_the_page(
    login, officer_dong_a, item_a, household_dong_a
):
    client = login(officer_dong_a)
    response = client.post(
        _url(item_a, "household-link"),
        {"link-expected_version": item_a.version, "link-household": household_dong_a.reference},
    )
    assert response.status_code == 303
    assert TriageItem.objects.get(pk=item_a.pk).household == household_dong_a


def test_linking_another_dongs_household_is_a_404(login, officer_dong_a, item_a, household_dong_b):
    response = login(officer_dong_a).post(
        _url(item_a, "household-link"),
        {"link-expected_version": item_a.version, "link-household": household_dong_b.reference},
    )
    assert response.status_code == 404
    assert TriageItem.objects.get(pk=item_a.pk).household is None


def test_the_new_household_form_names_every_problem_at_once_and_keeps_what_was_typed(
    login, officer_dong_a, item_a
):
    client = login(officer_dong_a)
    page = _body(client.get(_url(item_a)))
    register_form = f'action="/finding/items/{item_a.reference}/household-register/"'
    assert f'{register_form} class="item-form" novalidate' in page
    response = client.post(
        _url(item_a, "household-register"),
        {
            "register-expected_version": item_a.version,
            "register-name": "",
            "register-road_address": "서울특별시 강동구 양재대로 1500",
            "register-address_detail": "지하 3호",
            "register-emd_code": "1174068500",
            "register-household_type": "other_single",
        },
    )
    assert response.status_code == 400
    page = _body(response)
    for message in (
        "이름을 적어 주세요.",
        "주민등록번호가 없으면 생년월일을 적어 주세요.",
        "주민등록번호가 없으면 성별을 골라 주세요.",
    ):
        assert message in page
    assert 'value="지하 3호"' in page


def test_a_text_over_its_limit_is_refused_on_the_server_with_the_limit_named(
    login, officer_dong_a, item_a
):
    response = login(officer_dong_a).post(
        _url(item_a, "household-register"),
        {
            "register-expected_version": item_a.version,
            "register-name": "최" * 61,
            "register-road_address": "서울특별시 강동구 양재대로 1500",
            "register-emd_code": "1174068500",
            "register-household_type": "other_single",
            "register-birth_date": "1962-05-01",
            "register-sex": "M",
        },
    )
    assert response.status_code == 400
    assert "60자까지 적을 수 있습니다(지금 61자)." in _body(response)
    # the counter is drawn from data-counter-max, not a maxlength that cuts text silently
    page = _body(login(officer_dong_a).get(_url(item_a)))
    assert 'data-counter-max="60"' in page and "maxlength=" not in page


def test_register_and_open_the_case_from_the_page(login, officer_dong_a, item_a):
    client = login(officer_dong_a)
    response = client.post(
        _url(item_a, "household-register"),
        {
            "register-expected_version": item_a.version,
            "register-name": "최복남",
            "register-road_address": "서울특별시 강동구 양재대로 1500",
            "register-emd_code": "1174068500",
            "register-household_type": "other_single",
            "register-birth_date": "1962-05-01",
            "register-sex": "M",
        },
    )
    assert response.status_code == 303
    item = TriageItem.objects.get(pk=item_a.pk)
    page = _body(client.get(_url(item)))
    assert f"/households/{item.household.reference}/" in page and "사례 열기" in page
    response = client.post(_url(item, "case-open"), {"case-expected_version": item.version})
    assert response.status_code == 303
    item.refresh_from_db()
    assert item.status == ItemStatus.CLOSED and item.case is not None
    assert f"/cases/{item.case_id}/" in _body(client.get(_url(item)))


def test_another_dongs_officer_cannot_register_or_open_a_case_on_the_item(
    login, officer_dong_b, item_a
):
    client = login(officer_dong_b)
    for action in ("household-register", "case-open"):
        assert client.post(_url(item_a, action), {}).status_code == 404


def test_the_finder_sees_her_receipt_on_the_sent_page_and_in_her_list(
    login, finder, centre_a, centre_b, gu_office
):
    from datetime import date

    from bokjihub.finding.finders import finder_register
    from bokjihub.finding.models import Report

    finder_register(user=finder, hub=centre_a, kind="pharmacist", registered_on=date(2026, 3, 2))
    client = login(finder)
    client.post(
        "/finding/report/",
        {
            "subject_name": "김영수",
            "subject_address": "양재대로 1480",
            "subject_emd_code": "1174068500",
            "concerns": ["health"],
            "urgency": "normal",
            "subject_description": "약을 사러 오지 않으심",
        },
    )
    report = Report.objects.get()
    assert f"접수 {report.receipt_number}" in _body(client.get("/finding/report/sent/"))
    mine = _body(client.get("/finding/my-reports/"))
    assert f"접수 {report.receipt_number}" in mine and "처리 중" in mine
    assert report.item.number not in mine and "김영수" not in mine


def test_a_field_with_an_error_is_marked_invalid_and_points_at_its_message(
    login, officer_dong_a, item_a
):
    response = login(officer_dong_a).post(
        _url(item_a, "household-register"),
        {"register-expected_version": item_a.version, "register-household_type": "other_single"},
    )
    page = _body(response)
    assert 'aria-invalid="true" aria-describedby="register-name-error"' in page
    assert 'id="register-name-error"' in page
