import sys

from django.core.management.base import BaseCommand

from bokjihub.people.services import rrn_key_rotate


class Command(BaseCommand):
    help = "People maintenance: rotate-rrn-key re-encrypts RRNs under the active key."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        rotate = commands.add_parser(
            "rotate-rrn-key", help="re-encrypt RRNs written under older keys"
        )
        rotate.add_argument("--batch-size", type=int, default=1_000)

    def handle(self, *args, action: str, batch_size: int = 1_000, **options):
        changed = rrn_key_rotate(batch_size=batch_size, progress=self._progress)
        if changed:
            sys.stderr.write("\n")
        self.stdout.write(f"{changed:,}명의 주민등록번호를 현재 키로 다시 암호화했습니다.")

    def _progress(self, done: int, total: int) -> None:
        sys.stderr.write(f"\r다시 암호화 {done:,}/{total:,}")
        sys.stderr.flush()
