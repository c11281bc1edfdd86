import io
import json

import pytest
from django.core.management import call_command

from bokjihub.audit.models import AccessLog
from bokjihub.finding.models import TriageItem

pytestmark = pytest.mark.django_db


def test_bench_inbox_prints_latency_and_queries_and_leaves_nothing_behind():
    output = io.StringIO()
    call_command("bench", "inbox", "--json", "--iterations", "10", "--items", "120", stdout=output)
    result = json.loads(output.getvalue())
    assert result["open_items"] == 120
    assert result["iterations"] == 10
    assert 0 < result["p50_ms"] <= result["p95_ms"] <= result["max_ms"]
    assert result["queries"] == result["queries_by_page_size"]["20"]
    assert result["queries_constant"] is True
    assert TriageItem.objects.count() == 0
    assert AccessLog.objects.count() == 0
