"""The case page, the worker's "today" page and the handover page.

Thin views: cases.access decides who sees a case (a case outside the actor's scope is a
404 on GET and on every POST), the services make every change. A refused action
re-renders the page with the message next to its form and what was typed kept; a
successful one redirects (post/redirect/get). Only staff of an organisation working on
the case now may change it; others in scope may read it and join.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from bokjihub.cases import delivery_views
from bokjihub.cases import forms as case_forms
from bokjihub.cases.access import CaseNotFound, access_case, cases_in_scope
from bokjihub.cases.caseload import access_caseload
from bokjihub.cases.forms import add_service_errors
from bokjihub.cases.models import (
    Case,
    CaseEventKind,
    CaseStage,
    CaseStatus,
    Conference,
    ConferenceDecision,
    VisitStatus,
)
from bokjihub.cases.selectors import assessment_history
from bokjihub.cases.services import (
    CaseAlreadyOpen,
    CaseClosureIncomplete,
    CaseConflictError,
    CaseTransitionError,
    assessment_record,
    case_close,
    case_closure_gaps,
    case_join,
    case_reopen,
    case_stage_advance,
    cases_handover,
    conference_decide,
    conference_schedule,
    note_add,
    plan_save,
    unmet_need_record,
    visit_plan,
    visit_record,
)
from bokjihub.cases.summary import SECTION_OF_ACTION, SECTIONS, case_summary, earliest_task
from bokjihub.orgs.actors import PERSONAL_DATA_ROLES
from bokjihub.orgs.models import Membership, Role
from bokjihub.people.models import Engagement
from bokjihub.referrals.views import case_referral_panel
from bokjihub.web.actors import actor_from_request

# Actions a worker often records several of in a row (two weeks of meal deliveries, a
# day's notes): after one, the page opens on the same section.
REPEATED_ACTIONS = frozenset({"delivery", "note"})

# Who hands over a leaving worker's cases: the head of a centre, or a Si/Gun/Gu case
# manager (통합사례관리사) for the Gu's cases.
HANDOVER_ROLES = frozenset({Role.CENTRE_MANAGER, Role.CASE_MANAGER})


def _case_or_404(actor, case_id):
    try:
        return access_case(actor=actor, case_id=case_id)
    except CaseNotFound as missing:
        raise Http404(_("사례를 찾을 수 없습니다.")) from missing


def _case_staff(view) -> list[Membership]:
    active = [p.organisation_id for p in view.participants if p.left_at is None]
    return list(
        Membership.objects.filter(
            organisation_id__in=active, ended_on__isnull=True, role__in=PERSONAL_DATA_ROLES
        )
        .select_related("user", "organisation")
        .order_by("organisation_id", "user__display_name", "id")
    )


def _active_organisations(view) -> list:
    return [p.organisation for p in view.participants if p.left_at is None]


def _conferences(case) -> list[Conference]:
    return list(Conference.objects.filter(agenda__case=case).order_by("-scheduled_for", "-id"))


@dataclass
class Parts:
    """What the forms of the page need besides the case itself."""

    staff: list
    organisations: list
    conferences: list


def _parts(view) -> Parts:
    return Parts(
        staff=_case_staff(view),
        organisations=_active_organisations(view),
        conferences=_conferences(view.case),
    )


def _forms(view, parts: Parts, bound=None) -> dict:
    forms = {
        "assess": case_forms.AssessmentForm(prefix="assess"),
        "plan": case_forms.PlanForm(goals=view.goals, organisations=parts.organisations),
        "conference": case_forms.ConferenceForm(prefix="conference", staff=parts.staff),
        "decide": case_forms.DecisionForm(
            prefix="decide", staff=parts.staff, conferences=parts.conferences
        ),
        "visit_plan": case_forms.VisitPlanForm(prefix="visit-plan", staff=parts.staff),
        "visit_record": case_forms.VisitRecordForm(prefix="visit-record"),
        "note": case_forms.NoteForm(prefix="note"),
        "advance": case_forms.AdvanceForm(prefix="advance"),
        "close": case_forms.CloseForm(prefix="close"),
        "reopen": case_forms.ReopenForm(prefix="reopen"),
        "unmet": case_forms.UnmetNeedForm(prefix="unmet"),
    }
    if bound is not None:
        forms[bound.action.replace("-", "_")] = bound
    return forms


def _two_track(case, timeline) -> dict:
    """Where the household stands between found and supported, from the timeline."""
    found_at = case.origins.order_by("closed_at").values_list("closed_at", flat=True).first()
    service_at = next(
        (
            event.at
            for event in timeline
            if event.kind == CaseEventKind.STAGE_CHANGED and event.stage_to == CaseStage.IN_SERVICE
        ),
        None,
    )
    start = found_at or case.opened_at
    end = service_at or timezone.now()
    return {
        "found_at": found_at,
        "service_at": service_at,
        "supported": service_at is not None or case.outcome == "goals_met",
        "days": max(0, (end - start).days),
    }


@dataclass(frozen=True)
class TimelineLine:
    event: object
    # the referral the line is about, linked when the case page lists it for this viewer
    referral_label: str = ""
    referral_url: str = ""


def _timeline(view, referral_panel: dict) -> list[TimelineLine]:
    referrals = {row.referral.id: row.referral for row in referral_panel["rows"]}
    lines = []
    for event in view.timeline:
        referral = referrals.get((event.data or {}).get("referral"))
        if referral is None:
            lines.append(TimelineLine(event))
        else:
            url = reverse("referrals:referral_detail", args=[referral.id])
            lines.append(TimelineLine(event, str(referral), url))
    return lines


def _open_referrals(referral_panel: dict) -> int:
    from bokjihub.referrals.models import OPEN_STATUSES

    return sum(1 for row in referral_panel["rows"] if row.referral.status in OPEN_STATUSES)


def _page_context(actor, view, bound=None, error_action="", error="", asked_section="") -> dict:
    case = view.case
    parts = _parts(view)
    decisions = list(
        ConferenceDecision.objects.filter(case=case)
        .select_related("conference")
        .prefetch_related("tasks__owner")
    )
    referral_panel = case_referral_panel(actor, view)
    open_referrals = _open_referrals(referral_panel)
    summary = case_summary(
        actor=actor, view=view, decided=bool(decisions), open_referrals=open_referrals
    )
    may_write = view.is_participant
    open_section = (
        SECTION_OF_ACTION.get(error_action)
        or (asked_section if asked_section in dict(SECTIONS) else "")
        or summary.next_action.section
    )
    if open_section == "stage" and not may_write:
        open_section = "timeline"  # the stage forms are for staff working on the case
    return {
        "view": view,
        "case": case,
        "summary": summary,
        "sections": SECTIONS,
        # a refused form opens its own section again; otherwise the next step's
        "open_section": open_section,
        "earliest_task": earliest_task(view),
        "closure_gaps": case_closure_gaps(case) if may_write and case.is_open else [],
        "forms": _forms(view, parts, bound),
        "error_action": error_action,
        "error": error,
        "history": list(reversed(assessment_history(case=case))),
        "conferences": parts.conferences,
        "decisions": decisions,
        "planned_visits": [v for v in view.visits if v.status == VisitStatus.PLANNED],
        "two_track": _two_track(case, view.timeline),
        "timeline": _timeline(view, referral_panel),
        "may_write": may_write,
        "error_visit": _visit_of(bound) if error_action == "visit-record" else None,
        "referral_panel": referral_panel,
        **delivery_views.delivery_context(actor, view, parts.organisations),
    }


def _visit_of(form) -> int | None:
    try:
        return int(form.data.get("visit-record-visit", ""))
    except (AttributeError, ValueError):
        return None


@login_required
@require_GET
def case_detail(request, case_id: int):
    actor = actor_from_request(request)
    view = _case_or_404(actor, case_id)
    asked = request.GET.get("open", "")
    return render(request, "cases/detail.html", _page_context(actor, view, asked_section=asked))


# --- actions ------------------------------------------------------------------------------


def _bind(cls, request, action, **kwargs):
    form = cls(request.POST, prefix=action, **kwargs)
    form.action = action
    return form


def _assess(request, actor, view, parts):
    form = _bind(case_forms.AssessmentForm, request, "assess")
    if not form.is_valid():
        return form, None
    assessment_record(
        case=view.case,
        crisis_level=form.cleaned_data["crisis_level"],
        needs=form.needs(),
        summary=form.cleaned_data["summary"],
        by=actor.user,
        organisation=actor.organisation,
    )
    return form, _("욕구·위기도 사정을 기록했습니다.")


def _plan(request, actor, view, parts):
    form = case_forms.PlanForm(request.POST, organisations=parts.organisations)
    form.action = "plan"
    if not form.is_valid():
        return form, None
    plan_save(
        case=view.case,
        goals=form.goal_inputs(),
        by=actor.user,
        organisation=actor.organisation,
        expected_version=form.cleaned_data["expected_version"],
    )
    return form, _("서비스 계획을 저장했습니다.")


def _conference(request, actor, view, parts):
    form = _bind(case_forms.ConferenceForm, request, "conference", staff=parts.staff)
    if not form.is_valid():
        return form, None
    conference_schedule(
        kind=form.cleaned_data["kind"],
        title=form.cleaned_data["title"],
        sigungu=view.case.household.emd.sigungu,
        convened_by=actor.organisation,
        scheduled_for=form.cleaned_data["scheduled_for"],
        cases=[view.case],
        participants=form.participant_pairs(),
        by=actor.user,
    )
    return form, _("사례회의를 잡았습니다.")


def _decide(request, actor, view, parts):
    form = _bind(
        case_forms.DecisionForm,
        request,
        "decide",
        staff=parts.staff,
        conferences=parts.conferences,
    )
    if not form.is_valid():
        return form, None
    conference = next(c for c in parts.conferences if c.id == form.cleaned_data["conference"])
    conference_decide(
        conference=conference,
        case=view.case,
        decision=form.cleaned_data["decision"],
        tasks=form.task_inputs(),
        by=actor.user,
    )
    return form, _("사례회의 결정을 기록했습니다.")


def _visit_plan(request, actor, view, parts):
    form = _bind(case_forms.VisitPlanForm, request, "visit-plan", staff=parts.staff)
    if not form.is_valid():
        return form, None
    visit_plan(
        case=view.case,
        kind=form.cleaned_data["kind"],
        staff=form.staff_pairs(),
        planned_for=form.cleaned_data["planned_for"],
        purpose=form.cleaned_data["purpose"],
        by=actor.user,
    )
    return form, _("방문을 계획했습니다.")


def _visit_record(request, actor, view, parts):
    form = _bind(case_forms.VisitRecordForm, request, "visit-record")
    if not form.is_valid():
        return form, None
    visit = next((v for v in view.visits if v.id == form.cleaned_data["visit"]), None)
    if visit is None:
        raise ValidationError(_("이 사례의 방문이 아닙니다."))
    visit_record(
        visit=visit,
        visited_at=form.cleaned_data["visited_at"],
        observations=form.cleaned_data["observations"],
        outcome=form.cleaned_data["outcome"],
        by=actor.user,
        expected_version=form.cleaned_data["expected_version"],
    )
    return form, _("방문 결과를 기록했습니다.")


def _note(request, actor, view, parts):
    form = _bind(case_forms.NoteForm, request, "note")
    if not form.is_valid():
        return form, None
    note_add(
        case=view.case,
        body=form.cleaned_data["body"],
        visibility=form.cleaned_data["visibility"],
        by=actor.user,
        organisation=actor.organisation,
    )
    return form, _("사례 기록을 남겼습니다.")


def _advance(request, actor, view, parts):
    form = _bind(case_forms.AdvanceForm, request, "advance")
    if not form.is_valid():
        return form, None
    case_stage_advance(
        case=view.case,
        to_stage=form.cleaned_data["to_stage"],
        note=form.cleaned_data["note"],
        by=actor.user,
        expected_version=form.cleaned_data["expected_version"],
    )
    return form, _("단계를 바꾸었습니다.")


def _close(request, actor, view, parts):
    form = _bind(case_forms.CloseForm, request, "close")
    if not form.is_valid():
        return form, None
    if not view.case.is_open:
        raise CaseTransitionError(_("이미 종결된 사례입니다."))
    try:
        case_close(
            case=view.case,
            outcome=form.cleaned_data["outcome"],
            follow_up_on=form.cleaned_data["follow_up_on"],
            note=form.cleaned_data["note"],
            override_reason=form.cleaned_data["override_reason"],
            by=actor.user,
            expected_version=form.cleaned_data["expected_version"],
        )
    except CaseClosureIncomplete as incomplete:
        # beside the reason field, which is what the person fills in next
        form.add_error("override_reason", incomplete.message)
        return form, None
    except ValidationError as problem:
        add_service_errors(form, problem)
        return form, None
    return form, _("사례를 종결했습니다.")


def _reopen(request, actor, view, parts):
    form = _bind(case_forms.ReopenForm, request, "reopen")
    if not form.is_valid():
        return form, None
    case_reopen(
        case=view.case,
        reason=form.cleaned_data["reason"],
        by=actor.user,
        expected_version=form.cleaned_data["expected_version"],
    )
    return form, _("사례를 재개했습니다.")


def _unmet(request, actor, view, parts):
    form = _bind(case_forms.UnmetNeedForm, request, "unmet")
    if not form.is_valid():
        return form, None
    unmet_need_record(
        case=view.case,
        domain=form.cleaned_data["domain"],
        reason=form.cleaned_data["reason"],
        description=form.cleaned_data["description"],
        by=actor.user,
        organisation=actor.organisation,
    )
    return form, _("미충족 욕구를 기록했습니다.")


ACTIONS = {
    "assess": _assess,
    "plan": _plan,
    "conference": _conference,
    "decide": _decide,
    "visit-plan": _visit_plan,
    "visit-record": _visit_record,
    "note": _note,
    "advance": _advance,
    "close": _close,
    "reopen": _reopen,
    "unmet": _unmet,
    "delivery": delivery_views.delivery_action,
}


def _bound_again(request, action, parts):
    """The typed form, for a refusal that came before the handler had built it."""
    if action == "delivery":
        return delivery_views.delivery_form_bound(request, parts)
    if action == "plan":
        form = case_forms.PlanForm(request.POST, organisations=parts.organisations)
        form.action = action
        return form
    kwargs = {}
    if action in ("conference", "decide", "visit-plan"):
        kwargs["staff"] = parts.staff
    if action == "decide":
        kwargs["conferences"] = parts.conferences
    cls = {
        "assess": case_forms.AssessmentForm,
        "conference": case_forms.ConferenceForm,
        "decide": case_forms.DecisionForm,
        "visit-plan": case_forms.VisitPlanForm,
        "visit-record": case_forms.VisitRecordForm,
        "note": case_forms.NoteForm,
        "advance": case_forms.AdvanceForm,
        "close": case_forms.CloseForm,
        "reopen": case_forms.ReopenForm,
        "unmet": case_forms.UnmetNeedForm,
    }[action]
    return _bind(cls, request, action, **kwargs)


@login_required
@require_POST
def case_action(request, case_id: int, action: str):
    """One action on a case. The case is read through access_case first, so a case outside
    the actor's scope is a 404 before anything else is looked at."""
    actor = actor_from_request(request)
    view = _case_or_404(actor, case_id)
    handler = ACTIONS.get(action)
    if handler is None:
        raise Http404(_("알 수 없는 작업입니다."))
    if not view.is_participant:
        raise PermissionDenied(_("이 사례의 참여기관 직원만 기록할 수 있습니다."))
    parts = _parts(view)
    error, status, form = "", 400, None
    try:
        form, done = handler(request, actor, view, parts)
    except CaseConflictError as problem:
        error, status = problem.message, 409
    except (CaseTransitionError, CaseAlreadyOpen) as problem:
        error = problem.message
    except ValidationError as problem:
        error = " ".join(problem.messages)
    except PermissionDenied as problem:
        error, status = str(problem) or _("이 작업을 할 수 없습니다."), 403
    else:
        if done is not None:
            messages.success(request, done)
            url = reverse("case_detail", args=[view.case.id])
            if action in REPEATED_ACTIONS:  # the next one is likely another of the same
                url += f"?open={SECTION_OF_ACTION[action]}"
            return HttpResponseRedirect(url, status=303)
    form = form or _bound_again(request, action, parts)
    # Refused: the page as read at the start of this request (a refusing service writes
    # nothing), with the typed text kept and the message next to its form.
    context = _page_context(actor, view, bound=form, error_action=action, error=error)
    return render(request, "cases/detail.html", context, status=status)


