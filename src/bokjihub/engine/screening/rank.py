"""Ranking: candidates per hub (Eup/Myeon/Dong centre) sized to its visit capacity.

``hubs`` gives each hub's monthly visit ``capacity``; a Si/Gun/Gu's budget is the sum
over its hubs. Every hub first receives its best-scoring households up to its floor
(``ceil(floor_share × capacity)``, so that a deprived Dong is never crowded out by a
Gu-wide ranking), then the rest of the Gu's budget goes Gu-wide, no hub receiving more
than ``hub_max_factor × capacity``. Households with an open case are skipped; households
without any signal are never candidates.

How the Gu-wide rest is ordered (``pool_order``):

* ``"score"`` — the highest scores Gu-wide: the rule score, as national practice ranks.
* ``"recall"`` — for calibrated probabilities (the learned model): the next place goes to
  the hub whose share of its expected crises is still the lowest, where a hub's expected
  crises are the sum of its households' probabilities and a household's level is the
  share its hub has reached above it (``recall_before``). Deprived Dongs have more crises
  per household; the score order served them past their share (1.20–1.28 of the truth's
  ratio on held-out worlds at the Gus' real size), this order finds about the same share
  of every Dong's crises (0.91–0.96; docs/decisions/0004).
"""

# SQL is built from identifiers and contract constants, never from feed values (S608).
# ruff: noqa: S608


def hub_capacity_sql(registry: str = "registry", *, visit_rate: float, minimum: int) -> str:
    """(sigungu_code, emd_code, households, capacity): capacity = max(minimum,
    ceil(households × visit_rate))."""
    return f"""
SELECT sigungu_code, emd_code, count(DISTINCT household_key) AS households,
       CAST(greatest({int(minimum)}, ceil(count(DISTINCT household_key) * {float(visit_rate)!r}))
            AS BIGINT) AS capacity
FROM {registry} GROUP BY sigungu_code, emd_code
"""


POOL_ORDERS = ("score", "recall")
# the share of its hub's summed probability held by the households ranked above it
_RECALL_BEFORE_SQL = """,
    COALESCE(sum(score) OVER (
      PARTITION BY emd_code ORDER BY score DESC, household_key
      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)
      / sum(score) OVER (PARTITION BY emd_code) AS recall_before"""
_POOL_ORDER_SQL = {
    "score": "c.score DESC, c.household_key",
    "recall": "c.recall_before, c.score DESC, c.household_key",
}


def candidates_sql(
    *,
    floor_share: float,
    hub_max_factor: float,
    scores: str = "scores",
    hubs: str = "hubs",
    open_cases: str = "open_cases",
    pool_order: str = "score",
) -> str:
    """(household_key, sigungu_code, emd_code, score, reasons, top_indicators,
    selected_by, hub_rank) — ``hubs`` is (sigungu_code, emd_code, capacity),
    ``open_cases`` (household_key); ``selected_by`` is "floor" or the ``pool_order``."""
    if not (0 <= floor_share <= 1 and hub_max_factor >= 1):
        raise ValueError("0 ≤ floor_share ≤ 1, hub_max_factor ≥ 1 이어야 합니다")
    if pool_order not in POOL_ORDERS:
        raise ValueError(f"pool_order 는 {', '.join(POOL_ORDERS)} 중 하나여야 합니다")
    recall_column = _RECALL_BEFORE_SQL if pool_order == "recall" else ""
    return f"""
WITH budget AS (
  SELECT sigungu_code, sum(capacity) AS budget FROM {hubs} GROUP BY sigungu_code
),
eligible AS (
  SELECT s.*, CAST(ceil(h.capacity * {float(floor_share)!r}) AS BIGINT) AS hub_floor,
         CAST(floor(h.capacity * {float(hub_max_factor)!r}) AS BIGINT) AS hub_max
  FROM {scores} s JOIN {hubs} h ON h.emd_code = s.emd_code
  WHERE s.score > 0
    AND NOT EXISTS (SELECT 1 FROM {open_cases} o WHERE o.household_key = s.household_key)
),
in_hub AS (
  SELECT *, row_number() OVER (
    PARTITION BY emd_code ORDER BY score DESC, household_key) AS dong_rank{recall_column}
  FROM eligible
),
capped AS (SELECT * FROM in_hub WHERE dong_rank <= hub_max),
guaranteed AS (
  SELECT sigungu_code, count(*) AS taken FROM capped
  WHERE dong_rank <= hub_floor GROUP BY sigungu_code
),
pool AS (
  SELECT c.*, row_number() OVER (
    PARTITION BY c.sigungu_code ORDER BY {_POOL_ORDER_SQL[pool_order]}) AS pool_rank
  FROM capped c WHERE c.dong_rank > c.hub_floor
),
chosen AS (
  SELECT household_key, sigungu_code, emd_code, score, reasons, top_indicators,
         'floor' AS selected_by
  FROM capped WHERE dong_rank <= hub_floor
  UNION ALL
  SELECT p.household_key, p.sigungu_code, p.emd_code, p.score, p.reasons, p.top_indicators,
         '{pool_order}' AS selected_by
  FROM pool p JOIN budget b ON b.sigungu_code = p.sigungu_code
  LEFT JOIN guaranteed g ON g.sigungu_code = p.sigungu_code
  WHERE p.pool_rank <= b.budget - COALESCE(g.taken, 0)
)
SELECT *, CAST(row_number() OVER (PARTITION BY emd_code ORDER BY score DESC, household_key)
  AS BIGINT) AS hub_rank
FROM chosen
"""
