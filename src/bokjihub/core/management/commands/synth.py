"""`bokjihub synth --households N --seed S --out DIR [--json]`: synthetic national feeds
with ground truth (bokjihub.engine.screening.synth). Thin glue: no Django models."""

import json
import time

from django.core.management.base import BaseCommand

from bokjihub.core.progress import progress_bar


class Command(BaseCommand):
    help = "Synthetic agency feeds, registry and ground truth for screening."

    def add_arguments(self, parser):
        parser.add_argument("--households", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--out", required=True)
        parser.add_argument("--sigungu", nargs="*", help="Si/Gun/Gu codes (default: all)")
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args, households, seed, out, sigungu, **options):
        from bokjihub.engine.screening.national import generate_population

        started = time.perf_counter()
        summary = generate_population(
            households=households,
            seed=seed,
            out=out,
            sigungu_codes=sigungu or None,
            progress=progress_bar,
        )
        summary["seconds"] = round(time.perf_counter() - started, 2)
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
        else:
            self.stdout.write(
                f"{summary['households']:,}가구 · {summary['persons']:,}명 · "
                f"위기 {summary['crisis_rate']:.1%} → {out} ({summary['seconds']}초)"
            )