@login_required
@require_POST
def case_join_view(request, case_id: int):
    """The actor's organisation joins the open case. Public staff in jurisdiction see the
    case and join from its page; a private organisation does not see a case it is not on,
    so it may join only an open case of a household it serves (an active engagement)."""
    actor = actor_from_request(request)
    if not actor.may_read_personal_data or actor.organisation is None:
        raise Http404(_("사례를 찾을 수 없습니다."))
    in_scope = cases_in_scope(actor).filter(id=case_id, status=CaseStatus.OPEN).exists()
    case = Case.objects.filter(id=case_id, status=CaseStatus.OPEN).first()
    serving = (
        case is not None
        and Engagement.objects.filter(
            organisation=actor.organisation, household_id=case.household_id, ended_on__isnull=True
        ).exists()
    )
    if case is None or not (in_scope or serving):
        raise Http404(_("사례를 찾을 수 없습니다."))
    case_join(case=case, organisation=actor.organisation, by=actor.user)
    messages.success(
        request,
        _("%(organisation)s이(가) 사례에 참여했습니다.")
        % {"organisation": actor.organisation.name},
    )
    return HttpResponseRedirect(reverse("case_detail", args=[case.id]), status=303)


# --- today --------------------------------------------------------------------------------


@login_required
@require_GET
def today(request):
    """The worker's day: open cases by stage deadline (overdue first, no deadline last),
    open tasks by due date, visits planned today, each with the case number and the
    head's name as the sharing policy shows them (cases.caseload). A fixed number of
    queries whatever the caseload."""
    actor = actor_from_request(request)
    if not actor.may_read_personal_data or actor.organisation is None:
        raise PermissionDenied
    now = timezone.now()
    caseload = access_caseload(actor=actor, now=now, page=request.GET.get("page", 1))
    context = {
        "rows": caseload.rows,
        "page": caseload.page,
        "page_numbers": caseload.page.paginator.get_elided_page_range(caseload.page.number),
        "overdue_count": caseload.overdue_count,
        "tasks": caseload.tasks,
        "visits": caseload.visits,
        "now": now,
        "today": timezone.localdate(now),
    }
    return render(request, "cases/today.html", context)


