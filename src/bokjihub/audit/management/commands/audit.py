"""`bokjihub audit verify|review|db-grants`: the access log's integrity check, monthly
review, and the PostgreSQL privileges of the application's role."""

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bokjihub.audit.grants import GrantError, access_log_grants_apply
from bokjihub.audit.selectors import (
    ReviewLine,
    access_log_months,
    access_log_verify,
    access_review,
)

CHAIN_BROKEN_EXIT_STATUS = 1


class Command(BaseCommand):
    help = "개인정보 접속기록의 위·변조 여부를 검증하고 월별 점검표를 만듭니다."

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(
            dest="subcommand", required=True, metavar="{verify,review,db-grants}"
        )
        verify = subcommands.add_parser(
            "verify", help="해시 체인을 처음부터 검증합니다. 깨졌으면 0이 아닌 값으로 끝납니다."
        )
        verify.add_argument("--json", action="store_true", help="JSON 객체 하나로 출력합니다.")
        review = subcommands.add_parser(
            "review", help="한 달 동안의 사용자별 접속 요약을 보여줍니다."
        )
        review.add_argument("--month", help="점검할 달 YYYY-MM (없으면 접속기록이 있는 마지막 달)")
        review.add_argument("--json", action="store_true", help="JSON 배열로 출력합니다.")
        grants = subcommands.add_parser(
            "db-grants",
            help=(
                "PostgreSQL: 애플리케이션 역할이 접속기록에 INSERT·SELECT만 하도록 "
                "UPDATE·DELETE·TRUNCATE 권한을 회수합니다. 테이블 소유자로 실행하세요."
            ),
        )
        grants.add_argument("--role", required=True, help="애플리케이션이 접속하는 역할 이름")
        grants.add_argument(
            "--dry-run", action="store_true", help="실행하지 않고 SQL 문만 출력합니다."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "verify":
            self._verify(as_json=options["json"])
        elif options["subcommand"] == "db-grants":
            self._grants(role=options["role"], dry_run=options["dry_run"])
        else:
            self._review(month=_review_month(options["month"]), as_json=options["json"])

    def _verify(self, *, as_json: bool) -> None:
        report = access_log_verify()
        if as_json:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
        elif report.ok:
            self.stdout.write(report.message)
        if not report.ok:
            raise CommandError(report.message, returncode=CHAIN_BROKEN_EXIT_STATUS)

    def _grants(self, *, role: str, dry_run: bool) -> None:
        try:
            report = access_log_grants_apply(role=role, dry_run=dry_run)
        except GrantError as problem:
            raise CommandError(problem.message) from None
        for statement in report.statements:
            self.stdout.write(f"{statement};")
        if not dry_run:
            self.stdout.write(
                f"역할 '{role}'은(는) 이제 접속기록에 INSERT·SELECT만 할 수 있습니다 "
                "(UPDATE·DELETE·TRUNCATE 거부)."
            )

    def _review(self, *, month: date, as_json: bool) -> None:
        lines = access_review(month=month)
        if as_json:
            self.stdout.write(json.dumps([line.as_dict() for line in lines], ensure_ascii=False))
            return
        self.stdout.write(f"{month:%Y-%m} 접속기록 점검 (업무시간 외: 08:00 전·20:00 이후)")
        self.stdout.write(
            "사용자\t기관\t역할\t가구조회\t검색\t조회가구수\t업무시간외조회"
            "\t하루최다조회\t관할밖시도\t내려받기\t사유없는내려받기\t점검사항"
            "\t권한없는역할의시도"
        )
        for line in lines:
            self.stdout.write(_review_row(line))
        if not lines:
            self.stdout.write("이 달의 접속기록이 없습니다.")


def _review_row(line: ReviewLine) -> str:
    cells = [
        line.username,
        line.organisation_name,
        line.role,
        line.household_views,
        line.searches,
        line.distinct_households,
        line.off_hours_views,
        line.busiest_day_views,
        line.denied_attempts,
        line.exports,
        line.exports_without_reason,
        ", ".join(flag.label for flag in line.flags) or "-",
        # Last, so that scripts reading the columns before it by position keep working.
        line.refused_by_role,
    ]
    return "\t".join(str(cell) for cell in cells)


def _review_month(text: str | None) -> date:
    if text:
        return _parse_month(text)
    months = access_log_months()
    if months is None:
        raise CommandError("접속기록이 없습니다. 점검할 달을 --month YYYY-MM으로 정하세요.")
    return months.latest


def _parse_month(text: str) -> date:
    try:
        return date.fromisoformat(f"{text.strip()}-01")
    except ValueError:
        raise CommandError(
            f"달 '{text}'를 읽을 수 없습니다. YYYY-MM 형식으로 입력하세요."
        ) from None
