"""`bokjihub bench allocation --json`: the fair allocation over the demo Gu's real Dongs.

The needs and resources are synthetic and held in memory (seeded; richer Dongs have more
donors and fewer waiting needs, as the field study found); only the Dongs come from the
regions tables. It times the two-stage program and compares it with the baseline where
each Dong keeps its own donors."""

import time

import numpy as np
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from bokjihub.engine.allocation import (
    allocate_baseline,
    allocate_optimised,
    eligible_pairs,
    synthetic_instance,
)

BENCH_SIGUNGU = "11740"  # 강동구, the demo Gu
TARGET_SOLVE_S = 5.0


def _dongs() -> list:
    from bokjihub.regions.models import Sigungu
    from bokjihub.regions.selectors import emds_of_sigungu
    from bokjihub.regions.services import regions_load

    today = timezone.localdate()
    with transaction.atomic():
        if not Sigungu.objects.filter(code=BENCH_SIGUNGU).exists():
            regions_load()  # an empty database: loaded for the run and rolled back
            names = list(
                emds_of_sigungu(_gu(), as_of=today)
                .order_by("code")
                .values_list("name_ko", flat=True)
            )
            transaction.set_rollback(True)
            return names
        return list(
            emds_of_sigungu(_gu(), as_of=today).order_by("code").values_list("name_ko", flat=True)
        )


def _gu():
    from bokjihub.regions.selectors import sigungu_by_code

    return sigungu_by_code(BENCH_SIGUNGU, as_of=timezone.localdate())


def bench_allocation(*, needs: int, resources: int, seed: int) -> dict:
    dongs = _dongs()
    if not dongs:
        raise CommandError("강동구의 행정동이 없습니다. 먼저 `bokjihub regions load`를 실행하세요.")
    problem, wealth = synthetic_instance(
        dongs=len(dongs), needs=needs, resources=resources, seed=seed
    )
    started = time.perf_counter()
    optimised = allocate_optimised(problem)
    solve_s = time.perf_counter() - started
    baseline = allocate_baseline(problem)
    poorest = int(np.argmin(wealth))
    return {
        "benchmark": "allocation",
        "sigungu": BENCH_SIGUNGU,
        "data": "synthetic, in memory (seeded); Dongs from the regions tables",
        "dongs": len(dongs),
        "needs": problem.needs,
        "resources": problem.resources,
        "eligible_pairs": len(eligible_pairs(problem)[0]),
        "solve_s": round(solve_s, 3),
        "baseline_s": round(baseline.solve_s, 3),
        "target_solve_s": TARGET_SOLVE_S,
        "equity_floor": round(optimised.equity_floor or 0.0, 4),
        "min_coverage": round(optimised.min_coverage, 4),
        "baseline_min_coverage": round(baseline.min_coverage, 4),
        "gini": round(optimised.gini, 4),
        "baseline_gini": round(baseline.gini, 4),
        "weighted_coverage": round(optimised.weighted_coverage, 4),
        "baseline_weighted_coverage": round(baseline.weighted_coverage, 4),
        "poorest_dong": {
            "name": dongs[poorest],
            "coverage": round(float(optimised.dong_coverage[poorest]), 4),
            "baseline_coverage": round(float(baseline.dong_coverage[poorest]), 4),
        },
        "seed": seed,
    }
