"""Where the household page leads: the household's open cases, triage items and referrals
that the viewer may open, so that the page is no dead end.

Each list asks the owning app's scope (cases.access.cases_in_scope, finding.access.
items_in_scope, and for referrals the rule of referrals.access: staff of the sending or
the receiving organisation), so a link is offered only where following it opens a page,
never a 404. Only numbers, statuses and organisation names are read, no personal data,
so nothing is logged here: the household page has logged its read.
"""

from dataclasses import dataclass, field

from django.db.models import Q

from bokjihub.cases.access import cases_in_scope
from bokjihub.cases.models import Case, CaseStatus
from bokjihub.finding.access import items_in_scope
from bokjihub.finding.models import TriageItem
from bokjihub.orgs.actors import Actor
from bokjihub.people.models import Household
from bokjihub.referrals.models import Referral

# A household has few of each; the page lists the latest and says when there are more.
LINKS_SHOWN = 10


@dataclass
class HouseholdLinks:
    cases: list[Case] = field(default_factory=list)
    items: list[TriageItem] = field(default_factory=list)
    referrals: list[Referral] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.cases or self.items or self.referrals)


def household_links(actor: Actor, household: Household) -> HouseholdLinks:
    """The open cases, the triage items (latest first) and the referrals (latest first)
    of `household` that `actor` may open. Three queries at most."""
    cases = list(
        cases_in_scope(actor)
        .filter(household=household, status=CaseStatus.OPEN)
        .select_related("lead_organisation")
        .order_by("-opened_at", "-id")[:LINKS_SHOWN]
    )
    items = list(
        items_in_scope(actor)
        .filter(household=household)
        .order_by("-received_at", "-id")[:LINKS_SHOWN]
    )
    referrals = []
    organisation = actor.organisation
    if actor.may_read_personal_data and organisation is not None:
        referrals = list(
            Referral.objects.filter(case__household=household)
            .filter(Q(from_organisation=organisation) | Q(to_organisation=organisation))
            .select_related("from_organisation", "to_organisation")
            .order_by("-sent_at", "-id")[:LINKS_SHOWN]
        )
    return HouseholdLinks(cases=cases, items=items, referrals=referrals)
