"""The screening run: validate → link → score → rank, outputs as Parquet in a run folder.

Run folder layout::

    load_registry.parquet       feeds loaded so far (content hash, file, rows, quarantined)
    signals/<hash>.parquet      valid rows of each loaded feed
    quarantine/<hash>.parquet   bad rows with row number and reasons (Korean)
    quarantine.parquet          all quarantined rows of the run folder, with the file name
    contributions.parquet       per household and indicator: value, weight, contribution
    scores.parquet              per household: score, signals, reasons
    candidates.parquet          ranked candidates per hub
    probabilistic_links.parquet   unkeyed persons linked by Splink: household, probability
    unlinked.parquet            valid rows no registered person matched, even by Splink
    model_scores.parquet        with ``model``: the learned model's calibrated probability
    model_contributions.parquet   per household and indicator: the model's contribution
    model_candidates.parquet    with ``model``: candidates ranked by the model
    summary.json

A feed whose content hash is in the load registry is skipped, and rows are deduplicated
by their row key across feeds, so re-sending a feed changes nothing.
"""

# SQL is built from identifiers and contract constants, never from feed values (S608).
# ruff: noqa: S608

import json
import shutil
import time
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from bokjihub.engine.screening import link, rank, rules, validate
from bokjihub.engine.screening.backends import backend as make_backend
from bokjihub.engine.screening.synth import REFERENCE_DATE

Progress = Callable[[str, int, int], None]
_REGISTRY_SCHEMA = pa.schema(
    [
        ("content_hash", pa.string()),
        ("file_name", pa.string()),
        ("rows", pa.int64()),
        ("valid_rows", pa.int64()),
        ("quarantined_rows", pa.int64()),
    ]
)


def feed_files(feeds: Path) -> list[Path]:
    return sorted(p for p in feeds.iterdir() if p.suffix in (".parquet", ".csv") and p.is_file())


def load_feeds(db, feeds: list[Path], out: Path, reference_date: date) -> dict:
    """Validate and stage every feed not loaded before; returns load counts."""
    (out / "signals").mkdir(parents=True, exist_ok=True)
    (out / "quarantine").mkdir(parents=True, exist_ok=True)
    registry_path = out / "load_registry.parquet"
    loaded = (
        pq.read_table(registry_path) if registry_path.exists() else _REGISTRY_SCHEMA.empty_table()
    )
    known = set(loaded["content_hash"].to_pylist())
    new_entries, skipped, rows_in, bad = [], [], 0, 0
    for path in feeds:
        digest = validate.content_hash(path)
        if digest in known:
            skipped.append(path.name)
            continue
        known.add(digest)
        db.register("raw_feed", validate.read_feed(path))
        # one query per feed, split here: on Spark every query is a job of its own
        checked = db.arrow(validate.validation_sql(reference_date, db.dialect))
        db.unregister("raw_feed")
        broken = pc.is_valid(checked["reason"])
        pq.write_table(
            checked.filter(pc.invert(broken)).select(list(link.SIGNAL_COLUMNS)),
            out / "signals" / f"{digest}.parquet",
        )
        quarantine = checked.filter(broken).sort_by("row_number")
        quarantine = quarantine.select(["row_number", "reason", *link.SIGNAL_COLUMNS])
        quarantine = quarantine.add_column(
            0, "file_name", pa.array([path.name] * quarantine.num_rows, pa.string())
        )
        pq.write_table(quarantine, out / "quarantine" / f"{digest}.parquet")
        total, quarantined = checked.num_rows, quarantine.num_rows
        rows_in += total
        bad += quarantined
        new_entries.append((digest, path.name, total, total - quarantined, quarantined))
    if new_entries:
        columns = list(zip(*new_entries, strict=True))
        added = pa.table(
            {
                field.name: pa.array(values, field.type)
                for field, values in zip(_REGISTRY_SCHEMA, columns, strict=True)
            }
        )
        pq.write_table(pa.concat_tables([loaded, added]), registry_path)
    return {
        "feeds_loaded": len(new_entries),
        "feeds_skipped": skipped,
        "rows_loaded": rows_in,
        "rows_quarantined": bad,
    }


# No hub receives more than this many times its own capacity from the Gu-wide pool: a
# Dong centre cannot visit without limit. With the learned model's pool ordered by
# estimated recall the cap seldom binds (3 instead of 2 moved the held-out fairness
# figure by under 0.01); under the rule's score order it keeps the Gu-wide best scores
# from emptying the other hubs.
HUB_MAX_FACTOR = 2.0


