"""Writes of cases: open or join, stages, assessment, plan, conferences, visits, notes,
unmet needs, closure and reopening, handover.

Every service runs in one transaction, locks the case it changes, and writes the
timeline event itself (cases.events). Stage moves follow STAGE_TRANSITIONS, an explicit
table; nothing happens in save() or signals.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone, translation
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy

from bokjihub.cases.events import case_event_write, case_events_write_many
from bokjihub.cases.limits import NOTE_MAX, OVERRIDE_REASON_MAX, check_length
from bokjihub.cases.models import (
    Case,
    CaseEventKind,
    CaseHandover,
    CaseLevel,
    CaseNote,
    CaseNumberSequence,
    CaseOutcome,
    CaseParticipant,
    CasePlan,
    CaseStage,
    CaseStatus,
    CaseTask,
    Conference,
    ConferenceCase,
    ConferenceDecision,
    ConferenceKind,
    ConferenceParticipant,
    ConferenceStatus,
    CrisisLevel,
    DomainNeed,
    GoalStatus,
    NeedDomain,
    NeedsAssessment,
    NeedSeverity,
    NoteVisibility,
    ParticipantRole,
    PlanGoal,
    TaskStatus,
    UnmetNeed,
    UnmetNeedReason,
    Visit,
    VisitKind,
    VisitOutcome,
    VisitStaff,
    VisitStatus,
)
from bokjihub.cases.numbers import case_number_format, case_number_prefix
from bokjihub.orgs.models import Membership, Sector
from bokjihub.orgs.services import is_active_member, require_active_member
from bokjihub.people.models import Engagement
from bokjihub.people.services import engagement_start


class CaseTransitionError(ValueError):
    """A move the rules refuse (a stage the table does not allow, a closed case)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class CaseConflictError(Exception):
    """Somebody saved first: the caller's copy is stale and nothing was written."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class CaseAlreadyOpen(Exception):
    """The household already has an open case: join it instead of opening another."""

    def __init__(self, case: Case):
        self.case = case
        self.message = gettext(
            "이 가구에는 이미 진행 중인 사례가 있습니다 (주관기관: %(organisation)s). "
            "새 사례를 열지 말고 참여기관으로 함께해 주세요."
        ) % {"organisation": case.lead_organisation}
        super().__init__(self.message)


# The national integrated case-management process: intake within about 10 days, the case
# conference within about 5, the service plan within about 15. The assessment has no
# national figure; 14 days is our default. In service and monitoring run to the plan's
# review dates instead of a stage deadline. (A per-Si/Gun/Gu setting, like the finding
# track's FindingPolicy, can override these later.)
STAGE_DUE_DAYS: dict[str, int | None] = {
    CaseStage.INTAKE: 10,
    CaseStage.ASSESSMENT: 14,
    CaseStage.CONFERENCE: 5,
    CaseStage.PLANNING: 15,
    CaseStage.IN_SERVICE: None,
    CaseStage.MONITORING: None,
    CaseStage.CLOSED: None,
}

# Allowed moves. Closing goes through case_close (it needs an outcome), reopening
# through case_reopen; case_stage_advance refuses both.
STAGE_TRANSITIONS: dict[str, frozenset[str]] = {
    CaseStage.INTAKE: frozenset({CaseStage.ASSESSMENT, CaseStage.CLOSED}),
    CaseStage.ASSESSMENT: frozenset({CaseStage.CONFERENCE, CaseStage.PLANNING, CaseStage.CLOSED}),
    CaseStage.CONFERENCE: frozenset({CaseStage.PLANNING, CaseStage.ASSESSMENT, CaseStage.CLOSED}),
    CaseStage.PLANNING: frozenset({CaseStage.IN_SERVICE, CaseStage.CONFERENCE, CaseStage.CLOSED}),
    CaseStage.IN_SERVICE: frozenset({CaseStage.MONITORING, CaseStage.PLANNING, CaseStage.CLOSED}),
    CaseStage.MONITORING: frozenset({CaseStage.IN_SERVICE, CaseStage.PLANNING, CaseStage.CLOSED}),
    CaseStage.CLOSED: frozenset({CaseStage.INTAKE}),
}
# Only a simple referral may go from assessment straight to planning: general and
# intensive case management are selected by the case conference.
LEVELS_SKIPPING_CONFERENCE = frozenset({CaseLevel.SIMPLE_REFERRAL})


def _ko(text) -> str:
    """A label in Korean whatever the reader's language: timeline summaries are stored
    once and read by everyone, so they are written in the source language."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)


def _stage_due(stage: str, at: datetime) -> datetime | None:
    days = STAGE_DUE_DAYS[stage]
    return at + timedelta(days=days) if days is not None else None


def _check_move(case: Case, to_stage: str) -> None:
    if to_stage not in STAGE_TRANSITIONS.get(case.stage, frozenset()):
        raise CaseTransitionError(
            gettext("'%(from)s' 단계에서 '%(to)s' 단계로 바로 넘어갈 수 없습니다.")
            % {"from": CaseStage(case.stage).label, "to": CaseStage(to_stage).label}
        )
    if (
        case.stage == CaseStage.ASSESSMENT
        and to_stage == CaseStage.PLANNING
        and case.level not in LEVELS_SKIPPING_CONFERENCE
    ):
        raise CaseTransitionError(
            gettext(
                "일반·집중 사례관리는 사례회의를 거쳐 서비스 계획을 세웁니다. "
                "단순 서비스 연계만 사례회의를 건너뛸 수 있습니다."
            )
        )


