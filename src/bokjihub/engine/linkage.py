"""Probabilistic person linkage (name, birth year, address) with Splink.

One model serves the finding track (is this report about a household we know?) and, later,
the screening engine's fallback for feeds without a hashed RRN. The model is a
Fellegi–Sunter model in Splink's own settings format; its parameters are *not* learned
at request time but shipped in ``engine/models/person_match.json``, trained once by
``train_person_model`` (``python -m bokjihub.engine.linkage --out FILE``) on the
deterministic synthetic population with injected errors:

* u (how often a level occurs between two different people) comes from Splink's random
  sampling of non-matching pairs of the synthetic registry, whose names follow the
  census surname and given-name frequencies;
* m (how often a level occurs for the same person) comes from Splink's estimate from a
  label column: every synthetic "report" carries its person's key, with the error rates
  of ``REPORT_ERRORS`` (a neighbour misspells one jamo, gives the age a year off, knows
  only the road);
* the prior (probability that two random records match) is one registered person of a
  typical Si/Gun/Gu's population times the share of reports whose subject is registered
  there (``PRIOR_REGISTERED_SHARE``); ``PersonMatcher(prior=...)`` overrides it.

Names are compared on jamo (``bokjihub.engine.hangul``) so that 김영수 / 김영슈 differ by
one edit; romanised surnames map to Hangul before comparing.

Backends: DuckDB in process (default); Spark is imported lazily and only when asked for.
Pure Python, no Django.
"""

import argparse
import json
import random
import re
import threading
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from bokjihub.engine import hangul

MODEL_RESOURCE = ("models", "person_match.json")
MODEL_VERSION = 1

# Splink record columns, in the order of the schema given to the backend.
_COLUMNS = (
    ("unique_id", "string"),
    ("name_key", "string"),
    ("name_jamo", "string"),
    ("surname", "string"),
    ("birth_year", "int"),
    ("road", "string"),
    ("road_number", "string"),
    ("emd_code", "string"),
)

# Comparisons, most specific level first: (key, Korean reason, SQL condition). The keys
# are written into the model as each level's label, so a scored pair can say which level
# it fell in; the Korean text is what an officer reads.
_NAME_NULL = "name_jamo_l IS NULL OR name_jamo_r IS NULL"
_YEAR_NULL = "birth_year_l IS NULL OR birth_year_r IS NULL"
_PLACE_NULL = "(road_l IS NULL AND emd_code_l IS NULL) OR (road_r IS NULL AND emd_code_r IS NULL)"
COMPARISONS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "name": (
        ("null", "이름 없음", _NAME_NULL),
        ("exact", "이름 일치", "name_key_l = name_key_r"),
        ("jamo_1", "이름 자모 하나 차이", "levenshtein(name_jamo_l, name_jamo_r) <= 1"),
        ("jamo_2", "이름 비슷함", "levenshtein(name_jamo_l, name_jamo_r) <= 2"),
        ("surname", "성만 일치", "surname_l = surname_r"),
        ("else", "이름 다름", "ELSE"),
    ),
    "birth_year": (
        ("null", "출생연도 없음", _YEAR_NULL),
        ("exact", "출생연도 일치", "birth_year_l = birth_year_r"),
        ("near", "출생연도 1년 차이", "abs(birth_year_l - birth_year_r) <= 1"),
        ("else", "출생연도 다름", "ELSE"),
    ),
    "address": (
        ("null", "주소 없음", _PLACE_NULL),
        ("road_number", "같은 도로명 주소", "road_l = road_r AND road_number_l = road_number_r"),
        ("road", "같은 도로", "road_l = road_r"),
        ("emd", "같은 동", "emd_code_l = emd_code_r"),
        ("else", "주소 다름", "ELSE"),
    ),
}

# The error model of the training reports: shares per field, each row summing to 1.
REPORT_ERRORS: dict[str, dict[str, float]] = {
    "name": {
        "exact": 0.62,
        "one_jamo": 0.22,
        "two_jamo": 0.06,
        "given_unknown": 0.04,
        "none": 0.06,
    },
    "birth_year": {"exact": 0.60, "off_by_one": 0.18, "wrong": 0.02, "none": 0.20},
    "address": {
        "exact": 0.53,
        "other_number": 0.12,
        "dong_only": 0.13,
        "moved": 0.02,  # an old address in another Dong
        "none": 0.20,
    },
}
PRIOR_REGISTERED_SHARE = 0.8  # reports whose subject is registered in the Si/Gun/Gu
TRAINING_SIGUNGU = "11740"  # 서울특별시 강동구: a mid-sized urban Gu (≈ 500,000 people)
TRAINING_DATE = date(2026, 9, 1)

