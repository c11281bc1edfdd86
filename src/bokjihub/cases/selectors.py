"""Reads of cases: overdue stages, assessment history, visible notes and timeline, unmet
needs by Si/Gun/Gu, and the two-track indicators (found vs supported).

Functions that return personal data take an actor and are called by cases.access (or
after it); the aggregates return counts and ids only.
"""

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
)
from django.utils import timezone

from bokjihub.cases.models import (
    Case,
    CaseEvent,
    CaseEventKind,
    CaseNote,
    CaseOutcome,
    CaseParticipant,
    CaseStage,
    CaseStatus,
    NeedDomain,
    NeedsAssessment,
    NoteVisibility,
    PlanGoal,
    UnmetNeed,
)
from bokjihub.orgs.models import NetworkMember, Sector
from bokjihub.people.access import consent_facts
from bokjihub.people.models import Consent, DataCategory
from bokjihub.people.policy import ViewerFacts, decide_household, decide_person

# --- stages -----------------------------------------------------------------------------


def cases_overdue(*, cases=None, now: datetime | None = None):
    """Open cases whose current stage is past its due date, most overdue first. `cases`
    is a queryset already scoped (cases.access.cases_in_scope); defaults to all."""
    now = now or timezone.now()
    base = Case.objects.all() if cases is None else cases
    return base.filter(status=CaseStatus.OPEN, stage_due_at__lt=now).order_by("stage_due_at")


# --- assessments ------------------------------------------------------------------------


@dataclass(frozen=True)
class AssessmentVersion:
    number: int
    assessed_at: datetime
    crisis_level: str
    severities: dict[str, int]
    # severity now minus severity in the previous version, for domains assessed in both
    changes: dict[str, int]
    crisis_level_changed: bool


def assessment_history(*, case: Case) -> list[AssessmentVersion]:
    """Every assessment of the case, oldest first, each with its change since the one
    before. Two queries whatever the number of versions."""
    rows = list(
        NeedsAssessment.objects.filter(case=case).order_by("number").prefetch_related("needs")
    )
    history: list[AssessmentVersion] = []
    previous: AssessmentVersion | None = None
    for row in rows:
        severities = {need.domain: need.severity for need in row.needs.all()}
        changes = (
            {
                domain: severity - previous.severities[domain]
                for domain, severity in severities.items()
                if domain in previous.severities
            }
            if previous
            else {}
        )
        current = AssessmentVersion(
            number=row.number,
            assessed_at=row.assessed_at,
            crisis_level=row.crisis_level,
            severities=severities,
            changes=changes,
            crisis_level_changed=previous is not None and previous.crisis_level != row.crisis_level,
        )
        history.append(current)
        previous = current
    return history


# --- notes and timeline -----------------------------------------------------------------


def _network_ids(organisation, today: date) -> frozenset[int]:
    rows = NetworkMember.objects.filter(organisation=organisation).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=today),
        Q(joined_on__isnull=True) | Q(joined_on__lte=today),
        Q(network__expires_on__isnull=True) | Q(network__expires_on__gte=today),
    )
    return frozenset(rows.values_list("network_id", flat=True))


def _case_notes_consented(actor, members) -> bool:
    """Whether the household's consents open case notes (사례 기록) to the actor's
    organisation: every member's, since a note about the household tells something of
    each (people.policy.decide_household)."""
    if not members:
        return False
    now, today = timezone.now(), timezone.localdate()
    consents = list(Consent.objects.filter(person__in=members))
    names_network = any(consent.recipient_network_id for consent in consents)
    viewer = ViewerFacts(
        is_public=actor.organisation.sector == Sector.PUBLIC,
        organisation_id=actor.organisation.id,
        network_ids=_network_ids(actor.organisation, today) if names_network else frozenset(),
        covers_household=True,
    )
    per_person = [
        decide_person(
            viewer=viewer,
            consents=[consent_facts(c) for c in consents if c.person_id == person.id],
            at=now,
            today=today,
        )
        for person in members
    ]
    return decide_household(per_person, DataCategory.CASE_NOTES).visible


