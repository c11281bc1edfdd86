"""The 6th wrong password in a row locks the account; the lock is recorded and logged."""

import logging

import pytest
from axes.models import AccessAttempt, AccessFailureLog

from bokjihub.web.tests.auth_helpers import post_password

pytestmark = pytest.mark.django_db

WRONG = "not-the-password-1"


def _fail(client, times: int, username: str = "officer_a"):
    return [post_password(client, username, WRONG) for _ in range(times)]


@pytest.mark.accept_privacy
def test_the_sixth_wrong_password_in_a_row_locks_the_account(client, officer_dong_a, caplog):
    caplog.set_level(logging.INFO)
    answers = _fail(client, 6)
    assert [answer.status_code for answer in answers[:5]] == [200] * 5
    assert "아이디 또는 비밀번호가 맞지 않습니다" in answers[4].content.decode()
    locked = answers[5]
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "계정이 잠겼습니다" in page
    assert "6번 연속 잘못 입력" in page

    # the right password is refused while the lock lasts
    assert post_password(client, "officer_a").status_code == 429
    assert not client.get("/").wsgi_request.user.is_authenticated


@pytest.mark.accept_privacy
def test_the_lock_is_recorded_and_logged_without_naming_the_person(client, officer_dong_a, caplog):
    caplog.set_level(logging.INFO)
    _fail(client, 6)
    attempt = AccessAttempt.objects.get(username="officer_a")
    assert attempt.failures_since_start == 6
    assert AccessFailureLog.objects.filter(username="officer_a", locked_out=True).count() == 1
    lock_lines = [r.getMessage() for r in caplog.records if "lock" in r.getMessage().lower()]
    assert any(f"account #{officer_dong_a.pk}" in line for line in lock_lines)
    assert all("officer_a" not in r.getMessage() for r in caplog.records)
    assert all("127.0.0.1" not in r.getMessage() for r in caplog.records)


def test_five_wrong_passwords_then_the_right_one_let_the_user_in_and_reset_the_count(
    client, officer_dong_a
):
    _fail(client, 5)
    assert post_password(client, "officer_a").status_code == 302
    client.logout()
    assert _fail(client, 5)[-1].status_code == 200


def test_a_lock_is_per_account_not_per_office(client, officer_dong_a, gu_case_manager):
    _fail(client, 6)
    assert post_password(client, "gu_manager").status_code == 302
