"""`bokjihub orgs demo-otp` prints a demo login's code; `orgs otp-reset` clears devices."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from bokjihub.orgs.services import totp_device_for_demo

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = StringIO()
    call_command("orgs", *args, stdout=out, stderr=StringIO())
    return out.getvalue().strip()


def test_the_printed_demo_code_passes_the_second_factor(client, officer_dong_a):
    from bokjihub.web.tests.auth_helpers import post_password

    TOTPDevice.objects.filter(user=officer_dong_a).delete()
    secret = totp_device_for_demo(officer_dong_a)
    assert len(secret) == 32 and secret.isalnum()
    post_password(client, "officer_a")
    code = _run("demo-otp", "officer_a")
    assert len(code) == 6 and code.isdigit()
    response = client.post("/login/two-factor/", {"code": code, "next": "/"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_the_demo_device_is_made_once(officer_dong_a):
    assert totp_device_for_demo(officer_dong_a) == totp_device_for_demo(officer_dong_a)
    assert TOTPDevice.objects.filter(user=officer_dong_a).count() == 1


def test_no_demo_device_or_code_in_production(officer_dong_a, settings):
    from django.core.exceptions import ValidationError

    settings.IS_PRODUCTION = True
    with pytest.raises(ValidationError):
        totp_device_for_demo(officer_dong_a)
    with pytest.raises(CommandError, match="운영 환경"):
        _run("demo-otp", "officer_a")


def test_an_unknown_login_is_named(db):
    with pytest.raises(CommandError, match="nobody"):
        _run("demo-otp", "nobody")


def test_resetting_the_devices_makes_the_user_enrol_again_and_ends_sessions(login, officer_dong_a):
    client = login(officer_dong_a)
    assert client.get("/").status_code == 200
    assert "1개" in _run("otp-reset", "officer_a")
    assert not TOTPDevice.objects.filter(user=officer_dong_a).exists()
    assert client.get("/").url.startswith("/login/")