def _check_preconditions(case: Case, to_stage: str) -> None:
    if to_stage in (CaseStage.CONFERENCE, CaseStage.PLANNING) and not case.assessments.exists():
        raise CaseTransitionError(gettext("욕구·위기도 사정을 먼저 기록해 주세요."))
    if to_stage == CaseStage.IN_SERVICE:
        plan = CasePlan.objects.filter(case=case).first()
        if plan is None or not plan.goals.filter(plan_version=plan.version).exists():
            raise CaseTransitionError(
                gettext(
                    "서비스 계획에 목표가 하나 이상 있어야 서비스 제공 단계로 넘어갈 수 있습니다."
                )
            )


def lock_case(case: Case, expected_version: int | None = None) -> Case:
    """The case row, locked for the caller's transaction (every write on a case takes it,
    here and in cases.deliveries); CaseConflictError when expected_version is stale."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if expected_version is not None and locked.version != expected_version:
        raise CaseConflictError(
            gettext(
                "다른 사용자가 먼저 이 사례를 바꾸었습니다. 화면을 새로 고쳐 최신 내용을 "
                "확인한 뒤 다시 시도해 주세요. 이번 변경은 저장하지 않았습니다."
            )
        )
    return locked


def _require_open(case: Case) -> None:
    if case.status != CaseStatus.OPEN:
        raise CaseTransitionError(gettext("종결된 사례입니다. 재개한 뒤에 기록해 주세요."))


def require_participant(case: Case, organisation) -> None:
    """PermissionDenied unless the organisation works on the case now (the check of every
    write on a case, here and in cases.deliveries and referrals.services)."""
    active = CaseParticipant.objects.filter(
        case=case, organisation=organisation, left_at__isnull=True
    ).exists()
    if not active:
        raise PermissionDenied(
            gettext("%(organisation)s은(는) 이 사례의 참여기관이 아닙니다.")
            % {"organisation": organisation}
        )


# --- open, join -------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseOpened:
    case: Case
    created: bool

    @property
    def joined_existing(self) -> bool:
        return not self.created


def _open_case_of(household) -> Case | None:
    return (
        Case.objects.select_related("lead_organisation")
        .filter(household=household, status=CaseStatus.OPEN)
        .first()
    )


def _case_number_next(*, household, at: datetime) -> str:
    """The next number of the household's Si/Gun/Gu for the year of `at` (Asia/Seoul).
    Locks the sequence row until the caller's transaction ends: concurrent opens in one
    Si/Gun/Gu queue here instead of drawing the same number."""
    sigungu = household.emd.sigungu
    prefix, year = case_number_prefix(sigungu), timezone.localtime(at).year
    CaseNumberSequence.objects.get_or_create(prefix=prefix, year=year)
    sequence = CaseNumberSequence.objects.select_for_update().get(prefix=prefix, year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return case_number_format(prefix, year, sequence.last)


def _case_create(
    *, household, lead_organisation, case_manager, summary: str, level: str, by
) -> Case | None:
    """The new case, or None when a concurrent request opened one first (the partial
    unique index decides; the savepoint keeps the caller's transaction usable, and rolls
    back the number drawn for it, so numbers have no gaps)."""
    now = timezone.now()
    try:
        with transaction.atomic():
            case = Case.objects.create(
                number=_case_number_next(household=household, at=now),
                household=household,
                lead_organisation=lead_organisation,
                case_manager=case_manager,
                summary=summary,
                level=level,
                stage=CaseStage.INTAKE,
                stage_entered_at=now,
                stage_due_at=_stage_due(CaseStage.INTAKE, now),
                opened_at=now,
            )
    except IntegrityError:
        return None
    CaseParticipant.objects.create(
        case=case,
        organisation=lead_organisation,
        role=ParticipantRole.LEAD,
        joined_at=now,
        joined_by=by or case_manager,
    )
    case_event_write(
        case=case,
        kind=CaseEventKind.OPENED,
        by=by or case_manager,
        organisation=lead_organisation,
        at=now,
        stage_to=CaseStage.INTAKE,
        summary=f"사례 개시 ({lead_organisation}, {_ko(CaseLevel(level).label)})",
    )
    return case


def case_open_or_join(
    *,
    household,
    lead_organisation,
    case_manager=None,
    summary: str = "",
    level: str = CaseLevel.GENERAL,
    by=None,
) -> CaseOpened:
    """The household's open case, or a new one. Two officers confirming the same household
    at once both end up on one case: the partial unique index decides, and the loser
    reads the winner's row. An organisation that finds the case led by another is not
    made a participant here: the caller offers case_join."""
    existing = _open_case_of(household)
    if existing:
        return CaseOpened(case=existing, created=False)
    with transaction.atomic():
        case = _case_create(
            household=household,
            lead_organisation=lead_organisation,
            case_manager=case_manager,
            summary=summary,
            level=level,
            by=by,
        )
    if case is None:
        return CaseOpened(
            case=Case.objects.get(household=household, status=CaseStatus.OPEN), created=False
        )
    return CaseOpened(case=case, created=True)


def case_open(
    *, household, lead_organisation, case_manager, by, level=CaseLevel.GENERAL, summary=""
) -> Case:
    """Open a case for a household; raises CaseAlreadyOpen (carrying the open case, so the
    page can offer to join it) when the household has one, even if that one was opened
    a moment ago by a concurrent request."""
    if level not in CaseLevel.values:
        raise ValidationError({"level": gettext("사례관리 수준을 목록에서 골라 주세요.")})
    opened = case_open_or_join(
        household=household,
        lead_organisation=lead_organisation,
        case_manager=case_manager,
        summary=summary,
        level=level,
        by=by,
    )
    if not opened.created:
        raise CaseAlreadyOpen(opened.case)
    return opened.case


def case_join(*, case: Case, organisation, by) -> CaseParticipant:
    """A second organisation joins the open case (instead of opening its own). It also
    starts an Engagement, which puts the household in the organisation's scope; what it
    then sees of the household's data still depends on consent (people.policy)."""
    with transaction.atomic():
        locked = lock_case(case)
        _require_open(locked)
        current = CaseParticipant.objects.filter(
            case=locked, organisation=organisation, left_at__isnull=True
        ).first()
        if current is not None:
            return current
        inviters = CaseParticipant.objects.filter(case=locked, left_at__isnull=True).values(
            "organisation_id"
        )
        may_add = Membership.objects.filter(user=by, ended_on__isnull=True).filter(
            organisation_id__in=[organisation.id, *[row["organisation_id"] for row in inviters]]
        )
        if not may_add.exists():
            raise PermissionDenied(
                gettext("참여기관 직원이나 합류하는 기관의 직원만 참여를 기록합니다.")
            )
        now = timezone.now()
        participant = CaseParticipant.objects.create(
            case=locked,
            organisation=organisation,
            role=ParticipantRole.PARTICIPANT,
            joined_at=now,
            joined_by=by,
        )
        serving = Engagement.objects.filter(
            organisation=organisation, household_id=locked.household_id, ended_on__isnull=True
        )
        if not serving.exists():
            engagement_start(
                organisation=organisation,
                household=locked.household,
                basis=f"통합사례관리 참여 (사례 {locked.number})",
            )
        case_event_write(
            case=locked,
            kind=CaseEventKind.JOINED,
            by=by,
            organisation=organisation,
            at=now,
            summary=f"{organisation} 참여",
        )
    return participant


