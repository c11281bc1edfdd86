"""The sharing policy: which categories of a person's data an actor sees, and why not.

A pure function over plain facts (no database, no Django models), so that every rule can
be tested on its own and the same decision serves the household page, the person's
record and, later, referrals (a referral carries only what the policy shows).

The rules (PIPA art. 17 and the Social Security Benefits Act; "minimum necessary", art. 3):
- Public staff whose jurisdiction covers the household see the public sector's own data
  (PUBLIC_SECTOR_CATEGORIES: means test, benefits, family, registration). What only the
  private side holds (health, case notes) crosses to them only under a consent.
- A private organisation (and a partner agency or civic group) sees the identity basics
  of a household it serves (name, masked birth part) and every other category only
  under an active consent whose recipient is the organisation itself or a network it
  belongs to now, covering that category.
- Nothing hidden is dropped: each category gets a Decision, withheld ones with a reason
  the page shows ("동의 없음", "동의 철회됨", "동의 기간 만료", "관할 밖").
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from bokjihub.people.models import DataCategory

# Held by the public side (주민등록, 사회보장정보시스템 조사 결과); public staff in
# jurisdiction see them as part of their duties.
PUBLIC_SECTOR_CATEGORIES = frozenset(
    {
        DataCategory.IDENTITY,
        DataCategory.CONTACT,
        DataCategory.HOUSEHOLD_COMPOSITION,
        DataCategory.INCOME_ASSETS,
        DataCategory.DISABILITY,
        DataCategory.UNIQUE_IDENTIFIER,
    }
)
# What a serving organisation needs to know whom it serves, without consent.
SERVING_BASICS = frozenset({DataCategory.IDENTITY})
# Every category, in the enum's order. Read once: Enum.values builds a new list on every
# access, and a page of search results decides all categories for dozens of people.
CATEGORIES = tuple(DataCategory.values)


class WithheldReason(models.TextChoices):
    NO_CONSENT = "no_consent", _("동의 없음")
    WITHDRAWN = "withdrawn", _("동의 철회됨")
    EXPIRED = "expired", _("동의 기간 만료")
    OUT_OF_JURISDICTION = "out_of_jurisdiction", _("관할 밖")


@dataclass(frozen=True)
class ViewerFacts:
    """Who is looking, reduced to what the policy needs."""

    is_public: bool
    organisation_id: int | None
    # networks the organisation belongs to today (joined, not left, network not expired)
    network_ids: frozenset[int]
    # public: the household lies in the jurisdiction; others: the organisation serves it
    covers_household: bool


@dataclass(frozen=True)
class ConsentFacts:
    consent_id: int
    recipient_organisation_id: int | None
    recipient_network_id: int | None
    categories: frozenset[str]
    given_at: datetime
    withdrawn_at: datetime | None
    retention_until: date


@dataclass(frozen=True)
class Decision:
    category: str
    visible: bool
    reason: str = ""  # a WithheldReason value when withheld
    consent_id: int | None = None  # the consent that opened it, when one did

    # Plain strings in the reader's language (the labels are lazy): callers join them
    # with str.join and use them as dictionary keys.
    @property
    def label(self) -> str:
        return str(DataCategory(self.category).label)

    @property
    def reason_label(self) -> str:
        return str(WithheldReason(self.reason).label) if self.reason else ""


def _names_viewer(consent: ConsentFacts, viewer: ViewerFacts) -> bool:
    if consent.recipient_organisation_id is not None:
        return consent.recipient_organisation_id == viewer.organisation_id
    return consent.recipient_network_id in viewer.network_ids


def _consent_decision(
    category: str, consents: Sequence[ConsentFacts], at: datetime, today: date
) -> Decision:
    """Open under the first active consent covering the category; otherwise say why not,
    the most telling reason first (a withdrawal matters more than a lapse)."""
    covering = [consent for consent in consents if category in consent.categories]
    for consent in covering:
        withdrawn = consent.withdrawn_at is not None and consent.withdrawn_at <= at
        if consent.given_at <= at and not withdrawn and today <= consent.retention_until:
            return Decision(category, True, consent_id=consent.consent_id)
    if any(c.withdrawn_at is not None and c.withdrawn_at <= at for c in covering):
        return Decision(category, False, WithheldReason.WITHDRAWN)
    if any(today > c.retention_until for c in covering):
        return Decision(category, False, WithheldReason.EXPIRED)
    return Decision(category, False, WithheldReason.NO_CONSENT)


def decide_person(
    *, viewer: ViewerFacts, consents: Iterable[ConsentFacts], at: datetime, today: date
) -> dict[str, Decision]:
    """One decision per DataCategory for one person. `consents` are that person's
    consents (any recipient; those naming someone else are ignored here)."""
    if not viewer.covers_household:
        return {
            category: Decision(category, False, WithheldReason.OUT_OF_JURISDICTION)
            for category in CATEGORIES
        }
    relevant = [consent for consent in consents if _names_viewer(consent, viewer)]
    opened_without_consent = PUBLIC_SECTOR_CATEGORIES if viewer.is_public else SERVING_BASICS
    decisions = {}
    for category in CATEGORIES:
        if category in opened_without_consent:
            decisions[category] = Decision(category, True)
        else:
            decisions[category] = _consent_decision(category, relevant, at, today)
    return decisions


def decide_household(per_person: Sequence[dict[str, Decision]], category: str) -> Decision:
    """A household-level field (address, household type, the household's means test)
    tells something about every member, so it is shown only when every member's
    decision shows the category; otherwise the first member's reason is given."""
    for decisions in per_person:
        if not decisions[category].visible:
            return decisions[category]
    return Decision(category, True)
