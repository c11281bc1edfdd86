from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from bokjihub.finding.models import PartnerToken
from bokjihub.finding.partner_tokens import partner_token_issue, partner_token_revoke
from bokjihub.orgs.models import Organisation


class Command(BaseCommand):
    help = (
        "The finding track: issue-token prints a new API token of a partner organisation "
        "(shown once); revoke-token stops one by its prefix."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        issue = actions.add_parser("issue-token", help="a new API token for an organisation")
        issue.add_argument("--organisation", type=int, required=True, help="organisation id")
        revoke = actions.add_parser("revoke-token", help="revoke an API token by its prefix")
        revoke.add_argument("prefix", help="the token's first characters, e.g. bkh_AbC123")

    def handle(self, *args, action: str, **options):
        if action == "issue-token":
            self._issue(options["organisation"])
        else:
            self._revoke(options["prefix"])

    def _issue(self, organisation_id: int) -> None:
        organisation = Organisation.objects.filter(pk=organisation_id).first()
        if organisation is None:
            raise CommandError(f"기관 번호 {organisation_id}: 그런 기관이 없습니다.")
        try:
            row, token = partner_token_issue(organisation=organisation)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(token)
        self.stderr.write(
            f"{organisation.name}의 API 토큰({row.prefix}…)을 만들었습니다. "
            "이 토큰은 지금 한 번만 보입니다: 안전한 경로로 기관 담당자에게 전달하세요."
        )

    def _revoke(self, prefix: str) -> None:
        rows = list(PartnerToken.objects.filter(prefix=prefix, revoked_at__isnull=True))
        if len(rows) != 1:
            raise CommandError(
                f"{prefix}: 사용 중인 토큰을 하나로 특정할 수 없습니다 ({len(rows)}개)."
            )
        partner_token_revoke(token=rows[0])
        self.stdout.write(
            f"{prefix}… 토큰을 폐기했습니다. 이 토큰으로는 더 이상 API를 쓸 수 없습니다."
        )
