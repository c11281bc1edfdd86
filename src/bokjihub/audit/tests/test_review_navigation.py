"""The review opens on the latest month with data, and its month links stop where the
data stops (a crawler following them terminates)."""

import re
from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from bokjihub.audit.tests.helpers import view

pytestmark = pytest.mark.django_db

SEOUL = ZoneInfo("Asia/Seoul")
URL = reverse("audit_review")


@pytest.fixture
def august_to_october(officer_dong_a, household_dong_a):
    view(officer_dong_a, household_dong_a, at=datetime(2026, 8, 20, 10, tzinfo=SEOUL))
    view(officer_dong_a, household_dong_a, at=datetime(2026, 10, 2, 23, tzinfo=SEOUL))


def _month_links(page: str) -> list[str]:
    return re.findall(r'rel="(?:prev|next)" href="[^"]*\?month=(\d{4}-\d\d)"', page)


def test_the_review_opens_on_the_latest_month_with_data(login, auditor, august_to_october):
    page = login(auditor).get(URL).content.decode()
    assert "2026년 10월 접속기록 점검" in page
    assert 'data-flag="night_access"' in page


def test_no_link_goes_past_the_latest_month_or_before_the_first(login, auditor, august_to_october):
    client = login(auditor)
    assert _month_links(client.get(URL, {"month": "2026-10"}).content.decode()) == ["2026-09"]
    assert _month_links(client.get(URL, {"month": "2026-09"}).content.decode()) == [
        "2026-08",
        "2026-10",
    ]
    assert _month_links(client.get(URL, {"month": "2026-08"}).content.decode()) == ["2026-09"]


def test_a_month_outside_the_data_links_back_into_it(login, auditor, august_to_october):
    client = login(auditor)
    assert _month_links(client.get(URL, {"month": "2031-01"}).content.decode()) == ["2026-10"]
    assert _month_links(client.get(URL, {"month": "2020-01"}).content.decode()) == ["2026-08"]


def test_following_the_month_links_ends(login, auditor, august_to_october):
    client, seen, queue = login(auditor), set(), [URL]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        page = client.get(url).content.decode()
        queue += [f"{URL}?month={month}" for month in _month_links(page)]
    assert len(seen) == 4  # the default page and the three months


def test_an_empty_log_shows_this_month_without_month_links(login, auditor):
    page = login(auditor).get(URL).content.decode()
    assert "이 달의 접속기록이 없습니다." in page
    assert _month_links(page) == []


def test_the_command_reviews_the_latest_month_with_data_by_default(august_to_october):
    out = StringIO()
    call_command("audit", "review", stdout=out)
    assert out.getvalue().startswith("2026-10 접속기록 점검")
    assert "officer_a" in out.getvalue()


def test_the_command_still_takes_a_month(august_to_october):
    out = StringIO()
    call_command("audit", "review", "--month", "2026-08", "--json", stdout=out)
    assert '"household_views": 1' in out.getvalue()
    assert '"refused_by_role": 0' in out.getvalue()


def test_the_command_on_an_empty_log_asks_for_a_month():
    with pytest.raises(CommandError, match="--month"):
        call_command("audit", "review", stdout=StringIO())
