from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from bokjihub.cases.forms import add_service_errors
from bokjihub.orgs.models import Sector
from bokjihub.people.access import (
    HouseholdNotFound,
    HouseholdSearch,
    PurposeRequired,
    SearchInputError,
    access_consent,
    access_household,
    access_household_search,
    access_person_consents,
    access_person_record,
    households_in_scope,
    search_text_check,
)
from bokjihub.people.selectors import consent_recipient_choices
from bokjihub.people.services import consent_record, consent_withdraw
from bokjihub.web.actors import SESSION_MEMBERSHIP_KEY, actor_from_request, memberships_from_request
from bokjihub.web.consent_forms import ConsentForm, PurposeForm
from bokjihub.web.household_links import household_links
from bokjihub.web.jurisdiction import dongs_for_search
from bokjihub.web.privacy import contains_full_rrn


@login_required
def home(request):
    actor = actor_from_request(request)
    context = {"role": actor.role}
    if actor.may_read_personal_data:
        # A count of households, not personal data: no access-log row.
        context["household_count"] = households_in_scope(actor).count()
    return render(request, "web/home.html", context)


@login_required
@require_POST
def membership_switch(request):
    chosen = request.POST.get("membership", "")
    allowed = {
        str(membership.id): membership.id for membership in memberships_from_request(request)
    }
    if chosen in allowed:
        request.session[SESSION_MEMBERSHIP_KEY] = allowed[chosen]
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = reverse("home")
    return HttpResponseRedirect(next_url)


def _wants_results_only(request) -> bool:
    # htmx swaps the search area in place; a history restore needs the whole page.
    return request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )


FULL_RRN_IN_URL = _lazy(
    "주민등록번호 전체는 주소창(URL)과 방문 기록에 남지 않도록 검색창에 입력해 검색해 주세요."
)
UNKNOWN_DONG = _lazy("고른 행정동은 검색할 수 있는 행정동이 아닙니다. 목록에서 다시 골라 주세요.")


def _input_message(problem: SearchInputError) -> str:
    # The access layer's messages come in Korean and English (the RRN rules' own pair).
    return problem.message if (get_language() or "ko").startswith("ko") else problem.message_en


def _search_errors(search: HouseholdSearch, dongs, *, rrn_in_url: bool) -> dict[str, str]:
    """Every error of the search form at once, before anything is searched."""
    errors = {}
    if rrn_in_url:
        errors["q"] = str(FULL_RRN_IN_URL)
    else:
        try:
            search_text_check(search.text)
        except SearchInputError as problem:
            errors["q"] = _input_message(problem)
    if search.emd_code and search.emd_code not in {dong.code for dong in dongs}:
        errors["emd"] = str(UNKNOWN_DONG)
    return errors


@login_required
def household_search(request):
    """GET searches by name, birth date, address or Dong (shareable, paginated URLs).

    The form posts; a full RRN is looked up straight from the POST so the number never
    enters a URL, a server log line or the browser history, and any other search is
    redirected to its GET URL (post/redirect/get).
    """
    actor = actor_from_request(request)
    if not actor.may_read_personal_data:
        raise PermissionDenied
    source = request.POST if request.method == "POST" else request.GET
    search = HouseholdSearch(text=source.get("q", "")[:100], emd_code=source.get("emd", "")[:10])
    exact_rrn = contains_full_rrn(search.text)
    if request.method == "POST" and not exact_rrn:
        query = urlencode(
            {key: value for key, value in (("q", search.text), ("emd", search.emd_code)) if value}
        )
        return HttpResponseRedirect(
            f"{reverse('household_search')}?{query}" if query else reverse("household_search"),
            status=303,
        )
    dongs = dongs_for_search(actor)
    errors = _search_errors(search, dongs, rrn_in_url=exact_rrn and request.method == "GET")
    page = None
    if not errors and not search.is_empty:
        try:
            page = access_household_search(
                actor=actor, search=search, page_number=source.get("page", 1)
            )
        except SearchInputError as problem:
            errors["q"] = _input_message(problem)
    context = {
        "search": search,
        "page": page,
        "page_numbers": page.paginator.get_elided_page_range(page.number, on_each_side=2)
        if page
        else [],
        "error": errors.get("q"),
        "emd_error": errors.get("emd"),
        "errors": errors,
        "dongs": dongs,
    }
    template = (
        "web/partials/household_search_area.html"
        if _wants_results_only(request)
        else "web/household_search.html"
    )
    response = render(request, template, context)
    # htmx: push the GET address of a search; never push anything for an RRN lookup.
    response["HX-Push-Url"] = "false" if exact_rrn else request.get_full_path()
    patch_vary_headers(response, ["HX-Request"])
    return response


# Purposes stated for out-of-caseload households, kept in the session for the day so that
# coming back to the page (after recording a consent, say) does not ask again. Each view
# is still logged with the purpose. The session, not the URL: the reason may name people.
SESSION_PURPOSES_KEY = "bokjihub_household_purposes"


