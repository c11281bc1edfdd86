"""`bokjihub screening_labels --sigungu CODE --out DIR [--run-id ID] [--json]`: the triage
outcomes of screening items (욕구 확인 → found, 지원 욕구 없음 → not found) as
DIR/labels.parquet, the labels `bokjihub screening_train` reads next to the run."""

import json

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Export triage outcomes of screening items as training labels."

    def add_arguments(self, parser):
        parser.add_argument("--sigungu", help="Si/Gun/Gu code (default: all)")
        parser.add_argument("--run-id", help="only the items of this run (screening_import's id)")
        parser.add_argument("--out", required=True)
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args, **options):
        from bokjihub.finding.screening_runs import screening_labels_write
        from bokjihub.regions.models import Sigungu

        sigungu = None
        if options["sigungu"]:
            sigungu = Sigungu.objects.filter(code=options["sigungu"], valid_to__isnull=True).first()
            if sigungu is None:
                raise CommandError(f"시·군·구 코드를 찾을 수 없습니다: {options['sigungu']}")
        self.stderr.write("발굴 결과를 모으는 중…")
        result = screening_labels_write(
            out=options["out"], sigungu=sigungu, run_id=options["run_id"]
        )
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        else:
            self.stdout.write(
                f"라벨 {result['labels']:,}건(발견 {result['found']:,} · 미발견 "
                f"{result['not_found']:,}) → {result['path']}"
            )
