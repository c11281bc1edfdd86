"""The learned screening model (issue 4): trained on one synthetic world, judged on a
held-out one drawn with another seed and shifted prevalences."""

import pyarrow.parquet as pq
import pytest

pytest.importorskip("sklearn")

from bokjihub.engine.screening import evaluate_run, run_pipeline
from bokjihub.engine.screening.contract import BY_NAME
from bokjihub.engine.screening.heldout import generate_shifted
from bokjihub.engine.screening.model import ScreeningModel, train
from bokjihub.engine.screening.synth import generate

GU = ["11740", "11710"]  # 강동구, 송파구
METRICS = ("precision_at_capacity", "recall_at_capacity", "roc_auc", "pr_auc")


@pytest.fixture(scope="module")
def worlds(tmp_path_factory):
    base = tmp_path_factory.mktemp("model")
    generate(households=20000, seed=21, out=base / "train", sigungu_codes=GU)
    run_pipeline(feeds=base / "train" / "feeds", out=base / "train_run")
    model = train([(base / "train_run", base / "train" / "truth")], max_iter=150)
    path = model.save(base / "model.pkl")
    generate_shifted(households=12000, seed=22, out=base / "test", sigungu_codes=GU)
    run_pipeline(feeds=base / "test" / "feeds", out=base / "test_run", model=path)
    return base, model


@pytest.mark.accept_screening
def test_model_beats_the_rule_on_held_out_data(worlds):
    base, _ = worlds
    result = evaluate_run(run=base / "test_run", truth=base / "test" / "truth")
    rule, model = result["rule"], result["model"]
    for key in METRICS:
        assert model[key] is not None and 0 <= model[key] <= 1
    assert model["candidates"] == rule["candidates"]  # the same capacity
    print("held-out:", {k: (rule[k], model[k]) for k in METRICS})
    assert model["precision_at_capacity"] > rule["precision_at_capacity"]
    assert model["pr_auc"] > rule["pr_auc"]


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
    assert evaluate_run(run=base / "train_run", truth=base / "train" / "truth")["model"] is None
