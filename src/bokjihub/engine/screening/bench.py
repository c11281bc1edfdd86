"""`bokjihub bench screening`: generation and pipeline time, peak memory of the pipeline,
and the same rule score by a straightforward pandas implementation in the same run.

Generation and the pipeline each run in a fresh (spawned) process, so ``peak_rss_mb`` is
the pipeline's own peak resident memory (getrusage); pandas runs in this process.
pandas is imported only here (optional extra ``bench``).
"""

import multiprocessing
import resource
import sys
import tempfile
import time
from pathlib import Path

from bokjihub.engine.screening.contract import INDICATORS
from bokjihub.engine.screening.national import NATIONAL_FROM


def _rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


# From NATIONAL_FROM households the population is drawn in shards and the pandas
# baseline is left out: it holds every row in memory several times over and cannot run
# at national scale on a 24 GB machine (the 20x comparison is made at 1 M).


def _generate_child(households: int, seed: int, out: str) -> dict:
    from bokjihub.engine.screening.national import generate_population

    started = time.perf_counter()
    summary = generate_population(households=households, seed=seed, out=out)
    return {"seconds": time.perf_counter() - started, "rss_mb": _rss_mb(), "summary": summary}


def _pipeline_child(feeds: str, out: str) -> dict:
    from bokjihub.engine.screening.pipeline import run_pipeline

    started = time.perf_counter()
    summary = run_pipeline(feeds=feeds, out=out)
    return {"seconds": time.perf_counter() - started, "rss_mb": _rss_mb(), "summary": summary}


def pandas_scores(feeds: Path, registry: Path):
    """The rule score as a straightforward pandas program: read, check, link, score with
    top reasons. Returns a DataFrame (household_key, score, reasons)."""
    import pandas as pd

    meta = pd.DataFrame(
        [
            {
                "indicator": i.name,
                "min_value": i.min_value,
                "max_value": i.max_value,
                "weight": i.weight,
                "saturation": i.saturation,
                "template": i.reason,
                "divisor": i.display_divisor,
            }
            for i in INDICATORS
        ]
    )
    codes = {(i.name, float(c)): label for i in INDICATORS for c, label in i.codes.items()}
    frames = [pd.read_parquet(path) for path in sorted(feeds.glob("*.parquet"))]
    rows = pd.concat(frames, ignore_index=True)
    rows["value"] = pd.to_numeric(rows["value"], errors="coerce")
    rows["observed_on"] = pd.to_datetime(rows["observed_on"], errors="coerce")
    rows = rows.merge(meta, on="indicator", how="inner")
    rows = rows[(rows["value"] >= rows["min_value"]) & (rows["value"] <= rows["max_value"])]
    rows = rows[rows["observed_on"].notna()]
    rows = rows.drop_duplicates(
        ["person_key", "name", "birth_date", "address", "indicator", "observed_on", "agency"]
    )
    people = pd.read_parquet(registry)
    people["birth_date"] = people["birth_date"].astype(str)
    keyed = rows[rows["person_key"].notna()].merge(
        people[["person_key", "household_key"]], on="person_key"
    )
    unique_people = people.drop_duplicates(["name", "birth_date", "address"], keep=False)
    unkeyed = rows[rows["person_key"].isna()].merge(
        unique_people[["name", "birth_date", "address", "household_key"]],
        on=["name", "birth_date", "address"],
    )
    linked = pd.concat([keyed, unkeyed], ignore_index=True)
    per = linked.groupby(["household_key", "indicator"], as_index=False).agg(
        value=("value", "max"),
        weight=("weight", "first"),
        saturation=("saturation", "first"),
        template=("template", "first"),
        divisor=("divisor", "first"),
    )
    per["contribution"] = per["weight"] * (per["value"] / per["saturation"]).clip(upper=1.0)

    def reason(row) -> str:
        label = codes.get((row["indicator"], row["value"]))
        shown = label if label else str(round(row["value"] / row["divisor"]))
        return row["template"].replace("{v}", shown)

    per["reason"] = per.apply(reason, axis=1)

    def household(group) -> pd.Series:
        top = group.sort_values(["contribution", "indicator"], ascending=[False, True]).head(3)
        return pd.Series(
            {"score": group["contribution"].sum(), "reasons": " · ".join(top["reason"])}
        )

    return per.groupby("household_key").apply(household, include_groups=False).reset_index()


def _pandas_baseline(data: Path, run: Path) -> tuple[float, bool, float]:
    """The pandas rule score's time, and whether it agrees with the pipeline's scores."""
    import pyarrow.parquet as pq

    started = time.perf_counter()
    frame = pandas_scores(data / "feeds", data / "registry.parquet")
    pandas_s = time.perf_counter() - started
    duck = pq.read_table(run / "scores.parquet", columns=["household_key", "score"])
    duck = dict(zip(duck["household_key"].to_pylist(), duck["score"].to_pylist(), strict=True))
    pandas_map = dict(zip(frame["household_key"], frame["score"], strict=True))
    same_households = set(duck) == set(pandas_map)
    max_diff = max((abs(duck[k] - pandas_map[k]) for k in duck if k in pandas_map), default=0)
    return pandas_s, same_households, max_diff


def bench_screening(*, households: int, seed: int = 1, workdir: str | None = None) -> dict:
    context = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        data, run = Path(tmp) / "data", Path(tmp) / "run"
        with context.Pool(1) as pool:
            generated = pool.apply(_generate_child, (households, seed, str(data)))
        with context.Pool(1) as pool:
            piped = pool.apply(_pipeline_child, (str(data / "feeds"), str(run)))
        if households < NATIONAL_FROM:
            pandas_s, same_households, max_diff = _pandas_baseline(data, run)
        else:
            pandas_s, same_households, max_diff = None, None, None
    pipeline_s = piped["seconds"]
    return {
        "benchmark": "screening",
        "households": households,
        "persons": generated["summary"]["persons"],
        "feed_rows": sum(generated["summary"]["feed_rows"].values()),
        "generate_s": round(generated["seconds"], 2),
        "pipeline_s": round(pipeline_s, 2),
        "pipeline_timings": piped["summary"]["timings"],
        "peak_rss_mb": round(piped["rss_mb"], 1),
        "generate_peak_rss_mb": round(generated["rss_mb"], 1),
        "pandas_s": round(pandas_s, 2) if pandas_s is not None else None,
        "speedup": round(pandas_s / pipeline_s, 2) if pandas_s is not None else None,
        "pandas_skipped": None
        if pandas_s is not None
        else f"{NATIONAL_FROM:,}가구 이상에서는 pandas 기준선을 돌리지 않습니다 (메모리 부족)",
        "shards": generated["summary"].get("shards", 1),
        "pandas_same_households": same_households,
        "pandas_max_score_diff": max_diff,
        "cpus": multiprocessing.cpu_count(),
        "targets_1m": {"pipeline_s": 10, "peak_rss_mb": 4096, "speedup": 20},
        "targets_23m": {"pipeline_s": 180, "peak_rss_mb": 16384},
    }
