"""`bokjihub directory load-booklet|export-hsds|import-hsds`: the service directory."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bokjihub.directory.services import (
    directory_export_hsds,
    directory_import_hsds,
    directory_load_booklet,
)


class Command(BaseCommand):
    help = "복지서비스·자원 목록을 적재하고 HSDS JSON으로 내보내거나 가져옵니다."

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(
            dest="subcommand", required=True, metavar="{load-booklet,export-hsds,import-hsds}"
        )
        subcommands.add_parser(
            "load-booklet",
            help="「2024 나에게 힘이 되는 복지서비스」 463개 서비스를 적재(갱신)합니다.",
        )
        export = subcommands.add_parser("export-hsds", help="HSDS 3.x JSON으로 내보냅니다.")
        export.add_argument("--out", required=True, help="쓸 파일 (- 이면 표준출력)")
        load = subcommands.add_parser("import-hsds", help="HSDS 3.x JSON을 가져옵니다.")
        load.add_argument("file")

    def handle(self, *args: Any, **options: Any) -> None:
        subcommand = options["subcommand"]
        if subcommand == "load-booklet":
            self.stdout.write(directory_load_booklet().summary())
        elif subcommand == "export-hsds":
            text = json.dumps(directory_export_hsds(), ensure_ascii=False, indent=1)
            if options["out"] == "-":
                self.stdout.write(text)
            else:
                Path(options["out"]).write_text(text + "\n", encoding="utf-8")
        else:
            try:
                document = json.loads(Path(options["file"]).read_text(encoding="utf-8"))
            except (OSError, ValueError) as error:
                raise CommandError(f"HSDS 파일을 읽을 수 없습니다: {error}") from error
            report = directory_import_hsds(document=document)
            self.stdout.write(report.summary())
            for missing in report.unknown:
                self.stderr.write(f"찾지 못함: {missing}")
