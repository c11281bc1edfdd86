"""The `regions` management command: load, stats, show."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def _run(*args: str) -> str:
    out = StringIO()
    call_command("regions", *args, stdout=out)
    return out.getvalue()


@pytest.mark.accept_foundation
@pytest.mark.django_db
def test_stats_as_json_prints_one_object_with_the_figures_of_the_day():
    printed = _run("stats", "--as-of", "2026-10-01", "--json")

    stats = json.loads(printed)
    assert printed.strip().count("\n") == 0
    assert stats["as_of"] == "2026-10-01"
    assert (stats["sido"], stats["sigungu_autonomous"], stats["emd"]) == (16, 227, 3558)
    assert stats["emd_provisional_codes"] == 24


@pytest.mark.django_db
def test_stats_without_a_date_counts_as_of_today():
    stats = json.loads(_run("stats", "--json"))

    assert stats["sido"] >= 16
    assert len(stats["as_of"]) == 10


@pytest.mark.django_db
def test_stats_with_an_impossible_date_gives_a_clear_error():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        _run("stats", "--as-of", "2026-13-01")


@pytest.mark.django_db
def test_load_prints_a_one_line_summary():
    printed = _run("load")

    assert printed.count("\n") == 1
    assert "읍·면·동 3,999건(신규 0, 변경 0)" in printed


@pytest.mark.django_db
def test_show_describes_a_district_with_its_city():
    printed = _run("show", "41591", "--as-of", "2026-10-01")

    assert "경기도 화성시 만세구" in printed
    assert "상위 시: 경기도 화성시" in printed


@pytest.mark.django_db
def test_show_of_an_abolished_code_fails_with_the_successor_in_the_message():
    with pytest.raises(CommandError, match="새 코드: '12190'"):
        _run("show", "46230", "--as-of", "2026-10-01")
