"""Directory pages: search the services and resources in Korean, read one, and let its
provider confirm places and waiting list. Reference data only: no personal data here."""

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from bokjihub.directory.forms import CapacityForm, DirectorySearchForm
from bokjihub.directory.models import Service
from bokjihub.directory.selectors import services_search
from bokjihub.directory.services import (
    CapacityConflict,
    directory_export_hsds,
    service_capacity_confirm,
)
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


@require_GET
@login_required
def directory_search(request):
    actor = actor_from_request(request)
    form = DirectorySearchForm(request.GET or None)
    dongs = _dongs_of(actor)
    services = None
    if not form.is_bound:
        services = services_search()
    elif form.is_valid():
        data = form.cleaned_data
        emd = next((dong for dong in dongs if dong.code == data["emd"]), None)
        if data["emd"] and emd is None:
            form.add_error("emd", "관할 시군구의 행정동을 고르세요.")
        else:
            services = services_search(
                text=data["q"],
                domain=data["domain"] or None,
                kind=data["kind"] or None,
                emd=emd,
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
        "page": page,
        "page_numbers": page.paginator.get_elided_page_range(page.number, on_each_side=2)
        if page
        else [],
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
    context = {
        "service": service,
        "form": form,
        "stale": _stale(service),
        "dongs": list(service.emds.order_by("name_ko")),
    }
    return render(request, "directory/service.html", context, status=status)


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
        raise PermissionDenied("이 서비스를 제공하는 기관의 직원만 정원을 확인할 수 있습니다.")
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
    except CapacityConflict as conflict:
        form.add_error(None, str(conflict))
        return _render_service(request, actor, _service(service_id), form=form, status=409)
    messages.success(request, "정원과 대기 인원을 확인했습니다.")
    return HttpResponseRedirect(reverse("directory_service", args=[service.pk]), status=303)


@require_GET
@login_required
def directory_hsds(request):
    """The whole directory as an HSDS 3 page of compiled service documents (download)."""
    response = JsonResponse(directory_export_hsds(), json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = 'attachment; filename="bokjihub-hsds-services.json"'
    return response
