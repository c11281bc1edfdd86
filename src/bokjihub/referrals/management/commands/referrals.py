from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from bokjihub.orgs.models import Organisation
from bokjihub.referrals.selectors import webhook_deliveries_of
from bokjihub.referrals.services import referral_reminders_record
from bokjihub.referrals.webhooks import webhook_deliveries_send_due, webhook_endpoint_create


class Command(BaseCommand):
    help = (
        "Referrals: remind records overdue referrals (once per referral and status); "
        "deliver sends due webhook deliveries; add-webhook registers an endpoint (its secret "
        "is printed once); webhooks lists an organisation's deliveries, failed ones included."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("remind", help="record reminders of overdue referrals")
        actions.add_parser("deliver", help="send webhook deliveries that are due")
        add = actions.add_parser("add-webhook", help="register a webhook endpoint")
        add.add_argument("--organisation", type=int, required=True, help="organisation id")
        add.add_argument("--url", required=True)
        listing = actions.add_parser("webhooks", help="an organisation's webhook deliveries")
        listing.add_argument("--organisation", type=int, required=True, help="organisation id")
        listing.add_argument("--status", default="", help="pending, delivered or failed")

    def handle(self, *args, action: str, **options):
        if action == "remind":
            recorded = referral_reminders_record()
            self.stdout.write(f"기한 지난 의뢰 {len(recorded)}건을 새로 기록했습니다.")
        elif action == "deliver":
            counts = webhook_deliveries_send_due()
            self.stdout.write(
                f"전송 완료 {counts['delivered']}건 · 재시도 대기 {counts['pending']}건 · "
                f"실패 {counts['failed']}건"
            )
        elif action == "add-webhook":
            self._add(self._organisation(options["organisation"]), options["url"])
        else:
            organisation = self._organisation(options["organisation"])
            for row in webhook_deliveries_of(organisation=organisation, status=options["status"]):
                self.stdout.write(
                    f"{row.message_id} {row.status} 시도 {row.attempts}회 "
                    f"{row.last_status_code or ''} {row.last_error}".rstrip()
                )

    def _organisation(self, organisation_id: int) -> Organisation:
        organisation = Organisation.objects.filter(pk=organisation_id).first()
        if organisation is None:
            raise CommandError(f"기관 번호 {organisation_id}: 그런 기관이 없습니다.")
        return organisation

    def _add(self, organisation: Organisation, url: str) -> None:
        try:
            endpoint, secret = webhook_endpoint_create(organisation=organisation, url=url)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(secret)
        self.stderr.write(
            f"{organisation.name}의 웹훅 주소({endpoint.url})를 등록했습니다. 서명 비밀값은 "
            "지금 한 번만 보입니다: 안전한 경로로 기관 담당자에게 전달하세요."
        )
