"""Feeds about the residents of a given registry (issue 12): a screening over them links
every row to a registered household, the same rows give the same files, and a planted
crisis arrives in the feeds and the truth."""

import hashlib
import hmac
import random
from datetime import date
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from bokjihub.engine.screening.evaluate import evaluate_run
from bokjihub.engine.screening.pipeline import run_pipeline
from bokjihub.engine.screening.registry_world import PlantedCrisis, generate_for_registry
from bokjihub.engine.synthetic import generate_population

DAY = date(2026, 12, 7)
PEPPER = b"test-pepper"


@pytest.fixture(scope="module")
def residents() -> list[dict]:
    population = generate_population(
        sigungu_code="11740", seed=4, households=1500, reference_date=DAY
    )
    return [
        {
            "person_key": hmac.new(PEPPER, person.rrn.encode(), hashlib.sha256).hexdigest(),
            "household_key": household.key,
            "sigungu_code": "11740",
            "emd_code": household.emd_code,
            "name": person.name,
            "birth_date": person.birth_date,
            "address": household.road_address,
            "sex": person.sex,
            "is_head": person.relation_to_head == "head",
            "household_type": household.household_type,
            "receives_livelihood": household.is_basic_livelihood,
        }
        for household in population.households
        for person in household.persons
    ]


def _bytes(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*.parquet"))
    }


def test_a_screening_of_the_feeds_links_every_row_to_a_registered_household(residents, tmp_path):
    summary = generate_for_registry(residents, out=tmp_path, seed=1, reference_date=DAY)
    assert summary["households"] == 1500
    assert 0.02 < summary["crisis_rate"] < 0.15
    assert set(summary["feed_rows"]) >= {"kepco", "water", "gas", "nhis", "ssis"}

    run = run_pipeline(feeds=tmp_path / "feeds", out=tmp_path / "run", reference_date=DAY)
    assert run["rows_quarantined"] == 0
    assert run["link"]["match_rate"] == 1.0
    assert run["link"]["by_method"]["name_birth_address"] > 0  # water and gas send no key
    candidates = pq.read_table(tmp_path / "run" / "candidates.parquet")
    assert candidates.num_rows > 0
    registered = {row["household_key"] for row in residents}
    assert set(candidates["household_key"].to_pylist()) <= registered
    quality = evaluate_run(run=tmp_path / "run", truth=tmp_path / "truth")["rule"]
    assert quality["precision_at_capacity"] > quality["base_rate"]


def test_the_same_rows_in_any_order_give_the_same_files(residents, tmp_path):
    generate_for_registry(residents, out=tmp_path / "a", seed=2, reference_date=DAY)
    shuffled = list(residents)
    random.Random(0).shuffle(shuffled)
    generate_for_registry(shuffled, out=tmp_path / "b", seed=2, reference_date=DAY)
    generate_for_registry(residents, out=tmp_path / "c", seed=3, reference_date=DAY)
    assert _bytes(tmp_path / "a") == _bytes(tmp_path / "b")
    assert (
        _bytes(tmp_path / "a")["feeds/kepco.parquet"]
        != _bytes(tmp_path / "c")["feeds/kepco.parquet"]
    )


def test_a_planted_crisis_sends_its_signals_on_its_day_and_is_in_the_truth(residents, tmp_path):
    household = next(r["household_key"] for r in residents if r["household_type"] == "family")
    crisis = PlantedCrisis(
        "economic",
        (("electricity_arrears_months", 3), ("health_insurance_arrears_months", 6)),
        days_ago=12,
    )
    generate_for_registry(
        residents,
        out=tmp_path,
        seed=1,
        reference_date=DAY,
        planted={household: crisis},
        open_cases=[household, "not-registered"],
    )
    head = next(r for r in residents if r["household_key"] == household and r["is_head"])
    kepco = pq.read_table(tmp_path / "feeds" / "kepco.parquet").to_pylist()
    sent = [r for r in kepco if r["person_key"] == head["person_key"]]
    shown = [(row["indicator"], row["value"], row["observed_on"]) for row in sent]
    assert ("electricity_arrears_months", 3.0, "2026-11-25") in shown
    truth = pq.read_table(tmp_path / "truth" / "truth.parquet")
    row = truth.filter(pc.equal(truth["household_key"], household)).to_pylist()[0]
    assert row["in_crisis"] and row["visible"] and row["crisis_kind"] == "economic"
    assert row["open_case"]
    assert pq.read_table(tmp_path / "open_cases.parquet")["household_key"].to_pylist() == [
        household
    ]
    with pytest.raises(ValueError, match="not in the registry"):
        generate_for_registry(
            residents, out=tmp_path / "x", seed=1, reference_date=DAY, planted={"H-x": crisis}
        )


def test_persons_without_a_key_are_left_out(residents, tmp_path):
    keyless = [dict(row, person_key=None) if row["is_head"] else row for row in residents]
    generate_for_registry(keyless, out=tmp_path, seed=1, reference_date=DAY)
    registry = pq.read_table(tmp_path / "registry.parquet")
    assert registry.num_rows == sum(not row["is_head"] for row in residents)
    assert registry["person_key"].null_count == 0
