
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bokjihub.core.demo import DEFAULT_SEED, DEFAULT_SIGUNGU, DEMO_PASSWORD, demo_build
from bokjihub.core.progress import progress_bar
from bokjihub.finding.screening_runs import feeds_dir
from bokjihub.regions.errors import RegionCodeError
from bokjihub.regions.models import Sido
from bokjihub.regions.services import regions_load


class Command(BaseCommand):
    help = "Build (or reuse) the demo of one Si/Gun/Gu and print one login per role."

    def add_arguments(self, parser):
        parser.add_argument(
            "--sigungu", default=DEFAULT_SIGUNGU, help="5-digit code (default 11740 강동구)"
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument(
            "--households", type=int, default=None, help="default: min(real count, 25,000)"
        )

    def handle(self, *args, sigungu: str, seed: int, households: int | None, **options):
        if settings.IS_PRODUCTION:
            raise CommandError(
                "데모 데이터는 운영 환경(BOKJIHUB_ENV=production)에 만들 수 없습니다."
            )
        if not Sido.objects.exists():
            self.stdout.write("행정구역 불러오는 중…")
            regions_load()
        try:
            report = demo_build(
                sigungu_code=sigungu,
                seed=seed,
                households=households,
                progress=self._progress,
                screening_feeds=feeds_dir(),
            )
        except (RegionCodeError, ValueError) as error:
            raise CommandError(getattr(error, "message", str(error))) from error
        if report.households_existing:
            self.stdout.write(
                f"{report.sigungu.full_name_ko}: "
                f"기존 데모 {report.households_existing:,}가구를 그대로 씁니다."
            )
        else:
            self.stdout.write(
                f"{report.sigungu.full_name_ko}: {report.households_created:,}가구 "
                f"{report.persons_created:,}명을 만들었습니다 (seed {seed})."
            )
        self._screening(report.screening)
        self.stdout.write(f"\n역할별 로그인 (비밀번호는 모두 {DEMO_PASSWORD}):")
        for username, label, organisation in report.logins:
            self.stdout.write(f"  {username:<14} {label} — {organisation}")
        self.stdout.write(
            "\n2단계 인증 코드(개인정보를 다루는 역할): 다른 터미널에서 "
            "`.venv/bin/bokjihub orgs demo-otp <아이디>` (30초마다 바뀝니다)"
        )

    def _screening(self, world) -> None:
        if world is None:
            return
        if world.set_aside:
            self.stdout.write(
                f"데모가 쓰지 않은 기존 피드는 {world.set_aside.name} 폴더로 옮겨 두었습니다."
            )
        done = "기존 기관 피드를 그대로 씁니다" if world.reused else "기관 피드를 만들었습니다"
        self.stdout.write(
            f"빅데이터 발굴: 등록 주민 {world.households:,}가구 {world.persons:,}명에 대한 "
            f"{done} ({world.feed_rows:,}건, 폴더 {world.feeds.name})."
        )

    def _progress(self, done: int, total: int) -> None:
        progress_bar("가구 생성", done, total)
