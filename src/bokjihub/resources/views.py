"""Pages of the resources app: donors, inventory, campaigns, recognition and the fair
allocation. Thin: resources.access decides the Gu and the role, selectors read, the
allocation_run service runs and saves."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from bokjihub.cases.forms import add_service_errors
from bokjihub.resources.access import (
    ResourcesRefused,
    allocation_dong_only,
    allocation_may_run,
    need_dongs,
    resources_sigungu,
)
from bokjihub.resources.forms import AllocationRunForm, NeedForm
from bokjihub.resources.models import ALLOCATION_UNIT, AllocationRun
from bokjihub.resources.selectors import (
    allocation_runs_of,
    campaign_progress,
    campaigns_of,
    donors_of,
    inventory_of,
    recognitions_of,
    waiting_needs_of,
)
from bokjihub.resources.services import allocation_run, need_record
from bokjihub.web.actors import actor_from_request

PER_PAGE = 50


def _sigungu(request):
    actor = actor_from_request(request)
    try:
        return actor, resources_sigungu(actor)
    except ResourcesRefused as refused:
        raise PermissionDenied(_("후원·자원 정보를 볼 권한이 없습니다.")) from refused


def _page(request, queryset):
    page = Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))
    return {"page": page, "page_numbers": page.paginator.get_elided_page_range(page.number)}


def _gu_list(request, rows_of, **extra) -> dict:
    """The context of a paged list of the actor's Gu; `rows_of(sigungu)` gives the rows."""
    _, sigungu = _sigungu(request)
    return {"sigungu": sigungu, **extra, **_page(request, rows_of(sigungu))}


@login_required
@require_GET
def donors(request):
    return render(request, "resources/donors.html", _gu_list(request, donors_of))


@login_required
@require_GET
def inventory(request):
    today = timezone.localdate()
    context = _gu_list(request, lambda sigungu: inventory_of(sigungu, today=today), today=today)
    return render(request, "resources/inventory.html", context)


@login_required
@require_GET
def campaigns(request):
    context = _gu_list(request, campaigns_of)
    for campaign in context["page"].object_list:
        campaign.progress = campaign_progress(campaign)
    return render(request, "resources/campaigns.html", context)


@login_required
@require_GET
def recognitions(request):
    return render(request, "resources/recognitions.html", _gu_list(request, recognitions_of))


def _chosen_run(request, runs):
    """The run named by ?run= (a 404 when it is not one of the Gu's runs, or not a number),
    else the latest."""
    chosen = request.GET.get("run")
    if not chosen:
        return runs.first()
    try:
        return runs.get(pk=int(chosen))
    except (ValueError, AllocationRun.DoesNotExist) as missing:
        raise Http404(_("배분 기록을 찾을 수 없습니다.")) from missing


@login_required
@require_http_methods(["GET", "POST"])
def allocation(request):
    """The latest (or a chosen) run of the Gu's fair allocation, and for the Gu office the
    form that runs a new one. A refused slack is shown beside the field (a 400), the
    page otherwise as it was."""
    actor, sigungu = _sigungu(request)
    may_run = allocation_may_run(actor)
    form = AllocationRunForm(request.POST or None) if may_run else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("자원 배분은 시·군·구 희망복지지원단이 실행합니다."))
        if form.is_valid():
            try:
                allocation_run(
                    sigungu=sigungu,
                    run_by=request.user,
                    organisation=actor.organisation,
                    floor_slack=form.cleaned_data["floor_slack"],
                )
            except ValidationError as invalid:
                add_service_errors(form, invalid)
            else:
                messages.success(request, _("배분을 실행했습니다."))
                return HttpResponseRedirect(reverse("resources:resources_allocation"), status=303)
    context = _allocation_context(request, actor, sigungu, form)
    status = 400 if form is not None and form.is_bound and form.errors else 200
    return render(request, "resources/allocation.html", context, status=status)


def _allocation_context(request, actor, sigungu, form) -> dict:
    runs = allocation_runs_of(sigungu)
    run = _chosen_run(request, runs)
    only = allocation_dong_only(actor)
    context = {
        "sigungu": sigungu,
        "run": run,
        "may_run": form is not None,
        "form": form,
        "only_dong": only,
        "recent_runs": runs[:10],
        "units": ALLOCATION_UNIT,
    }
    if run is not None:
        dongs = run.dongs.select_related("emd")
        lines = run.lines.select_related("resource__donor", "need__emd")
        if only is not None:
            dongs, lines = dongs.filter(emd=only), lines.filter(need__emd=only)
        context["dongs"] = dongs
        context.update(_page(request, lines))
    return context


@login_required
@require_http_methods(["GET", "POST"])
def needs(request):
    """The Gu's waiting needs (a Dong centre: its Dong's), most urgent first, and the form
    a worker adds one with. A need names a Dong, a group and a kind, never a person."""
    actor, sigungu = _sigungu(request)
    dongs = need_dongs(actor, sigungu, day=timezone.localdate())
    form = None
    if dongs:
        form = NeedForm(request.POST or None, dongs=dongs)
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("대기 욕구를 기록할 권한이 없습니다."))
        if form.is_valid():
            data = form.cleaned_data
            try:
                need_record(
                    emd=data["emd"],
                    target_group=data["target_group"],
                    kind=data["kind"],
                    quantity=data["quantity"],
                    weight=data["weight"],
                    description=data["description"],
                    recorded_by=actor.organisation,
                )
            except ValidationError as invalid:
                add_service_errors(form, invalid)
            else:
                messages.success(
                    request, _("대기 욕구를 기록했습니다. 다음 공정 배분에 포함됩니다.")
                )
                return HttpResponseRedirect(reverse("resources:resources_needs"), status=303)
    own = allocation_dong_only(actor)
    waiting = waiting_needs_of(sigungu, emd=own).select_related("emd")
    context = {"sigungu": sigungu, "form": form, "only_dong": own, **_page(request, waiting)}
    status = 400 if form is not None and form.is_bound and form.errors else 200
    return render(request, "resources/needs.html", context, status=status)
