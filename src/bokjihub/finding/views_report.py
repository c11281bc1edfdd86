"""Report pages: the finder's phone form and "my reports", the staff intake form, the
hub's finder list with group statistics, and the public form (no login).

Views parse, call report_submit or a selector, and render. None of them shows anything
about a report after it was sent, except to hub staff: a finder or a resident learns that
it was received, never whether somebody else had already reported the same person.
"""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from bokjihub.finding.access import TRIAGE_ROLES, finder_reports
from bokjihub.finding.finders import finder_group_stats, finders_of
from bokjihub.finding.models import Finder
from bokjihub.finding.report_forms import (
    FinderReportForm,
    IntakeForm,
    PublicReportForm,
    client_fingerprint,
    public_form_stamp,
    public_form_stamp_problem,
    public_rate_limited,
)
from bokjihub.finding.routing import RoutingError, sigungu_office
from bokjihub.finding.services import report_submit
from bokjihub.orgs.models import OrganisationKind, Role
from bokjihub.regions.errors import RegionCodeError
from bokjihub.regions.models import Sigungu
from bokjihub.regions.selectors import emds_of_sigungu, sigungu_by_code
from bokjihub.web.actors import actor_from_request, client_ip

HUB_KINDS = (OrganisationKind.EMD_CENTRE, OrganisationKind.SIGUNGU_OFFICE)
RECEIPT_SESSION_KEY = "finding_last_receipt"


def _dongs(sigungu: Sigungu) -> list:
    return list(emds_of_sigungu(sigungu, as_of=timezone.localdate()).order_by("name_ko", "code"))


# --- finders ----------------------------------------------------------------------------


def _finder(request) -> Finder:
    actor = actor_from_request(request)
    finder = getattr(request.user, "finder", None)
    if actor.role != Role.FINDER or finder is None or not finder.is_active:
        raise PermissionDenied(
            _("발굴단(명예사회복지공무원)으로 위촉된 분만 쓸 수 있는 화면입니다.")
        )
    return finder