# --- stages, level, closure, reopening --------------------------------------------------


def case_stage_advance(
    *, case: Case, to_stage: str, by, expected_version: int, note: str = ""
) -> Case:
    if to_stage not in CaseStage.values:
        raise CaseTransitionError(gettext("단계를 목록에서 골라 주세요."))
    if to_stage == CaseStage.CLOSED:
        raise CaseTransitionError(gettext("종결은 종결 사유와 함께 기록해 주세요 (사례 종결)."))
    with transaction.atomic():
        locked = lock_case(case, expected_version)
        _require_open(locked)
        _check_move(locked, to_stage)
        _check_preconditions(locked, to_stage)
        now, from_stage = timezone.now(), locked.stage
        locked.stage, locked.stage_entered_at = to_stage, now
        locked.stage_due_at = _stage_due(to_stage, now)
        locked.version += 1
        locked.save(update_fields=["stage", "stage_entered_at", "stage_due_at", "version"])
        case_event_write(
            case=locked,
            kind=CaseEventKind.STAGE_CHANGED,
            by=by,
            at=now,
            stage_from=from_stage,
            stage_to=to_stage,
            summary=(
                f"{_ko(CaseStage(from_stage).label)} → {_ko(CaseStage(to_stage).label)} {note}"
            ).strip(),
        )
    return locked


def case_level_set(*, case: Case, level: str, by, expected_version: int, reason: str) -> Case:
    if level not in CaseLevel.values:
        raise ValidationError({"level": gettext("사례관리 수준을 목록에서 골라 주세요.")})
    with transaction.atomic():
        locked = lock_case(case, expected_version)
        _require_open(locked)
        before = locked.level
        locked.level = level
        locked.version += 1
        locked.save(update_fields=["level", "version"])
        case_event_write(
            case=locked,
            kind=CaseEventKind.LEVEL_CHANGED,
            by=by,
            summary=(
                f"{_ko(CaseLevel(before).label)} → {_ko(CaseLevel(level).label)} {reason}"
            ).strip(),
        )
    return locked


class CaseClosureIncomplete(CaseTransitionError):
    """Closing would leave the work unfinished (no assessment, no plan, a referral still
    open) and no reason was given for closing anyway. `missing` names each gap."""

    def __init__(self, missing: list[str]):
        self.missing = missing
        super().__init__(
            gettext(
                "종결하기 전에 확인해 주세요: %(missing)s. 그래도 종결하려면 그 이유를 적어 주세요."
            )
            % {"missing": ", ".join(missing)}
        )


