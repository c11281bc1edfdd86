"""Pages of deliveries: the delivery form and panels on the case page (wired from
cases.views), the redundancy page of the acting organisation, and the gap list.

Thin like cases.views: the services in cases.deliveries decide, the selectors scope by the
actor; a refused form comes back with what was typed and the message beside its field.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from bokjihub.cases.deliveries import (
    deliveries_of_case,
    delivery_record,
    redundancy_flag_of,
    redundancy_flag_resolve,
    redundancy_flags_for,
    redundancy_flags_of_case,
)
from bokjihub.cases.delivery_forms import DeliveryForm, FlagResolveForm
from bokjihub.cases.eligibility import case_eligibility
from bokjihub.cases.forms import add_service_errors
from bokjihub.cases.gaps import gap_days, service_gaps
from bokjihub.web.actors import actor_from_request

GAP_DAYS_MAX = 365


def delivery_context(actor, view, organisations) -> dict:
    """What the case page's delivery, redundancy and eligibility panels need."""
    return {
        "deliveries": deliveries_of_case(view),
        "redundancy_flags": redundancy_flags_of_case(view, actor),
        "eligibility": case_eligibility(view=view, actor=actor, on=timezone.localdate()),
        "delivery_form_blank": DeliveryForm(
            prefix="delivery",
            organisations=organisations,
            initial=_delivery_initial(actor, view.case, organisations),
        ),
        "resolve_form": FlagResolveForm(prefix="resolve"),
    }


def _delivery_initial(actor, case, organisations) -> dict:
    """A worker records what their own organisation delivered, usually for the referral
    it accepted: start the form there (the worker can still change both)."""
    from bokjihub.referrals.models import OPEN_STATUSES

    if actor.organisation is None or actor.organisation not in organisations:
        return {}
    initial = {"provider": actor.organisation.id}
    referral = (
        case.referrals.filter(to_organisation=actor.organisation, status__in=sorted(OPEN_STATUSES))
        .order_by("-id")
        .values("need_domain")
        .first()
    )
    if referral:
        initial["domain"] = referral["need_domain"]
    return initial


def delivery_form_bound(request, parts) -> DeliveryForm:
    form = DeliveryForm(request.POST, prefix="delivery", organisations=parts.organisations)
    form.action = "delivery"
    return form


def _personal_data_actor(request):
    """The acting worker, if they may read personal data for an organisation; else 403."""
    actor = actor_from_request(request)
    if not actor.may_read_personal_data or actor.organisation is None:
        raise PermissionDenied
    return actor


def delivery_action(request, actor, view, parts):
    """The case page's "record a delivery" action (cases.views.ACTIONS["delivery"])."""
    form = delivery_form_bound(request, parts)
    if not form.is_valid():
        return form, None
    try:
        delivery_record(
            household=view.case.household,
            case=view.case,
            by=actor.user,
            organisation=actor.organisation,
            **form.service_arguments(),
        )
    except ValidationError as problem:
        add_service_errors(form, problem)
        return form, None
    return form, gettext("서비스 제공을 기록했습니다.")


@login_required
@require_GET
def gaps(request):
    """Assessed needs nothing has answered after N days, the longest waiting first."""
    actor = _personal_data_actor(request)
    try:
        days = min(max(int(request.GET.get("days", "")), 1), GAP_DAYS_MAX)
    except ValueError:
        days = gap_days()
    page = service_gaps(actor=actor, days=days, page_number=request.GET.get("page", 1))
    context = {
        "page": page,
        "page_numbers": page.paginator.get_elided_page_range(page.number),
        "days": days,
    }
    return render(request, "cases/gaps.html", context)


@login_required
@require_GET
def redundancy(request):
    """The acting organisation's open redundancy flags, with a form to resolve each."""
    actor = _personal_data_actor(request)
    flags = list(redundancy_flags_for(actor)[:200])
    context = {"flags": flags, "resolve_form": FlagResolveForm(prefix="resolve")}
    return render(request, "cases/redundancy.html", context)


def _back(request, flag) -> str:
    """Back to the case page the form was on (that page checks access again), else the
    redundancy page."""
    if request.POST.get("from") == "case" and flag.delivery.case_id is not None:
        return reverse("case_detail", args=[flag.delivery.case_id])
    return reverse("case_redundancy")


@login_required
@require_POST
def redundancy_resolve(request, flag_id: int):
    actor = actor_from_request(request)
    flag = redundancy_flag_of(actor, flag_id)
    if flag is None:
        raise Http404(gettext("알림을 찾을 수 없습니다."))
    form = FlagResolveForm(request.POST, prefix="resolve")
    error = ""
    if form.is_valid():
        try:
            redundancy_flag_resolve(
                flag=flag,
                note=form.cleaned_data["note"],
                by=actor.user,
                organisation=actor.organisation,
            )
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            messages.success(request, gettext("중복 지원 알림을 확인 처리했습니다."))
            return HttpResponseRedirect(_back(request, flag), status=303)
    flags = list(redundancy_flags_for(actor)[:200])
    context = {"flags": flags, "resolve_form": form, "error_flag": flag.id, "error": error}
    return render(request, "cases/redundancy.html", context, status=400)