_ROAD_AND_NUMBER = re.compile(r"(\S+(?:로|길))\s*(\d+(?:-\d+)?)")


class LinkageBackendError(RuntimeError):
    """A backend was asked for whose library is not installed."""


class ModelFileError(ValueError):
    """The model file is missing, of another version, or not a person-match model."""


@dataclass(frozen=True, slots=True)
class PersonQuery:
    """What a report or a feed row says about a person; any field may be unknown."""

    name: str = ""
    birth_year: int | None = None
    address_road: str = ""
    address_number: str = ""
    emd_code: str = ""


@dataclass(frozen=True, slots=True)
class FieldComparison:
    field: str  # "name" / "birth_year" / "address"
    level: str  # a key of COMPARISONS[field], e.g. "jamo_1"
    reason: str  # Korean, e.g. "이름 자모 하나 차이"
    match_weight: float  # log2 of the level's Bayes factor (m / u)


@dataclass(frozen=True, slots=True)
class ScoredCandidate:
    candidate_id: str
    match_probability: float
    match_weight: float
    comparisons: tuple[FieldComparison, ...]

    def reasons(self) -> list[str]:
        """The levels that speak for the match (positive weight), in plain Korean, in the
        order name, birth year, address: "이름 일치 · 출생연도 일치 · 같은 도로명 주소"."""
        return [c.reason for c in self.comparisons if c.match_weight > 0]


def split_road_address(address: str) -> tuple[str, str]:
    """The road name and building number of a 도로명주소 ("… 양재대로 1480 (길동)" →
    ("양재대로", "1480")), or ("", "") when the text names no road."""
    match = _ROAD_AND_NUMBER.search(address or "")
    return (match.group(1), match.group(2)) if match else ("", "")


def _as_query(record: PersonQuery | Mapping[str, Any]) -> PersonQuery:
    if isinstance(record, PersonQuery):
        return record
    return PersonQuery(**{key: record.get(key) for key in PersonQuery.__slots__ if key in record})


def person_row(unique_id: str, record: PersonQuery | Mapping[str, Any]) -> dict[str, Any]:
    query = _as_query(record)
    split = hangul.split_name(query.name or "")
    key = split.surname + split.given
    return {
        "unique_id": str(unique_id),
        "name_key": key or None,
        "name_jamo": hangul.jamo(key) or None,
        "surname": split.surname or None,
        "birth_year": query.birth_year,
        "road": re.sub(r"\s+", "", query.address_road or "") or None,
        "road_number": (query.address_number or "").strip() or None,
        "emd_code": (query.emd_code or "").strip() or None,
    }


# ---------------------------------------------------------------- the model (settings)


def model_settings(*, prior: float = 1e-5) -> dict[str, Any]:
    """The untrained Splink settings of the person model (levels without m/u)."""
    comparisons = []
    for field, levels in COMPARISONS.items():
        comparison_levels = []
        for key, _reason, condition in levels:
            level: dict[str, Any] = {"sql_condition": condition, "label_for_charts": key}
            if key == "null":
                level["is_null_level"] = True
            comparison_levels.append(level)
        comparisons.append({"output_column_name": field, "comparison_levels": comparison_levels})
    return {
        "link_type": "link_only",
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": prior,
        "comparisons": comparisons,
        "blocking_rules_to_generate_predictions": [],
        "retain_matching_columns": True,
        "retain_intermediate_calculation_columns": True,
    }


def load_model(path: str | Path | None = None) -> dict[str, Any]:
    """The shipped model file (or another one at ``path``), checked."""
    if path is None:
        text = resources.files("bokjihub.engine").joinpath(*MODEL_RESOURCE).read_text("utf-8")
    else:
        text = Path(path).read_text(encoding="utf-8")
    model = json.loads(text)
    if model.get("kind") != "bokjihub.person_match" or model.get("version") != MODEL_VERSION:
        raise ModelFileError(
            f"not a person-match model of version {MODEL_VERSION}: {model.get('kind')!r} "
            f"{model.get('version')!r}"
        )
    return model


