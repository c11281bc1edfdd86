"""Sessions end at logout, after 12 hours, when the user is deactivated or their roles change."""

import time

import pytest
from django.test import override_settings
from django.urls import reverse

from bokjihub.core.middleware import LOGIN_AT_KEY
from bokjihub.orgs.services import membership_end, membership_grant, user_deactivate
from bokjihub.web.tests.auth_helpers import log_in_with_both_factors

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")


def _is_sent_to_login(response) -> bool:
    return response.status_code == 302 and response.url.startswith(LOGIN)


@pytest.mark.accept_privacy
def test_a_deactivated_users_open_session_stops_working_on_the_next_request(client, officer_dong_a):
    log_in_with_both_factors(client, officer_dong_a)
    assert client.get("/").status_code == 200
    user_deactivate(user=officer_dong_a)
    assert _is_sent_to_login(client.get("/"))
    assert _is_sent_to_login(client.get("/households/"))


def test_django_alone_already_treats_an_inactive_users_session_as_anonymous(client, officer_dong_a):
    # Without the version bump: the check that a raw is_active=False is enough too.
    log_in_with_both_factors(client, officer_dong_a)
    type(officer_dong_a).objects.filter(pk=officer_dong_a.pk).update(is_active=False)
    response = client.get("/")
    assert not response.wsgi_request.user.is_authenticated
    assert _is_sent_to_login(response)


@pytest.mark.accept_privacy
def test_ending_a_role_ends_the_session(client, officer_dong_a):
    log_in_with_both_factors(client, officer_dong_a)
    membership_end(membership=officer_dong_a.memberships.get())
    response = client.get("/")
    assert _is_sent_to_login(response)
    assert "역할" in client.get(response.url).content.decode()
    assert not client.get(LOGIN).wsgi_request.user.is_authenticated


@pytest.mark.accept_privacy
def test_granting_another_role_ends_the_session(client, officer_dong_a, gu_office):
    log_in_with_both_factors(client, officer_dong_a)
    membership_grant(user=officer_dong_a, organisation=gu_office, role="case_manager")
    assert _is_sent_to_login(client.get("/"))


def test_granting_a_role_the_user_already_holds_changes_nothing(client, officer_dong_a):
    log_in_with_both_factors(client, officer_dong_a)
    membership = officer_dong_a.memberships.get()
    membership_grant(
        user=officer_dong_a, organisation=membership.organisation, role=membership.role
    )
    assert client.get("/").status_code == 200


@pytest.mark.accept_privacy
def test_a_session_ends_twelve_hours_after_login_however_active(client, officer_dong_a):
    log_in_with_both_factors(client, officer_dong_a)
    session = client.session
    session[LOGIN_AT_KEY] = int(time.time()) - 12 * 60 * 60 - 1
    session.save()
    response = client.get("/")
    assert _is_sent_to_login(response)
    assert "12시간" in client.get(response.url).content.decode()


def test_a_session_just_under_twelve_hours_old_goes_on(client, officer_dong_a):
    log_in_with_both_factors(client, officer_dong_a)
    session = client.session
    session[LOGIN_AT_KEY] = int(time.time()) - 12 * 60 * 60 + 60
    session.save()
    assert client.get("/").status_code == 200


def test_the_idle_timeout_is_thirty_minutes_renewed_by_each_request(client, officer_dong_a):
    from django.conf import settings

    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST
    log_in_with_both_factors(client, officer_dong_a)
    response = client.get("/")
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 30 * 60


def test_logout_ends_the_session(client, officer_dong_a):
    log_in_with_both_factors(client, officer_dong_a)
    key = client.session.session_key
    client.post(reverse("logout"))
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=key).exists()
    assert _is_sent_to_login(client.get("/"))


@override_settings(SESSION_ABSOLUTE_SECONDS=60)
def test_the_absolute_limit_comes_from_settings(client, officer_dong_a):
    log_in_with_both_factors(client, officer_dong_a)
    session = client.session
    session[LOGIN_AT_KEY] = int(time.time()) - 61
    session.save()
    assert _is_sent_to_login(client.get("/"))
