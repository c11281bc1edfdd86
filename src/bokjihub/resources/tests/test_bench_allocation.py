import io
import json

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.django_db, pytest.mark.accept_services]


def test_bench_allocation_prints_the_acceptance_keys_and_beats_the_baseline():
    output = io.StringIO()
    call_command("bench", "allocation", "--json", stdout=output)
    result = json.loads(output.getvalue())
    assert result["needs"] >= 2000 and result["resources"] >= 500
    assert result["dongs"] == 19  # 강동구's Dongs from the regions tables
    assert result["min_coverage"] > result["baseline_min_coverage"]
    assert result["gini"] < result["baseline_gini"]
