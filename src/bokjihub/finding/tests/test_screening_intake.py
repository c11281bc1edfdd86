"""Screening candidates enter the triage inbox (issue 4): once, with their reasons."""

import json
from datetime import date
from io import StringIO

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.core.management import call_command

from bokjihub.cases.services import case_open_or_join
from bokjihub.engine.rrn import parse_rrn
from bokjihub.engine.screening.contract import BY_NAME
from bokjihub.finding.models import Channel, MatchStatus, Report, TriageItem
from bokjihub.finding.screening_intake import pepper_is_blind_index_key, screening_import
from bokjihub.people.identifiers import rrn_blind_index

pytestmark = pytest.mark.django_db

CANDIDATES = [
    {
        "household_key": "H1",
        "emd_code": "1174068500",  # 길동
        "score": 8.5,
        "reasons": "전기요금 3개월 체납 · 건강보험료 6개월 체납",
        "top_indicators": "electricity_arrears_months,health_insurance_arrears_months",
        "hub_rank": 1,
    },
    {
        "household_key": "H2",
        "emd_code": "1174060000",  # 천호1동
        "score": 7.0,
        "reasons": "자살 시도로 응급실 내원 1회 · 65세 이상 홀로 거주",
        "top_indicators": "suicide_attempt_er_visit,single_person_65_plus",
        "hub_rank": 1,
    },
    {
        "household_key": "H3",
        "emd_code": "1174060000",
        "score": 6.0,
        "reasons": "임대료 3개월 체납",
        "top_indicators": "rent_arrears_months",
        "hub_rank": 2,
    },
    {
        "household_key": "H9",  # another Gu: not imported here
        "emd_code": "1171010100",
        "score": 9.0,
        "reasons": "전기 단전",
        "top_indicators": "electricity_cutoff",
        "hub_rank": 1,
    },
]


@pytest.fixture
def run(tmp_path, household_dong_a):
    rows = [
        dict(row, sigungu_code="11710" if row["household_key"] == "H9" else "11740")
        for row in CANDIDATES
    ]
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "candidates.parquet")
    registered_key = rrn_blind_index(parse_rrn("4503151234563", today=date(2026, 1, 1)))
    registry = pa.table(
        {
            "person_key": [registered_key, "f" * 64, "e" * 64, "d" * 64],
            "household_key": ["H1", "H2", "H3", "H9"],
            "name": ["김영수", "이말순", "박지은", "최하나"],
            "birth_date": [date(1945, 3, 15), date(1950, 1, 2), date(1988, 7, 22), None],
            "address": [
                "서울특별시 강동구 양재대로 1480",
                "서울특별시 강동구 천호대로 1005",
                "서울특별시 강동구 천호대로 1005",
                "서울특별시 송파구 올림픽로 1",
            ],
        }
    )
    pq.write_table(registry, tmp_path / "registry.parquet")
    (tmp_path / "summary.json").write_text(
        json.dumps({"registry": str(tmp_path / "registry.parquet")})
    )
    return tmp_path


@pytest.fixture
def open_case_h3(household_dong_b, centre_b):
    return case_open_or_join(household=household_dong_b, lead_organisation=centre_b).case


@pytest.mark.accept_screening
def test_a_run_imported_twice_creates_items_once_with_their_reasons(
    run, gangdong, centre_a, centre_b, gu_office, household_dong_a, open_case_h3
):
    first = screening_import(run=run, sigungu=gangdong)
    assert first.candidates == 3  # the Gu's only
    assert first.created == 2
    assert first.skipped_open_case == 1  # H3: the household has an open case
    assert first.matched_by_key == 1 and first.unmatched == 1
    assert not first.errors

    second = screening_import(run=run, sigungu=gangdong)
    assert second.created == 0 and second.replayed == 2
    assert TriageItem.objects.count() == 2

    reports = {r.subject_name: r for r in Report.objects.select_related("item")}
    assert set(reports) == {"김영수", "이말순"}
    for report in reports.values():
        assert report.channel == Channel.SCREENING
    matched = reports["김영수"]
    assert matched.item.household == household_dong_a
    assert matched.item.match_status == MatchStatus.CONFIRMED
    assert matched.item.hub == centre_a
    assert set(matched.concerns) == {"arrears"}
    assert reports["이말순"].item.hub == centre_b
    assert reports["이말순"].urgency == "urgent"
    assert "suicide_risk" in reports["이말순"].concerns
    # every candidate shows its reasons, which name the indicators that drove the score
    for row in CANDIDATES[:2]:
        report = reports["김영수" if row["household_key"] == "H1" else "이말순"]
        assert row["reasons"] in report.free_text
        for indicator in row["top_indicators"].split(","):
            assert BY_NAME[indicator].reason.split("{v}")[0] in report.free_text