def run_pipeline(
    *,
    feeds: str | Path,
    out: str | Path,
    registry: str | Path | None = None,
    open_cases: str | Path | None = None,
    visit_rate: float = 0.01,
    min_capacity: int = 2,
    floor_share: float = 0.25,
    hub_max_factor: float = HUB_MAX_FACTOR,
    weights: Mapping[str, float] | None = None,
    weight_overrides: Mapping[str, Mapping[str, float]] | None = None,
    reference_date: date = REFERENCE_DATE,
    engine: str = "duckdb",
    progress: Progress | None = None,
    threads: int | None = None,
    model=None,
    match_threshold: float = link.DEFAULT_THRESHOLD,
) -> dict:
    """Run a screening round; returns the summary also written to ``summary.json``.

    ``registry`` (Parquet: person_key, household_key, sigungu_code, emd_code, name,
    birth_date, address) and ``open_cases`` (household_key) default to the files of the
    same names next to the feeds folder, as ``bokjihub synth`` writes them. Each hub's
    monthly capacity is ``max(min_capacity, ceil(households × visit_rate))``.
    ``model`` (a :class:`~bokjihub.engine.screening.model.ScreeningModel` or the path of
    one): also rank by the learned model, with the same capacity, floor and skips.
    ``engine``: "duckdb" (in process) or "spark" (local Spark, extra ``bokjihub[spark]``):
    the same candidates and scores on both. ``match_threshold``: the Splink match
    probability at which an unkeyed row that no exact rule linked is linked.
    """
    feeds, out = Path(feeds), Path(out)
    registry = Path(registry) if registry else feeds.parent / "registry.parquet"
    open_cases = Path(open_cases) if open_cases else feeds.parent / "open_cases.parquet"
    if not feeds.is_dir():
        raise FileNotFoundError(f"피드 폴더가 없습니다: {feeds}")
    if not registry.exists():
        raise FileNotFoundError(f"주민 등록부(registry.parquet)가 없습니다: {registry}")
    step = progress or (lambda label, done, total: None)
    out.mkdir(parents=True, exist_ok=True)
    timings: dict[str, float] = {}
    options = {"threads": threads}
    if engine == "duckdb":
        options["spill_dir"] = out / ".spill"
    db = make_backend(engine, **options)
    try:
        started = time.perf_counter()
        step("검증", 0, 4)
        loads = load_feeds(db, feed_files(feeds), out, reference_date)
        timings["validate_s"] = time.perf_counter() - started

        mark = time.perf_counter()
        step("연계", 1, 4)
        signal_files = sorted((out / "signals").glob("*.parquet"))
        if signal_files:
            db.parquet_view("staged", signal_files)
        else:
            db.view(
                "staged",
                "SELECT * FROM (SELECT CAST(NULL AS STRING) AS person_key, CAST(NULL AS STRING)"
                " AS name, CAST(NULL AS DATE) AS birth_date, CAST(NULL AS STRING) AS address,"
                " CAST(NULL AS STRING) AS indicator, CAST(NULL AS DOUBLE) AS value,"
                " CAST(NULL AS DATE) AS observed_on, CAST(NULL AS STRING) AS agency) WHERE false",
            )
        db.view("signals", validate.row_key_sql("staged"))
        db.parquet_view("registry", [registry])
        db.create("linked_exact", link.linked_sql(dialect=db.dialect))
        splink_links = _link_probabilistic(db, match_threshold)
        splink_persons = splink_links.num_rows
        pq.write_table(splink_links, out / "probabilistic_links.parquet")
        if splink_links.num_rows:
            db.register("splink_links", splink_links)
            db.create("linked", link.with_probabilistic_sql("linked_exact", "splink_links"))
            db.unregister("splink_links")
        else:
            db.view("linked", "SELECT * FROM linked_exact")
        link_counts = dict.fromkeys(link.METHODS, 0)
        link_counts.update(
            db.rows(
                "SELECT COALESCE(link_method, 'unlinked'), count(*) FROM linked"
                " GROUP BY COALESCE(link_method, 'unlinked')"
            )
        )
        db.write_parquet(
            f"SELECT {', '.join(link.SIGNAL_COLUMNS)} FROM linked WHERE household_key IS NULL",
            out / "unlinked.parquet",
        )
        timings["link_s"] = time.perf_counter() - mark

        mark = time.perf_counter()
        step("점수", 2, 4)
        weights_sql = rules.weights_values_sql(weights, weight_overrides)
        db.create("contributions", rules.contributions_sql("linked", weights_sql))
        db.create("scores", rules.scores_sql("contributions", dialect=db.dialect))
        timings["score_s"] = time.perf_counter() - mark

        mark = time.perf_counter()
        step("순위", 3, 4)
        db.create("hubs", rank.hub_capacity_sql(visit_rate=visit_rate, minimum=min_capacity))
        if open_cases.exists():
            db.parquet_view("open_cases", [open_cases])
        else:
            db.view("open_cases", "SELECT CAST(NULL AS STRING) AS household_key WHERE false")
        db.create(
            "candidates",
            rank.candidates_sql(floor_share=floor_share, hub_max_factor=hub_max_factor),
        )
        timings["rank_s"] = time.perf_counter() - mark

        model_candidates = None
        if model is not None:
            from bokjihub.engine.screening import model as learned

            mark = time.perf_counter()
            if not isinstance(model, learned.ScreeningModel):
                model = learned.ScreeningModel.load(model)
            model_candidates = learned.rank_in_db(
                db,
                model,
                out,
                floor_share=floor_share,
                hub_max_factor=hub_max_factor,
                reference_date=reference_date,
            )
            timings["model_s"] = time.perf_counter() - mark

        mark = time.perf_counter()
        db.write_parquet(
            "SELECT * FROM contributions ORDER BY household_key, indicator",
            out / "contributions.parquet",
        )
        db.write_parquet("SELECT * FROM scores ORDER BY household_key", out / "scores.parquet")
        db.write_parquet(
            "SELECT * FROM candidates ORDER BY sigungu_code, emd_code, hub_rank",
            out / "candidates.parquet",
        )
        quarantine_files = sorted((out / "quarantine").glob("*.parquet"))
        if quarantine_files:
            db.parquet_view("quarantined", quarantine_files)
            db.write_parquet(
                "SELECT * FROM quarantined ORDER BY file_name, row_number",
                out / "quarantine.parquet",
            )
        households, candidates = db.rows(
            "SELECT (SELECT count(*) FROM scores), (SELECT count(*) FROM candidates)"
        )[0]
        timings["write_s"] = time.perf_counter() - mark
        timings["total_s"] = time.perf_counter() - started
        step("완료", 4, 4)
    finally:
        db.close()
        shutil.rmtree(out / ".spill", ignore_errors=True)
    linked_rows = sum(v for k, v in link_counts.items() if k != "unlinked")
    all_rows = sum(link_counts.values())
    summary = {
        "engine": engine,
        "registry": str(registry.resolve()),
        **loads,
        "link": {
            "by_method": link_counts,
            # share of valid rows per method (person_key, name_birth_address, splink,
            # unlinked); match_rate is all but unlinked
            "rates": {
                method: round(count / all_rows, 4) if all_rows else None
                for method, count in link_counts.items()
            },
            "match_rate": round(linked_rows / all_rows, 4) if all_rows else None,
            "splink_threshold": match_threshold,
            "splink_persons": splink_persons,
        },
        "households_scored": households,
        "candidates": candidates,
        "model_candidates": model_candidates,
        "visit_rate": visit_rate,
        "min_capacity": min_capacity,
        "floor_share": floor_share,
        "hub_max_factor": hub_max_factor,
        "timings": {key: round(value, 3) for key, value in timings.items()},
    }
    (out / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2))
    return summary


def _link_probabilistic(db, threshold: float) -> pa.Table:
    """Splink over the unkeyed rows no exact rule linked (see :mod:`link`). It runs on
    DuckDB in process whichever engine ``db`` is: the remainder is small, and only the
    registered persons it could block with leave the engine."""
    residual = db.arrow(link.residual_people_sql("linked_exact"))
    if residual.num_rows == 0:
        return link.LINK_SCHEMA.empty_table()
    db.register("residual_people", residual)
    try:
        candidates = db.arrow(link.registry_candidates_sql("residual_people", "registry"))
    finally:
        db.unregister("residual_people")
    persons = db.rows("SELECT count(*) FROM registry")[0][0]
    return link.probabilistic_links(
        residual, candidates, registry_persons=persons, threshold=threshold
    )
