"""The engine's Korean labels that finding pages show are all listed for the catalogue."""

import re
from pathlib import Path

from bokjihub.engine import linkage
from bokjihub.engine.screening.contract import AGENCIES, INDICATORS
from bokjihub.finding.labels import MATCH_REASONS, SCREENING_AGENCIES, SCREENING_REASONS
from bokjihub.finding.screening_display import reason_text


def test_every_match_reason_of_the_engine_is_listed_for_translation():
    source = Path(linkage.__file__).read_text(encoding="utf-8")
    levels = re.findall(r'\("\w+", "([^"]+)", ', source)
    assert levels
    assert set(levels) <= set(MATCH_REASONS)


def test_every_screening_reason_code_and_agency_is_listed_for_translation():
    assert {i.reason for i in INDICATORS} <= set(SCREENING_REASONS)
    assert {code for i in INDICATORS for code in i.codes.values()} <= set(SCREENING_REASONS)
    assert set(AGENCIES.values()) == set(SCREENING_AGENCIES)


def test_a_reason_with_its_value_stays_as_it_is_in_korean():
    assert reason_text("전기요금 3개월 체납") == "전기요금 3개월 체납"
    assert reason_text("알 수 없는 사유") == "알 수 없는 사유"
