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
