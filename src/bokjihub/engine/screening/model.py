"""The learned screening model: gradient boosting on past triage outcomes, calibrated.

Features are the household's value of each indicator of the contract (the largest over
its members, 0 when absent: the ``contributions`` table of a run). Labels are triage
outcomes — found in crisis or not; on synthetic data, the truth's ``in_crisis``.
Households with an open case are left out of training (screening skips them).

The classifier is scikit-learn's ``HistGradientBoostingClassifier`` wrapped in
``CalibratedClassifierCV`` (sigmoid), so that its score is a probability. Each
household's per-indicator contribution is the drop in that probability when the
indicator is set to 0 (cheap: one prediction per signal); its top reasons are the
plain-Korean reasons of the indicators with the largest positive contributions.

A trained model is saved with :func:`pickle`: load only model files this engine wrote.
"""

# SQL is built from identifiers and contract constants, never from feed values (S608).

import pickle
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from bokjihub.engine.screening import rank
from bokjihub.engine.screening.contract import INDICATORS
from bokjihub.engine.screening.rules import TOP_REASONS

FEATURES = tuple(indicator.name for indicator in INDICATORS)
_FEATURE_INDEX = {name: index for index, name in enumerate(FEATURES)}
MODEL_VERSION = 1


@dataclass
class ScreeningModel:
    """A calibrated classifier over :data:`FEATURES` and what it was trained on."""

    classifier: object
    features: tuple[str, ...] = FEATURES
    trained_on: dict = field(default_factory=dict)
    version: int = MODEL_VERSION

    def predict(self, matrix: np.ndarray) -> np.ndarray:
        if len(matrix) == 0:
            return np.zeros(0)
        return self.classifier.predict_proba(matrix)[:, 1]

    def save(self, path: str | Path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL))
        return path

    @classmethod
    def load(cls, path: str | Path) -> "ScreeningModel":
        # Model files are written by ScreeningModel.save of this engine only.
        model = pickle.loads(Path(path).read_bytes())  # noqa: S301  # nosec B301
        if not isinstance(model, cls) or model.version != MODEL_VERSION:
            raise ValueError(f"선별 모델 파일이 아닙니다: {path}")
        if tuple(model.features) != FEATURES:
            raise ValueError("모델의 지표 목록이 현재 피드 규격과 다릅니다. 다시 학습하세요.")
        return model


def feature_matrix(contributions: pa.Table) -> tuple[pa.Array, np.ndarray]:
    """(household_key per row, matrix households × FEATURES) from a contributions table
    (household_key, indicator, value)."""
    households = pc.unique(contributions["household_key"])
    row = np.asarray(pc.index_in(contributions["household_key"], value_set=households))
    names = contributions["indicator"].to_pylist()
    column = np.fromiter((_FEATURE_INDEX.get(n, -1) for n in names), np.int64, len(names))
    values = np.asarray(contributions["value"].fill_null(0), dtype=np.float64)
    matrix = np.zeros((len(households), len(FEATURES)), dtype=np.float64)
    known = column >= 0
    # a household's value per indicator is already its maximum: one row per pair
    matrix[row[known], column[known]] = values[known]
    return households, matrix


def _labels(households: pa.Array, truth: pa.Table) -> tuple[np.ndarray, np.ndarray]:
    """(in_crisis, usable) aligned to ``households``; open cases are not usable."""
    position = np.asarray(pc.index_in(households, value_set=truth["household_key"]).fill_null(-1))
    usable = position >= 0
    crisis = np.asarray(truth["in_crisis"], dtype=bool)
    open_case = (
        np.asarray(truth["open_case"], dtype=bool)
        if "open_case" in truth.column_names
        else np.zeros(len(crisis), bool)
    )
    labels = np.zeros(len(households), bool)
    labels[usable] = crisis[position[usable]]
    usable[usable] &= ~open_case[position[usable]]
    return labels, usable


def train(
    runs: Iterable[tuple[str | Path, str | Path]],
    *,
    seed: int = 0,
    max_iter: int = 200,
    learning_rate: float = 0.08,
    cv: int = 3,
) -> ScreeningModel:
    """Train on (run folder, truth folder) pairs: each run's ``contributions.parquet``
    and the truth's ``truth.parquet`` (household_key, in_crisis[, open_case])."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.ensemble import HistGradientBoostingClassifier

    matrices, labels, sources = [], [], []
    for run, truth in runs:
        contributions = pq.read_table(
            Path(run) / "contributions.parquet", columns=["household_key", "indicator", "value"]
        )
        households, matrix = feature_matrix(contributions)
        truth_table = pq.read_table(Path(truth) / "truth.parquet")
        label, usable = _labels(households, truth_table)
        matrices.append(matrix[usable])
        labels.append(label[usable])
        sources.append(str(Path(run).name))
    x = np.vstack(matrices) if matrices else np.zeros((0, len(FEATURES)))
    y = np.concatenate(labels) if labels else np.zeros(0, bool)
    if y.sum() < cv or (~y).sum() < cv:
        raise ValueError("학습에 쓸 결과(발견/미발견)가 너무 적습니다.")
    booster = HistGradientBoostingClassifier(
        max_iter=max_iter,
        learning_rate=learning_rate,
        max_leaf_nodes=15,
        min_samples_leaf=40,
        l2_regularization=1.0,
        # every signal can only raise the risk: sane explanations, robust to shifts
        monotonic_cst=[1] * len(FEATURES),
        random_state=seed,
    )
    classifier = CalibratedClassifierCV(estimator=booster, method="sigmoid", cv=cv)
    classifier.fit(x, y)
    return ScreeningModel(
        classifier=classifier,
        trained_on={
            "runs": sources,
            "households": len(y),
            "positives": int(y.sum()),
            "base_rate": round(float(y.mean()), 4),
        },
    )


def contributions(model: ScreeningModel, matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(probability per household, contribution per household and feature): the drop in
    probability when that indicator is set to 0; 0 where the indicator is absent."""
    probability = model.predict(matrix)
    delta = np.zeros_like(matrix)
    rows, columns = np.nonzero(matrix)
    if len(rows):
        # every (household, present indicator) with that indicator zeroed: one prediction
        without = matrix[rows].copy()
        without[np.arange(len(rows)), columns] = 0
        delta[rows, columns] = probability[rows] - model.predict(without)
    return probability, delta


