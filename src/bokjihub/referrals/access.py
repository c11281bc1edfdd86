"""The one door to a referral's personal data: access_referral.

Who sees a referral: staff (roles that read personal data) of the referring or of the
receiving organisation; anyone else gets ReferralNotFound, the same as a referral that
does not exist (a 404, so that nobody can probe another organisation's referrals).

What they see of the household is the snapshot decided at send time (Referral.shared).
For the receiving side the consent is checked again now, by the same policy as at send time
(people.access.consent_for_recipient): a consent withdrawn or lapsed since, or a receiver
no longer in the network a consent names, closes the name and contact again, leaving the
minimum (PIPA art. 37).
Every read writes one access-log row naming the person shown, if any.

Where the actor may open them, the referral links to its case page and its household page
(referral_links): the receiving centre, once it has accepted, goes from the referral to
the case without typing an address. The link is only offered; those pages check again.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from bokjihub.audit.models import AccessAction, AccessPurpose
from bokjihub.audit.services import access_log_write
from bokjihub.cases.access import cases_in_scope
from bokjihub.orgs.actors import Actor
from bokjihub.people.access import (
    consent_for_recipient,
    household_decisions_for_recipient,
    households_in_scope,
)
from bokjihub.people.models import DataCategory
from bokjihub.people.policy import WithheldReason
from bokjihub.referrals.models import Referral, ReferralEvent, SharedLevel
from bokjihub.referrals.selectors import SenderContact, sender_contacts
from bokjihub.referrals.services import RECEIVER_MOVES, REFERRER_MOVES, TRANSITIONS

# Fields of the snapshot that identify the person; the rest is the minimum.
PERSONAL_FIELDS = ("name", "address", "need_summary", "person_id")
# Fields about the whole household, and the category every member's consent must cover.
HOUSEHOLD_FIELDS = {"address": DataCategory.CONTACT, "need_summary": DataCategory.CASE_NOTES}


class ReferralNotFound(ObjectDoesNotExist):
    """No such referral, or one the actor may not see: indistinguishable on purpose."""


@dataclass(frozen=True)
class ReferralLinks:
    """Where the actor may go from a referral: its case page, its household page (the
    household's unguessable reference, given only to those who may open the page)."""

    case_id: int | None = None
    household_reference: str = ""


def referral_links(actor: Actor, referrals) -> dict[int, ReferralLinks]:
    """The links of each referral (loaded with its case). Two existence queries whatever
    the number; no personal data is read, so nothing is logged (the pages log their
    reads)."""
    referrals = list(referrals)
    if not referrals:
        return {}
    case_ids = {referral.case_id for referral in referrals}
    household_ids = {referral.case.household_id for referral in referrals}
    cases = set(cases_in_scope(actor).filter(id__in=case_ids).values_list("id", flat=True))
    households = dict(
        households_in_scope(actor).filter(id__in=household_ids).values_list("id", "reference")
    )
    return {
        referral.id: ReferralLinks(
            case_id=referral.case_id if referral.case_id in cases else None,
            household_reference=households.get(referral.case.household_id, ""),
        )
        for referral in referrals
    }


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
    links: ReferralLinks = field(default_factory=ReferralLinks)
    sender: SenderContact | None = None

    @property
    def shows_person(self) -> bool:
        return "name" in self.shared


def _withheld_now(referral: Referral) -> str:
    """Why the receiver may no longer see the name and contact, or "" when it still may.

    Judged by the very policy that decided at send time (people.access.
    consent_for_recipient, the contact category, the receiving organisation, now), so
    that send time and read time cannot disagree: a consent withdrawn or lapsed since,
    or one naming a network the receiver has left (or whose MOU has expired), closes
    them again. Another consent that names the receiver now keeps them open."""
    consent = referral.shared_consent
    if consent is None:  # a consented share always names its consent (a DB constraint)
        return WithheldReason.NO_CONSENT.label
    now = timezone.now()
    still = consent_for_recipient(
        person=consent.person,
        organisation=referral.to_organisation,
        category=DataCategory.CONTACT,
        at=now,
    )
    if still is not None:
        return ""
    if consent.withdrawn_at is not None and consent.withdrawn_at <= now:
        return WithheldReason.WITHDRAWN.label
    if timezone.localdate(now) > consent.retention_until:
        return WithheldReason.EXPIRED.label
    # active, but no longer naming the receiver (it left the network the consent names)
    return WithheldReason.NO_CONSENT.label


def _shared_for(referral: Referral, *, is_receiver: bool) -> tuple[dict, str]:
    shared = dict(referral.shared)
    if referral.shared_level != SharedLevel.CONSENTED or not is_receiver:
        return shared, ""
    reason = _withheld_now(referral)
    if reason:
        for name in PERSONAL_FIELDS:
            shared.pop(name, None)
    elif "address" in shared or "need_summary" in shared:
        # Both are the whole household's (referrals.services._shared_snapshot): a member's
        # consent withdrawn since, or lapsed, closes them, as on the household page.
        decisions = household_decisions_for_recipient(
            household=referral.case.household,
            organisation=referral.to_organisation,
            at=timezone.now(),
        )
        for name, category in HOUSEHOLD_FIELDS.items():
            if not decisions[category].visible:
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
            "case",
            "from_organisation",
            "to_organisation",
            "referred_by",
            "shared_consent__person",
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
        links=referral_links(actor, [referral])[referral.id],
        sender=sender_contacts([referral])[referral.id],
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
