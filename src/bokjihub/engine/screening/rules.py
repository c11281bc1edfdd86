"""The transparent weighted-rule score (backend-neutral SQL).

Per household and indicator the largest value over its members counts once; its
contribution is ``weight × min(value / saturation, 1)`` with the weight of the household's
Si/Gun/Gu where one is configured, else the national default. The score is the sum; the
reasons are the top contributions in plain Korean, joined with " · ".
"""

# SQL is built from identifiers and contract constants, never from feed values (S608).
# ruff: noqa: S608

from collections.abc import Mapping

from bokjihub.engine.screening.backends import ordered_string_agg, ordered_sum
from bokjihub.engine.screening.contract import INDICATORS, default_weights

TOP_REASONS = 3


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _double(value: float) -> str:
    # a bare 0.8 is a DECIMAL on both engines, with precisions that differ: DOUBLE always
    return f"CAST({float(value)!r} AS DOUBLE)"


def weights_values_sql(
    weights: Mapping[str, float] | None = None,
    overrides: Mapping[str, Mapping[str, float]] | None = None,
) -> str:
    """(sigungu_code, indicator, weight): '' is the default row of every indicator;
    ``overrides`` maps a Si/Gun/Gu code to {indicator: weight}."""
    base = default_weights()
    unknown = set(weights or {}) - set(base)
    for table in (overrides or {}).values():
        unknown |= set(table) - set(base)
    if unknown:
        raise ValueError(f"알 수 없는 지표의 가중치: {', '.join(sorted(unknown))}")
    base.update(weights or {})
    rows = [("", name, weight) for name, weight in base.items()]
    for sigungu, table in sorted((overrides or {}).items()):
        rows += [(sigungu, name, weight) for name, weight in sorted(table.items())]
    values = ", ".join(f"({_quote(s)}, {_quote(n)}, {_double(w)})" for s, n, w in rows)
    return f"SELECT * FROM (VALUES {values}) AS w(sigungu_code, indicator, weight)"


def _meta_values_sql() -> str:
    values = ", ".join(
        f"({_quote(i.name)}, {_double(i.saturation)}, {_quote(i.reason)}, "
        f"{_double(i.display_divisor)})"
        for i in INDICATORS
    )
    return f"SELECT * FROM (VALUES {values}) AS m(indicator, saturation, reason, divisor)"


def _codes_values_sql() -> str:
    values = ", ".join(
        f"({_quote(i.name)}, {_double(code)}, {_quote(label)})"
        for i in INDICATORS
        for code, label in i.codes.items()
    )
    return f"SELECT * FROM (VALUES {values}) AS k(indicator, code, label)"


def contributions_sql(linked: str = "linked", weights_sql: str | None = None) -> str:
    """(household_key, sigungu_code, emd_code, indicator, value, weight, contribution,
    reason) for every linked household and indicator."""
    weights_sql = weights_sql or weights_values_sql()
    return f"""
WITH w AS ({weights_sql}), m AS ({_meta_values_sql()}), k AS ({_codes_values_sql()}),
per_household AS (
  SELECT household_key, any_value(sigungu_code) AS sigungu_code,
         any_value(emd_code) AS emd_code, indicator, max(value) AS value
  FROM {linked}
  WHERE household_key IS NOT NULL
  GROUP BY household_key, indicator
)
SELECT p.household_key, p.sigungu_code, p.emd_code, p.indicator, p.value,
       COALESCE(wl.weight, wd.weight) AS weight,
       COALESCE(wl.weight, wd.weight) * least(p.value / m.saturation, CAST(1 AS DOUBLE))
         AS contribution,
       replace(m.reason, '{{v}}', COALESCE(k.label,
         CAST(CAST(round(p.value / m.divisor) AS BIGINT) AS STRING))) AS reason
FROM per_household p
JOIN m ON m.indicator = p.indicator
JOIN w wd ON wd.sigungu_code = '' AND wd.indicator = p.indicator
LEFT JOIN w wl ON wl.sigungu_code = p.sigungu_code AND wl.indicator = p.indicator
LEFT JOIN k ON k.indicator = p.indicator AND k.code = p.value
"""


def scores_sql(
    contributions: str = "contributions", top: int = TOP_REASONS, dialect: str = "duckdb"
) -> str:
    """(household_key, sigungu_code, emd_code, score, signals, reasons, top_indicators)."""
    chosen = f"position <= {int(top)}"
    reasons = ordered_string_agg(dialect, "reason", " · ", "position", chosen)
    top_indicators = ordered_string_agg(dialect, "indicator", ",", "position", chosen)
    return f"""
WITH ranked AS (
  SELECT *, row_number() OVER (
    PARTITION BY household_key ORDER BY contribution DESC, indicator) AS position
  FROM {contributions}
)
SELECT household_key, any_value(sigungu_code) AS sigungu_code,
       any_value(emd_code) AS emd_code,
       -- summed in a fixed order: the same score on every run and backend
       {ordered_sum(dialect, "contribution", "indicator")} AS score, count(*) AS signals,
       {reasons} AS reasons,
       {top_indicators} AS top_indicators
FROM ranked
GROUP BY household_key
"""