def _remembered_purpose(request, reference: str) -> tuple[str | None, str]:
    stated = request.session.get(SESSION_PURPOSES_KEY, {}).get(reference)
    if not stated or stated.get("day") != timezone.localdate().isoformat():
        return None, ""
    return stated["purpose"], stated["text"]


def _remember_purpose(request, reference: str, purpose: str, text: str) -> None:
    today = timezone.localdate().isoformat()
    purposes = {
        key: value
        for key, value in request.session.get(SESSION_PURPOSES_KEY, {}).items()
        if value.get("day") == today
    }
    purposes[reference] = {"purpose": purpose, "text": text, "day": today}
    request.session[SESSION_PURPOSES_KEY] = purposes


@login_required
def household_detail(request, reference: str):
    """The household page. Outside the actor's caseload it first asks for a purpose (a
    POST to this same address) and reveals nothing, not even a name, until given."""
    actor = actor_from_request(request)
    form = PurposeForm(request.POST) if request.method == "POST" else PurposeForm()
    stated = request.method == "POST" and form.is_valid()
    if stated:
        purpose, text = form.cleaned_data["purpose"], form.cleaned_data["purpose_text"]
    else:
        purpose, text = _remembered_purpose(request, reference)
    try:
        view = access_household(
            actor=actor, reference=reference, purpose=purpose, purpose_text=text
        )
    except HouseholdNotFound as missing:
        raise Http404(_("가구를 찾을 수 없습니다.")) from missing
    except PurposeRequired:
        return render(request, "web/household_purpose.html", {"form": form})
    if stated and not view.in_caseload:
        _remember_purpose(request, reference, purpose, text)
    context = {"view": view, "links": household_links(actor, view.household)}
    return render(request, "web/household_detail.html", context)


def _household_url(person) -> str:
    return reverse("household_detail", args=[person.household.reference])


def _consent_recipients(actor, person) -> tuple[list, list]:
    """Whom the consent may name: public staff record any organisation or network of the
    household's Si/Gun/Gu; a private centre records only the consents given to itself."""
    if actor.organisation.sector != Sector.PUBLIC:
        return [actor.organisation], []
    return consent_recipient_choices(sigungu=person.household.emd.sigungu)


@login_required
@require_POST
def consent_new(request):
    """Record a consent for one person. POST only: the person travels in the body. Public
    staff in jurisdiction, or a private centre for a household it serves (it names itself
    as the recipient); anyone else gets a 404."""
    actor = actor_from_request(request)
    try:
        subject = access_person_consents(
            actor=actor, person_id=request.POST.get("person"), detail="동의 기록"
        )
    except HouseholdNotFound as missing:
        raise Http404(_("대상자를 찾을 수 없습니다.")) from missing
    person = subject.person
    organisations, networks = _consent_recipients(actor, person)
    saving = "save" in request.POST
    form = ConsentForm(
        request.POST if saving else None, organisations=organisations, networks=networks
    )
    if saving and form.is_valid():
        data = form.cleaned_data
        try:
            consent_record(
                person=person,
                purpose=data["purpose"],
                categories=data["categories"],
                retention_until=data["retention_until"],
                refusal_notice=data["refusal_notice"],
                method=data["method"],
                witness_name=data["witness_name"],
                given_at=data["given_at"],
                recorded_by=actor.user,
                recording_organisation=actor.organisation,
                actor=actor,
                **form.recipient_kwargs(),
            )
        except ValidationError as problem:
            add_service_errors(form, problem)
        else:
            messages.success(
                request, _("%(name)s 님의 동의를 기록했습니다.") % {"name": person.name}
            )
            return HttpResponseRedirect(_household_url(person), status=303)
    context = {
        "person": person,
        "consents": subject.consents,
        "form": form,
        "private_recorder": actor.organisation.sector != Sector.PUBLIC,
    }
    return render(request, "web/consent_form.html", context)


@login_required
@require_POST
def consent_withdraw_view(request):
    """Withdraw a consent: the first POST shows what will stop, the second (confirm)
    withdraws at once and returns to the household page."""
    actor = actor_from_request(request)
    try:
        consent = access_consent(
            actor=actor, consent_id=request.POST.get("consent"), detail="동의 철회"
        )
    except HouseholdNotFound as missing:
        raise Http404(_("동의 기록을 찾을 수 없습니다.")) from missing
    error = None
    if request.POST.get("confirm") == "yes":
        try:
            consent_withdraw(consent=consent, by=actor.user, actor=actor)
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            messages.success(
                request,
                _("%(name)s 님의 동의를 철회했습니다. 지금부터 제공되지 않습니다.")
                % {"name": consent.person.name},
            )
            return HttpResponseRedirect(_household_url(consent.person), status=303)
    return render(request, "web/consent_withdraw.html", {"consent": consent, "error": error})


@login_required
@require_POST
def person_record(request):
    """The person's own record, printable, for their right of access (PIPA art. 35)."""
    try:
        record = access_person_record(
            actor=actor_from_request(request), person_id=request.POST.get("person")
        )
    except HouseholdNotFound as missing:
        raise Http404(_("대상자를 찾을 수 없습니다.")) from missing
    return render(request, "web/person_record.html", {"record": record})