@lru_cache(maxsize=1)
def shipped_model() -> dict[str, Any]:
    return load_model()


# ---------------------------------------------------------------- backends


def duckdb_api():
    """Splink's DuckDB backend (in process), or LinkageBackendError naming what is missing."""
    try:
        from splink import DuckDBAPI
    except ImportError as error:  # pragma: no cover - both are runtime dependencies
        raise LinkageBackendError(
            "The DuckDB linkage backend needs the packages splink and duckdb."
        ) from error
    return DuckDBAPI()


def _spark_api(spark):
    try:
        from splink import SparkAPI
    except ImportError as error:
        raise LinkageBackendError(
            "The Spark linkage backend needs pyspark: install bokjihub[spark]."
        ) from error
    if spark is None:
        raise LinkageBackendError("The Spark linkage backend needs a SparkSession (spark=...).")
    return SparkAPI(spark_session=spark)


def person_table(rows: list[dict[str, Any]], extra_strings: tuple[str, ...] = ()):
    """Person rows (person_row) as a typed Arrow table, plus string columns
    `extra_strings`: a column that is empty in every row keeps its type."""
    import pyarrow as pa

    types = {"string": pa.string(), "int": pa.int32()}
    schema = pa.schema(
        [*((name, types[kind]) for name, kind in _COLUMNS)]
        + [(name, pa.string()) for name in extra_strings]
    )
    return pa.Table.from_pylist(rows, schema=schema)


def level_keys(settings: Mapping[str, Any]) -> dict[str, dict[int, str]]:
    """For each comparison, Splink's gamma value → our level key (null levels are -1,
    the others count down to 0 at the ELSE level)."""
    keys: dict[str, dict[int, str]] = {}
    for comparison in settings["comparisons"]:
        levels = comparison["comparison_levels"]
        not_null = [lvl for lvl in levels if not lvl.get("is_null_level")]
        mapping = {-1: next(lvl["label_for_charts"] for lvl in levels if lvl.get("is_null_level"))}
        for index, level in enumerate(not_null):
            mapping[len(not_null) - 1 - index] = level["label_for_charts"]
        keys[comparison["output_column_name"]] = mapping
    return keys


class PersonMatcher:
    """Scores one query record against candidate registry records.

    Build it once per process (it holds a DuckDB connection and the model); ``score`` is
    thread-safe and scores all candidates in one batch call.
    """

    def __init__(
        self,
        model: Mapping[str, Any] | None = None,
        *,
        prior: float | None = None,
        backend: str = "duckdb",
        spark=None,
    ):
        from splink import Linker

        settings = splink_settings(model, prior=prior)
        if backend == "duckdb":
            db_api = duckdb_api()
        elif backend == "spark":
            db_api = _spark_api(spark)
        else:
            raise ValueError(f"unknown linkage backend {backend!r} (duckdb or spark)")
        self._levels = level_keys(settings)
        registry = db_api.register(
            person_table([person_row("seed", PersonQuery())]), table_name="bokjihub_person_registry"
        )
        self._linker = Linker(registry, settings, log_level=None)
        self._lock = threading.Lock()

    def score(
        self,
        query: PersonQuery | Mapping[str, Any],
        candidates: Sequence[tuple[str, PersonQuery | Mapping[str, Any]]],
    ) -> list[ScoredCandidate]:
        """Every candidate ``(id, record)`` scored against the query, best first (ties
        by id, so the order is deterministic)."""
        if not candidates:
            return []
        left = person_table([person_row("query", query)])
        right = person_table([person_row(key, record) for key, record in candidates])
        with self._lock:
            tables = self._linker.table_management
            left_df = tables.register_table(left, "bokjihub_match_query", overwrite=True)
            right_df = tables.register_table(right, "bokjihub_match_candidates", overwrite=True)
            predictions = self._linker.inference.score_pairs(left_df, right_df)
            try:
                rows = predictions.as_record_list()
            finally:
                predictions.drop_table_from_database_and_remove_from_cache()
        scored = [scored_candidate(row, self._levels) for row in rows]
        return sorted(scored, key=lambda s: (-s.match_weight, s.candidate_id))


