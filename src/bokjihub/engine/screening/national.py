"""A synthetic population of any size up to the whole country, generated in shards.

``synth.generate`` holds one shard's households, persons and signals in memory (about
2.5 GB per million households at its peak), so 23 million households are drawn as shards
of whole Si/Gun/Gu, each in its own process, and then merged with DuckDB, which streams
Parquet to Parquet without holding it. The result has the layout ``generate`` writes
(``feeds/<agency>.parquet``, ``registry.parquet``, ``open_cases.parquet``,
``truth/truth.parquet``), so the pipeline and ``evaluate`` read it unchanged.

Shards are disjoint sets of Si/Gun/Gu, balanced by households. Within a shard household
keys are ``H`` and nine digits; the merge makes them unique as ``H``, the shard's two
digits and the nine digits. Each shard hashes its synthetic RRNs with its own pepper
(derived from the synthetic one), so two shards' people never share a person key.
Deprivation is relative to each shard's mean rather than the nation's: a shard is a
group of whole Gus drawn from every region, so the difference is small, and these
populations serve the scale benchmark, not the accuracy figures (``synth.generate``
draws those).
"""

# SQL is built from file names this module chose and integers, never from data (S608).
# ruff: noqa: S608

import hmac
import multiprocessing
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from bokjihub.engine.screening import synth

# Households per shard: about 5 GB at a shard's peak, two shards at once on 24 GB.
SHARD_HOUSEHOLDS = 2_000_000
# From this many households a whole-country population is drawn in shards.
NATIONAL_FROM = 3_000_000

Progress = Callable[[str, int, int], None]


def shard_plan(households: int, shards: int | None = None) -> list[tuple[list[str], int]]:
    """(Si/Gun/Gu codes, households) per shard: whole Gus, balanced by household weight,
    households split in proportion to the shards' weights and adding up exactly."""
    table = synth.dong_table()
    codes = np.asarray(table["sigungu_code"].to_pylist())
    weights = np.asarray(table["weight"])
    gus, index = np.unique(codes, return_inverse=True)
    gu_weight = np.bincount(index, weights=weights)
    count = shards or max(1, -(-households // SHARD_HOUSEHOLDS))
    count = min(count, len(gus))
    bins: list[list[str]] = [[] for _ in range(count)]
    load = np.zeros(count)
    for position in np.argsort(-gu_weight, kind="stable"):
        lightest = int(np.argmin(load))
        bins[lightest].append(str(gus[position]))
        load[lightest] += gu_weight[position]
    sizes = np.floor(households * load / load.sum()).astype(np.int64)
    sizes[: households - int(sizes.sum())] += 1
    return [(sorted(bins[i]), int(sizes[i])) for i in range(count) if sizes[i] > 0]


def shard_pepper(shard: int, pepper: bytes = synth.SYNTHETIC_PEPPER) -> bytes:
    return hmac.digest(pepper, f"bokjihub.synthetic.shard:{shard}".encode(), "sha256")


def _generate_shard(shard: int, codes: list[str], households: int, seed: int, out: str) -> dict:
    return synth.generate(
        households=households,
        seed=seed * 1000 + shard,
        out=out,
        sigungu_codes=codes,
        pepper=shard_pepper(shard),
    )


def _files(paths: list[Path]) -> str:
    return "[" + ", ".join("'" + str(p).replace("'", "''") + "'" for p in paths) + "]"


def _rekeyed(path: Path, shard: int) -> str:
    return (
        f"SELECT * REPLACE ('H' || '{shard:02d}' || substr(household_key, 2) AS household_key)"
        f" FROM read_parquet({_files([path])})"
    )


def _merge(parts: list[Path], out: Path, threads: int) -> None:
    import duckdb

    con = duckdb.connect()
    con.execute(f"SET threads = {int(threads)}")
    con.execute("SET preserve_insertion_order = false")
    try:
        for name in ("registry.parquet", "open_cases.parquet", "truth/truth.parquet"):
            union = " UNION ALL ".join(
                _rekeyed(part / name, shard) for shard, part in enumerate(parts)
            )
            target = str(out / name).replace("'", "''")
            con.execute(f"COPY ({union}) TO '{target}' (FORMAT parquet)")
        agencies = sorted({path.name for part in parts for path in (part / "feeds").glob("*")})
        for agency in agencies:
            sources = [part / "feeds" / agency for part in parts]
            sources = [source for source in sources if source.exists()]
            target = str(out / "feeds" / agency).replace("'", "''")
            con.execute(
                f"COPY (SELECT * FROM read_parquet({_files(sources)}, union_by_name = true))"
                f" TO '{target}' (FORMAT parquet)"
            )
    finally:
        con.close()


def generate_national(
    *,
    households: int,
    seed: int,
    out: str | Path,
    shards: int | None = None,
    processes: int = 2,
    progress: Progress | None = None,
) -> dict:
    """Write a population of ``households`` under ``out`` in shards; returns a summary
    like ``synth.generate``'s, with the shard plan and the merge time."""
    if households < 1:
        raise ValueError("households must be at least 1")
    step = progress or (lambda label, done, total: None)
    out = Path(out)
    (out / "feeds").mkdir(parents=True, exist_ok=True)
    (out / "truth").mkdir(parents=True, exist_ok=True)
    work = out / "_shards"
    plan = shard_plan(households, shards)
    parts = [work / f"{index:02d}" for index in range(len(plan))]
    started = time.perf_counter()
    context = multiprocessing.get_context("spawn")
    summaries: list[dict] = []
    step("샤드 생성", 0, len(plan) + 1)
    # maxtasksperchild=1: each shard's process ends with it, returning its memory.
    with context.Pool(min(processes, len(plan)), maxtasksperchild=1) as pool:
        pending = [
            pool.apply_async(_generate_shard, (index, codes, size, seed, str(parts[index])))
            for index, (codes, size) in enumerate(plan)
        ]
        for done, result in enumerate(pending, start=1):
            summaries.append(result.get())
            step("샤드 생성", done, len(plan) + 1)
    generated_s = time.perf_counter() - started
    merge_started = time.perf_counter()
    _merge(parts, out, threads=max(1, multiprocessing.cpu_count()))
    merge_s = time.perf_counter() - merge_started
    shutil.rmtree(work)
    step("완료", len(plan) + 1, len(plan) + 1)
    feed_rows: dict[str, int] = {}
    for summary in summaries:
        for agency, rows in summary["feed_rows"].items():
            feed_rows[agency] = feed_rows.get(agency, 0) + rows
    crises = sum(s["crisis_rate"] * s["households"] for s in summaries)
    return {
        "households": households,
        "persons": sum(s["persons"] for s in summaries),
        "dongs": sum(s["dongs"] for s in summaries),
        "seed": seed,
        "shards": len(plan),
        "crisis_rate": round(crises / households, 4),
        "feed_rows": feed_rows,
        "open_cases": sum(s["open_cases"] for s in summaries),
        "shards_s": round(generated_s, 2),
        "merge_s": round(merge_s, 2),
    }


def generate_population(
    *,
    households: int,
    seed: int,
    out: str | Path,
    sigungu_codes: list[str] | None = None,
    progress: Progress | None = None,
) -> dict:
    """``synth.generate`` in one process, or in shards from :data:`NATIONAL_FROM`
    households over the whole country (too big for one process's memory)."""
    if households >= NATIONAL_FROM and not sigungu_codes:
        return generate_national(households=households, seed=seed, out=out, progress=progress)
    return synth.generate(
        households=households,
        seed=seed,
        out=out,
        sigungu_codes=sigungu_codes,
        progress=progress,
    )