def case_closure_gaps(case: Case) -> list[str]:
    """What closing the case now would leave undone, in words for the page: an
    assessment, a plan with goals, referrals the receiving side has not finished. Empty
    when the case may close without a reason. Three small queries."""
    from bokjihub.referrals.models import OPEN_STATUSES

    missing = []
    if not case.assessments.exists():
        missing.append(gettext_lazy("사정 기록 없음"))
    if not PlanGoal.objects.filter(plan__case=case, plan_version=F("plan__version")).exists():
        missing.append(gettext_lazy("서비스 계획 없음"))
    open_referrals = case.referrals.filter(status__in=sorted(OPEN_STATUSES)).count()
    if open_referrals:
        missing.append(
            format_lazy(gettext_lazy("끝나지 않은 의뢰 {count}건"), count=open_referrals)
        )
    return missing


def case_close(
    *,
    case: Case,
    outcome: str,
    at=None,
    by=None,
    follow_up_on: date | None = None,
    note: str = "",
    override_reason: str = "",
    expected_version: int | None = None,
) -> Case:
    """Close with an outcome and, usually, a follow-up date (사후관리). Closing a closed
    case changes nothing.

    A case without an assessment or a plan, or with a referral still open, closes only
    with `override_reason` ("그래도 종결하는 이유"), which the timeline keeps next to what
    was missing; without it CaseClosureIncomplete names the gaps and nothing changes."""
    if outcome not in CaseOutcome.values:
        raise ValueError(f"알 수 없는 종결 사유입니다: {outcome}")
    override_reason = override_reason.strip()
    check_length("override_reason", override_reason, OVERRIDE_REASON_MAX)
    with transaction.atomic():
        locked = lock_case(case, expected_version)
        if locked.status == CaseStatus.CLOSED:
            return locked
        _check_move(locked, CaseStage.CLOSED)
        gaps = case_closure_gaps(locked)
        if gaps and not override_reason:
            raise CaseClosureIncomplete([str(gap) for gap in gaps])
        # the timeline keeps the gaps in Korean, as every stored summary
        missing = [_ko(gap) for gap in gaps]
        moment = at or timezone.now()
        from_stage = locked.stage
        locked.status, locked.outcome, locked.closed_at = CaseStatus.CLOSED, outcome, moment
        locked.stage, locked.stage_entered_at, locked.stage_due_at = CaseStage.CLOSED, moment, None
        locked.follow_up_on = follow_up_on
        locked.version += 1
        locked.save(
            update_fields=[
                "status",
                "outcome",
                "closed_at",
                "stage",
                "stage_entered_at",
                "stage_due_at",
                "follow_up_on",
                "version",
            ]
        )
        summary = f"종결: {_ko(CaseOutcome(outcome).label)}"
        if missing:
            summary += f" ({', '.join(missing)}) · 그래도 종결하는 이유: {override_reason}"
        summary = f"{summary} {note}".strip()
        case_event_write(
            case=locked,
            kind=CaseEventKind.CLOSED,
            by=by,
            at=moment,
            stage_from=from_stage,
            stage_to=CaseStage.CLOSED,
            summary=summary,
            data={
                "outcome": outcome,
                "follow_up_on": follow_up_on.isoformat() if follow_up_on else "",
                "missing": missing,
                "override_reason": override_reason if missing else "",
            },
        )
    return locked


def case_reopen(*, case: Case, by, reason: str, expected_version: int | None = None) -> Case:
    """Reopen a closed case at intake. The earlier closure stays on the timeline (its
    outcome is in the CLOSED event); the row's outcome is cleared for the new round.
    Refused with CaseAlreadyOpen when the household has opened another case since."""
    if not reason.strip():
        raise ValidationError({"reason": gettext("재개하는 이유를 적어 주세요.")})
    with transaction.atomic():
        locked = lock_case(case, expected_version)
        if locked.status != CaseStatus.CLOSED:
            raise CaseTransitionError(gettext("진행 중인 사례는 재개할 수 없습니다."))
        _check_move(locked, CaseStage.INTAKE)
        now = timezone.now()
        previous = {"outcome": locked.outcome, "closed_at": locked.closed_at.isoformat()}
        locked.status, locked.outcome, locked.closed_at = CaseStatus.OPEN, "", None
        locked.stage, locked.stage_entered_at = CaseStage.INTAKE, now
        locked.stage_due_at = _stage_due(CaseStage.INTAKE, now)
        locked.follow_up_on = None
        locked.reopened_count += 1
        locked.version += 1
        try:
            with transaction.atomic():
                locked.save()
        except IntegrityError:
            raise CaseAlreadyOpen(_open_case_of(locked.household)) from None
        case_event_write(
            case=locked,
            kind=CaseEventKind.REOPENED,
            by=by,
            at=now,
            stage_from=CaseStage.CLOSED,
            stage_to=CaseStage.INTAKE,
            summary=f"재개: {reason.strip()}",
            data=previous,
        )
    return locked


# --- assessment -------------------------------------------------------------------------


