"""The top of the case page: who, where the case stands, and what to do next.

Everything here is read after cases.access.access_case has checked and logged the read;
what of the household it shows is what the sharing policy shows this viewer (the same
HouseholdView the household page uses, without a second log row). Links go only where
the viewer may follow them: the household page for households in the viewer's scope,
a triage item for staff of its hub.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bokjihub.cases.access import CaseView
from bokjihub.cases.models import CaseLevel, CaseStage, CaseTask, VisitStatus
from bokjihub.orgs.actors import Actor
from bokjihub.people.access import HouseholdView, household_view_of_logged_read
from bokjihub.people.models import DataCategory, Person, RelationToHead

# The sections of the case page, in page order: (key, title). The key is the anchor
# (#section-<key>) and what `open_section` names.
SECTIONS = (
    ("assessment", gettext_lazy("욕구·위기도 사정")),
    ("plan", gettext_lazy("서비스 계획")),
    ("conference", gettext_lazy("사례회의와 할 일")),
    ("visits", gettext_lazy("방문")),
    ("referrals", gettext_lazy("의뢰")),
    ("deliveries", gettext_lazy("서비스 제공 기록")),
    ("eligibility", gettext_lazy("수급 가능성 사전 확인")),
    ("notes", gettext_lazy("사례 기록")),
    ("stage", gettext_lazy("단계·종결")),
    ("timeline", gettext_lazy("사례 경과")),
)
# The section holding each action's form: a refused form opens its own section again.
SECTION_OF_ACTION = {
    "assess": "assessment",
    "plan": "plan",
    "conference": "conference",
    "decide": "conference",
    "visit-plan": "visits",
    "visit-record": "visits",
    "note": "notes",
    "advance": "stage",
    "close": "stage",
    "reopen": "stage",
    "unmet": "stage",
    "delivery": "deliveries",
}
# What the consents summary names: the categories a worker asks about first.
CONSENT_CATEGORIES = (
    DataCategory.CONTACT,
    DataCategory.INCOME_ASSETS,
    DataCategory.HEALTH,
    DataCategory.DISABILITY,
    DataCategory.CASE_NOTES,
)


@dataclass(frozen=True)
class NextAction:
    section: str
    label: str


@dataclass
class CaseSummary:
    head_name: str
    # why the name or the address is not shown ("" when shown)
    head_withheld: str
    address: str
    address_withheld: str
    household_url: str
    origins: list[tuple[str, str]]  # (label, url or "" when the viewer may not open it)
    next_action: NextAction
    due_at: datetime | None
    overdue: bool
    open_referrals: int
    shown_categories: list[str] = field(default_factory=list)
    withheld_categories: list[tuple[str, str]] = field(default_factory=list)
    active_consents: int | None = None  # public staff only: they record consents


def _head(members: list[Person]) -> Person | None:
    heads = [person for person in members if person.relation_to_head == RelationToHead.HEAD]
    return (heads or members or [None])[0]


def next_action(view: CaseView, *, decided: bool, open_referrals: int) -> NextAction:
    """The step the national process expects next, from the stage and what is recorded."""
    case = view.case
    assessed, planned = view.latest_assessment is not None, bool(view.goals)
    planned_visit = any(visit.status == VisitStatus.PLANNED for visit in view.visits)
    if not case.is_open:
        return NextAction("stage", _("사후관리 확인 또는 재개"))
    if case.stage in (CaseStage.INTAKE, CaseStage.ASSESSMENT) and not assessed:
        return NextAction("assessment", _("사정 기록"))
    if case.stage == CaseStage.INTAKE:
        return NextAction("stage", _("사정 단계로 넘기기"))
    if case.stage == CaseStage.ASSESSMENT:
        if case.level == CaseLevel.SIMPLE_REFERRAL:
            return NextAction("plan", _("서비스 계획 세우기"))
        return NextAction("conference", _("사례회의 잡기"))
    if case.stage == CaseStage.CONFERENCE:
        if not decided:
            return NextAction("conference", _("사례회의 결정 기록"))
        return NextAction("plan", _("서비스 계획 세우기"))
    if case.stage == CaseStage.PLANNING:
        if not planned:
            return NextAction("plan", _("서비스 계획 세우기"))
        return NextAction("stage", _("서비스 제공 단계로 넘기기"))
    if planned_visit:
        return NextAction("visits", _("방문 결과 기록"))
    if open_referrals:
        return NextAction("referrals", _("의뢰 진행 확인"))
    if case.stage == CaseStage.IN_SERVICE:
        return NextAction("deliveries", _("서비스 제공 기록"))
    return NextAction("stage", _("점검 후 종결 검토"))


def household_view_for_page(view: CaseView, actor: Actor) -> HouseholdView:
    """The sharing decisions over the case's household, made once per page: the summary
    and the eligibility panel both read them (view.extra)."""
    if "household_view" not in view.extra:
        view.extra["household_view"] = household_view_of_logged_read(
            view.case.household, actor=actor
        )
    return view.extra["household_view"]


def _consents(summary: CaseSummary, household_view: HouseholdView) -> None:
    for category in CONSENT_CATEGORIES:
        decision = household_view.household_decisions[category]
        label = DataCategory(category).label
        if decision.visible:
            summary.shown_categories.append(label)
        else:
            summary.withheld_categories.append((label, decision.reason_label))
    if household_view.may_manage_consents:
        now, today = timezone.now(), timezone.localdate()
        summary.active_consents = sum(
            1
            for member in household_view.member_views
            for consent in member.consents
            if consent.given_at <= now
            and (consent.withdrawn_at is None or consent.withdrawn_at > now)
            and today <= consent.retention_until
        )


def _origins(actor: Actor, case) -> list[tuple[str, str]]:
    from bokjihub.finding.access import items_in_scope

    items = list(case.origins.order_by("closed_at", "id"))
    if not items:
        return []
    visible = set(
        items_in_scope(actor)
        .filter(id__in=[item.id for item in items])
        .values_list("id", flat=True)
    )
    return [
        (str(item), reverse("finding_item", args=[item.reference]) if item.id in visible else "")
        for item in items
    ]


def _household_url(actor: Actor, household) -> str:
    from bokjihub.people.access import households_in_scope

    if households_in_scope(actor).filter(pk=household.pk).exists():
        return reverse("household_detail", args=[household.reference])
    return ""


def case_summary(
    *, actor: Actor, view: CaseView, decided: bool, open_referrals: int
) -> CaseSummary:
    case = view.case
    household_view = household_view_for_page(view, actor)
    head = _head(view.members)
    decisions = next(
        (m.decisions for m in household_view.member_views if head and m.id == head.id), None
    )
    identity = decisions[DataCategory.IDENTITY] if decisions else None
    contact = household_view.household_decisions[DataCategory.CONTACT]
    household = case.household
    summary = CaseSummary(
        head_name=head.name if head and identity and identity.visible else "",
        head_withheld=identity.reason_label if identity and not identity.visible else "",
        address=" ".join(filter(None, [household.road_address, household.address_detail]))
        if contact.visible
        else "",
        address_withheld=contact.reason_label if not contact.visible else "",
        household_url=_household_url(actor, household),
        origins=_origins(actor, case),
        next_action=next_action(view, decided=decided, open_referrals=open_referrals),
        due_at=case.stage_due_at if case.is_open else None,
        overdue=case.is_open
        and case.stage_due_at is not None
        and case.stage_due_at < timezone.now(),
        open_referrals=open_referrals,
    )
    _consents(summary, household_view)
    return summary


def earliest_task(view: CaseView) -> CaseTask | None:
    tasks = sorted(view.open_tasks, key=lambda task: (task.due_on, task.id))
    return tasks[0] if tasks else None
