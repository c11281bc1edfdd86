"""The triage inbox of a hub and the page of one triage item.

Thin views: the access layer decides what the actor may see (a Dong A item is a 404 for
an officer of Dong B, on GET and on every POST), the services make every change. A
refused action re-renders the page with the message next to its form and what was typed
kept; a successful one redirects (post/redirect/get).
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from bokjihub.audit.models import AccessPurpose
from bokjihub.finding.access import (
    TRIAGE_ROLES,
    TriageItemNotFound,
    access_inbox,
    access_item,
    access_item_detail,
    detail_of_accessed_item,
    items_for_bulk_action,
    items_in_scope,
)
from bokjihub.finding.forms_inbox import (
    AssignForm,
    BulkAssignForm,
    CloseForm,
    HouseholdLinkForm,
    HouseholdRegisterForm,
    HouseholdSearchForm,
    InboxFilterForm,
    NoteForm,
    RerouteForm,
)
from bokjihub.finding.linking import (
    ItemOutOfScope,
    item_case_open,
    item_household_link,
    item_household_register,
)
from bokjihub.finding.models import (
    Channel,
    Concern,
    ItemStatus,
    MatchStatus,
    Report,
    TriageItem,
)
from bokjihub.finding.screening_display import evidence_view
from bokjihub.finding.selectors import registration_dongs, reroute_dongs, triage_staff
from bokjihub.finding.services import (
    ConcurrentEditError,
    TransitionError,
    item_assign,
    item_close,
    item_contact,
    item_match_reject,
    item_reroute,
    item_visit,
    items_assign_bulk,
)
from bokjihub.people.access import HouseholdSearch, SearchInputError, access_household_search
from bokjihub.people.models import Household
from bokjihub.web.actors import actor_from_request

BULK_LIMIT = 200  # more than a page can show; a bigger POST is not from our form


@dataclass(frozen=True)
class InboxRow:
    item: TriageItem
    concern_labels: list[str]
    overdue_days: int  # 0 when not overdue
    evidence: object = None  # a screening candidate's reasons, score and rank (screening_display)


def _overdue_days(item: TriageItem, now: datetime) -> int:
    if item.status == ItemStatus.CLOSED or item.first_contacted_at or item.due_at >= now:
        return 0
    return max(1, (now - item.due_at).days)


def _concern_labels(values) -> list[str]:
    return [Concern(value).label if value in Concern.values else value for value in values]


def _screening_evidence(items) -> dict[int, dict]:
    """The evidence of the screening candidates among `items`, by item id: one query, and
    none at all on a page without screening items. Officers must see why the data flagged
    a household before they decide to visit (issue 4)."""
    ids = [item.id for item in items if item.first_channel == Channel.SCREENING]
    if not ids:
        return {}
    evidence: dict[int, dict] = {}
    rows = (
        Report.objects.filter(item_id__in=ids, channel=Channel.SCREENING)
        .exclude(screening={})
        .order_by("-received_at")
        .values_list("item_id", "screening")
    )
    for item_id, screening in rows:
        evidence.setdefault(item_id, screening)
    return evidence


def _inbox_rows(items, now: datetime) -> list[InboxRow]:
    evidence = _screening_evidence(items)
    return [
        InboxRow(
            item=item,
            concern_labels=_concern_labels(item.concerns),
            overdue_days=_overdue_days(item, now),
            evidence=evidence_view(evidence[item.id]) if item.id in evidence else None,
        )
        for item in items
    ]


@login_required
def inbox(request):
    """GET: the hub's inbox with filters (a GET form: bookmarkable, no personal data in
    it). POST: bulk assignment of the checked rows, back to the same filtered page."""
    actor = actor_from_request(request)
    if actor.role not in TRIAGE_ROLES:
        raise PermissionDenied
    staff = triage_staff(organisation_ids=[actor.organisation.id])
    bulk_form = None
    if request.method == "POST":
        references = request.POST.getlist("items")[:BULK_LIMIT]
        bulk_form = BulkAssignForm(request.POST, staff=staff, references=references)
        if bulk_form.is_valid():
            items = items_for_bulk_action(actor=actor, references=bulk_form.cleaned_data["items"])
            if items is None:
                raise Http404(_("항목을 찾을 수 없습니다."))
            _assign_bulk(request, actor, items, bulk_form.assignee())
            return HttpResponseRedirect(request.get_full_path(), status=303)
    return _render_inbox(request, actor, staff, bulk_form)


def _assign_bulk(request, actor, items, assignee) -> None:
    done = items_assign_bulk(items=items, to_user=assignee, by=actor.user)
    text = _("%(count)d건을 %(name)s 님에게 배정했습니다.") % {"count": done, "name": assignee}
    if skipped := len(items) - done:
        text += " " + _("종결되어 배정할 수 없는 %(count)d건은 건너뛰었습니다.") % {
            "count": skipped
        }
    messages.success(request, text)


def _render_inbox(request, actor, staff, bulk_form):
    filter_form = InboxFilterForm(request.GET)
    flt = filter_form.inbox_filter()
    page = access_inbox(actor=actor, flt=flt, page_number=request.GET.get("page", 1))
    checked = set(bulk_form.data.getlist("items")) if bulk_form is not None else set()
    context = {
        "filter_form": filter_form,
        "bulk_form": bulk_form or BulkAssignForm(staff=staff, references=[]),
        "page": page,
        "page_numbers": page.paginator.get_elided_page_range(page.number, on_each_side=2),
        "rows": _inbox_rows(page.object_list, timezone.now()),
        "checked": checked,
        "bulk_errors": [
            message
            for errors in (bulk_form.errors if bulk_form else {}).values()
            for message in errors
        ],
        "filtered": any(request.GET.get(key) for key in filter_form.fields),
    }
    status = 400 if bulk_form is not None else 200
    return render(request, "finding/inbox.html", context, status=status)


# --- one item ----------------------------------------------------------------------------


def _register_initial(item, detail) -> dict:
    """The new-household form starts from what the report said."""
    return {
        "name": item.subject_name,
        "road_address": item.subject_address,
        "emd_code": item.emd.code if item.emd_id else "",
        "household_type": "other_single",
    }


def _item_forms(actor, detail, staff, dongs, bound=None) -> dict:
    """The action forms of the page, unbound except the one just refused."""
    item = detail.item
    forms = {
        "assign": AssignForm(staff=staff, prefix="assign"),
        "contact": NoteForm(prefix="contact"),
        "visit": NoteForm(prefix="visit"),
        "close": CloseForm(prefix="close"),
        "reroute": RerouteForm(dongs=dongs, prefix="reroute"),
        "case": NoteForm(prefix="case"),
    }
    if item.household_id is None and item.status != ItemStatus.CLOSED:
        forms["register"] = HouseholdRegisterForm(
            dongs=registration_dongs(actor),
            prefix="register",
            initial=_register_initial(item, detail),
        )
    if bound is not None:
        forms[bound.prefix] = bound
    return forms


def _page_context(actor, detail, bound=None, error_action="", error="", search=None) -> dict:
    item = detail.item
    staff = _assignable_staff(actor, item)
    dongs = reroute_dongs(item=item)
    evidence = [
        evidence_view(report.screening)
        for report in detail.reports
        if report.channel == Channel.SCREENING and report.screening
    ]
    return {
        "item": item,
        "detail": detail,
        "forms": _item_forms(actor, detail, staff, dongs, bound),
        "error_action": error_action,
        "error": error,
        "overdue_days": _overdue_days(item, timezone.now()),
        "concern_labels": _concern_labels(item.concerns),
        "is_closed": item.status == ItemStatus.CLOSED,
        "match_proposed": item.match_status == MatchStatus.PROPOSED and item.proposed_household_id,
        "match_percent": round(item.match_probability * 100) if item.match_probability else None,
        "evidence": evidence[-1] if evidence else None,
        "search": search or {"form": HouseholdSearchForm(), "page": None, "error": ""},
    }


@dataclass(frozen=True)
class RegistryRow:
    """One person found in the registry, as the item page lists it for linking."""

    name: str
    identity: str  # the masked RRN, else the birth date
    address: str  # "" when the disclosure policy withholds it from this viewer
    emd: object
    household_reference: str


def _registry_row(found) -> RegistryRow:
    # people.access may hand back persons or results carrying the policy's decisions
    person = getattr(found, "person", found)
    decisions = getattr(found, "household_decisions", None) or {}
    contact = decisions.get("contact") if hasattr(decisions, "get") else None
    address_shown = contact is None or getattr(contact, "visible", True)
    household = person.household
    return RegistryRow(
        name=person.name,
        identity=person.rrn_masked or person.birth_date.isoformat(),
        address=household.road_address if address_shown else "",
        emd=household.emd,
        household_reference=household.reference,
    )


def _registry_search(request, actor) -> dict:
    """The item page's registry search (GET ?q=): persons of the actor's jurisdiction,
    through people.access, which logs what the page shows."""
    form = HouseholdSearchForm(request.GET)
    result = {"form": form, "page": None, "rows": [], "error": ""}
    if not form.is_valid():
        result["error"] = " ".join(form.errors.get("q", []))
        return result
    text = form.cleaned_data["q"].strip()
    if not text:
        return result
    try:
        page = access_household_search(
            actor=actor, search=HouseholdSearch(text=text), purpose=AccessPurpose.TRIAGE
        )
        result["page"] = page
        result["rows"] = [_registry_row(found) for found in page.object_list]
    except SearchInputError as problem:
        result["error"] = problem.message
    except PermissionDenied:
        result["error"] = _("이 역할은 등록 가구를 검색할 수 없습니다.")
    return result


def _assignable_staff(actor, item) -> list:
    # Staff of the actor's organisation and of the item's hub (a Gu office may hand a
    # Dong's item to that Dong's officer).
    return triage_staff(organisation_ids={actor.organisation.id, item.hub_id})


@login_required
@require_GET
def item_detail(request, reference: str):
    actor = actor_from_request(request)
    try:
        detail = access_item_detail(actor=actor, reference=reference)
    except TriageItemNotFound as missing:
        raise Http404(_("항목을 찾을 수 없습니다.")) from missing
    search = _registry_search(request, actor) if "q" in request.GET else None
    return render(request, "finding/item.html", _page_context(actor, detail, search=search))


def _assign(request, actor, item, staff, dongs):
    form = AssignForm(request.POST, staff=staff, prefix="assign")
    if not form.is_valid():
        return form, None
    assignee = form.assignee()
    item_assign(
        item=item,
        to_user=assignee,
        by=actor.user,
        expected_version=form.cleaned_data["expected_version"],
    )
    return form, _("%(name)s 님에게 배정했습니다.") % {"name": assignee}


def _contact(request, actor, item, staff, dongs):
    form = NoteForm(request.POST, prefix="contact")
    if not form.is_valid():
        return form, None
    item_contact(
        item=item,
        by=actor.user,
        note=form.cleaned_data["note"],
        expected_version=form.cleaned_data["expected_version"],
    )
    return form, _("연락을 기록했습니다.")


def _visit(request, actor, item, staff, dongs):
    form = NoteForm(request.POST, prefix="visit")
    if not form.is_valid():
        return form, None
    item_visit(
        item=item,
        by=actor.user,
        note=form.cleaned_data["note"],
        expected_version=form.cleaned_data["expected_version"],
    )
    return form, _("방문을 기록했습니다.")


def _close(request, actor, item, staff, dongs):
    form = CloseForm(request.POST, prefix="close")
    if not form.is_valid():
        return form, None
    closed = item_close(
        item=item,
        outcome=form.cleaned_data["outcome"],
        by=actor.user,
        note=form.cleaned_data["note"],
        expected_version=form.cleaned_data["expected_version"],
    )
    if closed.case_id:
        return form, _("욕구가 확인되어 사례가 열렸습니다. 아래에서 사례와 가구를 확인하세요.")
    return form, _("결과를 기록하고 항목을 종결했습니다.")


def _reroute(request, actor, item, staff, dongs):
    form = RerouteForm(request.POST, dongs=dongs, prefix="reroute")
    if not form.is_valid():
        return form, None
    item_reroute(
        item=item,
        emd_code=form.cleaned_data["emd"],
        reason=form.cleaned_data["reason"],
        by=actor.user,
        expected_version=form.cleaned_data["expected_version"],
    )
    return form, _("항목을 이송했습니다.")


def _match(confirm: bool):
    def action(request, actor, item, staff, dongs):
        form = NoteForm(request.POST, prefix="match")
        if not form.is_valid():
            return form, None
        if item.match_status != MatchStatus.PROPOSED or item.proposed_household_id is None:
            raise TransitionError(_("확인하거나 거절할 가구 일치 후보가 없습니다."))
        if confirm:
            item_household_link(
                item=item,
                household=item.proposed_household,
                actor=actor,
                expected_version=form.cleaned_data["expected_version"],
            )
            return form, _("가구를 확인했습니다. 이제 '사례 열기'로 사례를 열 수 있습니다.")
        item_match_reject(
            item=item, by=actor.user, expected_version=form.cleaned_data["expected_version"]
        )
        return form, _("일치 후보가 아니라고 기록했습니다. 등록부에서 찾거나 새로 등록해 주세요.")

    return action


def _household_link(request, actor, item, staff, dongs):
    form = HouseholdLinkForm(request.POST, prefix="link")
    if not form.is_valid():
        return form, None
    household = Household.objects.filter(reference=form.cleaned_data["household"]).first()
    if household is None:
        raise ItemOutOfScope()
    item_household_link(
        item=item,
        household=household,
        actor=actor,
        expected_version=form.cleaned_data["expected_version"],
    )
    return form, _("가구를 연결했습니다. 이제 '사례 열기'로 사례를 열 수 있습니다.")


def _household_register(request, actor, item, staff, dongs):
    form = HouseholdRegisterForm(request.POST, dongs=registration_dongs(actor), prefix="register")
    if not form.is_valid():
        return form, None
    try:
        item_household_register(
            item=item,
            data=form.new_household(),
            actor=actor,
            expected_version=form.cleaned_data["expected_version"],
        )
    except ValidationError as problem:
        for field, messages_ in problem.message_dict.items():
            for message in messages_:
                form.add_error(None if field not in form.fields else field, message)
        return form, None
    return form, _(
        "새 가구로 등록하고 이 신고에 연결했습니다. 이제 '사례 열기'로 사례를 열 수 있습니다."
    )


def _case_open(request, actor, item, staff, dongs):
    form = NoteForm(request.POST, prefix="case")
    if not form.is_valid():
        return form, None
    opened = item_case_open(
        item=item,
        actor=actor,
        note=form.cleaned_data["note"],
        expected_version=form.cleaned_data["expected_version"],
    )
    return form, _("욕구를 확인하고 사례 %(number)s을(를) 열었습니다.") % {
        "number": _case_label(opened.case)
    }


def _case_label(case) -> str:
    number = getattr(case, "number", "") if case is not None else ""
    return number or (_("%(number)s번") % {"number": case.pk} if case is not None else "")


ACTIONS = {
    "assign": _assign,
    "contact": _contact,
    "visit": _visit,
    "close": _close,
    "reroute": _reroute,
    "match-confirm": _match(confirm=True),
    "match-reject": _match(confirm=False),
    "household-link": _household_link,
    "household-register": _household_register,
    "case-open": _case_open,
}


@login_required
@require_POST
def item_action(request, reference: str, action: str):
    """One action on an item. The item is read through access_item first, so an item
    outside the actor's jurisdiction is a 404 before anything else is looked at."""
    actor = actor_from_request(request)
    try:
        item = access_item(actor=actor, reference=reference)
    except TriageItemNotFound as missing:
        raise Http404(_("항목을 찾을 수 없습니다.")) from missing
    handler = ACTIONS.get(action)
    if handler is None:
        raise Http404(_("알 수 없는 작업입니다."))
    staff, dongs = _assignable_staff(actor, item), reroute_dongs(item=item)
    error, status, form = "", 400, None
    try:
        form, done = handler(request, actor, item, staff, dongs)
    except ConcurrentEditError as problem:
        error, status = problem.message, 409
        form = form or _bound_form(request, action, staff, dongs, actor)
    except TransitionError as problem:
        error = problem.message
        form = form or _bound_form(request, action, staff, dongs, actor)
    except ValidationError as problem:
        error = " ".join(problem.messages)
        form = form or _bound_form(request, action, staff, dongs, actor)
    except ItemOutOfScope as missing:
        raise Http404(missing.message) from missing
    else:
        if done is not None:
            messages.success(request, done)
            return _after_action(actor, item)
    # Refused: the page as read at the start of this request (a service that refuses
    # changes nothing), with the typed text kept and the message next to its form.
    context = _page_context(
        actor, detail_of_accessed_item(item), bound=form, error_action=action, error=error
    )
    return render(request, "finding/item.html", context, status=status)


def _bound_form(request, action, staff, dongs, actor):
    if action == "household-register":
        return HouseholdRegisterForm(
            request.POST, dongs=registration_dongs(actor), prefix="register"
        )
    if action == "household-link":
        return HouseholdLinkForm(request.POST, prefix="link")
    if action == "case-open":
        return NoteForm(request.POST, prefix="case")
    if action == "assign":
        return AssignForm(request.POST, staff=staff, prefix="assign")
    if action == "close":
        return CloseForm(request.POST, prefix="close")
    if action == "reroute":
        return RerouteForm(request.POST, dongs=dongs, prefix="reroute")
    return NoteForm(request.POST, prefix="match" if action.startswith("match") else action)


def _after_action(actor, item: TriageItem):
    # After a reroute the item may have left the actor's jurisdiction: back to the inbox.
    if items_in_scope(actor).filter(pk=item.pk).exists():
        return HttpResponseRedirect(reverse("finding_item", args=[item.reference]), status=303)
    return HttpResponseRedirect(reverse("finding_inbox"), status=303)
