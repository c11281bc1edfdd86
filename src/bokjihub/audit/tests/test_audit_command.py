import json
from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from bokjihub.audit.models import AccessLog
from bokjihub.audit.tests.helpers import drop_append_only_triggers, raw, view

pytestmark = pytest.mark.django_db


def _run(*arguments: str) -> str:
    out = StringIO()
    call_command("audit", *arguments, stdout=out)
    return out.getvalue()


@pytest.fixture
def two_views(officer_dong_a, household_dong_a):
    view(
        officer_dong_a,
        household_dong_a,
        at=datetime(2026, 11, 3, 6, 30, tzinfo=ZoneInfo("Asia/Seoul")),
    )
    view(
        officer_dong_a,
        household_dong_a,
        at=datetime(2026, 11, 3, 10, tzinfo=ZoneInfo("Asia/Seoul")),
    )
    return list(AccessLog.objects.order_by("id"))


def test_verify_says_the_chain_is_intact(two_views):
    assert "2건의 해시 체인이 온전합니다" in _run("verify")


def test_verify_reports_as_json(two_views):
    assert json.loads(_run("verify", "--json")) == {
        "ok": True,
        "rows_checked": 2,
        "broken_row_id": None,
        "reason": None,
        "message": "접속기록 2건의 해시 체인이 온전합니다.",
    }


def test_verify_exits_non_zero_naming_the_altered_row(two_views):
    drop_append_only_triggers()
    raw("UPDATE audit_accesslog SET ip_address = %s WHERE id = %s", ["10.9.9.9", two_views[0].id])
    out = StringIO()
    # run_from_argv (the console) exits with CommandError.returncode.
    with pytest.raises(CommandError, match=f"행 {two_views[0].id}의 내용이") as error:
        call_command("audit", "verify", "--json", stdout=out)
    assert error.value.returncode == 1
    assert json.loads(out.getvalue())["reason"] == "row_altered"


def test_review_prints_a_table_for_the_month(two_views):
    output = _run("review", "--month", "2026-11")
    expected = (
        "officer_a\t길동 주민센터\twelfare_officer\t2\t0\t1\t1\t2\t0\t0\t0\t업무시간 외 조회\t0"
    )
    assert expected in output.splitlines()


def test_review_reports_as_json(two_views):
    [line] = json.loads(_run("review", "--month", "2026-11", "--json"))
    assert (line["username"], line["household_views"], line["off_hours_views"]) == (
        "officer_a",
        2,
        1,
    )
    assert line["flags"] == ["night_access"]


def test_review_refuses_a_month_it_cannot_read():
    with pytest.raises(CommandError, match="YYYY-MM"):
        _run("review", "--month", "11/2026")
