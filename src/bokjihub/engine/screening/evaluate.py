"""Finding quality of a run against the synthetic truth, in numpy.

precision/recall at capacity (candidates vs. households in crisis), ROC-AUC (rank-sum
with average ranks for ties), PR-AUC (average precision), and the found rate — share of
households in crisis that became candidates — by deprivation quintile of the Dong, next
to the truth's crisis rate per quintile.
"""

from itertools import pairwise
from pathlib import Path

import numpy as np
import pyarrow.compute as pc
import pyarrow.parquet as pq


def _average_ranks(values: np.ndarray) -> np.ndarray:
    order = np.argsort(values, kind="mergesort")
    sorted_values = values[order]
    boundaries = np.r_[0, np.flatnonzero(np.diff(sorted_values)) + 1, len(values)]
    ranks = np.empty(len(values), dtype=np.float64)
    for start, end in pairwise(boundaries):
        ranks[order[start:end]] = (start + end + 1) / 2  # 1-based average rank
    return ranks


def roc_auc(labels, scores) -> float | None:
    labels, scores = np.asarray(labels, bool), np.asarray(scores, np.float64)
    positives, negatives = labels.sum(), (~labels).sum()
    if positives == 0 or negatives == 0:
        return None
    ranks = _average_ranks(scores)
    return float((ranks[labels].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def pr_auc(labels, scores) -> float | None:
    """Average precision: mean over positives of the precision at their score threshold
    (tied scores form one threshold)."""
    labels, scores = np.asarray(labels, bool), np.asarray(scores, np.float64)
    positives = labels.sum()
    if positives == 0:
        return None
    order = np.argsort(-scores, kind="mergesort")
    s, y = scores[order], labels[order]
    last_of_tie = np.r_[np.flatnonzero(np.diff(s)), len(s) - 1]
    true_pos = np.cumsum(y)[last_of_tie]
    predicted = last_of_tie + 1
    precision = true_pos / predicted
    recall_step = np.diff(np.r_[0, true_pos]) / positives
    return float((precision * recall_step).sum())


def evaluate_run(*, run: str | Path, truth: str | Path) -> dict:
    """``rule``: the weighted-rule ranking (scores/candidates.parquet); ``model``: the
    learned model's (model_scores/model_candidates.parquet), None when the run was not
    scored with a model."""
    run, truth = Path(run), Path(truth)
    truth_table = pq.read_table(truth / "truth.parquet")
    result = {"rule": _metrics(truth_table, run / "scores.parquet", run / "candidates.parquet")}
    model_scores, model_candidates = run / "model_scores.parquet", run / "model_candidates.parquet"
    result["model"] = (
        _metrics(truth_table, model_scores, model_candidates)
        if model_scores.exists() and model_candidates.exists()
        else None
    )
    return result


def _metrics(truth_table, scores_path: Path, candidates_path: Path) -> dict:
    scores = pq.read_table(scores_path, columns=["household_key", "score"])
    candidates = pq.read_table(candidates_path, columns=["household_key"])
    keys = truth_table["household_key"]
    # screening skips open cases: they are neither found nor missed
    not_open = np.asarray(pc.invert(truth_table["open_case"]))
    index = pc.index_in(scores["household_key"], value_set=keys)
    score = np.zeros(len(keys))
    position = np.asarray(index.fill_null(-1))
    found_at = position >= 0
    score[position[found_at]] = np.asarray(scores["score"])[found_at]
    chosen = np.zeros(len(keys), bool)
    chosen_at = np.asarray(pc.index_in(candidates["household_key"], value_set=keys).fill_null(-1))
    chosen[chosen_at[chosen_at >= 0]] = True
    crisis = np.asarray(truth_table["in_crisis"])
    quintile = np.asarray(truth_table["deprivation_quintile"])
    y, s, c, q = crisis[not_open], score[not_open], chosen[not_open], quintile[not_open]
    selected = int(c.sum())
    by_quintile = {}
    for level in range(1, 6):
        mask = q == level
        in_crisis = int(y[mask].sum())
        by_quintile[str(level)] = {
            "households": int(mask.sum()),
            "crisis_rate": round(float(y[mask].mean()), 4) if mask.any() else None,
            "found_rate": round(float((c & y)[mask].sum() / in_crisis), 4) if in_crisis else None,
            # households found in crisis per household of the quintile
            "found_per_household": (
                round(float((c & y)[mask].sum() / mask.sum()), 5) if mask.any() else None
            ),
            "candidates": int(c[mask].sum()),
        }
    metrics = {
        "candidates": selected,
        "households_in_crisis": int(y.sum()),
        "precision_at_capacity": round(float((c & y).sum() / selected), 4) if selected else None,
        "recall_at_capacity": round(float((c & y).sum() / y.sum()), 4) if y.any() else None,
        "roc_auc": _round(roc_auc(y, s)),
        "pr_auc": _round(pr_auc(y, s)),
        "base_rate": round(float(y.mean()), 4),
        "by_deprivation_quintile": by_quintile,
    }
    most, least = by_quintile["5"], by_quintile["1"]
    if most["found_rate"] and least["found_rate"] and least["crisis_rate"]:
        metrics["found_ratio_q5_q1"] = round(most["found_rate"] / least["found_rate"], 3)
        metrics["truth_crisis_ratio_q5_q1"] = round(most["crisis_rate"] / least["crisis_rate"], 3)
        metrics["found_per_household_ratio_q5_q1"] = round(
            most["found_per_household"] / least["found_per_household"], 3
        )
    return metrics


def _round(value):
    return None if value is None else round(value, 4)