# --- handover -----------------------------------------------------------------------------


def _handover_staff(actor) -> list[Membership]:
    return list(
        Membership.objects.filter(organisation=actor.organisation, ended_on__isnull=True)
        .filter(role__in=PERSONAL_DATA_ROLES)
        .select_related("user")
        .order_by("user__display_name", "id")
    )


@login_required
def handover(request):
    """Move every open case of a leaving worker of the actor's organisation to a successor,
    with a note, in one POST (cases_handover moves all or nothing)."""
    actor = actor_from_request(request)
    if actor.role not in HANDOVER_ROLES or actor.organisation is None:
        raise PermissionDenied
    if actor.role == Role.CASE_MANAGER and actor.organisation.kind != "sigungu_office":
        raise PermissionDenied
    staff = _handover_staff(actor)
    # bound on every POST: an empty one (nothing picked) must still show its errors
    form = case_forms.HandoverForm(request.POST if request.method == "POST" else None, staff=staff)
    error, status = "", 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                result = cases_handover(
                    from_user=form.users[form.cleaned_data["from_user"]],
                    to_user=form.users[form.cleaned_data["to_user"]],
                    note=form.cleaned_data["note"],
                    by=actor.user,
                )
            except ValidationError as problem:
                error = " ".join(problem.messages)
            else:
                messages.success(
                    request, _("사례 %(count)s건을 인수인계했습니다.") % {"count": result.moved}
                )
                return HttpResponseRedirect(reverse("case_handover"), status=303)
    caseloads = dict.fromkeys((m.user_id for m in staff), 0)
    for manager_id in Case.objects.filter(
        status=CaseStatus.OPEN, case_manager_id__in=list(caseloads)
    ).values_list("case_manager_id", flat=True):
        caseloads[manager_id] += 1
    rows = [(membership, caseloads[membership.user_id]) for membership in staff]
    context = {"form": form, "error": error, "rows": rows}
    return render(request, "cases/handover.html", context, status=status)
