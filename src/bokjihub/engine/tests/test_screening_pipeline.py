"""Screening (issue 4), engine side: contract, validation, idempotent loading, synthetic
feeds, rule reasons and ranking. Small populations, DuckDB only."""

import hashlib
import shutil

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pytest

from bokjihub.engine.screening import INDICATORS, run_pipeline
from bokjihub.engine.screening.contract import AGENCIES, BY_NAME
from bokjihub.engine.screening.synth import generate

GU = ["11740", "11710"]  # 강동구, 송파구


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    out = tmp_path_factory.mktemp("synth")
    summary = generate(households=3000, seed=11, out=out, sigungu_codes=GU)
    return out, summary


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_contract_has_at_least_30_typed_indicators():
    assert len(INDICATORS) >= 30
    assert len(BY_NAME) == len(INDICATORS)
    for indicator in INDICATORS:
        assert indicator.agency in AGENCIES
        assert indicator.min_value <= indicator.max_value
        assert indicator.weight > 0 and indicator.saturation > 0
        assert indicator.label_ko and indicator.reason
        assert indicator.value_type in {"int", "float", "flag", "code"}
    assert "부양의무자 기준" in BY_NAME["nbls_rejected"].codes.values()


def test_synthetic_feeds_are_deterministic_by_seed(tmp_path):
    first = generate(households=500, seed=5, out=tmp_path / "a", sigungu_codes=GU)
    second = generate(households=500, seed=5, out=tmp_path / "b", sigungu_codes=GU)
    other = generate(households=500, seed=6, out=tmp_path / "c", sigungu_codes=GU)
    assert first == second
    for name in ("registry.parquet", "truth/truth.parquet", "feeds/nhis.parquet"):
        assert pq.read_table(tmp_path / "a" / name).equals(pq.read_table(tmp_path / "b" / name))
    assert not pq.read_table(tmp_path / "a" / "truth/truth.parquet").equals(
        pq.read_table(tmp_path / "c" / "truth/truth.parquet")
    )
    assert other["households"] == 500


def test_synthetic_crises_show_few_weak_signals(synthetic):
    out, summary = synthetic
    truth = pq.read_table(out / "truth" / "truth.parquet")
    assert truth.num_rows == 3000
    assert 0.02 < summary["crisis_rate"] < 0.12
    assert 1.0 <= summary["visible_signals_per_visible_crisis"] <= 3.0
    hidden = pc.sum(pc.and_(truth["in_crisis"], pc.invert(truth["visible"]))).as_py()
    assert hidden > 0  # some crises show no signal of their own
    assert set(pc.unique(truth["deprivation_quintile"]).to_pylist()) <= {1, 2, 3, 4, 5}


