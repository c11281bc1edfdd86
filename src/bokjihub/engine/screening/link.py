"""Linkage of validated signals to the registry (backend-neutral SQL).

1. exact on ``person_key`` (the HMAC of the RRN under the shared pepper);
2. exact on (name, birth date, normalised address) for rows sent without a key, where
   exactly one registered person matches.

Rows left unlinked are written out for the next step, ``link_probabilistic`` with Splink
(bokjihub.engine.linkage's model) — not yet wired into the screening pipeline.
"""

# SQL is built from identifiers and contract constants, never from feed values (S608).
# ruff: noqa: S608


def _address(column: str) -> str:
    return f"regexp_replace(trim({column}), '\\s+', ' ', 'g')"


def linked_sql(signals: str = "signals", registry: str = "registry") -> str:
    """Signals with household_key, sigungu_code, emd_code and link_method
    ('person_key' / 'name_birth_address'); unlinked rows have NULL household_key."""
    return f"""
WITH by_key AS (
  SELECT s.*, r.household_key, r.sigungu_code, r.emd_code, 'person_key' AS link_method
  FROM {signals} s JOIN {registry} r ON s.person_key = r.person_key
  WHERE s.person_key IS NOT NULL
),
registry_nba AS (
  SELECT name, birth_date, {_address("address")} AS address_norm,
         any_value(household_key) AS household_key, any_value(sigungu_code) AS sigungu_code,
         any_value(emd_code) AS emd_code
  FROM {registry}
  GROUP BY name, birth_date, {_address("address")}
  HAVING count(*) = 1
),
by_nba AS (
  SELECT s.*, r.household_key, r.sigungu_code, r.emd_code,
         'name_birth_address' AS link_method
  FROM {signals} s JOIN registry_nba r
    ON s.person_key IS NULL AND s.name = r.name AND s.birth_date = r.birth_date
   AND {_address("s.address")} = r.address_norm
),
unkeyed_left AS (
  SELECT s.*, CAST(NULL AS VARCHAR) AS household_key, CAST(NULL AS VARCHAR) AS sigungu_code,
         CAST(NULL AS VARCHAR) AS emd_code, CAST(NULL AS VARCHAR) AS link_method
  FROM {signals} s
  WHERE NOT EXISTS (SELECT 1 FROM {registry} r WHERE r.person_key = s.person_key)
    AND NOT EXISTS (
      SELECT 1 FROM registry_nba r
      WHERE s.person_key IS NULL AND s.name = r.name AND s.birth_date = r.birth_date
        AND {_address("s.address")} = r.address_norm)
)
SELECT * FROM by_key
UNION ALL SELECT * FROM by_nba
UNION ALL SELECT * FROM unkeyed_left
"""
