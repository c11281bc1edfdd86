"""The worker's day (오늘 할 일): open cases by stage deadline, open tasks, today's visits,
each with the case number and the name of the household's head, as the sharing policy
shows them to this worker.

An access_* function like those of cases.access (kept apart because it reads many
households at once): it scopes by cases_in_scope, decides each name through
people.policy, links only to cases the worker may open, and writes one access-log row
naming the persons shown. A fixed number of queries whatever the caseload: a worker may
hold hundreds of cases and the page must stay within the benchmark's budget.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from bokjihub.audit.models import AccessAction, AccessPurpose
from bokjihub.audit.services import access_log_write
from bokjihub.cases.access import cases_in_scope
from bokjihub.cases.models import (
    CaseStage,
    CaseStatus,
    CaseTask,
    TaskStatus,
    Visit,
    VisitKind,
    VisitStatus,
)
from bokjihub.cases.selectors import _network_ids
from bokjihub.orgs.actors import Actor
from bokjihub.orgs.models import Sector
from bokjihub.people.access import consent_facts
from bokjihub.people.models import Consent, DataCategory, Person, RelationToHead
from bokjihub.people.policy import ViewerFacts, decide_person

CASES_PER_PAGE = 50  # the most urgent first; the rest a page away


@dataclass(frozen=True)
class CaseRef:
    """A case as a row names it: its number, the head's name ("" when withheld or not
    recorded) and its page ("" when the worker may not open it)."""

    number: str
    name: str
    url: str


@dataclass(frozen=True)
class TodayRow:
    case: CaseRef
    dong: str
    stage: str
    due: str
    overdue: bool


@dataclass(frozen=True)
class TodayTask:
    case: CaseRef
    title: str
    due_on: date
    overdue: bool


@dataclass(frozen=True)
class TodayVisit:
    case: CaseRef
    planned_for: datetime
    kind: str
    purpose: str


@dataclass(frozen=True)
class Caseload:
    rows: list[TodayRow]  # the page of open cases asked for
    tasks: list[TodayTask]
    visits: list[TodayVisit]
    page: Page | None = None  # of all open cases: total, numbers, neighbours
    overdue_count: int = 0  # over all open cases, not only this page


def _day_bounds(now: datetime) -> tuple[datetime, datetime]:
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + timedelta(days=1)


def _viewer(actor: Actor, consents: list[Consent], today: date) -> ViewerFacts:
    organisation = actor.organisation
    network_ids: frozenset[int] = frozenset()
    if any(consent.recipient_network_id for consent in consents):
        network_ids = _network_ids(organisation, today)
    # Every household here is one of a case the worker may open: inside their scope.
    return ViewerFacts(
        is_public=organisation.sector == Sector.PUBLIC,
        organisation_id=organisation.id,
        network_ids=network_ids,
        covers_household=True,
    )


def _head_names(actor: Actor, household_ids: set[int]) -> dict[int, tuple[int, str]]:
    """household id → (person id, name) of the head, for heads whose identity the policy
    shows this worker. Two queries (three when a consent names a network)."""
    heads = list(
        Person.objects.filter(household_id__in=household_ids, relation_to_head=RelationToHead.HEAD)
        .order_by("household_id", "id")
        .only("id", "household_id", "name")
    )
    consents = list(Consent.objects.filter(person__in=heads))
    now, today = timezone.now(), timezone.localdate()
    viewer = _viewer(actor, consents, today)
    names: dict[int, tuple[int, str]] = {}
    for head in heads:
        if head.household_id in names:
            continue
        decision = decide_person(
            viewer=viewer,
            consents=[consent_facts(c) for c in consents if c.person_id == head.id],
            at=now,
            today=today,
        )[DataCategory.IDENTITY]
        if decision.visible:
            names[head.household_id] = (head.id, head.name)
    return names


def access_caseload(*, actor: Actor, now: datetime | None = None, page: object = 1) -> Caseload:
    """The worker's open cases (overdue first, no deadline last) a page at a time, open
    tasks by due date and visits planned today; one access-log row naming the heads
    shown. A worker carries hundreds of cases: drawing and deciding names for all of them
    on every visit cost more than the rest of the page together."""
    now = now or timezone.now()
    start, end = _day_bounds(now)
    in_scope = cases_in_scope(actor)
    my_cases = list(
        in_scope.filter(status=CaseStatus.OPEN, case_manager=actor.user)
        .order_by(F("stage_due_at").asc(nulls_last=True), "id")
        .values_list(
            "id", "number", "household_id", "stage", "stage_due_at", "household__emd__name_ko"
        )
    )
    tasks = list(
        CaseTask.objects.filter(owner=actor.user, status=TaskStatus.OPEN)
        .order_by("due_on", "id")
        .values_list("case_id", "case__number", "case__household_id", "title", "due_on")
    )
    visits = list(
        Visit.objects.filter(
            status=VisitStatus.PLANNED,
            planned_for__gte=start,
            planned_for__lt=end,
            staff__user=actor.user,
        )
        .order_by("planned_for", "id")
        .distinct()
        .values_list(
            "case_id", "case__number", "case__household_id", "planned_for", "kind", "purpose"
        )
    )
    overdue_count = sum(1 for row in my_cases if row[4] is not None and row[4] < now)
    cases_page = Paginator(my_cases, CASES_PER_PAGE).get_page(page)
    my_cases = list(cases_page.object_list)
    # A task or a visit may sit on a case the worker no longer sees (their organisation
    # left it): it is listed, without a name or a link.
    others = {row[0] for row in tasks} | {row[0] for row in visits}
    visible = {row[0] for row in my_cases} | set(
        in_scope.filter(id__in=others).values_list("id", flat=True) if others else ()
    )
    households = {row[2] for row in my_cases}
    households |= {row[2] for row in [*tasks, *visits] if row[0] in visible}
    names = _head_names(actor, households) if households else {}
    pattern = reverse("case_detail", args=[0]).replace("/0/", "/{}/")

    def ref(case_id: int, number: str, household_id: int) -> CaseRef:
        if case_id not in visible:
            return CaseRef(number=number, name="", url="")
        return CaseRef(
            number=number,
            name=names.get(household_id, (0, ""))[1],
            url=pattern.format(case_id),
        )

    labels = dict(CaseStage.choices)
    today = timezone.localdate(now)
    caseload = Caseload(
        rows=[
            TodayRow(
                case=ref(case_id, number, household_id),
                dong=dong,
                stage=labels.get(stage, stage),
                due=timezone.localtime(due_at).strftime("%Y-%m-%d") if due_at else "—",
                overdue=due_at is not None and due_at < now,
            )
            for case_id, number, household_id, stage, due_at, dong in my_cases
        ],
        tasks=[
            TodayTask(
                case=ref(case_id, number, household_id),
                title=title,
                due_on=due_on,
                overdue=due_on < today,
            )
            for case_id, number, household_id, title, due_on in tasks
        ],
        visits=[
            TodayVisit(
                case=ref(case_id, number, household_id),
                planned_for=planned_for,
                kind=VisitKind(kind).label,
                purpose=purpose,
            )
            for case_id, number, household_id, planned_for, kind, purpose in visits
        ],
        page=cases_page,
        overdue_count=overdue_count,
    )
    access_log_write(
        actor=actor,
        action=AccessAction.HOUSEHOLD_SEARCH,
        purpose=AccessPurpose.CASE_WORK,
        person_ids=sorted({person_id for person_id, _ in names.values()}),
        detail=f"오늘 할 일: 사례 {len(my_cases)}건, 할 일 {len(tasks)}건, 방문 {len(visits)}건",
    )
    return caseload
