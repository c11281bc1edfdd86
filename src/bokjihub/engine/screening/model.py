"""The learned screening model: gradient boosting on past triage outcomes, calibrated.

Features are the household's value of each indicator of the contract — the severity the
agency sent (months, amounts, days), the largest over its members, 0 when absent: the
``contributions`` table of a run — and its context (:data:`CONTEXT_FEATURES`): the count
and rule score of its signals, its composition from the registry, and the share of its
Dong's households that sent any signal — constrained to raise the risk only: left free,
the trees learned that a signal is weaker evidence where signals are common, which marks
down every household of a deprived Dong (most deprived quintile found at 0.80 of the
truth's ratio); constrained, it carries the higher base rate of deprived Dongs. The
trees find the interactions (living alone past 65 with a cut-off; many short arrears at
once, the habit of a late payer rather than a crisis). Labels are triage outcomes —
found in crisis or not; on synthetic data, the truth's ``in_crisis``.
Households with an open case are left out of training (screening skips them).

The classifier is scikit-learn's ``HistGradientBoostingClassifier`` wrapped in
``CalibratedClassifierCV`` (sigmoid), so that its score is a probability. Each
household's per-indicator contribution is the drop in that probability when the
indicator is set to 0 (cheap: one prediction per signal); its top reasons are the
plain-Korean reasons of the indicators with the largest positive contributions.

A trained model is saved with :func:`pickle` (scikit-learn's estimators have no safe
format of their own): a model file is code, trusted like the program — load only files
this engine wrote, from a folder only operators can write.
"""

# SQL is built from identifiers and contract constants, never from feed values (S608).

import json
import pickle
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from bokjihub.engine.screening import rank
from bokjihub.engine.screening.contract import INDICATORS
from bokjihub.engine.screening.rules import TOP_REASONS
from bokjihub.engine.screening.synth import REFERENCE_DATE

INDICATOR_FEATURES = tuple(indicator.name for indicator in INDICATORS)
# Context of a household that every signal is read against: how many signals it has and
# the national rule's score over them (so the model starts from what the rule knows),
# its composition from the resident registry (a single 80-year-old and a family of four
# with the same arrears are not the same risk), and how often its Dong's households send
# signals (monotone increasing, see above).
CONTEXT_FEATURES = (
    "signals",
    "rule_score",
    "household_size",
    "oldest_age",
    "children",
    "elderly",
    "dong_signal_share",
)
FEATURES = INDICATOR_FEATURES + CONTEXT_FEATURES
_FEATURE_INDEX = {name: index for index, name in enumerate(INDICATOR_FEATURES)}
_WEIGHTS = np.array([indicator.weight for indicator in INDICATORS])
_SATURATIONS = np.array([indicator.saturation for indicator in INDICATORS])
# every signal, the count and rule score of signals, and the Dong's share of signalling
# households can only raise the risk (sane explanations, robust to shifted prevalences,
# no penalty for living in a deprived Dong); household composition may go either way
_MONOTONIC = [1] * (len(INDICATOR_FEATURES) + 2) + [0] * (len(CONTEXT_FEATURES) - 3) + [1]
MODEL_VERSION = 4
Progress = Callable[[str, int, int], None]


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
        # Trust boundary: unpickling runs code, so a model file is as trusted as the
        # program itself. Load only files ScreeningModel.save wrote, kept where only the
        # operators can write (never an upload from the web).
        model = pickle.loads(Path(path).read_bytes())  # noqa: S301  # nosec B301
        if not isinstance(model, cls) or model.version != MODEL_VERSION:
            raise ValueError(f"선별 모델 파일이 아닙니다(또는 이전 버전입니다): {path}")
        if tuple(model.features) != FEATURES:
            raise ValueError("모델의 지표 목록이 현재 피드 규격과 다릅니다. 다시 학습하세요.")
        return model


def indicator_matrix(contributions: pa.Table) -> tuple[pa.Array, np.ndarray]:
    """(household_key per row, matrix households × INDICATOR_FEATURES) from a
    contributions table (household_key, indicator, value)."""
    households = pc.unique(contributions["household_key"])
    row = np.asarray(pc.index_in(contributions["household_key"], value_set=households))
    names = contributions["indicator"].to_pylist()
    column = np.fromiter((_FEATURE_INDEX.get(n, -1) for n in names), np.int64, len(names))
    values = np.asarray(contributions["value"].fill_null(0), dtype=np.float64)
    matrix = np.zeros((len(households), len(INDICATOR_FEATURES)), dtype=np.float64)
    known = column >= 0
    # a household's value per indicator is already its maximum: one row per pair
    matrix[row[known], column[known]] = values[known]
    return households, matrix