def notes_visible_to(
    actor, case: Case, *, members=None, participants: Sequence[CaseParticipant] | None = None
) -> list[CaseNote]:
    """The case's notes the actor may read, oldest first.

    - Notes of the actor's own organisation: always.
    - "my organisation": nobody else.
    - "the case's participants": staff of organisations participating now.
    - "public sector only": public staff (who reach the case by jurisdiction or by
      participating).
    A note crossing from one organisation to another is also personal data given to a
    third party: between public offices it stays within the public sector's own records;
    any other crossing needs the household's consent to case notes (PIPA art. 17,
    people.policy). The caller has already checked that the actor may see the case.
    """
    organisation = actor.organisation
    if organisation is None:
        return []
    if participants is None:
        participants = list(case.participants.all())
    active = {p.organisation_id for p in participants if p.left_at is None}
    notes = list(
        CaseNote.objects.filter(case=case)
        .select_related("organisation", "author")
        .order_by("written_at", "id")
    )
    is_public = organisation.sector == Sector.PUBLIC
    consent_cache: list[bool] = []

    def consented() -> bool:
        if not consent_cache:
            people = members if members is not None else list(case.household.members.all())
            consent_cache.append(_case_notes_consented(actor, people))
        return consent_cache[0]

    def visible(note: CaseNote) -> bool:
        if note.organisation_id == organisation.id:
            return True
        if note.visibility == NoteVisibility.OWN_ORGANISATION:
            return False
        if note.visibility == NoteVisibility.PARTICIPANTS and organisation.id not in active:
            return False
        if note.visibility == NoteVisibility.PUBLIC_SECTOR and not is_public:
            return False
        if is_public and note.organisation.sector == Sector.PUBLIC:
            return True
        return consented()

    return [note for note in notes if visible(note)]


def timeline_visible_to(actor, case: Case, *, visible_notes: Sequence[CaseNote]) -> list:
    """The case's timeline, oldest first; note events only for notes the actor sees
    (the event line names the organisation and the visibility, but even that is
    withheld for a note the actor may not read)."""
    shown = {note.id for note in visible_notes}
    events = CaseEvent.objects.filter(case=case).select_related("actor", "organisation")
    return [event for event in events if event.note_id is None or event.note_id in shown]


# --- unmet needs ------------------------------------------------------------------------


@dataclass(frozen=True)
class UnmetNeedCount:
    sigungu_id: int
    sigungu_name: str
    domain: str
    reason: str
    count: int

    @property
    def domain_label(self) -> str:
        return NeedDomain(self.domain).label


def unmet_needs_by_sigungu(
    *, start: datetime, end: datetime, sigungu_ids: Sequence[int] | None = None
) -> list[UnmetNeedCount]:
    """Unmet needs recorded in [start, end) per Si/Gun/Gu, domain and reason: evidence for
    the community social-security plan. Counts only, no household."""
    rows = UnmetNeed.objects.filter(recorded_at__gte=start, recorded_at__lt=end)
    if sigungu_ids is not None:
        rows = rows.filter(sigungu_id__in=list(sigungu_ids))
    grouped = (
        rows.values("sigungu_id", "sigungu__name_ko", "domain", "reason")
        .annotate(n=Count("id"))
        .order_by("sigungu__name_ko", "-n", "domain", "reason")
    )
    return [
        UnmetNeedCount(
            sigungu_id=row["sigungu_id"],
            sigungu_name=row["sigungu__name_ko"],
            domain=row["domain"],
            reason=row["reason"],
            count=row["n"],
        )
        for row in grouped
    ]


# --- two-track indicators ---------------------------------------------------------------


@dataclass
class TwoTrackIndicators:
    month: date
    found: int = 0
    cases_opened: int = 0
    supported: int = 0
    # days → found households of the month with no plan goal and no service by then
    found_not_supported: dict[int, int] = field(default_factory=dict)
    found_not_supported_case_ids: dict[int, list[int]] = field(default_factory=dict)
    unmet_needs_by_reason: dict[str, int] = field(default_factory=dict)
    median_days_found_to_service: float | None = None


def _scopes(hub, sigungu) -> tuple[Q, Q, Q]:
    """Filters for triage items, cases and unmet needs of one hub or one Si/Gun/Gu."""
    if (hub is None) == (sigungu is None):
        raise ValueError("hub 또는 sigungu 가운데 하나만 주세요.")
    if hub is not None:
        return (
            Q(hub=hub),
            Q(lead_organisation=hub) | Q(origins__hub=hub),
            Q(case__lead_organisation=hub) | Q(case__origins__hub=hub),
        )
    in_gu = Q(household__emd__sigungu=sigungu) | Q(household__emd__sigungu__parent=sigungu)
    return (Q(sigungu=sigungu), in_gu, Q(sigungu=sigungu))


