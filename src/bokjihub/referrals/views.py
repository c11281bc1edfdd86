"""Pages of referrals: the inbox of the actor's organisation, one referral with the moves
the actor's side may make, sending a referral from a case, and the case page's panel.

Thin: referrals.access decides who reads a referral (a referral of another organisation
is a 404, like a case), the services make every move. There is no organisation in the
inbox's address: it is always the actor's own organisation's inbox.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from bokjihub.cases.access import CaseNotFound, access_case
from bokjihub.referrals.access import ReferralNotFound, access_referral, referral_links
from bokjihub.referrals.forms import (
    BUTTON_LABELS,
    MOVE_SLUGS,
    SLUG_OF,
    InboxFilterForm,
    ReferralMoveForm,
    ReferralSendForm,
    service_to_prefill,
)
from bokjihub.referrals.models import REASONED_STATUSES, ReferralStatus
from bokjihub.referrals.selectors import (
    referral_inbox,
    referral_status_counts,
    referrals_of_case,
    sender_contacts,
)
from bokjihub.referrals.services import (
    ReferralConflictError,
    ReferralTransitionError,
    referral_send,
    referral_status_update,
)
from bokjihub.web.actors import actor_from_request


def _staff_actor(request):
    actor = actor_from_request(request)
    if not actor.may_read_personal_data or actor.organisation is None:
        raise PermissionDenied(_("이 역할은 의뢰를 다룰 수 없습니다."))
    return actor


@login_required
@require_GET
def referral_inbox_view(request):
    actor = _staff_actor(request)
    form = InboxFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    page, rows = referral_inbox(
        organisation=actor.organisation, status=status, page_number=request.GET.get("page", 1)
    )
    referrals = [row.referral for row in rows]
    links, contacts = referral_links(actor, referrals), sender_contacts(referrals)
    return render(
        request,
        "referrals/inbox.html",
        {
            "filter_form": form,
            "filtered": bool(status),
            "page": page,
            "page_numbers": page.paginator.get_elided_page_range(page.number),
            "rows": [(row, links[row.referral.id], contacts[row.referral.id]) for row in rows],
            "counts": referral_status_counts(organisation=actor.organisation),
        },
    )


def _referral_or_404(actor, referral_id):
    try:
        return access_referral(actor=actor, referral_id=referral_id)
    except ReferralNotFound as missing:
        raise Http404(_("의뢰를 찾을 수 없습니다.")) from missing


def _move_forms(view, bound=None, bound_status: str = "") -> list[dict]:
    forms = []
    for status in view.moves:
        form = (
            bound
            if status == bound_status and bound is not None
            else ReferralMoveForm(
                prefix=SLUG_OF[status],
                initial={
                    "expected_version": view.referral.version,
                    "idempotency_key": uuid.uuid4().hex,
                },
            )
        )
        forms.append(
            {
                "slug": SLUG_OF[status],
                "status": status,
                "label": BUTTON_LABELS[status],
                "needs_reason": status in REASONED_STATUSES,
                "form": form,
            }
        )
    return forms


def _detail(request, view, *, bound=None, bound_status="", error="", status=200):
    context = {
        "view": view,
        "referral": view.referral,
        "moves": _move_forms(view, bound, bound_status),
        "error": error,
        "error_slug": SLUG_OF.get(bound_status, ""),
    }
    return render(request, "referrals/detail.html", context, status=status)


@login_required
@require_GET
def referral_detail(request, referral_id: int):
    actor = actor_from_request(request)
    return _detail(request, _referral_or_404(actor, referral_id))


@login_required
@require_POST
def referral_action(request, referral_id: int, action: str):
    actor = actor_from_request(request)
    view = _referral_or_404(actor, referral_id)
    to_status = MOVE_SLUGS.get(action)
    if to_status is None:
        raise Http404(_("알 수 없는 작업입니다."))
    if to_status not in view.moves and view.referral.status != to_status:
        raise PermissionDenied(_("이 의뢰에서 할 수 없는 작업입니다."))
    form = ReferralMoveForm(request.POST, prefix=action)
    if not form.is_valid():
        return _detail(request, view, bound=form, bound_status=to_status, status=400)
    try:
        moved = referral_status_update(
            referral=view.referral,
            to_status=to_status,
            organisation=actor.organisation,
            by=actor.user,
            expected_version=form.cleaned_data["expected_version"],
            reason=form.cleaned_data["reason"],
            idempotency_key=form.cleaned_data["idempotency_key"],
        )
    except ReferralConflictError as problem:
        return _detail(
            request, view, bound=form, bound_status=to_status, error=problem.message, status=409
        )
    except ReferralTransitionError as problem:
        return _detail(
            request, view, bound=form, bound_status=to_status, error=problem.message, status=400
        )
    label = ReferralStatus(to_status).label
    if moved.replayed:
        messages.info(
            request,
            _("이미 '%(status)s'(으)로 바뀐 의뢰입니다. 다시 바꾸지 않았습니다.")
            % {"status": label},
        )
    elif to_status == ReferralStatus.ACCEPTED:
        messages.success(
            request,
            _(
                "의뢰를 수락했습니다. %(organisation)s이(가) 사례 %(case)s에 참여했습니다. "
                "아래 '사례 보기'에서 가구 정보를 보고 서비스 제공을 기록하세요."
            )
            % {"organisation": actor.organisation.name, "case": view.referral.case},
        )
    else:
        messages.success(request, _("의뢰를 '%(status)s'(으)로 바꾸었습니다.") % {"status": label})
    return HttpResponseRedirect(
        reverse("referrals:referral_detail", args=[referral_id]), status=303
    )


# --- sending from a case ----------------------------------------------------------------------


def _case_or_404(actor, case_id):
    try:
        return access_case(actor=actor, case_id=case_id)
    except CaseNotFound as missing:
        raise Http404(_("사례를 찾을 수 없습니다.")) from missing


def case_referral_panel(actor, view) -> dict:
    """What the case page shows of referrals: every referral of the case with its status,
    and the send form for staff of an organisation working on the open case."""
    may_send = view.is_participant and view.case.is_open and actor.organisation is not None
    return {
        "rows": referrals_of_case(case=view.case, viewer_organisation=actor.organisation),
        "may_send": may_send,
        "form": ReferralSendForm(prefix="referral", sender=actor.organisation)
        if may_send
        else None,
    }


@login_required
def referral_send_view(request, case_id: int):
    """GET: the send form on its own page; POST: send, then back to the case page. A
    refused send shows this page again with what was typed and the reason."""
    actor = actor_from_request(request)
    view = _case_or_404(actor, case_id)
    if not view.is_participant:
        raise PermissionDenied(_("이 사례의 참여기관 직원만 의뢰할 수 있습니다."))
    asked = request.GET.get("service", "")
    service = service_to_prefill(asked) if asked and request.method == "GET" else None
    form = ReferralSendForm(
        request.POST or None, prefix="referral", sender=actor.organisation, service=service
    )
    error, status = "", 200
    if asked and request.method == "GET" and service is None:
        error = _("찾을 수 없거나 운영하지 않는 서비스입니다. 받을 기관과 내용을 직접 골라 주세요.")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = referral_send(
                case=view.case,
                from_organisation=actor.organisation,
                by=actor.user,
                to_organisation=data["to_organisation"],
                need_domain=data["need_domain"],
                request_text=data["request_text"],
                service=data["service"],
                idempotency_key=data["idempotency_key"][:80],
            )
        except ReferralTransitionError as problem:
            error = problem.message
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            messages.success(
                request,
                _("%(organisation)s에 의뢰했습니다 (의뢰 %(number)s, %(shared)s).")
                % {
                    "organisation": referral.to_organisation.name,
                    "number": referral.id,
                    "shared": referral.get_shared_level_display(),
                },
            )
            return HttpResponseRedirect(reverse("case_detail", args=[view.case.id]), status=303)
    if request.method == "POST":
        status = 400
    context = {
        "case": view.case,
        "form": form,
        "error": error,
        "service": service or _bound_service(form),
    }
    return render(request, "referrals/send.html", context, status=status)


def _bound_service(form):
    """The service a refused POST carried, to name it again above the form."""
    if not form.is_bound:
        return None
    return service_to_prefill(form.data.get(form.add_prefix("service"), ""))
