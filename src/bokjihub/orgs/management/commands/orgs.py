import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from bokjihub.orgs.models import User
from bokjihub.orgs.services import totp_current_code, totp_devices_reset


class Command(BaseCommand):
    help = (
        "Staff accounts: demo-otp prints a demo login's current second-factor code; "
        "otp-reset removes a user's authenticator devices (lost phone) so they enrol again."
    )

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        demo = commands.add_parser("demo-otp", help="the current 6-digit code of a demo login")
        demo.add_argument("username")
        reset = commands.add_parser("otp-reset", help="remove a user's second-factor devices")
        reset.add_argument("username")

    def handle(self, *args, action: str, username: str, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"{username}: 그런 아이디가 없습니다.")
        if action == "demo-otp":
            self._demo_code(user)
        else:
            removed = totp_devices_reset(user=user)
            self.stdout.write(
                f"{username}: 인증 장치 {removed}개를 지웠습니다. "
                "다음 로그인 때 인증 앱을 새로 등록합니다."
            )

    def _demo_code(self, user: User) -> None:
        if settings.IS_PRODUCTION:
            raise CommandError(
                "운영 환경(BOKJIHUB_ENV=production)에서는 인증 코드를 보여 주지 않습니다."
            )
        device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()
        if device is None:
            raise CommandError(
                f"{user.username}: 등록된 인증 장치가 없습니다. `bokjihub demo`를 먼저 실행하세요."
            )
        seconds_left = device.step - int(time.time() - device.t0) % device.step
        self.stdout.write(totp_current_code(device))
        self.stderr.write(f"({seconds_left}초 동안 유효; 같은 코드는 한 번만 쓸 수 있습니다)")
