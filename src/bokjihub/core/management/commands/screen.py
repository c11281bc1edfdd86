"""`bokjihub screen --feeds DIR --out DIR [--model PATH] [--json]`: validate, link, score
and rank agency feeds (bokjihub.engine.screening.pipeline). With ``--model`` the learned
model (`bokjihub screening_train`) ranks too: model_candidates.parquet, each candidate with
its per-indicator contributions (model_contributions.parquet) and top reasons in Korean.
Thin glue: no Django models."""

import json

from django.core.management.base import BaseCommand, CommandError

from bokjihub.core.progress import progress_bar


class Command(BaseCommand):
    help = "Screening run over agency feeds: candidates per hub with reasons."

    def add_arguments(self, parser):
        parser.add_argument("--feeds", required=True)
        parser.add_argument("--out", required=True)
        parser.add_argument("--registry", help="default: FEEDS/../registry.parquet")
        parser.add_argument("--open-cases", help="default: FEEDS/../open_cases.parquet")
        parser.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb")
        parser.add_argument("--visit-rate", type=float, default=0.01)
        parser.add_argument("--floor-share", type=float, default=0.25)
        parser.add_argument(
            "--model", help="a model file of `bokjihub screening_train` (only files it wrote)"
        )
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args, **options):
        from bokjihub.engine.screening.backends import BackendUnavailable
        from bokjihub.engine.screening.pipeline import run_pipeline
        from bokjihub.engine.screening.validate import FeedFormatError

        try:
            summary = run_pipeline(
                feeds=options["feeds"],
                out=options["out"],
                registry=options["registry"],
                open_cases=options["open_cases"],
                engine=options["engine"],
                visit_rate=options["visit_rate"],
                floor_share=options["floor_share"],
                progress=progress_bar,
                model=options["model"],
            )
        except (
            FileNotFoundError,
            FeedFormatError,
            BackendUnavailable,
            NotImplementedError,
            ValueError,
        ) as error:
            raise CommandError(str(error)) from error
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
        else:
            self.stdout.write(
                f"후보 {summary['candidates']:,}가구 · 격리 {summary['rows_quarantined']:,}행 · "
                f"{summary['timings']['total_s']}초 → {options['out']}"
            )
            if summary.get("model_candidates") is not None:
                self.stdout.write(f"학습 모델 후보 {summary['model_candidates']:,}가구")
