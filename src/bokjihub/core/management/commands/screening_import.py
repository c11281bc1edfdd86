"""`bokjihub screening-import --run DIR --sigungu CODE [--json]`: the ranked candidates of
a screening run enter the Si/Gun/Gu's triage inbox (channel "screening") with their
reasons; importing the same run again creates nothing new."""

import json

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Import a screening run's candidates of one Si/Gun/Gu into the triage inbox."

    def add_arguments(self, parser):
        parser.add_argument("--run", required=True, help="run folder of `bokjihub screen`")
        parser.add_argument("--sigungu", required=True, help="5-digit Si/Gun/Gu code")
        parser.add_argument(
            "--ranking",
            choices=["auto", "model", "rule"],
            default="auto",
            help="the model's ranking when the run has one (auto), or the rule's",
        )
        parser.add_argument("--registry", help="registry.parquet (default: the run's)")
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args, run, sigungu, ranking, registry, **options):
        from django.utils import timezone

        from bokjihub.finding.screening_intake import screening_import
        from bokjihub.regions.errors import RegionCodeError
        from bokjihub.regions.selectors import sigungu_by_code

        try:
            gu = sigungu_by_code(sigungu, as_of=timezone.localdate())
        except RegionCodeError as error:
            raise CommandError(f"시·군·구 코드를 찾을 수 없습니다: {sigungu}") from error
        try:
            result = screening_import(run=run, sigungu=gu, ranking=ranking, registry=registry)
        except (FileNotFoundError, ValueError) as error:
            raise CommandError(str(error)) from error
        payload = result.as_dict()
        if options["json"]:
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
            return
        self.stdout.write(
            f"{gu.name_ko}: 후보 {result.candidates}건 — 새로 접수 {result.created}, "
            f"기존 항목에 합침 {result.joined}, 이미 가져옴 {result.replayed}, "
            f"진행 중 사례로 건너뜀 {result.skipped_open_case}, 오류 {len(result.errors)}"
        )
