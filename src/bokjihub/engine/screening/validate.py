"""Feed validation: row-numbered reasons in Korean, quarantine, idempotent loading.

``validation_sql`` is a pure function building backend-neutral SQL over a relation
``raw_feed`` whose columns are the feed columns as text plus ``row_number`` (1 = first
data row; in a CSV file that is line 2, after the header). Rows with any reason go to the
quarantine, the others proceed typed.
"""

# SQL is built from identifiers and contract constants, never from feed values (S608).
# ruff: noqa: S608

import hashlib
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from bokjihub.engine.screening.backends import regex_full_match
from bokjihub.engine.screening.contract import AGENCIES, FEED_COLUMNS, INDICATORS


class FeedFormatError(ValueError):
    """A feed file that cannot be read at all (not a row-level problem)."""


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _number_text(value: float) -> str:
    """The bound as a person writes it (50000000, not 5.0E7): the same on every engine."""
    value = float(value)
    return str(int(value)) if value.is_integer() else repr(value)


def contract_values_sql() -> str:
    """The contract as a VALUES relation: (indicator, min_value, max_value, agency,
    value_type, min_text, max_text)."""
    rows = ",\n".join(
        f"({_quote(i.name)}, CAST({float(i.min_value)!r} AS DOUBLE), "
        f"CAST({float(i.max_value)!r} AS DOUBLE), {_quote(i.agency)}, {_quote(i.value_type)}, "
        f"{_quote(_number_text(i.min_value))}, {_quote(_number_text(i.max_value))})"
        for i in INDICATORS
    )
    return (
        f"SELECT * FROM (VALUES {rows}) AS c(indicator, min_value, max_value, agency, value_type,"
        " min_text, max_text)"
    )


def validation_sql(reference_date: date, dialect: str = "duckdb") -> str:
    """Every row of ``raw_feed`` with typed columns and ``reason`` (NULL when valid)."""
    today = _quote(reference_date.isoformat())
    # engines differ in what else they read as a date ('2026', '2026-01-05T…'): only
    # YYYY-MM-DD (one-digit month or day allowed) is tried on either
    iso_date = "[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
    birth_ok = regex_full_match(dialect, "trim(r.birth_date)", iso_date)
    observed_ok = regex_full_match(dialect, "trim(r.observed_on)", iso_date)
    key_ok = regex_full_match(dialect, "person_key", "[0-9a-f]{64}")
    agencies = ", ".join(_quote(code) for code in AGENCIES)
    return f"""
WITH contract AS ({contract_values_sql()}),
typed AS (
  SELECT r.row_number,
         NULLIF(trim(lower(r.person_key)), '') AS person_key,
         NULLIF(trim(r.name), '') AS name,
         NULLIF(trim(r.birth_date), '') AS birth_date_text,
         CASE WHEN {birth_ok} THEN TRY_CAST(trim(r.birth_date) AS DATE) END AS birth_date,
         NULLIF(trim(r.address), '') AS address,
         NULLIF(trim(r.indicator), '') AS indicator,
         NULLIF(trim(r.value), '') AS value_text,
         TRY_CAST(NULLIF(trim(r.value), '') AS DOUBLE) AS value,
         NULLIF(trim(r.observed_on), '') AS observed_text,
         CASE WHEN {observed_ok} THEN TRY_CAST(trim(r.observed_on) AS DATE) END
           AS observed_on,
         NULLIF(trim(r.agency), '') AS agency,
         c.indicator IS NOT NULL AS known, c.min_value, c.max_value,
         c.agency AS contract_agency, c.value_type, c.min_text, c.max_text
  FROM raw_feed r LEFT JOIN contract c ON c.indicator = trim(r.indicator)
)
SELECT row_number, person_key, name, birth_date, address, indicator, value, observed_on,
       agency,
       NULLIF(concat_ws(' · ',
         CASE WHEN person_key IS NULL AND (name IS NULL OR birth_date_text IS NULL
                                           OR address IS NULL)
              THEN '식별키 없음(person_key 또는 이름·생년월일·주소 필요)' END,
         CASE WHEN person_key IS NOT NULL AND NOT {key_ok}
              THEN 'person_key 형식 오류(HMAC-SHA256 16진수 64자리가 아님)' END,
         CASE WHEN person_key IS NULL AND birth_date_text IS NOT NULL AND birth_date IS NULL
              THEN '생년월일 형식 오류(' || birth_date_text || ')' END,
         CASE WHEN indicator IS NULL THEN '지표 없음'
              WHEN NOT known THEN '알 수 없는 지표(' || indicator || ')' END,
         CASE WHEN value_text IS NULL THEN '값 없음'
              WHEN value IS NULL OR isnan(value) THEN '값이 숫자가 아님(' || value_text || ')'
              WHEN known AND (value < min_value OR value > max_value)
              THEN '값 범위 벗어남(' || value_text || ', 허용 '
                   || min_text || '~' || max_text || ')'
              WHEN known AND value_type IN ('int', 'flag', 'code') AND value <> round(value)
              THEN '정수가 아닌 값(' || value_text || ')' END,
         CASE WHEN observed_text IS NULL THEN '관측일 없음'
              WHEN observed_on IS NULL THEN '관측일 형식 오류(' || observed_text || ')'
              WHEN observed_on > DATE {today} THEN '관측일이 미래(' || observed_text || ')' END,
         CASE WHEN agency IS NULL THEN '제공기관 없음'
              WHEN agency NOT IN ({agencies}) THEN '알 수 없는 제공기관(' || agency || ')'
              WHEN known AND agency <> contract_agency
              THEN '제공기관 불일치(' || indicator || '은 ' || contract_agency || ' 제공)' END
       ), '') AS reason
FROM typed
"""


def row_key_sql(relation: str) -> str:
    """Valid rows of ``relation`` made unique by their row key, so that a row re-sent in
    another file (or twice in one) counts once: the key is (person, indicator, observed_on,
    agency); the largest value wins."""
    return f"""
SELECT person_key, name, birth_date, address, indicator, max(value) AS value, observed_on,
       agency
FROM {relation}
GROUP BY person_key, name, birth_date, address, indicator, observed_on, agency
"""


# ---------------------------------------------------------------- reading and the registry


def content_hash(path: Path) -> str:
    """SHA-256 of the file's bytes: the same content under another name is the same feed."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_feed(path: Path) -> pa.Table:
    """The feed as text columns plus ``row_number`` (1-based data row)."""
    try:
        if path.suffix == ".parquet":
            table = pq.read_table(path)
        elif path.suffix == ".csv":
            table = pa_csv.read_csv(
                path,
                convert_options=pa_csv.ConvertOptions(
                    column_types=dict.fromkeys(FEED_COLUMNS, pa.string()),
                    strings_can_be_null=False,
                ),
            )
        else:
            raise FeedFormatError(f"지원하지 않는 파일 형식입니다: {path.name} (.parquet, .csv)")
    except (pa.ArrowInvalid, OSError) as error:
        raise FeedFormatError(f"피드 파일을 읽을 수 없습니다: {path.name} ({error})") from error
    columns = {}
    for column in FEED_COLUMNS:
        if column in table.column_names:
            columns[column] = table[column].cast(pa.string())
        else:
            columns[column] = pa.nulls(table.num_rows, pa.string())
    if "indicator" not in table.column_names:
        raise FeedFormatError(f"피드에 indicator 열이 없습니다: {path.name}")
    columns["row_number"] = pa.array(range(1, table.num_rows + 1), pa.int64())
    return pa.table(columns)
