"""`bokjihub regions load|stats|show`: the administrative hierarchy from the console."""

import json
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bokjihub.regions import selectors
from bokjihub.regions.errors import RegionCodeError
from bokjihub.regions.models import EupMyeonDong, Sido, Sigungu
from bokjihub.regions.services import regions_load

SEOUL = ZoneInfo("Asia/Seoul")


class Command(BaseCommand):
    help = "행정구역(시·도, 시·군·구, 읍·면·동)을 적재하고 조회합니다."

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(
            dest="subcommand", required=True, metavar="{load,stats,show}"
        )
        subcommands.add_parser("load", help="패키지에 포함된 CSV에서 행정구역을 적재(갱신)합니다.")
        stats = subcommands.add_parser("stats", help="기준일에 유효한 행정구역 수를 셉니다.")
        stats.add_argument(
            "--as-of", dest="as_of", help="기준일 YYYY-MM-DD (기본: 오늘, Asia/Seoul)"
        )
        stats.add_argument("--json", action="store_true", help="JSON 객체 하나로 출력합니다.")
        show = subcommands.add_parser("show", help="코드(2·5·10자리) 하나를 보여줍니다.")
        show.add_argument("code")
        show.add_argument(
            "--as-of", dest="as_of", help="기준일 YYYY-MM-DD (기본: 오늘, Asia/Seoul)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        subcommand = options["subcommand"]
        if subcommand == "load":
            self.stdout.write(regions_load().summary())
        elif subcommand == "stats":
            self._stats(as_of=_parse_day(options["as_of"]), as_json=options["json"])
        else:
            self._show(options["code"].strip(), as_of=_parse_day(options["as_of"]))

    def _stats(self, *, as_of: date, as_json: bool) -> None:
        stats = selectors.regions_stats(as_of=as_of)
        if as_json:
            self.stdout.write(json.dumps(stats, ensure_ascii=False))
            return
        width = max(len(key) for key in stats)
        for key, value in stats.items():
            self.stdout.write(f"{key.ljust(width)}  {value}")

    def _show(self, code: str, *, as_of: date) -> None:
        finders = {
            2: selectors.sido_by_code,
            5: selectors.sigungu_by_code,
            10: selectors.emd_by_code,
        }
        finder = finders.get(len(code), selectors.emd_by_code)
        try:
            region = finder(code, as_of=as_of)
        except RegionCodeError as error:
            raise CommandError(error.message) from error
        for label, value in _describe(region, as_of=as_of):
            self.stdout.write(f"{label}: {value}")


def _parse_day(text: str | None) -> date:
    if text is None:
        return datetime.now(SEOUL).date()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"기준일 '{text}'를 읽을 수 없습니다. YYYY-MM-DD 형식으로 입력하세요."
        ) from None


def _validity(region: Sido | Sigungu | EupMyeonDong) -> str:
    start = region.valid_from.isoformat() if region.valid_from else "(자료 이전부터)"
    end = region.valid_to.isoformat() if region.valid_to else ""
    return f"{start} ~ {end}".rstrip()


def _describe(region: Sido | Sigungu | EupMyeonDong, *, as_of: date) -> list[tuple[str, str]]:
    lines = [("코드", region.code)]
    if isinstance(region, Sido):
        lines += [("시·도", region.name_ko), ("영문", region.name_en or "-")]
        lines += [
            ("시·군·구 수", str(selectors.sigungu_valid_on(as_of).filter(sido=region).count()))
        ]
    elif isinstance(region, Sigungu):
        lines += [
            ("시·군·구", region.full_name_ko),
            ("종류", region.get_kind_display()),
            ("분석 단위", "예" if region.is_unit else "아니오 (일반구로 나뉜 시)"),
            ("상위 시", str(region.parent) if region.parent else "-"),
            ("허브 수준", region.get_hub_level_display()),
            ("읍·면·동 수", str(selectors.emds_of_sigungu(region, as_of=as_of).count())),
        ]
    else:
        lines += [
            ("읍·면·동", f"{region.sigungu.full_name_ko} {region.name_ko}"),
            ("종류", region.get_kind_display()),
            ("코드 상태", region.get_code_status_display()),
            ("이전 코드", region.predecessor.code if region.predecessor else "-"),
        ]
    lines.append(("유효기간", _validity(region)))
    if region.note:
        lines.append(("비고", region.note))
    return lines
