"""Directory pages: search the services and resources in Korean, read one and its
provider, and let the provider confirm places and waiting list. Reference data only: no
personal data here.

A worker may come from a case (`?case=<id>`, the case page's link): the parameter rides
along through search, paging, service and provider pages, and a service page then offers
"이 서비스로 의뢰", which opens that case's referral form with the service filled in, when
the worker's organisation works on the open case. Nothing about the case is shown here.
"""

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from bokjihub.directory.forms import CapacityForm, DirectorySearchForm
from bokjihub.directory.models import Service, ServiceStatus
from bokjihub.directory.selectors import (
    case_to_refer_from,
    services_of_provider,
    services_search,
)
from bokjihub.directory.services import (
    CapacityConflict,
    directory_export_hsds,
    service_capacity_confirm,
)
from bokjihub.orgs.models import Organisation
from bokjihub.regions.models import EupMyeonDong
from bokjihub.regions.selectors import emds_of_sigungu
from bokjihub.web.actors import actor_from_request

PAGE_SIZE = 20
# A provider's figures older than this are shown as needing a new confirmation.
CAPACITY_STALE_DAYS = 30


def _dongs_of(actor) -> list[EupMyeonDong]:
    """The Dongs of the actor's Si/Gun/Gu (for a city made of 일반구, those of all its
    districts), for the Dong filter."""
    organisation = actor.organisation
    if organisation is None or organisation.sigungu is None:
        return []
    return list(
        emds_of_sigungu(organisation.sigungu, as_of=timezone.localdate()).order_by(
            "name_ko", "code"
        )
    )


def _came_from_case(request, actor) -> dict:
    """What the pages need of the case the worker came from: the `case` parameter to
    carry along (whatever it says, so a link never loses it), and the case itself when
    the actor may refer from it."""
    raw = request.GET.get("case", "").strip()[:20]
    case = case_to_refer_from(actor, raw) if raw else None
    return {
        "case_param": raw,
        "case_query": f"?{urlencode({'case': raw})}" if raw else "",
        "referral_case": case,
    }


def _page_context(page) -> dict:
    return {
        "page": page,
        "page_numbers": page.paginator.get_elided_page_range(page.number, on_each_side=2)
        if page
        else [],
    }


@require_GET
@login_required
def directory_search(request):
    actor = actor_from_request(request)
    dongs = _dongs_of(actor)
    filters = {key: value for key, value in request.GET.items() if key not in ("case", "page")}
    form = DirectorySearchForm(filters or None, dongs=dongs)
    services = None
    if not form.is_bound:
        services = services_search()
    elif form.is_valid():
        data = form.cleaned_data
        services = services_search(
            text=data["q"],
            domain=data["domain"] or None,
            kind=data["kind"] or None,
            emd=data["emd"],
            age=data["age"],
            household_type=data["household_type"] or None,
        )
    page = None
    if services is not None:
        page = Paginator(services.select_related("provider"), PAGE_SIZE).get_page(
            request.GET.get("page", 1)
        )
    context = {
        "form": form,
        "dongs": dongs,
        **_page_context(page),
        **_came_from_case(request, actor),
    }
    return render(request, "directory/search.html", context)


def _service(service_id) -> Service:
    try:
        return Service.objects.select_related("provider").get(pk=service_id)
    except Service.DoesNotExist as missing:
        raise Http404 from missing


def _may_confirm(actor, service: Service) -> bool:
    return (
        service.provider_id is not None
        and actor.organisation is not None
        and actor.organisation.pk == service.provider_id
    )


def _stale(service: Service) -> bool:
    confirmed = service.capacity_confirmed_at
    return confirmed is None or (timezone.now() - confirmed).days > CAPACITY_STALE_DAYS


def _render_service(request, actor, service, form=None, status=200):
    if form is None and _may_confirm(actor, service):
        form = CapacityForm(
            initial={
                "capacity": service.capacity,
                "waiting_list": service.waiting_list,
                "expected_confirmed_at": service.capacity_confirmed_at.isoformat()
                if service.capacity_confirmed_at
                else "",
            }
        )
    came_from = _came_from_case(request, actor)
    case = came_from["referral_case"]
    context = {
        "service": service,
        "form": form,
        "stale": _stale(service),
        "dongs": list(service.emds.order_by("name_ko")),
        "refer_url": _refer_url(case, service) if case else "",
        "may_refer_somewhere": actor.may_read_personal_data and actor.organisation is not None,
        **came_from,
    }
    return render(request, "directory/service.html", context, status=status)


def _refer_url(case, service: Service) -> str:
    """The case's referral form with this service filled in (the referral view reads
    `service`); an inactive service is not offered."""
    if service.status != ServiceStatus.ACTIVE:
        return ""
    send = reverse("referrals:referral_send", args=[case.pk])
    return f"{send}?{urlencode({'service': str(service.pk)})}"


@require_GET
@login_required
def directory_service(request, service_id):
    actor = actor_from_request(request)
    return _render_service(request, actor, _service(service_id))


@require_POST
@login_required
def directory_capacity(request, service_id):
    actor = actor_from_request(request)
    service = _service(service_id)
    if not _may_confirm(actor, service):
        raise PermissionDenied(
            _("이 서비스를 제공하는 기관의 직원만 정원을 확인할 수 있습니다.")
        )
    form = CapacityForm(request.POST)
    if not form.is_valid():
        return _render_service(request, actor, service, form=form, status=400)
    expected_text = form.cleaned_data["expected_confirmed_at"]
    try:
        expected = datetime.fromisoformat(expected_text) if expected_text else None
    except ValueError:
        expected = None
    try:
        service_capacity_confirm(
            service=service,
            capacity=form.cleaned_data["capacity"],
            waiting_list=form.cleaned_data["waiting_list"],
            at=timezone.now(),
            expected_confirmed_at=expected,
        )
    except CapacityConflict:
        form.add_error(None, CapacityConflict.message)
        return _render_service(request, actor, _service(service_id), form=form, status=409)
    messages.success(request, _("정원과 대기 인원을 확인했습니다."))
    return HttpResponseRedirect(reverse("directory_service", args=[service.pk]), status=303)


@require_GET
@login_required
def directory_provider(request, organisation_id: int):
    """An organisation as a provider: who it is, where, and the services it runs."""
    actor = actor_from_request(request)
    organisation = (
        Organisation.objects.filter(pk=organisation_id, is_active=True)
        .select_related("sigungu", "emd")
        .first()
    )
    if organisation is None:
        raise Http404(_("기관을 찾을 수 없습니다."))
    page = Paginator(services_of_provider(organisation), PAGE_SIZE).get_page(
        request.GET.get("page", 1)
    )
    context = {
        "organisation": organisation,
        **_page_context(page),
        **_came_from_case(request, actor),
    }
    return render(request, "directory/provider.html", context)


@require_GET
@login_required
def directory_hsds(request):
    """The whole directory as an HSDS 3 page of compiled service documents (download)."""
    response = JsonResponse(directory_export_hsds(), json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = 'attachment; filename="bokjihub-hsds-services.json"'
    return response