def assessment_record(
    *,
    case: Case,
    crisis_level: str,
    needs: Mapping[str, int],
    by,
    organisation,
    summary: str = "",
    observations: Mapping[str, str] | None = None,
    at: datetime | None = None,
) -> NeedsAssessment:
    """Record a new assessment (version n+1); earlier ones are never changed. `needs`
    maps a NeedDomain to a NeedSeverity (0–3); domains left out were not assessed."""
    errors: dict[str, str] = {}
    if crisis_level not in CrisisLevel.values:
        errors["crisis_level"] = gettext("위기도를 목록에서 골라 주세요.")
    if not needs:
        errors["needs"] = gettext("영역을 하나 이상 사정해 주세요.")
    for domain, severity in needs.items():
        if domain not in NeedDomain.values:
            errors[f"needs.{domain}"] = gettext("사정 영역을 목록에서 골라 주세요.")
        elif severity not in NeedSeverity.values:
            errors[f"needs.{domain}"] = gettext("욕구 정도는 0(없음)부터 3(높음)까지입니다.")
    if errors:
        raise ValidationError(errors)
    observations = observations or {}
    with transaction.atomic():
        locked = lock_case(case)
        _require_open(locked)
        require_participant(locked, organisation)
        require_active_member(by, organisation)
        last = NeedsAssessment.objects.filter(case=locked).aggregate(n=Max("number"))["n"] or 0
        moment = at or timezone.now()
        assessment = NeedsAssessment.objects.create(
            case=locked,
            number=last + 1,
            crisis_level=crisis_level,
            summary=summary.strip(),
            assessed_at=moment,
            assessed_by=by,
            organisation=organisation,
        )
        DomainNeed.objects.bulk_create(
            DomainNeed(
                assessment=assessment,
                domain=domain,
                severity=severity,
                observation=observations.get(domain, "").strip(),
            )
            for domain, severity in needs.items()
        )
        case_event_write(
            case=locked,
            kind=CaseEventKind.ASSESSED,
            by=by,
            organisation=organisation,
            at=moment,
            summary=f"{last + 1}차 사정 · 위기도 {_ko(CrisisLevel(crisis_level).label)}",
            data={"number": last + 1, "crisis_level": crisis_level},
        )
    return assessment


# --- plan -------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalInput:
    domain: str
    goal: str
    responsible_organisation: object
    review_on: date
    resources: str = ""  # free text until the services directory exists
    status: str = GoalStatus.ACTIVE


