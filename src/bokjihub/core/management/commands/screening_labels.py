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
        from django.utils import timezone

        from bokjihub.finding.screening_runs import screening_labels_write
        from bokjihub.regions.errors import RegionCodeError
        from bokjihub.regions.selectors import sigungu_by_code

        sigungu = None
        if options["sigungu"]:
            try:
                sigungu = sigungu_by_code(options["sigungu"], as_of=timezone.localdate())
            except RegionCodeError as error:
                raise CommandError(
                    f"시·군·구 코드를 찾을 수 없습니다: {options['sigungu']}"
                ) from error
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