def household_context(
    households: pa.Array,
    registry: pa.Table | None,
    reference_date: date = REFERENCE_DATE,
) -> np.ndarray:
    """households × the registry and Dong columns of :data:`CONTEXT_FEATURES`
    (household_size, oldest_age, children, elderly, dong_signal_share), ages as of
    ``reference_date`` (the run's); zeros without a registry."""
    context = np.zeros((len(households), len(CONTEXT_FEATURES) - 2))
    if registry is None or registry.num_rows == 0 or len(households) == 0:
        return context
    birth = np.asarray(registry["birth_date"].cast(pa.date32()).fill_null(reference_date))
    age = (np.datetime64(reference_date.isoformat()) - birth.astype("datetime64[D]")).astype(
        np.int64
    ) / 365.25
    people = pa.table(
        {
            "household_key": registry["household_key"],
            "emd_code": registry["emd_code"],
            "age": pa.array(age),
            "child": pa.array((age < 18).astype(np.int64)),
            "old": pa.array((age >= 65).astype(np.int64)),
        }
    )
    grouped = people.group_by("household_key").aggregate(
        [
            ("household_key", "count"),
            ("age", "max"),
            ("child", "sum"),
            ("old", "sum"),
            ("emd_code", "min"),
        ]
    )
    at = np.asarray(pc.index_in(households, value_set=grouped["household_key"]).fill_null(-1))
    found = at >= 0
    for column, name in enumerate(("household_key_count", "age_max", "child_sum", "old_sum")):
        context[found, column] = np.asarray(grouped[name], dtype=np.float64)[at[found]]
    emd = grouped["emd_code_min"]
    dongs = pc.unique(emd)
    dong_of = np.asarray(pc.index_in(emd, value_set=dongs))
    registered = np.bincount(dong_of, minlength=len(dongs))
    signalled = np.asarray(pc.is_in(grouped["household_key"], value_set=households))
    share = np.bincount(dong_of, weights=signalled, minlength=len(dongs)) / np.maximum(
        registered, 1
    )
    context[found, 4] = share[dong_of[at[found]]]
    return context


def assemble(values: np.ndarray, context: np.ndarray) -> np.ndarray:
    """The model's matrix: indicator values, their count and rule score, the context."""
    rule_score = (_WEIGHTS * np.minimum(values / _SATURATIONS, 1.0)).sum(axis=1, keepdims=True)
    signals = (values != 0).sum(axis=1, keepdims=True)
    return np.hstack([values, signals, rule_score, context])


def feature_matrix(
    contributions: pa.Table,
    registry: pa.Table | None = None,
    reference_date: date = REFERENCE_DATE,
) -> tuple[pa.Array, np.ndarray]:
    """(household_key per row, matrix households × FEATURES)."""
    households, values = indicator_matrix(contributions)
    return households, assemble(values, household_context(households, registry, reference_date))


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


def run_registry(run: str | Path, registry: str | Path | None = None) -> pa.Table | None:
    """The resident registry a run linked to (the path its ``summary.json`` records),
    with the columns the context needs; None when it is gone."""
    path = Path(registry) if registry else None
    summary = Path(run) / "summary.json"
    if path is None and summary.exists():
        recorded = json.loads(summary.read_text()).get("registry")
        path = Path(recorded) if recorded else None
    if path is None or not path.exists():
        return None
    return pq.read_table(path, columns=list(_REGISTRY_COLUMNS))


_REGISTRY_COLUMNS = ("household_key", "emd_code", "birth_date")


def read_labels(path: str | Path) -> pa.Table:
    """Labels of a run: a Parquet file, or a folder holding ``labels.parquet`` (triage
    outcomes, :func:`bokjihub.finding.screening_labels`) or ``truth.parquet`` (synthetic
    truth) — household_key, in_crisis[, open_case]."""
    path = Path(path)
    if path.is_dir():
        for name in ("labels.parquet", "truth.parquet"):
            if (path / name).exists():
                return pq.read_table(path / name)
        raise FileNotFoundError(f"라벨 파일(labels.parquet 또는 truth.parquet)이 없습니다: {path}")
    return pq.read_table(path)


