"""Passwords are hashed with Argon2; older hashes still verify and are upgraded at login."""

import pytest
from django.contrib.auth.hashers import make_password

from bokjihub.orgs.models import User
from bokjihub.web.tests.auth_helpers import post_password

pytestmark = pytest.mark.django_db


def test_a_new_password_is_stored_as_argon2id(officer_dong_a):
    assert officer_dong_a.password.startswith("argon2$argon2id$")


def test_an_older_pbkdf2_hash_still_logs_in_and_is_rewritten_as_argon2(client, officer_dong_a):
    from conftest import TEST_PASSWORD

    User.objects.filter(pk=officer_dong_a.pk).update(
        password=make_password(TEST_PASSWORD, hasher="pbkdf2_sha256")
    )
    assert post_password(client, "officer_a").status_code == 302
    officer_dong_a.refresh_from_db()
    assert officer_dong_a.password.startswith("argon2$")
