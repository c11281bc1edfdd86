"""Linkage of validated signals to the registry.

1. exact on ``person_key`` (the HMAC of the RRN under the shared pepper);
2. exact on (name, birth date, normalised address) for rows sent without a key, where
   exactly one registered person matches;
3. probabilistic, for the unkeyed rows left: bokjihub.engine.linkage's person model
   (Fellegi–Sunter, jamo-level names, road address) scores each distinct (name, birth
   date, address) against the registered persons sharing its birth date, or its name and
   road; the best one links when its match probability reaches the threshold and no
   person of another household does too (two equally good households: left unlinked).

Steps 1–2 are SQL for either engine (``dialect``). Step 3 runs Splink on DuckDB in
process over Arrow tables, whichever engine runs the pipeline: the unkeyed remainder is
small (the rows a utility sent with a typo or another spelling of the address), and the
registry is cut down to the persons it could block with before it leaves the engine.
"""

# SQL is built from identifiers and contract constants, never from feed values (S608).
# ruff: noqa: S608

import pyarrow as pa

from bokjihub.engine.screening.backends import collapse_spaces

METHODS = ("person_key", "name_birth_address", "splink", "unlinked")
DEFAULT_THRESHOLD = 0.95
# The columns of a validated signal, in order.
SIGNAL_COLUMNS = (
    "person_key",
    "name",
    "birth_date",
    "address",
    "indicator",
    "value",
    "observed_on",
    "agency",
)
LINK_SCHEMA = pa.schema(
    [
        ("name", pa.string()),
        ("birth_date", pa.date32()),
        ("address", pa.string()),
        ("household_key", pa.string()),
        ("sigungu_code", pa.string()),
        ("emd_code", pa.string()),
        ("registry_person_key", pa.string()),
        ("match_probability", pa.float64()),
        ("match_weight", pa.float64()),
        ("reasons", pa.string()),
    ]
)


def linked_sql(
    signals: str = "signals", registry: str = "registry", dialect: str = "duckdb"
) -> str:
    """Signals with household_key, sigungu_code, emd_code, link_method ('person_key' /
    'name_birth_address') and match_probability (NULL: exact links have none);
    unlinked rows have NULL household_key."""
    registry_address = collapse_spaces(dialect, "r.address")
    signal_address = collapse_spaces(dialect, "s.address")
    # One pass per kind of row: a left join keeps the unmatched rows (NULL household) so no
    # second anti-join over the whole registry is needed. The name/birth/address index is
    # built only for registry persons whose (name, birth date) some unkeyed row carries:
    # every person of such a group is kept, so "exactly one registered person" is still
    # judged on the whole group, and at national scale (51 M persons) the index shrinks to
    # the few that matter.
    return f"""
WITH unkeyed_people AS (
  SELECT DISTINCT name, birth_date FROM {signals} WHERE person_key IS NULL
),
registry_nba AS (
  SELECT r.name, r.birth_date, {registry_address} AS address_norm,
         any_value(r.household_key) AS household_key,
         any_value(r.sigungu_code) AS sigungu_code, any_value(r.emd_code) AS emd_code
  FROM {registry} r
  JOIN unkeyed_people k ON k.name = r.name AND k.birth_date = r.birth_date
  GROUP BY r.name, r.birth_date, {registry_address}
  HAVING count(*) = 1
),
keyed AS (
  SELECT s.*, r.household_key, r.sigungu_code, r.emd_code,
         CASE WHEN r.household_key IS NOT NULL THEN 'person_key' END AS link_method
  FROM {signals} s LEFT JOIN {registry} r ON s.person_key = r.person_key
  WHERE s.person_key IS NOT NULL
),
unkeyed AS (
  SELECT s.*, r.household_key, r.sigungu_code, r.emd_code,
         CASE WHEN r.household_key IS NOT NULL THEN 'name_birth_address' END AS link_method
  FROM {signals} s LEFT JOIN registry_nba r
    ON s.name = r.name AND s.birth_date = r.birth_date AND {signal_address} = r.address_norm
  WHERE s.person_key IS NULL
)
SELECT *, CAST(NULL AS DOUBLE) AS match_probability FROM (
  SELECT * FROM keyed
  UNION ALL SELECT * FROM unkeyed
) exact
"""


def residual_people_sql(linked: str = "linked_exact") -> str:
    """The distinct (name, birth_date, address) of unkeyed rows no exact rule linked."""
    return f"""
SELECT DISTINCT name, birth_date, address FROM {linked}
WHERE household_key IS NULL AND person_key IS NULL
  AND name IS NOT NULL AND birth_date IS NOT NULL AND address IS NOT NULL
"""


def registry_candidates_sql(residual: str = "residual_people", registry: str = "registry") -> str:
    """The registered persons a residual person could block with: same birth date, or
    same name (the blocking rules of :func:`probabilistic_links`)."""
    columns = (
        "r.person_key, r.household_key, r.sigungu_code, r.emd_code, r.name, r.birth_date, r.address"
    )
    return f"""
SELECT {columns} FROM {registry} r WHERE r.birth_date IN (SELECT birth_date FROM {residual})
UNION
SELECT {columns} FROM {registry} r WHERE r.name IN (SELECT name FROM {residual})
"""


