"""Staff whose role reads personal data pass a second factor (TOTP) after the password."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from bokjihub.orgs.services import membership_grant, totp_current_code, user_create
from bokjihub.web.tests.auth_helpers import current_code, log_in_with_both_factors, post_password

pytestmark = pytest.mark.django_db

VERIFY = reverse("two_factor_verify")
SETUP = reverse("two_factor_setup")


@pytest.mark.accept_privacy
@pytest.mark.parametrize("page", ["/", "/households/", "/households/anything/", "/admin/"])
def test_after_the_password_alone_every_page_leads_to_the_second_factor(
    client, officer_dong_a, household_dong_a, page
):
    post_password(client, "officer_a")
    response = client.get(page)
    assert response.status_code == 302
    assert response.url.startswith(VERIFY)


@pytest.mark.accept_privacy
def test_a_wrong_code_is_refused_and_the_pages_stay_closed(client, officer_dong_a):
    post_password(client, "officer_a")
    right = current_code(officer_dong_a)
    wrong = f"{(int(right) + 500_000) % 1_000_000:06d}"
    response = client.post(VERIFY, {"code": wrong, "next": "/"})
    assert response.status_code == 200
    assert "인증 코드가 맞지 않습니다" in response.content.decode()
    assert client.get("/").url.startswith(VERIFY)


@pytest.mark.accept_privacy
def test_the_right_code_opens_the_pages(client, officer_dong_a):
    log_in_with_both_factors(client, officer_dong_a)
    assert client.get("/").status_code == 200


def test_the_code_is_asked_again_at_the_next_password_login(client, officer_dong_a):
    log_in_with_both_factors(client, officer_dong_a)
    post_password(client, "officer_a")
    assert client.get("/").url.startswith(VERIFY)


def test_htmx_requests_are_sent_to_the_second_factor_by_a_full_navigation(client, officer_dong_a):
    post_password(client, "officer_a")
    response = client.get("/households/?q=김", headers={"HX-Request": "true"})
    assert response["HX-Redirect"].startswith(VERIFY)


def test_a_role_without_personal_data_needs_no_second_factor(client, finder):
    response = post_password(client, "finder")
    assert response.url == "/"
    assert client.get("/").status_code == 200


def test_logout_and_the_login_page_stay_open_before_the_second_factor(client, officer_dong_a):
    post_password(client, "officer_a")
    assert client.get(reverse("login")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert client.get("/").url.startswith(reverse("login"))


def test_a_first_login_enrols_an_authenticator_app_showing_the_secret_as_text(client, centre_a):
    user = user_create(username="newcomer", password="correct-horse-battery-9")
    membership_grant(user=user, organisation=centre_a, role="welfare_officer")
    response = post_password(client, "newcomer")
    assert response.url.startswith(SETUP)
    page = client.get(response.url).content.decode()
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    assert "otpauth://totp/" in page
    assert client.get("/").url.startswith(VERIFY)

    response = client.post(SETUP, {"code": totp_current_code(device), "next": "/"})
    assert response.status_code == 302
    assert response.url == "/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200


def test_the_enrolment_secret_stays_the_same_across_reloads(client, centre_a):
    user = user_create(username="newcomer", password="correct-horse-battery-9")
    membership_grant(user=user, organisation=centre_a, role="case_manager")
    post_password(client, "newcomer")
    first = client.get(SETUP).context["secret"]
    assert client.get(SETUP).context["secret"] == first
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_a_code_may_be_typed_with_spaces(client, officer_dong_a):
    post_password(client, "officer_a")
    code = current_code(officer_dong_a)
    response = client.post(VERIFY, {"code": f"{code[:3]} {code[3:]}", "next": "/"})
    assert response.status_code == 302


def test_a_code_that_is_not_six_digits_is_named_as_such(client, officer_dong_a):
    post_password(client, "officer_a")
    response = client.post(VERIFY, {"code": "12ab", "next": "/"})
    assert "인증 코드는 숫자 6자리입니다." in response.content.decode()


def test_the_next_address_must_stay_on_this_site(client, officer_dong_a):
    post_password(client, "officer_a")
    response = client.post(
        VERIFY, {"code": current_code(officer_dong_a), "next": "https://evil.example/"}
    )
    assert response.url == "/"