# the plain-Korean reason of each comparison level, by field and level key
_REASONS = {
    field: {key: reason for key, reason, _ in levels} for field, levels in COMPARISONS.items()
}


def splink_settings(model: Mapping[str, Any] | None = None, *, prior: float | None = None):
    """A private copy of the model's Splink settings (the shipped model by default), with
    the prior probability that two records match when ``prior`` is given."""
    model = model if model is not None else shipped_model()
    settings = json.loads(json.dumps(model["splink_settings"]))
    if prior is not None:
        if not 0 < prior < 1:
            raise ValueError("prior must lie strictly between 0 and 1")
        settings["probability_two_random_records_match"] = prior
    return settings


def scored_candidate(
    row: Mapping[str, Any],
    levels: Mapping[str, list[str]],
    candidate_id: str | None = None,
) -> ScoredCandidate:
    """One of Splink's scored pairs as a ScoredCandidate: each field's level (from
    ``level_keys(settings)``), its reason and weight. ``candidate_id`` defaults to the
    pair's right-hand record."""
    comparisons = []
    for field, field_levels in levels.items():
        level = field_levels[int(row[f"gamma_{field}"])]
        comparisons.append(
            FieldComparison(
                field=field,
                level=level,
                reason=_REASONS[field][level],
                match_weight=float(row[f"mw_{field}"]),  # Splink's log2(m / u)
            )
        )
    return ScoredCandidate(
        candidate_id=str(row["unique_id_r"] if candidate_id is None else candidate_id),
        match_probability=float(row["match_probability"]),
        match_weight=float(row["match_weight"]),
        comparisons=tuple(comparisons),
    )


@lru_cache(maxsize=1)
def default_matcher() -> PersonMatcher:
    """A process-wide matcher with the shipped model on DuckDB."""
    return PersonMatcher()


# ---------------------------------------------------------------- training


def _pick(shares: Mapping[str, float], rng: random.Random) -> str:
    draw, total = rng.random(), 0.0
    for key, share in shares.items():
        total += share
        if draw < total:
            return key
    return next(reversed(shares))


_CHOSEONG = "ᄀᄁᄂᄃᄄᄅᄆᄇᄈᄉᄊᄋᄌᄍᄎᄏᄐᄑᄒ"
_JUNGSEONG = "ᅡᅢᅣᅤᅥᅦᅧᅨᅩᅪᅫᅬᅭᅮᅯᅰᅱᅲᅳᅴᅵ"


def misspell(name: str, rng: random.Random) -> str:
    """The name with one initial consonant or vowel of a random syllable replaced — the
    slip of a hurried note or a misheard name (김영수 → 김영슈)."""
    syllables = list(name)
    positions = [i for i, s in enumerate(syllables) if "가" <= s <= "힣"]
    if not positions:
        return name
    position = rng.choice(positions)
    parts = list(unicodedata.normalize("NFD", syllables[position]))
    slot = rng.randrange(2)
    alphabet = _CHOSEONG if slot == 0 else _JUNGSEONG
    parts[slot] = rng.choice([c for c in alphabet if c != parts[slot]])
    syllables[position] = unicodedata.normalize("NFC", "".join(parts))
    return "".join(syllables)


def _reported(person, household, elsewhere, other_road: str, rng: random.Random) -> dict[str, Any]:
    """What a report about ``person`` might say, drawn from REPORT_ERRORS."""
    name = {
        "exact": person.name,
        "one_jamo": misspell(person.name, rng),
        "two_jamo": misspell(misspell(person.name, rng), rng),
        "given_unknown": person.surname,
        "none": "",
    }[_pick(REPORT_ERRORS["name"], rng)]
    year = person.birth_date.year
    birth_year = {
        "exact": year,
        "off_by_one": year + rng.choice((-1, 1)),
        "wrong": year + rng.choice((-1, 1)) * rng.randint(2, 10),
        "none": None,
    }[_pick(REPORT_ERRORS["birth_year"], rng)]
    road, number = split_road_address(household.road_address)
    address = _pick(REPORT_ERRORS["address"], rng)
    if address == "other_number":
        number = str(int(number.split("-")[0]) + rng.randint(1, 30))
    elif address == "dong_only":
        road, number = other_road, ""
    elif address == "moved":
        road, number = split_road_address(elsewhere.road_address)
    elif address == "none":
        road, number = "", ""
    emd_code = {"none": "", "moved": elsewhere.emd_code}.get(address, household.emd_code)
    return {
        "name": name,
        "birth_year": birth_year,
        "address_road": road,
        "address_number": number,
        "emd_code": emd_code,
    }


