"""Each page renders for each role, and household data appears only where it may."""

import pytest
from django.urls import reverse

from bokjihub.orgs.services import user_create

pytestmark = pytest.mark.django_db

HOME = reverse("home")


def test_the_login_page_renders_in_korean_for_an_anonymous_visitor(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="ko">' in page
    assert "본문 바로가기" in page
    assert 'action="/i18n/setlang/"' in page


def test_a_wrong_password_gets_a_clear_korean_error(client, officer_dong_a):
    response = client.post(
        reverse("login"), {"username": "officer_a", "password": "wrong-password-1"}
    )
    assert response.status_code == 200
    assert "아이디 또는 비밀번호가 맞지 않습니다" in response.content.decode()


def test_an_empty_login_form_names_each_missing_field(client):
    response = client.post(reverse("login"), {"username": "", "password": ""})
    page = response.content.decode()
    assert "아이디를 입력해 주세요." in page
    assert "비밀번호를 입력해 주세요." in page


def test_the_right_password_leads_to_the_second_factor_and_then_home(client, officer_dong_a):
    from conftest import TEST_PASSWORD

    response = client.post(reverse("login"), {"username": "officer_a", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response.url == f"{reverse('two_factor_verify')}?next=%2F"


def test_home_asks_an_anonymous_visitor_to_log_in(client):
    response = client.get(HOME)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["officer_dong_a", "gu_case_manager", "private_worker"])
def test_home_of_a_personal_data_role_shows_the_search_box_and_the_household_count(
    persona, request, login, household_dong_a, household_dong_b
):
    user = request.getfixturevalue(persona)
    expected = {"officer_dong_a": 1, "gu_case_manager": 2, "private_worker": 1}[persona]
    response = login(user).get(HOME)
    assert response.status_code == 200
    assert response.context["household_count"] == expected
    page = response.content.decode()
    assert 'name="q"' in page
    assert "로그아웃" in page
    assert user.memberships.get().organisation.name in page


def test_home_of_a_private_worker_serving_nobody_counts_zero(
    login, private_worker_unlinked, household_dong_a
):
    response = login(private_worker_unlinked).get(HOME)
    assert response.context["household_count"] == 0


def test_home_of_a_finder_says_household_data_is_not_for_this_role(login, finder, household_dong_a):
    response = login(finder).get(HOME)
    assert response.status_code == 200
    page = response.content.decode()
    assert "household_count" not in response.context
    assert "가구·대상자 개인정보가 제공되지 않습니다" in page
    assert "신고" in page
    assert 'name="q"' not in page
    assert "김영수" not in page


def test_home_of_an_auditor_links_to_the_monthly_access_review(login, auditor):
    response = login(auditor).get(HOME)
    page = response.content.decode()
    assert 'href="/audit/review/"' in page
    assert 'name="q"' not in page


def test_home_of_a_user_without_membership_says_so(client, db):
    loner = user_create(username="loner", password="loner-password-12")
    client.force_login(loner)
    response = client.get(HOME)
    assert response.status_code == 200
    assert "활성화된 소속이 없습니다" in response.content.decode()


def test_a_single_membership_shows_no_switcher(login, officer_dong_a):
    page = login(officer_dong_a).get(HOME).content.decode()
    assert 'name="membership"' not in page


def test_a_second_membership_shows_the_switcher_and_switching_changes_the_role(
    login, officer_dong_a, gu_office
):
    from bokjihub.orgs.services import membership_grant

    second = membership_grant(user=officer_dong_a, organisation=gu_office, role="council_secretary")
    client = login(officer_dong_a)
    assert 'name="membership"' in client.get(HOME).content.decode()

    response = client.post(reverse("membership_switch"), {"membership": second.id, "next": HOME})
    assert response.status_code == 302
    page = client.get(HOME).content.decode()
    assert "협의체 간사" in page
    assert "가구·대상자 개인정보가 제공되지 않습니다" in page


def test_switching_to_someone_elses_membership_is_ignored(login, officer_dong_a, gu_case_manager):
    others = gu_case_manager.memberships.get()
    client = login(officer_dong_a)
    client.post(reverse("membership_switch"), {"membership": others.id, "next": HOME})
    assert client.get(HOME).context["actor"].membership.organisation.name == "길동 주민센터"


def test_the_switcher_refuses_to_redirect_off_site(login, officer_dong_a):
    response = login(officer_dong_a).post(
        reverse("membership_switch"), {"next": "https://example.org/"}
    )
    assert response.url == HOME


def test_logout_is_a_post_form(login, officer_dong_a):
    client = login(officer_dong_a)
    page = client.get(HOME).content.decode()
    assert 'action="/logout/"' in page
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(HOME).status_code == 302


def test_the_language_switch_gives_english_text(login, officer_dong_a, household_dong_a):
    client = login(officer_dong_a)
    response = client.post("/i18n/setlang/", {"language": "en", "next": HOME}, follow=True)
    page = response.content.decode()
    assert '<html lang="en">' in page
    assert "Skip to main content" in page
    assert "Log out" in page
    assert "Welfare officer" in page
    assert "로그아웃" not in page


def test_the_login_page_in_english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    page = client.get(reverse("login")).content.decode()
    assert "Log in" in page
    assert "User ID" in page
