"""The privacy officer's one read of personal data: who viewed a given person.

Finding the person by name and birth date (or household reference, or person number)
reads the person registry, so it goes through here: it is limited to the reviewer's
jurisdiction (the rule of people.access.jurisdiction_dongs) and writes one access-log
row, purpose "audit", naming the persons found. That row is listed with the others, so
the person's own record later shows that the privacy officer looked.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from bokjihub.audit.models import AccessAction, AccessLog, AccessPurpose
from bokjihub.audit.selectors import SEOUL
from bokjihub.audit.services import access_log_write
from bokjihub.orgs.actors import Actor
from bokjihub.orgs.models import Role
from bokjihub.people.access import jurisdiction_dongs
from bokjihub.people.models import Engagement, Person
from bokjihub.regions.models import EupMyeonDong

# Who reviews the log. Auditors see the log and never households; system administrators
# run the review where no auditor has been appointed.
REVIEWER_ROLES = frozenset({Role.AUDITOR, Role.SYSTEM_ADMINISTRATOR})
# More matches than this (a common name with a common birth date in a whole Gu) asks for
# a narrower search instead of listing everyone.
MAX_PERSONS_FOUND = 10
CANDIDATE_CHUNK_SIZE = 2000


def require_reviewer(actor: Actor) -> None:
    if actor.role not in REVIEWER_ROLES:
        raise PermissionDenied(_("접속기록 점검 담당자만 볼 수 있습니다."))


@dataclass(frozen=True)
class WhoViewedQuery:
    """One person to look up, and the period (Seoul days, both ends included)."""

    date_from: date
    date_to: date
    name: str = ""
    birth_date: date | None = None
    household_reference: str = ""
    person_id: int | None = None

    def describe(self) -> str:
        """For the log row: how the person was named, never the name itself."""
        ways = []
        if self.name:
            ways.append("이름·생년월일")
        if self.household_reference:
            ways.append(f"가구 {self.household_reference}")
        if self.person_id is not None:
            ways.append(f"대상자 {self.person_id}")
        return f"열람자 조회({', '.join(ways)}) {self.date_from}~{self.date_to}"


@dataclass
class WhoViewed:
    persons: list[Person]
    rows: list[AccessLog] = field(default_factory=list)
    too_many: bool = False


def persons_in_review_scope(actor: Actor) -> QuerySet[Person]:
    """Persons the reviewer may look up: those of the public office's jurisdiction, or,
    for a private organisation's reviewer, of the households it serves or served."""
    condition = jurisdiction_dongs(actor)
    if condition is None:
        served = Engagement.objects.filter(organisation=actor.organisation)
        return Person.objects.filter(household_id__in=served.values("household_id"))
    return Person.objects.filter(household__emd__in=EupMyeonDong.objects.filter(condition))


def _person_condition(query: WhoViewedQuery) -> Q:
    condition = Q()
    if query.name:
        condition &= Q(name=query.name, birth_date=query.birth_date)
    if query.household_reference:
        condition &= Q(household__reference=query.household_reference)
    if query.person_id is not None:
        condition &= Q(id=query.person_id)
    return condition


def access_who_viewed(*, actor: Actor, query: WhoViewedQuery) -> WhoViewed:
    """Every access-log row naming the person in the period, newest first: who (user,
    organisation, role), when, what and why. A reviewer of a private organisation sees
    its own staff's rows only (the others are the public office's to review)."""
    require_reviewer(actor)
    persons = list(
        persons_in_review_scope(actor)
        .filter(_person_condition(query))
        .select_related("household", "household__emd")
        .order_by("name", "birth_date", "id")[: MAX_PERSONS_FOUND + 1]
    )
    too_many = len(persons) > MAX_PERSONS_FOUND
    if too_many:
        persons = []
    households = {person.household_id for person in persons}
    access_log_write(
        actor=actor,
        action=AccessAction.PERSON_VIEW,
        purpose=AccessPurpose.AUDIT,
        household_id=next(iter(households)) if len(households) == 1 else None,
        person_ids=[person.id for person in persons],
        detail=query.describe(),
    )
    if not persons:
        return WhoViewed(persons=[], too_many=too_many)
    return WhoViewed(persons=persons, rows=_rows_naming(actor, persons, query))


def _rows_naming(actor: Actor, persons: list[Person], query: WhoViewedQuery) -> list[AccessLog]:
    """Rows of the period that name any of the persons, or that concern their household
    without naming anyone in it (a triage item's page lists no members, yet shows the
    household).

    A household view carries its household id (indexed); a search result page carries no
    household, only the persons on it. Both are read for the period and the person ids
    matched in Python: JSON containment is a lookup on PostgreSQL only, and the period's
    rows without a household are the searches of that period.
    """
    start = datetime.combine(query.date_from, time.min, tzinfo=SEOUL)
    end = datetime.combine(query.date_to + timedelta(days=1), time.min, tzinfo=SEOUL)
    households = {person.household_id for person in persons}
    candidates = AccessLog.objects.filter(occurred_at__gte=start, occurred_at__lt=end).filter(
        Q(household_id__in=households) | Q(household_id__isnull=True)
    )
    if jurisdiction_dongs(actor) is None:
        candidates = candidates.filter(organisation=actor.organisation)
    wanted = {person.id for person in persons}
    rows = candidates.order_by("-occurred_at", "-id").iterator(chunk_size=CANDIDATE_CHUNK_SIZE)
    return [
        row
        for row in rows
        if wanted.intersection(row.person_ids)
        or (row.household_id in households and not row.person_ids)
    ]