def _training_tables(*, households: int, reports: int, seed: int):
    from bokjihub.engine.synthetic import generate_population

    population = generate_population(
        sigungu_code=TRAINING_SIGUNGU,
        seed=seed,
        households=households,
        reference_date=TRAINING_DATE,
    )
    rng = random.Random(f"bokjihub.linkage.training:{seed}")
    registry, members = [], []
    roads_by_emd: dict[str, list[str]] = {}
    for household in population.households:
        road, number = split_road_address(household.road_address)
        roads_by_emd.setdefault(household.emd_code, []).append(road)
        for person in household.persons:
            members.append((person, household))
            record = PersonQuery(
                person.name, person.birth_date.year, road, number, household.emd_code
            )
            registry.append({**person_row(person.key, record), "person_key": person.key})
    sample = rng.sample(members, min(reports, len(members)))
    report_rows = []
    for index, (person, household) in enumerate(sample):
        other_road = rng.choice(roads_by_emd[household.emd_code])
        elsewhere = rng.choice(
            [h for h in rng.sample(population.households, 8) if h.emd_code != household.emd_code]
            or population.households[:1]
        )
        record = _reported(person, household, elsewhere, other_road, rng)
        report_rows.append({**person_row(f"r{index}", record), "person_key": person.key})
    return registry, report_rows


def train_person_model(
    *, households: int = 20_000, reports: int = 10_000, seed: int = 1, max_pairs: float = 5e6
) -> dict[str, Any]:
    """Train the person model on the synthetic population (deterministic for a seed).

    Returns the model-file dict: Splink settings with trained m/u plus a note of how it
    was trained.
    """
    from splink import DuckDBAPI, Linker

    from bokjihub.engine import refdata

    registry, report_rows = _training_tables(households=households, reports=reports, seed=seed)
    registered = refdata.population_of(TRAINING_SIGUNGU).pop_total
    prior = PRIOR_REGISTERED_SHARE / registered
    db_api = DuckDBAPI()
    left = db_api.register(person_table(registry, ("person_key",)), table_name="registry")
    right = db_api.register(person_table(report_rows, ("person_key",)), table_name="reports")
    linker = Linker([left, right], model_settings(prior=prior), log_level=None)
    linker.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=seed)
    linker.training.estimate_m_from_label_column("person_key")
    settings = linker.misc.save_model_to_json()
    settings["probability_two_random_records_match"] = prior
    settings.pop("linker_uid", None)
    _round_parameters(settings)
    return {
        "kind": "bokjihub.person_match",
        "version": MODEL_VERSION,
        "training": {
            "sigungu_code": TRAINING_SIGUNGU,
            "reference_date": TRAINING_DATE.isoformat(),
            "seed": seed,
            "households": households,
            "registry_persons": len(registry),
            "reports": len(report_rows),
            "report_errors": REPORT_ERRORS,
            "u_max_pairs": max_pairs,
            "prior": f"{PRIOR_REGISTERED_SHARE} / {registered} persons",
        },
        "splink_settings": settings,
    }


def _round_parameters(settings: dict[str, Any]) -> None:
    """Six significant digits: the file diffs cleanly between re-trainings."""
    for comparison in settings["comparisons"]:
        for level in comparison["comparison_levels"]:
            for name in ("m_probability", "u_probability"):
                if name in level:
                    level[name] = float(f"{level[name]:.6g}")


def write_model(model: Mapping[str, Any], path: str | Path) -> None:
    text = json.dumps(model, ensure_ascii=False, indent=2) + "\n"
    Path(path).write_text(text, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bokjihub.engine.linkage",
        description="Re-train the person-match model on the synthetic population.",
    )
    parser.add_argument("--out", required=True, help="model file to write (JSON)")
    parser.add_argument("--households", type=int, default=20_000)
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    model = train_person_model(households=args.households, reports=args.reports, seed=args.seed)
    write_model(model, args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