def training_data(
    runs: Iterable[tuple[str | Path, str | Path]],
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """(features, labels, run names) of the labelled households of (run, labels) pairs."""
    matrices, labels, sources = [], [], []
    for run, truth in runs:
        contributions = pq.read_table(
            Path(run) / "contributions.parquet",
            columns=["household_key", "indicator", "value"],
        )
        households, matrix = feature_matrix(contributions, run_registry(run))
        label, usable = _labels(households, read_labels(truth))
        matrices.append(matrix[usable])
        labels.append(label[usable])
        sources.append(str(Path(run).name))
    x = np.vstack(matrices) if matrices else np.zeros((0, len(FEATURES)))
    y = np.concatenate(labels) if labels else np.zeros(0, bool)
    return x, y, sources


def train(
    runs: Iterable[tuple[str | Path, str | Path]],
    *,
    seed: int = 0,
    max_iter: int = 300,
    learning_rate: float = 0.05,
    cv: int = 3,
    threads: int | None = None,
    progress: Progress | None = None,
) -> ScreeningModel:
    """Train on (run folder, labels) pairs: each run's ``contributions.parquet`` and
    registry, and labels as :func:`read_labels` reads them (household_key,
    in_crisis[, open_case]). Only households that sent a signal are learned from: the
    others are never ranked. ``threads`` caps the OpenMP threads of the fit (on a busy
    machine, more threads than free cores make it many times slower)."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.ensemble import HistGradientBoostingClassifier
    from threadpoolctl import threadpool_limits

    step = progress or (lambda label, done, total: None)
    step("학습 자료", 0, 2)
    x, y, sources = training_data(runs)
    if y.sum() < cv or (~y).sum() < cv:
        raise ValueError("학습에 쓸 결과(발견/미발견)가 너무 적습니다.")
    step("학습", 1, 2)
    booster = HistGradientBoostingClassifier(
        max_iter=max_iter,
        learning_rate=learning_rate,
        max_leaf_nodes=15,
        min_samples_leaf=40,
        l2_regularization=1.0,
        monotonic_cst=_MONOTONIC,
        # stop when a held-back tenth stops improving: the number of trees fits the data
        early_stopping=True,
        validation_fraction=0.1,
        n_iter_no_change=20,
        random_state=seed,
    )
    classifier = CalibratedClassifierCV(estimator=booster, method="sigmoid", cv=cv)
    with threadpool_limits(limits=threads):
        classifier.fit(x, y)
    step("완료", 2, 2)
    return ScreeningModel(
        classifier=classifier,
        trained_on={
            "runs": sources,
            "households": len(y),
            "positives": int(y.sum()),
            "base_rate": round(float(y.mean()), 4),
        },
    )


def contributions(
    model: ScreeningModel, values: np.ndarray, context: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(probability per household, contribution per household and indicator): the drop
    in probability when that indicator is absent (its count and rule score too); 0 where
    the indicator is absent."""
    probability = model.predict(assemble(values, context))
    delta = np.zeros_like(values)
    rows, columns = np.nonzero(values)
    if len(rows):
        # every (household, present indicator) with that indicator removed: one prediction
        without = values[rows].copy()
        without[np.arange(len(rows)), columns] = 0
        delta[rows, columns] = probability[rows] - model.predict(assemble(without, context[rows]))
    return probability, delta


def score_table(
    model: ScreeningModel,
    contribution_rows: pa.Table,
    top: int = TOP_REASONS,
    registry: pa.Table | None = None,
    reference_date: date = REFERENCE_DATE,
):
    """From a run's contributions (household_key, sigungu_code, emd_code, indicator,
    value, reason) and its registry: (scores, per-indicator contributions) as Arrow
    tables. Ages in the household context are as of ``reference_date``.

    scores: household_key, sigungu_code, emd_code, score (calibrated probability),
    signals, reasons, top_indicators — the shape of the rule's ``scores`` table, so the
    same ranking applies."""
    households, values = indicator_matrix(contribution_rows)
    context = household_context(households, registry, reference_date)
    probability, delta = contributions(model, values, context)
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
            "signals": pa.array((values != 0).sum(axis=1).astype(np.int64)),
            "reasons": pa.array([" · ".join(r) for r in reasons], pa.string()),
            "top_indicators": pa.array([",".join(t) for t in tops], pa.string()),
        }
    )
    return scores, per_indicator


def rank_in_db(
    db,
    model: ScreeningModel,
    out: Path,
    *,
    floor_share: float,
    hub_max_factor: float,
    reference_date: date = REFERENCE_DATE,
):
    """Score the ``contributions`` table of a pipeline's backend with the model and rank
    into ``model_candidates`` (same hubs, capacity, floor and open-case skip as the rule;
    the Gu-wide rest by estimated recall, :func:`rank.candidates_sql`, since the model's
    scores are calibrated probabilities);
    writes model_scores / model_contributions / model_candidates Parquet files. The
    backend's ``registry`` view gives the household context, ages as of
    ``reference_date`` (the run's)."""
    rows = db.arrow(
        "SELECT household_key, sigungu_code, emd_code, indicator, value, reason"
        " FROM contributions ORDER BY household_key, indicator",
    )
    registry = db.arrow("SELECT household_key, emd_code, birth_date FROM registry")
    scores, per_indicator = score_table(
        model, rows, registry=registry, reference_date=reference_date
    )
    db.register("model_scores_in", scores)
    db.create("model_scores", "SELECT * FROM model_scores_in")
    db.unregister("model_scores_in")
    db.create(
        "model_candidates",
        rank.candidates_sql(
            floor_share=floor_share,
            hub_max_factor=hub_max_factor,
            scores="model_scores",
            pool_order="recall",
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