def _corrupt(feeds_dir, tmp_path):
    """A CSV feed of every keyed feed's rows with every 100th row broken in one of six ways."""
    table = pa.concat_tables(
        pq.read_table(path)
        for path in sorted(feeds_dir.glob("*.parquet"))
        if path.stem not in ("water", "gas")
    )
    rows = table.to_pylist()
    breakers = [
        ("indicator", "electricity_arrears_years", "알 수 없는 지표"),
        ("value", "1e12", "값 범위 벗어남"),
        ("person_key", None, "식별키 없음"),
        ("observed_on", "2026-13-45", "관측일 형식 오류"),
        ("observed_on", "2099-01-01", "관측일이 미래"),
        ("value", "abc", "값이 숫자가 아님"),
    ]
    expected = {}
    for number, row in enumerate(rows, start=1):
        if number % 100 == 0:
            column, value, reason = breakers[(number // 100) % len(breakers)]
            row[column] = value
            expected[number] = reason
    for row in rows:
        row["value"] = None if row["value"] is None else str(row["value"])
    broken = pa.Table.from_pylist(
        rows, schema=pa.schema([(n, pa.string()) for n in table.column_names])
    )
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    pa_csv.write_csv(broken, feeds / "agencies.csv")
    return feeds, expected, len(rows)


@pytest.mark.accept_screening
def test_malformed_rows_are_quarantined_with_row_numbers_and_the_rest_scored(synthetic, tmp_path):
    out, _ = synthetic
    feeds, expected, total = _corrupt(out / "feeds", tmp_path)
    assert 0.005 < len(expected) / total <= 0.011
    summary = run_pipeline(
        feeds=feeds,
        out=tmp_path / "run",
        registry=out / "registry.parquet",
        open_cases=out / "open_cases.parquet",
    )
    quarantine = pq.read_table(tmp_path / "run" / "quarantine.parquet").to_pylist()
    assert {row["row_number"] for row in quarantine} == set(expected)
    for row in quarantine:
        assert expected[row["row_number"]] in row["reason"], row
    assert summary["rows_quarantined"] == len(expected)
    assert summary["rows_loaded"] == total
    # every valid row was linked and scored
    assert summary["link"]["match_rate"] == 1.0
    contributions = pq.read_table(tmp_path / "run" / "contributions.parquet")
    valid = pq.read_table(next((tmp_path / "run" / "signals").glob("*.parquet")))
    assert valid.num_rows == total - len(expected)
    assert contributions.num_rows > 0


@pytest.mark.accept_screening
def test_loading_the_same_feed_twice_changes_nothing(synthetic, tmp_path):
    out, _ = synthetic
    feeds = tmp_path / "feeds"
    shutil.copytree(out / "feeds", feeds)
    run = tmp_path / "run"
    kwargs = {"registry": out / "registry.parquet", "open_cases": out / "open_cases.parquet"}
    first = run_pipeline(feeds=feeds, out=run, **kwargs)
    outputs = ("scores.parquet", "candidates.parquet", "load_registry.parquet")
    before = {name: _digest(run / name) for name in outputs}
    again = run_pipeline(feeds=feeds, out=run, **kwargs)
    assert again["feeds_loaded"] == 0 and len(again["feeds_skipped"]) == first["feeds_loaded"]
    assert {name: _digest(run / name) for name in outputs} == before
    # the same rows re-sent in another file (other content) count once
    resent = pq.read_table(feeds / "nhis.parquet")
    pq.write_table(resent.slice(0, 50), feeds / "nhis_resent.parquet")
    third = run_pipeline(feeds=feeds, out=run, **kwargs)
    assert third["feeds_loaded"] == 1
    assert _digest(run / "scores.parquet") == before["scores.parquet"]


def test_reasons_name_the_indicators_that_drove_the_score(synthetic, tmp_path):
    out, _ = synthetic
    run = tmp_path / "run"
    run_pipeline(feeds=out / "feeds", out=run)
    contributions = pq.read_table(run / "contributions.parquet").to_pylist()
    by_household = {}
    for row in contributions:
        by_household.setdefault(row["household_key"], []).append(row)
    scores = pq.read_table(run / "scores.parquet").to_pylist()
    assert scores
    for row in scores:
        top = sorted(
            by_household[row["household_key"]], key=lambda r: (-r["contribution"], r["indicator"])
        )[:3]
        assert row["top_indicators"].split(",") == [r["indicator"] for r in top]
        assert row["reasons"] == " · ".join(r["reason"] for r in top)
        assert row["score"] == pytest.approx(
            sum(r["contribution"] for r in by_household[row["household_key"]])
        )
    months = [r for r in contributions if r["indicator"] == "health_insurance_arrears_months"]
    assert months and all(r["reason"] == f"건강보험료 {int(r['value'])}개월 체납" for r in months)


def test_weights_are_overridable_per_sigungu(synthetic, tmp_path):
    out, _ = synthetic
    base = run_pipeline(feeds=out / "feeds", out=tmp_path / "a")
    assert base["households_scored"] > 0
    run_pipeline(
        feeds=out / "feeds",
        out=tmp_path / "b",
        weight_overrides={"11740": {"health_insurance_arrears_months": 10.0}},
    )
    a = pq.read_table(tmp_path / "a" / "contributions.parquet").to_pylist()
    b = pq.read_table(tmp_path / "b" / "contributions.parquet").to_pylist()
    for left, right in zip(
        sorted(a, key=lambda r: (r["household_key"], r["indicator"])),
        sorted(b, key=lambda r: (r["household_key"], r["indicator"])),
        strict=True,
    ):
        changed = (
            left["sigungu_code"] == "11740"
            and left["indicator"] == "health_insurance_arrears_months"
        )
        assert right["weight"] == (10.0 if changed else left["weight"])
    with pytest.raises(ValueError, match="알 수 없는 지표"):
        run_pipeline(feeds=out / "feeds", out=tmp_path / "c", weights={"nope": 1.0})


def test_ranking_respects_capacity_floor_and_open_cases(synthetic, tmp_path):
    out, _ = synthetic
    run = tmp_path / "run"
    run_pipeline(feeds=out / "feeds", out=run, visit_rate=0.02, min_capacity=2, floor_share=0.5)
    candidates = pq.read_table(run / "candidates.parquet").to_pylist()
    scores = pq.read_table(run / "scores.parquet").to_pylist()
    registry = pq.read_table(
        out / "registry.parquet", columns=["household_key", "emd_code", "sigungu_code"]
    )
    households = {}
    for row in registry.to_pylist():
        households.setdefault(row["emd_code"], set()).add(row["household_key"])
    capacity = {emd: max(2, -(-len(keys) * 2 // 100)) for emd, keys in households.items()}
    open_cases = set(pq.read_table(out / "open_cases.parquet")["household_key"].to_pylist())
    assert candidates and not open_cases & {c["household_key"] for c in candidates}
    per_hub, per_gu = {}, {}
    for c in candidates:
        per_hub[c["emd_code"]] = per_hub.get(c["emd_code"], 0) + 1
        per_gu[c["sigungu_code"]] = per_gu.get(c["sigungu_code"], 0) + 1
    emd_gu = {row["emd_code"]: row["sigungu_code"] for row in registry.to_pylist()}
    for gu, count in per_gu.items():
        assert count <= sum(capacity[e] for e in capacity if emd_gu[e] == gu)
    eligible = {}
    for s in scores:
        if s["score"] > 0 and s["household_key"] not in open_cases:
            eligible[s["emd_code"]] = eligible.get(s["emd_code"], 0) + 1
    for emd, cap in capacity.items():
        floor = -(-cap // 2)
        assert per_hub.get(emd, 0) >= min(floor, eligible.get(emd, 0))
        assert per_hub.get(emd, 0) <= 2 * cap


def test_feed_documentation_lists_every_indicator():
    from pathlib import Path

    docs = Path(__file__).resolve().parents[4] / "docs" / "feeds.md"
    text = docs.read_text(encoding="utf-8")
    assert all(f"`{indicator.name}`" in text for indicator in INDICATORS)


def test_the_duckdb_backend_returns_query_results_as_arrow_tables():
    from bokjihub.engine.screening.backends import DuckDBBackend

    table = DuckDBBackend().arrow("SELECT 1 AS a UNION ALL SELECT 2")
    assert table.column("a").to_pylist() == [1, 2]
