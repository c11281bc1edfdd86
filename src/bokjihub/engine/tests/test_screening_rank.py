"""Ranking of screening candidates (engine/screening/rank.py) on hand-built tables: the
Gu-wide rest of the budget by score, or by each hub's estimated recall."""

import pyarrow as pa
import pytest

from bokjihub.engine.screening import rank
from bokjihub.engine.screening.backends import DuckDBBackend

# One Gu, two hubs of capacity 2 (budget 4). The deprived hub D has ten households at 0.6
# (6 expected crises); the better-off hub R three at 0.9, 0.85, 0.8 (2.55 expected).
SCORES = {"R": [0.9, 0.85, 0.8], "D": [0.6] * 10}


def _rank(pool_order: str, *, floor_share: float = 0.0, open_cases=()) -> list[dict]:
    rows = [
        {
            "household_key": f"{hub}{index:02d}",
            "sigungu_code": "11000",
            "emd_code": hub,
            "score": score,
            "reasons": "이유",
            "top_indicators": "electricity_cutoff",
        }
        for hub, values in SCORES.items()
        for index, score in enumerate(values)
    ]
    db = DuckDBBackend(threads=1)
    try:
        db.register("scores", pa.Table.from_pylist(rows))
        db.register(
            "hubs",
            pa.table({"sigungu_code": ["11000"] * 2, "emd_code": ["R", "D"], "capacity": [2, 2]}),
        )
        db.register("open_cases", pa.table({"household_key": pa.array(open_cases, pa.string())}))
        sql = rank.candidates_sql(floor_share=floor_share, hub_max_factor=4, pool_order=pool_order)
        # the SQL is rank's own, built from constants (S608)
        ordered = f"SELECT * FROM ({sql}) ORDER BY emd_code, hub_rank"  # noqa: S608
        return db.arrow(ordered).to_pylist()
    finally:
        db.close()


def _per_hub(candidates: list[dict]) -> dict[str, int]:
    counts = {"R": 0, "D": 0}
    for row in candidates:
        counts[row["emd_code"]] += 1
    return counts


def test_by_score_the_better_off_hub_takes_three_of_four_places():
    candidates = _rank("score")
    assert _per_hub(candidates) == {"R": 3, "D": 1}
    assert {row["selected_by"] for row in candidates} == {"score"}


def test_by_recall_each_place_goes_to_the_hub_with_the_lowest_share_found():
    # R's first (0.9) reaches 35 % of its 2.55 expected crises; D then takes places until
    # its share passes R's: 0.6, 1.2 and 1.8 of 6 (10 %, 20 %, 30 %) before R's second
    candidates = _rank("recall")
    assert _per_hub(candidates) == {"R": 1, "D": 3}
    assert [row["household_key"] for row in candidates if row["emd_code"] == "R"] == ["R00"]
    assert {row["selected_by"] for row in candidates} == {"recall"}
    assert [row["hub_rank"] for row in candidates if row["emd_code"] == "D"] == [1, 2, 3]


def test_by_recall_the_floor_comes_first_and_open_cases_are_skipped():
    # floor 1 per hub (ceil(0.5 × 2)); R00 has an open case, so R's floor is R01
    candidates = _rank("recall", floor_share=0.5, open_cases=["R00"])
    by_key = {row["household_key"]: row["selected_by"] for row in candidates}
    assert "R00" not in by_key
    assert by_key["R01"] == "floor" and by_key["D00"] == "floor"
    assert len(candidates) == 4
    # R without R00 expects 1.65 crises: R01 alone reaches 52 %, D's 10 % and 20 % go first
    assert _per_hub(candidates) == {"R": 1, "D": 3}


def test_an_unknown_pool_order_is_refused():
    with pytest.raises(ValueError, match="pool_order"):
        rank.candidates_sql(floor_share=0.25, hub_max_factor=2, pool_order="random")
