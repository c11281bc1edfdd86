import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bokjihub.audit.models import AccessLog
from bokjihub.core.demo import demo_build

pytestmark = pytest.mark.django_db


def test_bench_search_prints_latency_json_and_leaves_no_access_log_rows():
    demo_build(sigungu_code="11740", seed=3, households=200)
    output = io.StringIO()
    call_command("bench", "search", "--json", "--iterations", "20", stdout=output)
    result = json.loads(output.getvalue())
    assert result["iterations"] == 20
    assert 0 < result["p50_ms"] <= result["p95_ms"] <= result["max_ms"]
    assert result["results_per_query_mean"] > 0
    assert AccessLog.objects.count() == 0


def test_bench_search_without_a_demo_says_what_to_run():
    with pytest.raises(CommandError, match="demo"):
        call_command("bench", "search", "--json", stdout=io.StringIO())


def test_bench_loop_answers_every_page_of_the_loop_and_counts_its_queries_at_two_sizes():
    from bokjihub.cases.models import Case
    from bokjihub.core.bench_loop import PAGES

    output = io.StringIO()
    call_command(
        "bench",
        "loop",
        "--json",
        *("--iterations", "1", "--cases", "4", "--items", "4", "--workers", "1"),
        *("--detail-rows", "2", "--shrink", "2"),
        stdout=output,
    )
    result = json.loads(output.getvalue())
    assert result["benchmark"] == "core_loop"
    assert result["sizes"]["small"]["cases_per_worker"] == 2
    assert result["sizes"]["large"]["cases_per_worker"] == 4
    assert set(result["pages"]) == set(PAGES)
    for page in result["pages"].values():
        assert page["status"] == 200
        assert 0 < page["p50_ms"] <= page["p95_ms"] <= page["max_ms"]
        assert page["queries"] == page["queries_large"] > 0
        assert page["queries_small"] > 0
        assert page["constant"] == (page["queries_small"] == page["queries_large"])
        assert "repeated_sql" in page or page["constant"]
        assert page["slowest_sql"]["ms"] <= page["sql_ms"]
    assert isinstance(result["all_constant"], bool)
    # everything it built, access-log rows included, was rolled back
    assert Case.objects.count() == 0
    assert AccessLog.objects.count() == 0


def test_a_statement_repeated_more_often_over_more_rows_is_named_with_both_counts():
    from collections import Counter

    from bokjihub.core.bench_loop import _repeated, _shape

    one_row = 'SELECT "name" FROM "person" WHERE "id" = 7'
    small = Counter([_shape("SELECT 1"), _shape(one_row)])
    large = Counter([_shape("SELECT 1"), *(_shape(one_row.replace("7", str(n))) for n in range(5))])
    assert _repeated(small, large) == [
        {"sql": 'SELECT … FROM "person" WHERE "id" = ?', "small": 1, "large": 5}
    ]
