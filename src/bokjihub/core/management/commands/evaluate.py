"""`bokjihub evaluate --run DIR --truth DIR --json`: precision and recall at capacity,
ROC-AUC, PR-AUC and found rate by deprivation quintile (bokjihub.engine.screening)."""

import json

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Finding quality of a screening run against synthetic ground truth."

    def add_arguments(self, parser):
        parser.add_argument("--run", required=True)
        parser.add_argument("--truth", required=True)
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args, run, truth, **options):
        from bokjihub.engine.screening.evaluate import evaluate_run

        try:
            result = evaluate_run(run=run, truth=truth)
        except FileNotFoundError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            json.dumps(result, ensure_ascii=False, indent=None if options["json"] else 2)
        )