def with_probabilistic_sql(linked: str = "linked_exact", links: str = "splink_links") -> str:
    """``linked`` with the rows that ``links`` (name, birth_date, address → household,
    match_probability) resolves marked 'splink'."""
    kept = ", ".join(f"e.{column}" for column in SIGNAL_COLUMNS)
    return f"""
SELECT {kept},
       COALESCE(e.household_key, p.household_key) AS household_key,
       COALESCE(e.sigungu_code, p.sigungu_code) AS sigungu_code,
       COALESCE(e.emd_code, p.emd_code) AS emd_code,
       CASE WHEN e.link_method IS NOT NULL THEN e.link_method
            WHEN p.household_key IS NOT NULL THEN 'splink' END AS link_method,
       CASE WHEN e.link_method IS NULL THEN p.match_probability END AS match_probability
FROM {linked} e LEFT JOIN {links} p
  ON e.household_key IS NULL AND e.person_key IS NULL AND e.name = p.name
 AND e.birth_date = p.birth_date AND e.address = p.address
"""


# ---------------------------------------------------------------- Splink step


def _records(rows: list[dict], prefix: str) -> pa.Table:
    """Splink records of the person model (bokjihub.engine.linkage) plus the full birth
    date, which feeds carry and the blocking rules use."""
    from bokjihub.engine import linkage

    records = []
    for index, row in enumerate(rows):
        road, number = linkage.split_road_address(row["address"] or "")
        birth = row["birth_date"]
        query = linkage.PersonQuery(
            name=row["name"] or "",
            birth_year=birth.year if birth else None,
            address_road=road,
            address_number=number,
            emd_code=row.get("emd_code") or "",
        )
        record = linkage.person_row(f"{prefix}{index}", query)
        record["birth_date"] = birth.isoformat() if birth else None
        records.append(record)
    return linkage.person_table(records, ("birth_date",))


def probabilistic_links(
    residual: pa.Table,
    candidates: pa.Table,
    *,
    registry_persons: int,
    threshold: float = DEFAULT_THRESHOLD,
) -> pa.Table:
    """For each residual person (name, birth_date, address) the registered person it
    links to, with Splink's match probability and weight and the levels that spoke for
    it (Korean): one row per linked residual person (schema ``LINK_SCHEMA``).

    The prior is one match per residual person among ``registry_persons``."""
    if not 0 < threshold < 1:
        raise ValueError("threshold must lie strictly between 0 and 1")
    if residual.num_rows == 0 or candidates.num_rows == 0:
        return LINK_SCHEMA.empty_table()
    from splink import Linker

    from bokjihub.engine import linkage

    left_rows, right_rows = residual.to_pylist(), candidates.to_pylist()
    settings = linkage.splink_settings(prior=min(0.5, 1 / max(registry_persons, 1)))
    settings["blocking_rules_to_generate_predictions"] = [
        "l.birth_date = r.birth_date",
        "l.name_key = r.name_key",
    ]
    db_api = linkage.duckdb_api()
    left = db_api.register(_records(left_rows, "q"), table_name="bokjihub_residual")
    right = db_api.register(_records(right_rows, "r"), table_name="bokjihub_registry")
    linker = Linker([left, right], settings, log_level=None)
    predictions = linker.inference.predict(warning_mode="never")
    try:
        pairs = predictions.as_record_list()
    finally:
        predictions.drop_table_from_database_and_remove_from_cache()
    levels = linkage.level_keys(settings)
    by_query: dict[int, list[dict]] = {}
    for pair in pairs:
        query_id, registry_id = pair["unique_id_l"], pair["unique_id_r"]
        if not query_id.startswith("q"):  # Splink may put either side on the left
            query_id, registry_id = registry_id, query_id
        pair["_registry"] = int(registry_id[1:])
        by_query.setdefault(int(query_id[1:]), []).append(pair)
    out = []
    for query_index in sorted(by_query):
        ranked = sorted(
            by_query[query_index],
            key=lambda p: (-p["match_weight"], right_rows[p["_registry"]]["household_key"]),
        )
        best = ranked[0]
        person = right_rows[best["_registry"]]
        if best["match_probability"] < threshold:
            continue
        rivals = [
            p
            for p in ranked[1:]
            if p["match_probability"] >= threshold
            and right_rows[p["_registry"]]["household_key"] != person["household_key"]
        ]
        if rivals:
            continue  # two households are equally plausible: an officer decides
        spoke = linkage.scored_candidate(best, levels, candidate_id=person["person_key"]).reasons()
        query = left_rows[query_index]
        out.append(
            {
                "name": query["name"],
                "birth_date": query["birth_date"],
                "address": query["address"],
                "household_key": person["household_key"],
                "sigungu_code": person["sigungu_code"],
                "emd_code": person["emd_code"],
                "registry_person_key": person["person_key"],
                "match_probability": float(best["match_probability"]),
                "match_weight": float(best["match_weight"]),
                "reasons": " · ".join(spoke),
            }
        )
    return pa.Table.from_pylist(out, schema=LINK_SCHEMA)
