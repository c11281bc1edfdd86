"""Logging in through the real pages, both factors, as a person would."""

from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from bokjihub.orgs.services import totp_current_code


def post_password(client, username: str, password: str | None = None):
    from conftest import TEST_PASSWORD

    return client.post(
        reverse("login"), {"username": username, "password": password or TEST_PASSWORD}
    )


def current_code(user) -> str:
    return totp_current_code(TOTPDevice.objects.get(user=user, confirmed=True))


def log_in_with_both_factors(client, user):
    post_password(client, user.username)
    response = client.post(reverse("two_factor_verify"), {"code": current_code(user), "next": "/"})
    assert response.status_code == 302, response.content.decode()[:500]
    return client
