"""Household search: rows, jurisdiction, errors, paging, htmx, query counts, access log."""

import random
import re
from datetime import date

import pytest
from django.urls import reverse

from bokjihub.audit.models import AccessAction, AccessLog
from bokjihub.engine.rrn import make_rrn

pytestmark = pytest.mark.django_db

SEARCH = reverse("household_search")


def _register_households(dong, count: int, surname: str = "이"):
    from bokjihub.people.services import PersonInput, household_register

    rng = random.Random(7)
    for index in range(count):
        household_register(
            road_address=f"서울특별시 강동구 양재대로 {1400 + index} (길동)",
            emd_code=dong.code,
            members=[
                PersonInput(
                    name=f"{surname}민{index:02d}",
                    rrn=make_rrn(birth_date=date(1950, 1, 1 + index % 28), sex="F", rng=rng),
                    relation_to_head="head",
                )
            ],
            as_of=date(2026, 11, 26),
        )


def test_the_empty_search_page_shows_the_box_and_the_dongs_of_the_jurisdiction(
    login, officer_dong_a
):
    response = login(officer_dong_a).get(SEARCH)
    assert response.status_code == 200
    page = response.content.decode()
    assert "이름, 생년월일(900101-1), 주민등록번호 또는 주소" in page
    assert [dong.name_ko for dong in response.context["dongs"]] == ["길동"]
    assert response.context["page"] is None


def test_a_gu_case_manager_can_filter_by_every_dong_of_the_gu(login, gu_case_manager):
    dongs = login(gu_case_manager).get(SEARCH).context["dongs"]
    names = {dong.name_ko for dong in dongs}
    assert {"길동", "천호1동"} <= names
    assert len(dongs) > 10


def test_a_search_by_name_returns_the_member_with_a_masked_rrn(
    login, officer_dong_a, household_dong_a
):
    response = login(officer_dong_a).get(SEARCH, {"q": "김영"})
    page = response.content.decode()
    assert [person.name for person in response.context["page"].object_list] == ["김영수"]
    assert "450315-1******" in page
    assert "4503151234563" not in page
    assert "450315-1234563" not in page
    assert reverse("household_detail", args=[household_dong_a.reference]) in page
    assert "세대주" in page
    assert "길동" in page


def test_a_search_by_birth_date_part_finds_the_person(login, officer_dong_a, household_dong_a):
    response = login(officer_dong_a).get(SEARCH, {"q": "450315-1"})
    assert [p.name for p in response.context["page"].object_list] == ["김영수"]


def test_a_dong_b_officer_does_not_find_a_dong_a_household(login, officer_dong_b, household_dong_a):
    response = login(officer_dong_b).get(SEARCH, {"q": "김영수"})
    assert list(response.context["page"].object_list) == []
    assert "관할 안에서 조건에 맞는 대상자가 없습니다" in response.content.decode()


def test_a_bad_rrn_gets_the_specific_error_next_to_the_field(login, officer_dong_a):
    response = login(officer_dong_a).post(SEARCH, {"q": "450315-1234560"})
    assert response.status_code == 200
    error = response.context["error"]
    assert error
    page = response.content.decode()
    assert f'<p class="form-hint-invalid" id="search-q-error">{error}</p>' in page
    assert 'aria-invalid="true"' in page
    assert "1234560" not in page