def score_table(model: ScreeningModel, contribution_rows: pa.Table, top: int = TOP_REASONS):
    """From a run's contributions (household_key, sigungu_code, emd_code, indicator,
    value, reason): (scores, per-indicator contributions) as Arrow tables.

    scores: household_key, sigungu_code, emd_code, score (calibrated probability),
    signals, reasons, top_indicators — the shape of the rule's ``scores`` table, so the
    same ranking applies."""
    households, matrix = feature_matrix(contribution_rows)
    probability, delta = contributions(model, matrix)
    row = np.asarray(pc.index_in(contribution_rows["household_key"], value_set=households))
    names = contribution_rows["indicator"].to_pylist()
    column = np.fromiter((_FEATURE_INDEX.get(n, -1) for n in names), np.int64, len(names))
    known = column >= 0
    effect = np.zeros(len(names))
    effect[known] = delta[row[known], column[known]]
    per_indicator = pa.table(
        {
            "household_key": contribution_rows["household_key"],
            "indicator": contribution_rows["indicator"],
            "value": contribution_rows["value"],
            "contribution": pa.array(effect),
            "reason": contribution_rows["reason"],
        }
    )
    # top reasons: largest positive contributions first (the largest one when none is)
    order = np.lexsort((np.asarray(names, dtype=object).astype(str), -effect, row))
    reasons_text = contribution_rows["reason"].to_pylist()
    reasons: list[list[str]] = [[] for _ in range(len(households))]
    tops: list[list[str]] = [[] for _ in range(len(households))]
    for index in order.tolist():
        household = row[index]
        chosen = reasons[household]
        if len(chosen) >= top or (chosen and effect[index] <= 0):
            continue
        chosen.append(reasons_text[index])
        tops[household].append(names[index])
    first = np.full(len(households), -1, dtype=np.int64)
    first[row[::-1]] = np.arange(len(row))[::-1]
    scores = pa.table(
        {
            "household_key": households,
            "sigungu_code": contribution_rows["sigungu_code"].take(pa.array(first)),
            "emd_code": contribution_rows["emd_code"].take(pa.array(first)),
            "score": pa.array(probability),
            "signals": pa.array((matrix != 0).sum(axis=1).astype(np.int64)),
            "reasons": pa.array([" · ".join(r) for r in reasons], pa.string()),
            "top_indicators": pa.array([",".join(t) for t in tops], pa.string()),
        }
    )
    return scores, per_indicator


def rank_in_db(db, model: ScreeningModel, out: Path, *, floor_share: float, hub_max_factor: float):
    """Score the ``contributions`` table of a pipeline's backend with the model and rank
    into ``model_candidates`` (same hubs, capacity, floor and open-case skip as the rule);
    writes model_scores / model_contributions / model_candidates Parquet files."""
    rows = _arrow(
        db,
        "SELECT household_key, sigungu_code, emd_code, indicator, value, reason"
        " FROM contributions ORDER BY household_key, indicator",
    )
    scores, per_indicator = score_table(model, rows)
    db.register("model_scores_in", scores)
    db.create("model_scores", "SELECT * FROM model_scores_in")
    db.unregister("model_scores_in")
    db.create(
        "model_candidates",
        rank.candidates_sql(
            floor_share=floor_share, hub_max_factor=hub_max_factor, scores="model_scores"
        ),
    )
    pq.write_table(per_indicator, out / "model_contributions.parquet")
    db.write_parquet(
        "SELECT * FROM model_scores ORDER BY household_key", out / "model_scores.parquet"
    )
    db.write_parquet(
        "SELECT * FROM model_candidates ORDER BY sigungu_code, emd_code, hub_rank",
        out / "model_candidates.parquet",
    )
    return db.rows("SELECT count(*) FROM model_candidates")[0][0]


def _arrow(db, sql: str) -> pa.Table:
    """The backend's ``arrow``; DuckDB ≥ 2 names its result method ``to_arrow_table``."""
    con = getattr(db, "con", None)
    if con is not None and hasattr(con, "sql"):
        relation = con.sql(sql)
        return (getattr(relation, "to_arrow_table", None) or relation.arrow)()
    return db.arrow(sql)