@login_required
def finder_report(request):
    finder = _finder(request)
    hub = finder.hub
    dongs = _dongs(hub.sigungu)
    initial = {"subject_emd_code": hub.emd.code} if hub.emd_id else {}
    form = FinderReportForm(request.POST or None, dongs=dongs, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            result = report_submit(
                data=form.report_input(finder_name=str(finder.user)),
                sigungu=hub.sigungu,
                finder=finder,
                submitted_by=request.user,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            # the receipt travels in the session, not the address: it is hers alone
            request.session[RECEIPT_SESSION_KEY] = result.report.receipt_number
            return HttpResponseRedirect(reverse("finding_report_sent"), status=303)
    return render(request, "finding/report_form.html", {"form": form, "hub": hub})


@login_required
def finder_report_sent(request):
    finder = _finder(request)
    receipt = request.session.get(RECEIPT_SESSION_KEY, "")
    return render(request, "finding/report_sent.html", {"hub": finder.hub, "receipt": receipt})


@login_required
def finder_my_reports(request):
    _finder(request)
    rows = finder_reports(actor=actor_from_request(request))
    return render(request, "finding/report_my_reports.html", {"rows": rows})


# --- hub staff --------------------------------------------------------------------------


def _hub_actor(request):
    actor = actor_from_request(request)
    organisation = actor.organisation
    if actor.role not in TRIAGE_ROLES or organisation is None or organisation.kind not in HUB_KINDS:
        raise PermissionDenied(
            _("읍·면·동 행정복지센터와 시·군·구청의 복지 담당자만 쓸 수 있는 화면입니다.")
        )
    return actor


@login_required
def intake(request):
    """Reports typed in by hub staff: walk-ins, 129 transfers, neighbours on the phone."""
    actor = _hub_actor(request)
    sigungu = actor.organisation.sigungu
    initial = {"subject_emd_code": actor.organisation.emd.code} if actor.organisation.emd_id else {}
    form = IntakeForm(request.POST or None, dongs=_dongs(sigungu), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            result = report_submit(
                data=form.report_input(),
                sigungu=sigungu,
                received_at=form.cleaned_data["received_at"],
                submitted_by=request.user,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _intake_message(result, actor.organisation))
            return HttpResponseRedirect(reverse("finding_intake"), status=303)
    return render(request, "finding/report_intake.html", {"form": form})


def _intake_message(result, organisation) -> str:
    item = result.item
    parts = [_("신고를 접수했습니다: 발굴 항목 %(number)s.") % {"number": item}]
    if result.joined:
        parts.append(
            _("같은 분에 대한 열린 항목이 있어 그 항목에 합쳤습니다(신고 %(count)d건).")
            % {"count": item.report_count}
        )
    if item.needs_routing:
        parts.append(_("주소로 동을 찾지 못해 시·군·구의 '이송 필요' 목록에 넣었습니다."))
    elif item.hub_id != organisation.id:
        parts.append(_("주소에 따라 %(hub)s(으)로 보냈습니다.") % {"hub": item.hub.name})
    parts.extend(result.notes)
    return " ".join(parts)


def _month(value: str) -> date:
    try:
        return date.fromisoformat(f"{value}-01")
    except ValueError:
        return timezone.localdate().replace(day=1)


@login_required
def finder_list(request):
    """The hub's finders and how each group of finders did in a month."""
    actor = _hub_actor(request)
    organisation = actor.organisation
    scope = (
        organisation.sigungu
        if organisation.kind == OrganisationKind.SIGUNGU_OFFICE
        else organisation
    )
    month = _month(request.GET.get("month", "")[:7])
    context = {
        "finders": finders_of(scope),
        "stats": finder_group_stats(hub_or_sigungu=scope, month=month),
        "month": month,
        "scope_name": scope.full_name_ko if isinstance(scope, Sigungu) else scope.name,
    }
    return render(request, "finding/finder_list.html", context)


# --- the public form --------------------------------------------------------------------


def _public_sigungu(sigungu_code: str) -> Sigungu:
    try:
        sigungu = sigungu_by_code(sigungu_code, as_of=timezone.localdate())
        sigungu_office(sigungu)
    except (RegionCodeError, RoutingError) as error:
        raise Http404(_("이 지역은 복지허브로 신고를 받지 않습니다.")) from error
    return sigungu


@never_cache
def public_report(request, sigungu_code: str):
    """Anyone may report a neighbour, anonymously if they wish. No login, no captcha from
    outside (closed network): a honeypot field, a signed render time (at least 3 seconds,
    at most 2 hours before the submission) and at most 30 reports an hour per address."""
    sigungu = _public_sigungu(sigungu_code)
    form = PublicReportForm(request.POST or None, dongs=_dongs(sigungu))
    context = {"form": form, "sigungu": sigungu}
    status = 200
    if request.method == "POST":
        status = _public_submit(request, form, sigungu, context)
        if status == 303:
            return HttpResponseRedirect(
                reverse("finding_public_sent", args=[sigungu.code]), status=303
            )
    _restamp(form, sigungu.code)
    response = render(request, "finding/public_report.html", context, status=status)
    if context.get("retry_after"):
        response["Retry-After"] = str(context["retry_after"])
    return response


def _restamp(form, sigungu_code: str) -> None:
    """A fresh render time each time the form is shown, so that a person refused for being
    too quick (or too slow) can simply send it again; the honeypot goes back empty."""
    stamp = public_form_stamp(sigungu_code=sigungu_code)
    if form.is_bound:
        form.data = form.data.copy()
        form.data["stamp"], form.data["website"] = stamp, ""
    else:
        form.initial["stamp"] = stamp


def _public_submit(request, form, sigungu, context) -> int:
    if request.POST.get("website", "").strip():
        context["refusal"] = _(
            "자동 입력 프로그램이 채운 것으로 보이는 칸이 있어 접수하지 않았습니다. "
            "직접 적으셨다면 페이지를 새로 고친 뒤 다시 보내 주세요."
        )
        return 400
    problem = public_form_stamp_problem(request.POST.get("stamp", ""), sigungu_code=sigungu.code)
    if problem:
        context["refusal"] = problem
        return 400
    fingerprint = client_fingerprint(client_ip(request))
    limited = public_rate_limited(fingerprint)
    if limited:
        context["refusal"] = limited.message
        context["retry_after"] = limited.retry_after_seconds
        return 429
    if not form.is_valid():
        return 200
    try:
        result = report_submit(
            data=form.report_input(), sigungu=sigungu, client_fingerprint=fingerprint
        )
    except ValidationError as error:
        form.add_service_errors(error)
        return 200
    # a number to quote if she calls the centre; it says nothing about anyone
    request.session[RECEIPT_SESSION_KEY] = result.report.receipt_number
    return 303


def public_report_sent(request, sigungu_code: str):
    sigungu = _public_sigungu(sigungu_code)
    receipt = request.session.get(RECEIPT_SESSION_KEY, "")
    return render(request, "finding/public_sent.html", {"sigungu": sigungu, "receipt": receipt})
