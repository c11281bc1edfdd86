"""The one door to a case: access_case checks who may read it and writes the access log.

Who sees a case:
- public staff (Eup/Myeon/Dong centre, Si/Gun/Gu office) whose jurisdiction covers the
  household — the same rule as people.access;
- staff of an organisation participating in the case now; for an organisation outside
  the public sector, only while it also serves the household (an open Engagement, the
  same scope as its household page): a withdrawn consent or an ended referral ends the
  engagement, and with it the organisation's view of the case on its next request,
  while what it recorded there (deliveries, notes) stays on the case;
- everyone else: CaseNotFound, the same as a case that does not exist (a 404, so that
  nobody can probe which households have a case).
Within the case, notes follow their visibility and the household's consents
(cases.selectors.notes_visible_to).
"""

from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from bokjihub.audit.models import AccessAction, AccessPurpose
from bokjihub.audit.services import access_log_write
from bokjihub.cases.models import (
    Case,
    CaseEvent,
    CaseNote,
    CaseParticipant,
    CaseTask,
    NeedsAssessment,
    PlanGoal,
    TaskStatus,
    Visit,
)
from bokjihub.cases.selectors import notes_visible_to, timeline_visible_to
from bokjihub.orgs.actors import Actor
from bokjihub.orgs.models import Sector
from bokjihub.people.access import household_view_of_logged_read, jurisdiction_emd_ids
from bokjihub.people.models import Engagement, Person


class CaseNotFound(ObjectDoesNotExist):
    """No such case, or one the actor may not see: indistinguishable on purpose."""


def _is_public(actor: Actor) -> bool:
    organisation = actor.organisation
    return organisation is not None and organisation.sector == Sector.PUBLIC


def cases_in_scope(actor: Actor) -> QuerySet[Case]:
    """Cases the actor may read. Not logged by itself: access_case logs what it shows,
    and list pages log the households they list."""
    if not actor.may_read_personal_data or actor.organisation is None:
        return Case.objects.none()
    participating = Q(
        participants__organisation=actor.organisation, participants__left_at__isnull=True
    )
    if _is_public(actor):
        # The Dongs as a constant list and participation as EXISTS, with no DISTINCT: a
        # households subquery made PostgreSQL scan every household of the Gu (a hashed
        # SubPlan) to show one case, and the join on participants needed DISTINCT.
        in_jurisdiction = Q(household__emd_id__in=jurisdiction_emd_ids(actor) or [])
        participant = CaseParticipant.objects.filter(
            case=OuterRef("pk"), organisation=actor.organisation, left_at__isnull=True
        )
        return Case.objects.filter(in_jurisdiction | Q(Exists(participant)))
    serving = Engagement.objects.filter(
        organisation=actor.organisation, household=OuterRef("household"), ended_on__isnull=True
    )
    return Case.objects.filter(participating).filter(Exists(serving)).distinct()


@dataclass
class CaseView:
    case: Case
    members: list[Person]
    participants: list[CaseParticipant]
    notes: list[CaseNote]
    timeline: list[CaseEvent]
    latest_assessment: NeedsAssessment | None
    goals: list[PlanGoal]
    plan_version: int
    open_tasks: list[CaseTask]
    visits: list[Visit]
    # the actor's organisation works on the case now (may write notes, plans, visits)
    is_participant: bool
    may_join: bool = False
    extra: dict = field(default_factory=dict)
    # The sharing policy's household-level decisions for the actor (people.policy): the
    # page shows the address only where "contact" is visible, else the withheld reason.
    household_decisions: dict = field(default_factory=dict)


def _case_row(actor: Actor, case_id) -> Case | None:
    try:
        case_id = int(case_id)
    except (TypeError, ValueError):
        return None
    participants = Prefetch(
        "participants",
        queryset=CaseParticipant.objects.select_related("organisation").order_by("joined_at"),
    )
    return (
        cases_in_scope(actor)
        .filter(id=case_id)
        .select_related("household", "household__emd", "lead_organisation", "case_manager", "plan")
        .prefetch_related(participants, "household__members")
        .first()
    )


def access_case(*, actor: Actor, case_id, purpose: str = AccessPurpose.CASE_WORK) -> CaseView:
    """One case with what the page shows, if the actor may see it; one access-log row."""
    case = _case_row(actor, case_id)
    if case is None:
        access_log_write(
            actor=actor,
            action=AccessAction.ACCESS_DENIED,
            purpose=purpose,
            detail=f"사례 {case_id}"[:200],
        )
        raise CaseNotFound(str(case_id))
    participants = list(case.participants.all())
    active = {p.organisation_id for p in participants if p.left_at is None}
    is_participant = actor.organisation.id in active
    members = sorted(case.household.members.all(), key=lambda person: person.birth_date)
    notes = notes_visible_to(actor, case, members=members, participants=participants)
    plan = getattr(case, "plan", None)
    view = CaseView(
        case=case,
        members=members,
        participants=participants,
        notes=notes,
        timeline=timeline_visible_to(actor, case, visible_notes=notes),
        latest_assessment=case.assessments.order_by("-number").prefetch_related("needs").first(),
        goals=list(
            plan.goals.filter(plan_version=plan.version).select_related("responsible_organisation")
        )
        if plan
        else [],
        plan_version=plan.version if plan else 0,
        open_tasks=list(
            case.tasks.filter(status=TaskStatus.OPEN).select_related("owner", "owner_organisation")
        ),
        visits=list(case.visits.prefetch_related("staff__user", "staff__organisation")),
        is_participant=is_participant,
        may_join=case.is_open and not is_participant,
    )
    # Made once per page: the case page's summary and eligibility panel read the same
    # view from extra (cases.summary.household_view_for_page).
    household_view = household_view_of_logged_read(case.household, actor=actor)
    view.extra["household_view"] = household_view
    view.household_decisions = household_view.household_decisions
    access_log_write(
        actor=actor,
        action=AccessAction.HOUSEHOLD_VIEW,
        purpose=purpose,
        household_id=case.household_id,
        person_ids=[person.id for person in members],
        detail=f"사례 {case.id} 조회 · 기록 {len(notes)}건 공개",
    )
    return view