def test_the_command_prints_json(run, gangdong, centre_a, centre_b, gu_office):
    out = StringIO()
    call_command("screening_import", run=str(run), sigungu="11740", json=True, stdout=out)
    result = json.loads(out.getvalue())
    assert result["created"] == 3 and result["ranking"] == "rule"


def test_the_synthetic_pepper_is_not_the_blind_index_key():
    from bokjihub.engine.screening.synth import SYNTHETIC_PEPPER

    assert not pepper_is_blind_index_key(SYNTHETIC_PEPPER)


@pytest.mark.accept_screening
def test_every_screening_candidate_in_the_inbox_shows_the_reasons_that_drove_its_score(
    run, gangdong, centre_a, centre_b, gu_office, household_dong_a, login, officer_dong_a
):
    from django.urls import reverse

    screening_import(run=run, sigungu=gangdong)
    page = login(officer_dong_a).get(reverse("finding_inbox")).content.decode()
    # Dong A's hub holds H1 only; its reasons name both indicators that scored it, each
    # with the agency that sent it (no indicator codes on the page)
    for reason, agency in (
        ("전기요금 3개월 체납", "한국전력공사"),
        ("건강보험료 6개월 체납", "국민건강보험공단"),
    ):
        assert f'<span class="screening-reason">{reason}</span>' in page
        assert agency in page
    assert "위험 점수 8.50 / 최대" in page and "길동 후보 1가구 중 1위" in page
    assert "electricity_arrears_months" not in page
    for indicator in CANDIDATES[0]["top_indicators"].split(","):
        assert BY_NAME[indicator].reason.split("{v}")[0] in page
    assert "자살 시도" not in page  # H2 belongs to 천호1동's hub


@pytest.mark.parametrize(
    ("command", "arguments"),
    [("screening_import", {"run": "nowhere"}), ("screening_labels", {"out": "nowhere"})],
)
def test_an_unknown_sigungu_code_is_refused_by_name(command, arguments):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="시·군·구 코드를 찾을 수 없습니다: 99999"):
        call_command(command, sigungu="99999", **arguments)


@pytest.mark.accept_loop
def test_a_candidate_without_a_matching_key_arrives_linked_by_name_birth_date_and_road(
    tmp_path, gangdong, centre_a, centre_b, gu_office, household_dong_a
):
    """The pipeline linked the feeds to its registry (synthetic pepper: no blind-index
    key); the hub's registry writes the address differently. The item still arrives
    linked, with the evidence as data and the way it was linked on the timeline."""
    pq.write_table(
        pa.Table.from_pylist([dict(CANDIDATES[0], sigungu_code="11740")]),
        tmp_path / "candidates.parquet",
    )
    pq.write_table(
        pa.table(
            {
                "person_key": ["a" * 64],
                "household_key": ["H1"],
                "name": ["김영수"],
                "birth_date": [date(1945, 3, 15)],
                "address": ["서울 강동구 양재대로 1480"],
            }
        ),
        tmp_path / "registry.parquet",
    )
    result = screening_import(
        run=tmp_path, sigungu=gangdong, registry=tmp_path / "registry.parquet"
    )
    assert result.matched_by_name == 1 and result.unmatched == 0
    item = TriageItem.objects.get()
    assert (item.household, item.match_status) == (household_dong_a, MatchStatus.CONFIRMED)
    assert item.events.filter(kind="match_confirmed", note__contains="이름·생년월일").exists()
    report = item.reports.get()
    assert not report.subject_description.startswith("빅데이터 발굴")
    assert [s["agency"] for s in report.screening["signals"]] == [
        "한국전력공사",
        "국민건강보험공단",
    ]
    assert "electricity_arrears_months" not in report.free_text