def two_track_indicators(
    *,
    month: date,
    hub=None,
    sigungu=None,
    not_supported_after_days: Sequence[int] = (30, 90),
    now: datetime | None = None,
) -> TwoTrackIndicators:
    """Found and supported, per hub (an organisation) or Si/Gun/Gu and month (Asia/Seoul),
    computed from timestamps on the finding track and the case timeline.

    - found: triage items closed as "found" in the month;
    - supported: cases that reached "in service" or closed with goals met in the month;
    - found but not supported after N days: of the month's found items whose N days have
      passed by `now`, those whose case had neither a plan goal nor reached "in service"
      within N days of being found.
    """
    from bokjihub.finding.models import Outcome, TriageItem
    from bokjihub.finding.selectors import month_bounds

    now = now or timezone.now()
    start, end = month_bounds(month)
    item_scope, case_scope, unmet_scope = _scopes(hub, sigungu)
    result = TwoTrackIndicators(month=month.replace(day=1))
    found = TriageItem.objects.filter(item_scope).filter(
        outcome=Outcome.FOUND, closed_at__gte=start, closed_at__lt=end
    )
    result.found = found.count()
    cases = Case.objects.filter(case_scope).values("id")
    events = CaseEvent.objects.filter(case__in=cases, at__gte=start, at__lt=end)
    result.cases_opened = events.filter(kind=CaseEventKind.OPENED).count()
    reached_service = Q(kind=CaseEventKind.STAGE_CHANGED, stage_to=CaseStage.IN_SERVICE)
    closed_well = Q(kind=CaseEventKind.CLOSED, data__outcome=CaseOutcome.GOALS_MET)
    result.supported = (
        events.filter(reached_service | closed_well).values("case_id").distinct().count()
    )
    for days in not_supported_after_days:
        ids = _found_not_supported(found, days=days, now=now)
        result.found_not_supported[days] = len(ids)
        result.found_not_supported_case_ids[days] = ids
    unmet = UnmetNeed.objects.filter(unmet_scope).filter(
        recorded_at__gte=start, recorded_at__lt=end
    )
    result.unmet_needs_by_reason = {
        row["reason"]: row["n"]
        for row in unmet.values("reason").annotate(n=Count("id", distinct=True)).order_by()
    }
    result.median_days_found_to_service = _median_days_to_service(found)
    return result


def _found_not_supported(found, *, days: int, now: datetime) -> list[int]:
    """Case ids (0 for a found item without a case) of found items not supported within
    `days` of being found, among those whose `days` have passed."""
    deadline = ExpressionWrapper(
        F("closed_at") + timedelta(days=days), output_field=DateTimeField()
    )
    with_goal = PlanGoal.objects.filter(
        plan__case_id=OuterRef("case_id"), created_at__lte=OuterRef("deadline")
    )
    in_service = CaseEvent.objects.filter(
        case_id=OuterRef("case_id"),
        kind=CaseEventKind.STAGE_CHANGED,
        stage_to=CaseStage.IN_SERVICE,
        at__lte=OuterRef("deadline"),
    )
    rows = (
        found.filter(closed_at__lte=now - timedelta(days=days))
        .annotate(deadline=deadline)
        .filter(~Exists(with_goal), ~Exists(in_service))
        .order_by("closed_at", "id")
        .values_list("case_id", flat=True)
    )
    return [case_id or 0 for case_id in rows]


def _median_days_to_service(found) -> float | None:
    first_service = (
        CaseEvent.objects.filter(
            case_id=OuterRef("case_id"),
            kind=CaseEventKind.STAGE_CHANGED,
            stage_to=CaseStage.IN_SERVICE,
        )
        .order_by("at")
        .values("at")[:1]
    )
    pairs = found.annotate(served_at=Subquery(first_service)).values_list("closed_at", "served_at")
    waits = [
        (served - got).total_seconds() / 86400 for got, served in pairs if served and served >= got
    ]
    return round(statistics.median(waits), 1) if waits else None
