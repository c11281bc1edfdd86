"""The household page: jurisdiction, masked RRN, age, and exactly one access-log row."""

import re
from datetime import date

import pytest
from django.urls import reverse

from bokjihub.audit.models import AccessAction, AccessLog
from bokjihub.web.templatetags.bokjihub_web import international_age

pytestmark = pytest.mark.django_db


def _url(household):
    return reverse("household_detail", args=[household.reference])


# Public staff open households outside their caseload by stating a purpose first.
PURPOSE = {"purpose": "eligibility", "purpose_text": "기초생활수급 신청 상담"}


def _open(client, household):
    return client.post(_url(household), PURPOSE)


def test_an_officer_sees_the_household_of_her_dong(login, officer_dong_a, household_dong_a):
    response = _open(login(officer_dong_a), household_dong_a)
    assert response.status_code == 200
    page = response.content.decode()
    assert "서울특별시 강동구 양재대로 1480 (길동) 3층" in page
    assert "독거노인" in page
    assert "김영수" in page
    assert "450315-1******" in page
    assert "4503151234563" not in page
    assert "450315-1234563" not in page


def test_the_members_age_is_international_age(login, gu_case_manager, household_dong_b):
    page = _open(login(gu_case_manager), household_dong_b).content.decode()
    today = date.today()
    assert f"{international_age(date(1988, 7, 22), today)}세" in page
    assert "150303-3******" in page
    assert "한부모" in page


def test_a_dong_b_officer_gets_404_on_a_dong_a_household(login, officer_dong_b, household_dong_a):
    response = login(officer_dong_b).get(_url(household_dong_a))
    assert response.status_code == 404
    page = response.content.decode()
    assert "가구가 없거나 회원님의 관할 밖에 있습니다" in page
    assert "김영수" not in page


def test_a_missing_household_gets_the_same_404(login, officer_dong_b, household_dong_a):
    missing = login(officer_dong_b).get(reverse("household_detail", args=["0000000000000000"]))
    outside = login(officer_dong_b).get(_url(household_dong_a))
    assert missing.status_code == outside.status_code == 404
    assert _without_request_details(missing) == _without_request_details(outside)


def _without_request_details(response) -> str:
    page = response.content.decode()
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)
    return re.sub(r'name="next" value="[^"]*"', "", page)


@pytest.mark.parametrize("persona", ["finder", "auditor", "private_worker_unlinked"])
def test_roles_without_the_household_in_view_get_404(persona, request, login, household_dong_a):
    response = login(request.getfixturevalue(persona)).get(_url(household_dong_a))
    assert response.status_code == 404
    assert "김영수" not in response.content.decode()


def test_a_private_worker_sees_the_household_her_centre_serves(
    login, private_worker, household_dong_a
):
    response = login(private_worker).get(_url(household_dong_a))
    assert response.status_code == 200


def test_one_view_writes_exactly_one_access_log_row(login, officer_dong_a, household_dong_a):
    _open(login(officer_dong_a), household_dong_a)
    rows = AccessLog.objects.filter(action=AccessAction.HOUSEHOLD_VIEW)
    assert rows.count() == 1
    row = rows.get()
    assert row.household_id == household_dong_a.id
    assert row.username == "officer_a"


def test_a_refused_view_writes_no_access_log_row(login, officer_dong_b, household_dong_a):
    login(officer_dong_b).get(_url(household_dong_a))
    assert not AccessLog.objects.filter(action=AccessAction.HOUSEHOLD_VIEW).exists()


def test_the_household_page_costs_a_fixed_number_of_queries(
    login, gu_case_manager, household_dong_b, django_assert_max_num_queries
):
    client = login(gu_case_manager)
    _open(client, household_dong_b)
    client.get(_url(household_dong_b))
    # The policy adds the caseload check, the consents and the means test (the networks
    # only when a consent names one); the session and second-factor checks add theirs;
    # the links to cases, triage items and referrals four (the cases' scope needs the
    # jurisdiction's Dongs).
    with django_assert_max_num_queries(20):
        client.get(_url(household_dong_b))


# --- links to the household's cases, triage items and referrals (issue 12, item 4) ------


def _case_item_and_referral(household, centre, receiver):
    from bokjihub.cases.services import case_open
    from bokjihub.finding.services import ReportInput, report_submit
    from bokjihub.referrals.services import referral_send

    item = report_submit(
        data=ReportInput(
            channel="neighbour",
            concerns=["isolation"],
            subject_rrn="4503151234563",
            subject_name="김영수",
            subject_address=household.road_address,
        ),
        sigungu=household.emd.sigungu,
    ).item
    case = case_open(household=household, lead_organisation=centre, case_manager=None, by=None)
    referral = referral_send(
        case=case,
        from_organisation=centre,
        by=None,
        to_organisation=receiver,
        need_domain="daily_living",
        request_text="밑반찬 배달",
    )
    return case, item, referral


def _links(page: str, kind: str) -> list[str]:
    return re.findall(rf'data-household-link="{kind}"><a href="([^"]+)"', page)


def test_the_household_page_links_to_its_open_case_triage_item_and_referral(
    login, officer_dong_a, centre_a, senior_centre, household_dong_a
):
    case, item, referral = _case_item_and_referral(household_dong_a, centre_a, senior_centre)
    page = _open(login(officer_dong_a), household_dong_a).content.decode()
    assert _links(page, "case") == [reverse("case_detail", args=[case.id])]
    assert _links(page, "item") == [reverse("finding_item", args=[item.reference])]
    assert _links(page, "referral") == [reverse("referrals:referral_detail", args=[referral.id])]


def test_every_link_of_the_household_page_opens_a_page(
    login,
    officer_dong_a,
    gu_case_manager,
    private_worker,
    centre_a,
    senior_centre,
    household_dong_a,
):
    _case_item_and_referral(household_dong_a, centre_a, senior_centre)
    for user in (officer_dong_a, gu_case_manager, private_worker):
        client = login(user)
        page = _open(client, household_dong_a).content.decode()
        links = [url for kind in ("case", "item", "referral") for url in _links(page, kind)]
        assert links, user.username
        for url in links:
            assert client.get(url).status_code == 200, (user.username, url)


def test_a_private_worker_is_led_to_its_referral_but_not_to_triage_or_a_case_it_is_not_on(
    login, private_worker, centre_a, senior_centre, household_dong_a
):
    _, _, referral = _case_item_and_referral(household_dong_a, centre_a, senior_centre)
    page = login(private_worker).get(_url(household_dong_a)).content.decode()
    assert _links(page, "referral") == [reverse("referrals:referral_detail", args=[referral.id])]
    assert _links(page, "item") == []
    assert _links(page, "case") == []


def test_a_household_with_nothing_open_says_so(login, officer_dong_a, household_dong_a):
    page = _open(login(officer_dong_a), household_dong_a).content.decode()
    assert "열 수 있는 진행 중 사례, 발굴 건, 의뢰가 없습니다" in page
