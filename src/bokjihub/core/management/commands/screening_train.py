"""`bokjihub screening_train --run DIR --labels DIR [--run DIR --labels DIR …] --out PATH`:
train the learned screening model on runs of `bokjihub screen` and their labels — the
synthetic truth (a folder with truth.parquet) or triage outcomes (`bokjihub
screening_labels`, a folder with labels.parquet). The model file is a pickle: keep it
where only operators write, and give `bokjihub screen --model` only files this wrote."""

import json

from django.core.management.base import BaseCommand, CommandError

from bokjihub.core.progress import progress_bar


class Command(BaseCommand):
    help = "Train the learned screening model on runs and their labels."

    def add_arguments(self, parser):
        parser.add_argument("--run", action="append", required=True, help="a run folder")
        parser.add_argument(
            "--labels", action="append", required=True, help="its labels (one per --run)"
        )
        parser.add_argument("--out", required=True, help="the model file to write")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--threads", type=int, help="cap on the fit's threads")
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args, **options):
        from bokjihub.engine.screening.model import train

        runs, labels = options["run"], options["labels"]
        if len(runs) != len(labels):
            raise CommandError("--run 과 --labels 는 같은 수만큼 주어야 합니다.")
        try:
            model = train(
                list(zip(runs, labels, strict=True)),
                seed=options["seed"],
                threads=options["threads"],
                progress=progress_bar,
            )
        except (FileNotFoundError, ValueError) as error:
            raise CommandError(str(error)) from error
        path = model.save(options["out"])
        result = {"model": str(path), **model.trained_on}
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        else:
            self.stdout.write(
                f"학습 {result['households']:,}가구(위기 {result['positives']:,}) → {path}"
            )