def _goal_errors(goals: Sequence[GoalInput], participant_ids: set[int]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not goals:
        errors["goals"] = gettext("목표를 하나 이상 입력해 주세요.")
    for index, goal in enumerate(goals):
        key = f"goals.{index}"
        if goal.domain not in NeedDomain.values:
            errors[f"{key}.domain"] = gettext("영역을 목록에서 골라 주세요.")
        if not goal.goal.strip():
            errors[f"{key}.goal"] = gettext("목표를 입력해 주세요.")
        if goal.responsible_organisation.id not in participant_ids:
            errors[f"{key}.responsible_organisation"] = gettext(
                "담당 기관은 이 사례의 참여기관 가운데에서 골라 주세요."
            )
        if goal.status not in GoalStatus.values:
            errors[f"{key}.status"] = gettext("목표 상태를 목록에서 골라 주세요.")
        if goal.review_on is None:
            errors[f"{key}.review_on"] = gettext("점검일을 입력해 주세요.")
    return errors


def plan_save(
    *, case: Case, goals: Sequence[GoalInput], by, organisation, expected_version: int
) -> CasePlan:
    """Save the whole plan. `expected_version` is the plan version the user edited (0 for
    a case without a plan); if someone saved since, CaseConflictError says who and when,
    and nothing is written (the user's input stays on their page)."""
    with transaction.atomic():
        # The case lock serialises plan saves of one case (SQLite: BEGIN IMMEDIATE does).
        locked = lock_case(case)
        _require_open(locked)
        require_participant(locked, organisation)
        require_active_member(by, organisation)
        plan, _ = CasePlan.objects.get_or_create(case=locked)
        if plan.version != expected_version:
            who = plan.saved_by.display_name or plan.saved_by.username if plan.saved_by else ""
            when = timezone.localtime(plan.saved_at).strftime("%H:%M") if plan.saved_at else ""
            raise CaseConflictError(
                gettext(
                    "%(who)s님이 %(when)s에 이 계획을 먼저 저장했습니다. 덮어쓰지 않도록 이번 "
                    "저장은 하지 않았습니다. 최신 계획을 다시 불러와 확인한 뒤 저장해 주세요."
                )
                % {"who": who, "when": when}
            )
        participant_ids = set(
            CaseParticipant.objects.filter(case=locked, left_at__isnull=True).values_list(
                "organisation_id", flat=True
            )
        )
        errors = _goal_errors(goals, participant_ids)
        if errors:
            raise ValidationError(errors)
        now = timezone.now()
        plan.version += 1
        plan.saved_at, plan.saved_by = now, by
        plan.save(update_fields=["version", "saved_at", "saved_by"])
        PlanGoal.objects.bulk_create(
            PlanGoal(
                plan=plan,
                plan_version=plan.version,
                domain=goal.domain,
                goal=goal.goal.strip(),
                responsible_organisation=goal.responsible_organisation,
                resources=goal.resources.strip(),
                review_on=goal.review_on,
                status=goal.status,
                created_at=now,
            )
            for goal in goals
        )
        case_event_write(
            case=locked,
            kind=CaseEventKind.PLAN_SAVED,
            by=by,
            organisation=organisation,
            at=now,
            summary=f"서비스 계획 {plan.version}판 저장 (목표 {len(goals)}개)",
            data={"plan_version": plan.version},
        )
    return plan


# --- conferences and tasks --------------------------------------------------------------


def conference_schedule(
    *,
    kind: str,
    title: str,
    sigungu,
    convened_by,
    scheduled_for: datetime,
    cases: Sequence[Case],
    participants: Sequence[tuple[object, object | None]],
    by,
) -> Conference:
    """Schedule a conference covering several cases; `participants` are (organisation,
    user or None) pairs — the convening organisation is always one."""
    errors: dict[str, str] = {}
    if kind not in ConferenceKind.values:
        errors["kind"] = gettext("회의 종류를 목록에서 골라 주세요.")
    if not title.strip():
        errors["title"] = gettext("회의 이름을 입력해 주세요.")
    if not cases:
        errors["cases"] = gettext("다룰 사례를 하나 이상 골라 주세요.")
    elif any(case.status != CaseStatus.OPEN for case in cases):
        errors["cases"] = gettext("종결된 사례는 사례회의에 올릴 수 없습니다.")
    if errors:
        raise ValidationError(errors)
    require_active_member(by, convened_by)
    with transaction.atomic():
        now = timezone.now()
        conference = Conference.objects.create(
            kind=kind,
            title=title.strip(),
            sigungu=sigungu,
            convened_by=convened_by,
            scheduled_for=scheduled_for,
            created_by=by,
            created_at=now,
        )
        pairs = dict.fromkeys([(convened_by, None), *participants])
        ConferenceParticipant.objects.bulk_create(
            ConferenceParticipant(conference=conference, organisation=org, user=user)
            for org, user in pairs
        )
        ConferenceCase.objects.bulk_create(
            ConferenceCase(conference=conference, case=case) for case in cases
        )
        case_events_write_many(
            {
                "case": case,
                "kind": CaseEventKind.CONFERENCE_SCHEDULED,
                "by": by,
                "organisation": convened_by,
                "at": now,
                "summary": f"{conference.title} ({timezone.localtime(scheduled_for):%m-%d})",
                "data": {"conference_id": conference.id},
            }
            for case in cases
        )
    return conference


@dataclass(frozen=True)
class TaskInput:
    title: str
    owner: object
    owner_organisation: object
    due_on: date


def _task_errors(case: Case, conference: Conference, tasks: Sequence[TaskInput]) -> dict:
    allowed = set(
        CaseParticipant.objects.filter(case=case, left_at__isnull=True).values_list(
            "organisation_id", flat=True
        )
    ) | set(conference.participants.values_list("organisation_id", flat=True))
    errors: dict[str, str] = {}
    for index, task in enumerate(tasks):
        if not task.title.strip():
            errors[f"tasks.{index}.title"] = gettext("할 일을 입력해 주세요.")
        if task.owner_organisation.id not in allowed:
            errors[f"tasks.{index}.owner_organisation"] = gettext(
                "담당 기관은 사례 참여기관이나 회의 참석 기관이어야 합니다."
            )
        elif not is_active_member(task.owner, task.owner_organisation):
            errors[f"tasks.{index}.owner"] = gettext(
                "%(owner)s님은 %(organisation)s 소속이 아닙니다."
            ) % {"owner": task.owner, "organisation": task.owner_organisation}
        if task.due_on is None:
            errors[f"tasks.{index}.due_on"] = gettext("기한을 입력해 주세요.")
    return errors


def conference_decide(
    *, conference: Conference, case: Case, decision: str, tasks: Sequence[TaskInput], by
) -> ConferenceDecision:
    """Record the conference's decision on one case on its agenda; each task becomes a
    CaseTask with its owner and due date."""
    if not decision.strip():
        raise ValidationError({"decision": gettext("결정 내용을 입력해 주세요.")})
    with transaction.atomic():
        locked_conference = Conference.objects.select_for_update().get(pk=conference.pk)
        if locked_conference.status == ConferenceStatus.CANCELLED:
            raise CaseTransitionError(gettext("취소된 회의에는 결정을 기록할 수 없습니다."))
        if not ConferenceCase.objects.filter(conference=conference, case=case).exists():
            raise ValidationError({"case": gettext("이 회의에 올라온 사례가 아닙니다.")})
        locked = lock_case(case)
        _require_open(locked)
        errors = _task_errors(locked, locked_conference, tasks)
        if errors:
            raise ValidationError(errors)
        now = timezone.now()
        row = ConferenceDecision.objects.create(
            conference=locked_conference,
            case=locked,
            decision=decision.strip(),
            decided_at=now,
            recorded_by=by,
        )
        CaseTask.objects.bulk_create(
            CaseTask(
                case=locked,
                decision=row,
                title=task.title.strip(),
                owner=task.owner,
                owner_organisation=task.owner_organisation,
                due_on=task.due_on,
                created_at=now,
            )
            for task in tasks
        )
        if locked_conference.status == ConferenceStatus.SCHEDULED:
            locked_conference.status = ConferenceStatus.HELD
            locked_conference.save(update_fields=["status"])
        case_event_write(
            case=locked,
            kind=CaseEventKind.DECISION,
            by=by,
            organisation=locked_conference.convened_by,
            at=now,
            summary=f"{locked_conference.title}: {decision.strip()}",
            data={"conference_id": locked_conference.id, "tasks": len(tasks)},
        )
    return row


def task_complete(*, task: CaseTask, by) -> CaseTask:
    with transaction.atomic():
        locked = CaseTask.objects.select_for_update().select_related("case").get(pk=task.pk)
        if locked.status != TaskStatus.OPEN:
            raise CaseTransitionError(gettext("이미 끝났거나 취소된 할 일입니다."))
        now = timezone.now()
        locked.status, locked.completed_at = TaskStatus.DONE, now
        locked.save(update_fields=["status", "completed_at"])
        case_event_write(
            case=locked.case,
            kind=CaseEventKind.TASK_DONE,
            by=by,
            organisation=locked.owner_organisation,
            at=now,
            summary=f"완료: {locked.title}",
            data={"task_id": locked.id},
        )
    return locked


# --- visits -----------------------------------------------------------------------------


def visit_plan(
    *,
    case: Case,
    kind: str,
    staff: Sequence[tuple[object, object]],
    by,
    planned_for: datetime | None = None,
    purpose: str = "",
) -> Visit:
    """Plan a visit by `staff` ((user, organisation) pairs of participating organisations).
    A joint visit brings public and private staff together (방문형 서비스 협력체계)."""
    if kind not in VisitKind.values:
        raise ValidationError({"kind": gettext("방문 유형을 목록에서 골라 주세요.")})
    if not staff:
        raise ValidationError({"staff": gettext("방문할 직원을 한 명 이상 골라 주세요.")})
    sectors = {organisation.sector for _, organisation in staff}
    if kind == VisitKind.JOINT and not (Sector.PUBLIC in sectors and sectors - {Sector.PUBLIC}):
        raise ValidationError(
            {"staff": gettext("합동 방문에는 공공 직원과 민간 기관 직원이 함께 있어야 합니다.")}
        )
    with transaction.atomic():
        locked = lock_case(case)
        _require_open(locked)
        for user, organisation in staff:
            require_participant(locked, organisation)
            require_active_member(user, organisation)
        visit = Visit.objects.create(
            case=locked,
            kind=kind,
            status=VisitStatus.PLANNED,
            purpose=purpose.strip(),
            planned_for=planned_for,
            planned_by=by,
        )
        VisitStaff.objects.bulk_create(
            VisitStaff(visit=visit, user=user, organisation=organisation)
            for user, organisation in dict.fromkeys(staff)
        )
        when = f"{timezone.localtime(planned_for):%m-%d %H:%M} " if planned_for else ""
        case_event_write(
            case=locked,
            kind=CaseEventKind.VISIT_PLANNED,
            by=by,
            summary=f"{when}{_ko(VisitKind(kind).label)} 예정 {purpose}".strip(),
            data={"visit_id": visit.id},
        )
    return visit


def visit_record(
    *,
    visit: Visit,
    visited_at: datetime,
    observations: str,
    outcome: str,
    by,
    expected_version: int | None = None,
) -> Visit:
    if outcome not in VisitOutcome.values:
        raise ValidationError({"outcome": gettext("방문 결과를 목록에서 골라 주세요.")})
    if not observations.strip():
        raise ValidationError({"observations": gettext("관찰한 내용을 적어 주세요.")})
    with transaction.atomic():
        locked = Visit.objects.select_for_update().select_related("case").get(pk=visit.pk)
        if expected_version is not None and locked.version != expected_version:
            raise CaseConflictError(
                gettext("다른 사용자가 이 방문을 먼저 기록했습니다. 새로 고쳐 확인해 주세요.")
            )
        if locked.status != VisitStatus.PLANNED:
            raise CaseTransitionError(gettext("예정된 방문만 결과를 기록할 수 있습니다."))
        locked.status, locked.visited_at = VisitStatus.DONE, visited_at
        locked.observations, locked.outcome = observations.strip(), outcome
        locked.version += 1
        locked.save(update_fields=["status", "visited_at", "observations", "outcome", "version"])
        case_event_write(
            case=locked.case,
            kind=CaseEventKind.VISIT_RECORDED,
            by=by,
            at=visited_at,
            summary=f"{_ko(locked.get_kind_display())}: {_ko(VisitOutcome(outcome).label)}",
            data={"visit_id": locked.id},
        )
    return locked


# --- notes, unmet needs -----------------------------------------------------------------


def note_add(*, case: Case, body: str, visibility: str, by, organisation) -> CaseNote:
    """Add a note. Notes are never edited: a correction is a new note."""
    if visibility not in NoteVisibility.values:
        raise ValidationError({"visibility": gettext("공개 범위를 목록에서 골라 주세요.")})
    if not body.strip():
        raise ValidationError({"body": gettext("기록할 내용을 입력해 주세요.")})
    check_length("body", body.strip(), NOTE_MAX)
    with transaction.atomic():
        locked = lock_case(case)
        require_participant(locked, organisation)
        require_active_member(by, organisation)
        now = timezone.now()
        note = CaseNote.objects.create(
            case=locked,
            author=by,
            organisation=organisation,
            visibility=visibility,
            body=body.strip(),
            written_at=now,
        )
        case_event_write(
            case=locked,
            kind=CaseEventKind.NOTE,
            by=by,
            organisation=organisation,
            at=now,
            note=note,
            summary=f"사례 기록 ({organisation}, {_ko(NoteVisibility(visibility).label)})",
        )
    return note


def unmet_need_record(
    *, case: Case, domain: str, reason: str, description: str, by, organisation
) -> UnmetNeed:
    errors: dict[str, str] = {}
    if domain not in NeedDomain.values:
        errors["domain"] = gettext("욕구 영역을 목록에서 골라 주세요.")
    if reason not in UnmetNeedReason.values:
        errors["reason"] = gettext("충족되지 못한 이유를 목록에서 골라 주세요.")
    if not description.strip():
        errors["description"] = gettext("어떤 욕구가 왜 충족되지 못했는지 적어 주세요.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = lock_case(case)
        require_participant(locked, organisation)
        require_active_member(by, organisation)
        now = timezone.now()
        need = UnmetNeed.objects.create(
            case=locked,
            sigungu=locked.household.emd.sigungu,
            domain=domain,
            reason=reason,
            description=description.strip(),
            recorded_at=now,
            recorded_by=by,
            organisation=organisation,
        )
        case_event_write(
            case=locked,
            kind=CaseEventKind.UNMET_NEED,
            by=by,
            organisation=organisation,
            at=now,
            summary=f"{_ko(NeedDomain(domain).label)}: {_ko(UnmetNeedReason(reason).label)}",
            data={"unmet_need_id": need.id},
        )
    return need


# --- handover ---------------------------------------------------------------------------


@dataclass(frozen=True)
class HandoverResult:
    handover: CaseHandover
    moved: int
    by_successor: dict[int, int]


def _successor_errors(cases: Sequence[Case], successors: dict[int, object], from_user) -> list:
    errors = []
    missing = [case for case in cases if successors.get(case.id) is None]
    if missing:
        errors.append(
            gettext("새 담당자가 정해지지 않은 사례가 %(count)s건 있습니다.")
            % {"count": len(missing)}
        )
    people = {user.id: user for user in successors.values() if user is not None}
    if from_user.id in people:
        errors.append(gettext("떠나는 담당자에게 다시 맡길 수 없습니다."))
    inactive = [user for user in people.values() if not user.is_active]
    if inactive:
        errors.append(
            gettext("사용 중지된 계정에는 맡길 수 없습니다: %(users)s")
            % {"users": ", ".join(map(str, inactive))}
        )
    # a successor must work at the case's lead organisation
    memberships = set(
        Membership.objects.filter(user_id__in=list(people), ended_on__isnull=True).values_list(
            "user_id", "organisation_id"
        )
    )
    outside = [
        case
        for case in cases
        if successors.get(case.id) is not None
        and (successors[case.id].id, case.lead_organisation_id) not in memberships
    ]
    if outside:
        errors.append(
            gettext(
                "새 담당자가 주관기관 소속이 아닌 사례가 %(count)s건 있습니다 "
                "(예: 사례 %(number)s)."
            )
            % {"count": len(outside), "number": outside[0].number}
        )
    return errors


def cases_handover(
    *,
    from_user,
    note: str,
    by,
    to_user=None,
    assignments: Mapping[int, object] | None = None,
) -> HandoverResult:
    """Move every open case of a leaving worker to successors in one transaction: each
    case goes to assignments[case.id] if given, else to `to_user`. Nothing moves unless
    every case has a successor who works at its lead organisation, so no open case is
    left without a manager. The query count does not grow with the number of cases."""
    if not note.strip():
        raise ValidationError({"note": gettext("인수인계 내용을 적어 주세요.")})
    assignments = dict(assignments or {})
    with transaction.atomic():
        cases = list(
            Case.objects.select_for_update()
            .filter(status=CaseStatus.OPEN, case_manager=from_user)
            .only("id", "number", "lead_organisation_id", "version")
            .order_by("id")
        )
        unknown = set(assignments) - {case.id for case in cases}
        if unknown:
            raise ValidationError(
                {
                    "assignments": gettext("떠나는 담당자의 진행 중 사례가 아닙니다: %(ids)s")
                    % {"ids": sorted(unknown)}
                }
            )
        successors = {case.id: assignments.get(case.id, to_user) for case in cases}
        errors = _successor_errors(cases, successors, from_user)
        if errors:
            raise ValidationError({"successors": errors})
        now = timezone.now()
        handover = CaseHandover.objects.create(
            from_user=from_user,
            note=note.strip(),
            case_count=len(cases),
            handed_over_at=now,
            handed_over_by=by,
        )
        groups: dict[int, list[int]] = {}
        for case in cases:
            groups.setdefault(successors[case.id].id, []).append(case.id)
        for user_id, case_ids in groups.items():
            Case.objects.filter(id__in=case_ids).update(
                case_manager_id=user_id, version=F("version") + 1
            )
        names = {user.id: str(user) for user in successors.values()}
        case_events_write_many(
            {
                "case": case,
                "kind": CaseEventKind.MANAGER_CHANGED,
                "by": by,
                "at": now,
                "handover": handover,
                "summary": f"인수인계: {from_user} → {names[successors[case.id].id]}",
                "data": {"from_user_id": from_user.id, "to_user_id": successors[case.id].id},
            }
            for case in cases
        )
    return HandoverResult(
        handover=handover,
        moved=len(cases),
        by_successor={user_id: len(ids) for user_id, ids in groups.items()},
    )