def test_an_exact_rrn_search_finds_the_person_and_never_prints_the_number(
    login, officer_dong_a, household_dong_a
):
    response = login(officer_dong_a).post(
        SEARCH, {"q": "450315-1234563"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200  # answered from the POST: no redirect, no URL
    assert [p.name for p in response.context["page"].object_list] == ["김영수"]
    page = response.content.decode()
    assert "1234563" not in page
    assert 'value="450315-1******"' in page
    assert response["HX-Push-Url"] == "false"


def test_the_header_forms_never_echo_a_full_rrn_from_the_address(login, officer_dong_a):
    page = login(officer_dong_a).get(SEARCH, {"q": "4503151234563"}).content.decode()
    assert "1234563" not in page


def test_a_full_rrn_in_the_address_is_refused_without_searching(
    login, officer_dong_a, household_dong_a
):
    from bokjihub.audit.models import AccessLog

    response = login(officer_dong_a).get(SEARCH, {"q": "4503151234563"})
    assert response.context["page"] is None
    assert "검색창에 입력해" in response.context["error"]
    assert AccessLog.objects.count() == 0


def test_a_posted_name_search_is_redirected_to_its_address(login, officer_dong_a, dong_a):
    response = login(officer_dong_a).post(SEARCH, {"q": "김영", "emd": dong_a.code})
    assert response.status_code == 303
    assert response["Location"] == f"{SEARCH}?q=%EA%B9%80%EC%98%81&emd={dong_a.code}"


def test_the_search_is_refused_to_a_finder(login, finder, household_dong_a):
    response = login(finder).get(SEARCH, {"q": "김"})
    assert response.status_code == 403
    assert "김영수" not in response.content.decode()


def test_results_are_paged_twenty_at_a_time(login, officer_dong_a, dong_a):
    _register_households(dong_a, 23)
    client = login(officer_dong_a)
    first = client.get(SEARCH, {"q": "이민"})
    assert len(first.context["page"].object_list) == 20
    assert "?q=%EC%9D%B4%EB%AF%BC&amp;page=2" in first.content.decode()
    second = client.get(SEARCH, {"q": "이민", "page": 2})
    assert [p.name for p in second.context["page"].object_list] == ["이민20", "이민21", "이민22"]


def test_the_search_list_costs_a_fixed_number_of_queries(
    login, officer_dong_a, dong_a, django_assert_max_num_queries
):
    _register_households(dong_a, 25)
    client = login(officer_dong_a)
    client.get(SEARCH, {"q": "이민"})  # warm the session
    # The sharing policy needs the listed households' members and their consents, one
    # query each, whatever the page holds; the rows and their count come in one query.
    with django_assert_max_num_queries(15):
        response = client.get(SEARCH, {"q": "이민", "page": 2})
    assert len(response.context["page"].object_list) == 5


def test_a_page_of_twenty_costs_as_many_queries_as_a_page_of_five(
    login, officer_dong_a, dong_a, consent_for, senior_centre
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bokjihub.people.models import Person

    _register_households(dong_a, 25)
    for person in Person.objects.filter(name__startswith="이민")[:10]:
        consent_for(person, categories=["contact"], organisation=senior_centre)
    client = login(officer_dong_a)
    client.get(SEARCH, {"q": "이민"})  # warm the session
    counts = {}
    for page_number in (1, 2):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(SEARCH, {"q": "이민", "page": page_number})
        counts[len(response.context["page"].object_list)] = len(queries)
    assert set(counts) == {20, 5}
    assert counts[20] == counts[5]


def test_a_private_worker_without_consent_sees_in_search_what_the_household_page_shows(
    login, private_worker, household_dong_a
):
    client = login(private_worker)
    results = client.get(SEARCH, {"q": "김영"}).content.decode()
    household = client.get(
        reverse("household_detail", args=[household_dong_a.reference])
    ).content.decode()
    for page in (results, household):
        assert "김영수" in page
        assert "450315-1******" in page
        assert "양재대로 1480" not in page
        assert "세대주</td>" not in page
        assert "동의 없음" in page


def test_a_private_worker_with_consent_sees_the_address_and_relation_in_search(
    login, private_worker_with_consent, household_dong_a
):
    page = login(private_worker_with_consent).get(SEARCH, {"q": "김영"}).content.decode()
    assert "양재대로 1480" in page
    assert "세대주</td>" in page
    assert "동의 없음" not in page


def test_the_search_log_row_says_which_categories_were_shown_and_withheld(
    login, private_worker, household_dong_a
):
    login(private_worker).get(SEARCH, {"q": "김영"})
    row = AccessLog.objects.get(action=AccessAction.HOUSEHOLD_SEARCH)
    assert "공개: 인적사항" in row.detail
    assert "비공개[동의 없음]: 가구 구성, 연락처·주소" in row.detail


def test_a_search_writes_one_access_log_row_naming_the_shown_persons(
    login, officer_dong_a, household_dong_a
):
    login(officer_dong_a).get(SEARCH, {"q": "김영"})
    rows = AccessLog.objects.filter(action=AccessAction.HOUSEHOLD_SEARCH)
    assert rows.count() == 1
    assert rows.get().person_ids == [household_dong_a.members.get().id]


def test_htmx_gets_only_the_search_area(login, officer_dong_a, household_dong_a):
    response = login(officer_dong_a).get(SEARCH, {"q": "김영"}, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="search-area">')
    assert "<html" not in page
    assert "450315-1******" in page
    assert "HX-Request" in response["Vary"]


def test_an_htmx_history_restore_gets_the_whole_page(login, officer_dong_a):
    response = login(officer_dong_a).get(
        SEARCH, {"q": "김"}, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in response.content.decode()


def test_the_form_works_without_javascript(login, officer_dong_a):
    page = login(officer_dong_a).get(SEARCH).content.decode()
    assert f'<form method="post" action="{SEARCH}"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert f'hx-post="{SEARCH}"' in page


def test_an_address_with_latin_letters_is_found_whatever_their_case(login, officer_dong_a, dong_a):
    from bokjihub.people.services import PersonInput, household_register

    household_register(
        road_address="서울특별시 강동구 양재대로 1600 SK뷰 (길동)",
        emd_code=dong_a.code,
        members=[PersonInput(name="최라인", rrn="4503151234563", relation_to_head="head")],
        as_of=date(2026, 11, 26),
    )
    client = login(officer_dong_a)
    for text in ("1600 sk뷰", "1600 SK뷰", "양재대로 1600"):
        names = [result.name for result in client.get(SEARCH, {"q": text}).context["page"]]
        assert names == ["최라인"], text


def test_a_name_prefix_search_does_not_find_names_that_only_contain_it(
    login, officer_dong_a, dong_a
):
    from bokjihub.people.services import PersonInput, household_register

    _register_households(dong_a, 3, surname="이")
    household_register(
        road_address="서울특별시 강동구 양재대로 1700 (길동)",
        emd_code=dong_a.code,
        members=[PersonInput(name="김이민", rrn="8807222345675", relation_to_head="head")],
        as_of=date(2026, 11, 26),
    )
    page = login(officer_dong_a).get(SEARCH, {"q": "이민"}).context["page"]
    assert [result.name for result in page] == ["이민00", "이민01", "이민02"]


def test_a_bad_rrn_and_an_unknown_dong_are_both_reported_at_once(login, officer_dong_a):
    response = login(officer_dong_a).post(SEARCH, {"q": "450315-1234560", "emd": "9999999999"})
    assert response.status_code == 200
    assert response.context["page"] is None
    assert set(response.context["errors"]) == {"q", "emd"}
    page = response.content.decode()
    assert 'id="search-q-error"' in page
    assert 'id="search-emd-error"' in page
    assert AccessLog.objects.count() == 0  # nothing was searched


def test_a_dong_outside_the_jurisdiction_is_an_error_not_an_empty_list(
    login, officer_dong_a, dong_b
):
    response = login(officer_dong_a).get(SEARCH, {"q": "김", "emd": dong_b.code})
    assert response.context["emd_error"]
    assert response.context["page"] is None


def test_the_search_form_leaves_validation_to_the_server(login, officer_dong_a):
    page = login(officer_dong_a).get(SEARCH).content.decode()
    assert re.search(
        r'<form method="post" action="[^"]+" class="search-form" role="search" novalidate', page
    )


def test_the_rrn_error_is_in_english_on_english_pages(login, officer_dong_a):
    client = login(officer_dong_a)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.post(SEARCH, {"q": "450315-1234560"})
    assert "check digit" in response.context["error"]


def test_a_page_past_the_end_shows_the_last_page_and_a_bad_one_the_first(
    login, officer_dong_a, dong_a
):
    _register_households(dong_a, 23)
    client = login(officer_dong_a)
    past = client.get(SEARCH, {"q": "이민", "page": 9}).context["page"]
    assert (past.number, past.paginator.count, len(past.object_list)) == (2, 23, 3)
    bad = client.get(SEARCH, {"q": "이민", "page": "abc"}).context["page"]
    assert (bad.number, bad.paginator.count, len(bad.object_list)) == (1, 23, 20)
    assert "23명 중 1–20번째" in client.get(SEARCH, {"q": "이민"}).content.decode()
