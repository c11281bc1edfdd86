import json

from django.core.management.base import BaseCommand, CommandError

from bokjihub.audit.retention import retention_destroy


class Command(BaseCommand):
    help = (
        "보존기간(기본 5년)이 지난 종결 사례 가구의 개인정보를 파기하고 파기 관리대장을 남깁니다. "
        "운영에서는 매일 한 번 스케줄러(cron, systemd timer)로 실행합니다."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["run"])
        parser.add_argument("--years", type=int, default=5, help="사례 종결 뒤 보존 연수 (기본 5)")
        parser.add_argument(
            "--dry-run", action="store_true", help="파기하지 않고 대상 수만 셉니다."
        )
        parser.add_argument("--ran-by", default="scheduler", help="관리대장에 남길 실행 주체")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, years: int, dry_run: bool, ran_by: str, **options):
        if years < 1:
            raise CommandError("보존 연수는 1년 이상이어야 합니다.")
        result = retention_destroy(ran_by=ran_by, years=years, dry_run=dry_run)
        summary = {
            "dry_run": dry_run,
            "cutoff": result.cutoff.isoformat(),
            "households": result.households,
            "persons": result.persons,
            "exceptions_kept": result.exceptions_kept,
            "register_id": result.register.id if result.register else None,
        }
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
        else:
            verb = "파기 대상" if dry_run else "파기"
            self.stdout.write(
                f"{verb}: {result.households:,}가구 {result.persons:,}명 "
                f"(보존 예외 {result.exceptions_kept:,}가구, "
                f"기준 {result.cutoff:%Y-%m-%d} 이전 종결)"
            )
