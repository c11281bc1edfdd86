"""API tokens of partner organisations: issue (printed once), revoke, authenticate."""

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bokjihub.finding.models import PartnerToken
from bokjihub.orgs.models import Organisation, Sector

TOKEN_PREFIX = "bkh_"  # noqa: S105 - the visible prefix of every token, not a secret


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def partner_token_issue(*, organisation: Organisation, by=None) -> tuple[PartnerToken, str]:
    """A new token for the organisation; returns the row and the token, which is shown
    once and never stored."""
    if not organisation.is_active:
        raise ValidationError(
            {"organisation": f"{organisation.name}은(는) 사용 중지된 기관입니다."}
        )
    if organisation.sector == Sector.PUBLIC:
        raise ValidationError(
            {
                "organisation": "공공기관(시·군·구청, 읍·면·동)은 API 토큰 대신 "
                "직원 계정으로 신고를 접수합니다."
            }
        )
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = PartnerToken.objects.create(
        organisation=organisation,
        token_hash=_digest(token),
        prefix=token[: len(TOKEN_PREFIX) + 6],
        created_at=timezone.now(),
        created_by=by,
    )
    return row, token


def partner_token_revoke(*, token: PartnerToken) -> PartnerToken:
    with transaction.atomic():
        locked = PartnerToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked.save(update_fields=["revoked_at"])
    return locked


def partner_token_authenticate(token: str) -> PartnerToken | None:
    """The active token row for a presented token, or None (unknown, revoked, or its
    organisation stopped). Records when it was last used."""
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    row = (
        PartnerToken.objects.select_related("organisation", "organisation__sigungu")
        .filter(token_hash=_digest(token), revoked_at__isnull=True, organisation__is_active=True)
        .first()
    )
    if row is None:
        return None
    now = timezone.now()
    # One write a minute at most: a busy partner must not turn every call into an UPDATE.
    if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
        PartnerToken.objects.filter(pk=row.pk).update(last_used_at=now)
        row.last_used_at = now
    return row
