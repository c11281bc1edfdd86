"""The learned screening model (issue 4): trained on one synthetic world, judged on a
held-out one drawn with another seed and shifted prevalences."""

import pyarrow.parquet as pq
import pytest

pytest.importorskip("sklearn")

from bokjihub.engine import refdata
from bokjihub.engine.screening import evaluate_run, run_pipeline
from bokjihub.engine.screening.contract import BY_NAME
from bokjihub.engine.screening.heldout import generate_shifted
from bokjihub.engine.screening.model import ScreeningModel, train
from bokjihub.engine.screening.synth import generate

GU = ["11740", "11710"]  # 강동구, 송파구
METRICS = ("precision_at_capacity", "recall_at_capacity", "roc_auc", "pr_auc")


TRAIN_SEEDS = (21, 23, 25)
HELD_OUT_SEED = 22  # another seed than any training world


def registered_households(codes) -> int:
    return sum(refdata.population_of(code).households for code in codes)


@pytest.fixture(scope="module")
def worlds(tmp_path_factory):
    """Three training worlds (90,000 households) and one held-out world drawn with
    another seed and shifted prevalences (heldout.generate_shifted), as large as the two
    Gus are (512,926 registered households): each Dong, its hub's capacity and floor at
    their real size. A draw of 40,000 shrinks every hub to a few visits, and the ratio of
    a few dozen found households per quintile moved from 0.75 to 0.96 between seeds,
    wider than the ±10 % it is judged by; at full size five seeds gave 0.91–0.96
    (docs/decisions/0004)."""
    base = tmp_path_factory.mktemp("model")
    pairs = []
    for seed in TRAIN_SEEDS:
        generate(households=30000, seed=seed, out=base / f"train{seed}", sigungu_codes=GU)
        run_pipeline(feeds=base / f"train{seed}" / "feeds", out=base / f"train{seed}_run")
        pairs.append((base / f"train{seed}_run", base / f"train{seed}" / "truth"))
    model = train(pairs, threads=1)
    path = model.save(base / "model.pkl")
    generate_shifted(
        households=registered_households(GU),
        seed=HELD_OUT_SEED,
        out=base / "test",
        sigungu_codes=GU,
    )
    run_pipeline(feeds=base / "test" / "feeds", out=base / "test_run", model=path)
    return base, model


@pytest.mark.accept_screening
def test_model_precision_at_capacity_is_a_fifth_above_the_rule_on_held_out_data(worlds):
    base, _ = worlds
    result = evaluate_run(run=base / "test_run", truth=base / "test" / "truth")
    rule, model = result["rule"], result["model"]
    for key in METRICS:
        assert model[key] is not None and 0 <= model[key] <= 1
    assert model["candidates"] == rule["candidates"]  # the same capacity
    print("held-out (rule, model):", {k: (rule[k], model[k]) for k in METRICS})
    assert model["precision_at_capacity"] >= 1.2 * rule["precision_at_capacity"]
    assert model["pr_auc"] > rule["pr_auc"]


@pytest.mark.accept_screening
def test_model_finds_the_most_deprived_quintile_in_step_with_the_truth(worlds):
    """Found per household, most deprived Dong quintile over least, within ±10 % of the
    truth's crisis-rate ratio — the same share of each quintile's crises is found. The
    model's candidates fill the Gu-wide pool by each hub's estimated recall
    (rank.candidates_sql, pool_order "recall"); by score they went to 1.20–1.28."""
    base, _ = worlds
    model = evaluate_run(run=base / "test_run", truth=base / "test" / "truth")["model"]
    found, truth = model["found_per_household_ratio_q5_q1"], model["truth_crisis_ratio_q5_q1"]
    print("q5/q1 found per household vs truth:", found, truth)
    assert truth > 1  # deprivation raises crisis: the check compares two real ratios
    assert 0.9 * truth <= found <= 1.1 * truth


def test_model_candidates_carry_reasons_of_their_indicators(worlds):
    base, _ = worlds
    candidates = pq.read_table(base / "test_run" / "model_candidates.parquet").to_pylist()
    assert candidates
    for row in candidates:
        indicators = row["top_indicators"].split(",")
        assert row["reasons"] and len(row["reasons"].split(" · ")) == len(indicators)
        assert all(name in BY_NAME for name in indicators)
        assert 0 < row["score"] <= 1
    contributions = pq.read_table(base / "test_run" / "model_contributions.parquet")
    assert set(contributions.column_names) >= {"household_key", "indicator", "contribution"}


def test_model_round_trips_and_rejects_other_files(worlds, tmp_path):
    base, model = worlds
    loaded = ScreeningModel.load(base / "model.pkl")
    assert loaded.trained_on == model.trained_on
    assert model.trained_on["positives"] > 0
    bogus = tmp_path / "bogus.pkl"
    import pickle

    bogus.write_bytes(pickle.dumps({"not": "a model"}))
    with pytest.raises(ValueError):
        ScreeningModel.load(bogus)


def test_evaluate_without_a_model_reports_none(worlds):
    base, _ = worlds
    run, truth = base / f"train{TRAIN_SEEDS[0]}_run", base / f"train{TRAIN_SEEDS[0]}" / "truth"
    assert evaluate_run(run=run, truth=truth)["model"] is None
