"""A national population drawn in shards merges into the layout the pipeline reads."""

import duckdb
import pytest

from bokjihub.engine.screening.national import generate_national, shard_plan
from bokjihub.engine.screening.pipeline import run_pipeline


def test_the_shard_plan_covers_every_gu_once_and_adds_up_exactly():
    plan = shard_plan(23_000_000)
    codes = [code for shard, _ in plan for code in shard]
    assert len(codes) == len(set(codes))
    assert sum(size for _, size in plan) == 23_000_000
    assert len(plan) == 12
    sizes = [size for _, size in plan]
    # balanced by households: no shard more than a third above the mean
    assert max(sizes) < 1.34 * (23_000_000 / len(plan))


def test_every_gu_of_the_country_is_in_some_shard():
    from bokjihub.engine.screening.synth import dong_table

    everyone = set(dong_table()["sigungu_code"].to_pylist())
    plan = shard_plan(1_000, shards=4)
    assert {code for shard, _ in plan for code in shard} == everyone


@pytest.mark.slow
def test_a_sharded_population_has_unique_keys_and_runs_through_the_pipeline(tmp_path):
    summary = generate_national(households=9_000, seed=5, out=tmp_path / "data", shards=3)
    assert summary["shards"] == 3 and summary["households"] == 9_000
    registry = str(tmp_path / "data" / "registry.parquet")
    [(rows, households, people)] = duckdb.sql(
        f"SELECT count(*), count(DISTINCT household_key), count(DISTINCT person_key)"  # noqa: S608
        f" FROM '{registry}'"
    ).fetchall()
    assert rows == people == summary["persons"]
    assert households == 9_000
    truth = str(tmp_path / "data" / "truth" / "truth.parquet")
    query = f"SELECT count(DISTINCT household_key) FROM '{truth}'"  # noqa: S608
    assert duckdb.sql(query).fetchall() == [(9_000,)]
    assert not (tmp_path / "data" / "_shards").exists()
    result = run_pipeline(feeds=tmp_path / "data" / "feeds", out=tmp_path / "run")
    assert result["candidates"] > 0
