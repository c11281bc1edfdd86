"""`bokjihub screen --feeds DIR --out DIR [--json]`: validate, link, score and rank
agency feeds (bokjihub.engine.screening.pipeline). Thin glue: no Django models."""

import json

from django.core.management.base import BaseCommand, CommandError

from bokjihub.core.management.commands.synth import progress_bar


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
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args, **options):
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
            )
        except (FileNotFoundError, FeedFormatError, NotImplementedError) as error:
            raise CommandError(str(error)) from error
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
        else:
            self.stdout.write(
                f"후보 {summary['candidates']:,}가구 · 격리 {summary['rows_quarantined']:,}행 · "
                f"{summary['timings']['total_s']}초 → {options['out']}"
            )
