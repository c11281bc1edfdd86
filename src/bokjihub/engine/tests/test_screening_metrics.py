"""Screening metrics on tiny hand-made examples (numpy, no engine)."""

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from bokjihub.engine.screening.evaluate import evaluate_run, pr_auc, roc_auc


def test_roc_auc_counts_pairs_and_ties():
    assert roc_auc([1, 1, 0, 0], [0.9, 0.8, 0.3, 0.1]) == 1.0
    assert roc_auc([0, 0, 1, 1], [0.9, 0.8, 0.3, 0.1]) == 0.0
    # one positive tied with one negative: that pair counts half → (1 + 0.5) / 2
    assert roc_auc([1, 0, 1, 0], [0.8, 0.8, 0.9, 0.1]) == pytest.approx(0.875)
    assert roc_auc([1, 1], [0.2, 0.3]) is None


def test_pr_auc_is_average_precision():
    # ranking: + - + -  → precisions at the positives 1/1 and 2/3 → (1 + 2/3) / 2
    assert pr_auc([1, 0, 1, 0], [0.9, 0.8, 0.7, 0.1]) == pytest.approx((1 + 2 / 3) / 2)
    assert pr_auc([1, 1, 0], [0.5, 0.5, 0.5]) == pytest.approx(2 / 3)
    assert pr_auc([0, 0], [0.1, 0.2]) is None


def test_evaluate_run_on_a_hand_made_run(tmp_path):
    truth = tmp_path / "truth"
    truth.mkdir()
    keys = [f"H{i}" for i in range(10)]
    pq.write_table(
        pa.table(
            {
                "household_key": keys,
                "in_crisis": [True, True, True, False, False, False, False, False, False, True],
                "open_case": [False] * 9 + [True],
                "deprivation_quintile": pa.array([1, 1, 2, 2, 3, 3, 4, 4, 5, 5], pa.int8()),
            }
        ),
        truth / "truth.parquet",
    )
    run = tmp_path / "run"
    run.mkdir()
    pq.write_table(
        pa.table({"household_key": ["H0", "H1", "H3", "H2"], "score": [5.0, 4.0, 3.0, 1.0]}),
        run / "scores.parquet",
    )
    pq.write_table(pa.table({"household_key": ["H0", "H3"]}), run / "candidates.parquet")
    rule = evaluate_run(run=run, truth=truth)["rule"]
    assert rule["households_in_crisis"] == 3  # H9's open case is skipped
    assert rule["precision_at_capacity"] == 0.5
    assert rule["recall_at_capacity"] == pytest.approx(0.3333)
    assert rule["by_deprivation_quintile"]["1"]["found_rate"] == 0.5
    assert rule["by_deprivation_quintile"]["2"]["found_rate"] == 0.0
    assert 0.5 < rule["roc_auc"] <= 1.0
