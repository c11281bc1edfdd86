"""The one door to a referral's personal data: access_referral.

Who sees a referral: staff (roles that read personal data) of the referring or of the
receiving organisation; anyone else gets ReferralNotFound, the same as a referral that
does not exist (a 404, so that nobody can probe another organisation's referrals).

What they see of the household is the snapshot decided at send time (Referral.shared).
For the receiving side the consent it rested on is checked again now: a consent withdrawn
or lapsed since closes the name and contact again, leaving the minimum (PIPA art. 37).
Every read writes one access-log row naming the person shown, if any.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from bokjihub.audit.models import AccessAction, AccessPurpose
from bokjihub.audit.services import access_log_write
from bokjihub.orgs.actors import Actor
from bokjihub.people.policy import WithheldReason
from bokjihub.referrals.models import Referral, ReferralEvent, SharedLevel
from bokjihub.referrals.services import RECEIVER_MOVES, REFERRER_MOVES, TRANSITIONS

# Fields of the snapshot that identify the person; the rest is the minimum.
PERSONAL_FIELDS = ("name", "address", "need_summary", "person_id")


class ReferralNotFound(ObjectDoesNotExist):
    """No such referral, or one the actor may not see: indistinguishable on purpose."""


@dataclass
class ReferralView:
    referral: Referral
    shared: dict
    events: list[ReferralEvent]
    is_receiver: bool
    is_referrer: bool
    moves: list[str] = field(default_factory=list)
    # why the name and contact are not shown, when the referral carried them once
    withheld_reason: str = ""

    @property
    def shows_person(self) -> bool:
        return "name" in self.shared


def _withheld_now(referral: Referral) -> str:
    consent = referral.shared_consent
    if consent is None or consent.is_active():
        return ""
    now = timezone.now()
    if consent.withdrawn_at is not None and consent.withdrawn_at <= now:
        return WithheldReason.WITHDRAWN.label
    return WithheldReason.EXPIRED.label


def _shared_for(referral: Referral, *, is_receiver: bool) -> tuple[dict, str]:
    shared = dict(referral.shared)
    if referral.shared_level != SharedLevel.CONSENTED or not is_receiver:
        return shared, ""
    reason = _withheld_now(referral)
    if reason:
        for name in PERSONAL_FIELDS:
            shared.pop(name, None)
    return shared, reason


def allowed_moves(referral: Referral, *, is_receiver: bool, is_referrer: bool) -> list[str]:
    mine = (RECEIVER_MOVES if is_receiver else frozenset()) | (
        REFERRER_MOVES if is_referrer else frozenset()
    )
    return [status for status in TRANSITIONS[referral.status] if status in mine]


def _referral_row(actor: Actor, referral_id) -> Referral | None:
    try:
        referral_id = int(referral_id)
    except (TypeError, ValueError):
        return None
    if not actor.may_read_personal_data or actor.organisation is None:
        return None
    organisation = actor.organisation
    row = (
        Referral.objects.select_related(
            "case", "from_organisation", "to_organisation", "referred_by", "shared_consent"
        )
        .filter(pk=referral_id)
        .first()
    )
    if row is None or organisation.id not in (row.from_organisation_id, row.to_organisation_id):
        return None
    return row


def access_referral(
    *, actor: Actor, referral_id, purpose: str = AccessPurpose.CASE_WORK
) -> ReferralView:
    referral = _referral_row(actor, referral_id)
    if referral is None:
        access_log_write(
            actor=actor,
            action=AccessAction.ACCESS_DENIED,
            purpose=purpose,
            detail=f"의뢰 {referral_id}"[:200],
        )
        raise ReferralNotFound(str(referral_id))
    is_receiver = actor.organisation.id == referral.to_organisation_id
    is_referrer = actor.organisation.id == referral.from_organisation_id
    shared, withheld = _shared_for(referral, is_receiver=is_receiver)
    view = ReferralView(
        referral=referral,
        shared=shared,
        events=list(referral.events.select_related("by", "organisation")),
        is_receiver=is_receiver,
        is_referrer=is_referrer,
        moves=allowed_moves(referral, is_receiver=is_receiver, is_referrer=is_referrer),
        withheld_reason=withheld,
    )
    person_id = shared.get("person_id")
    access_log_write(
        actor=actor,
        action=AccessAction.HOUSEHOLD_VIEW,
        purpose=purpose,
        household_id=referral.case.household_id,
        person_ids=[person_id] if person_id else [],
        detail=(
            f"의뢰 {referral.id} 조회 · " + ("동의 범위 공유" if view.shows_person else "최소 정보")
        ),
    )
    return view
