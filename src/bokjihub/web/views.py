from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST

from bokjihub.people.access import (
    HouseholdNotFound,
    HouseholdSearch,
    SearchInputError,
    access_household,
    access_household_search,
    households_in_scope,
)
from bokjihub.web.actors import SESSION_MEMBERSHIP_KEY, actor_from_request, memberships_from_request
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


FULL_RRN_IN_URL = (
    "주민등록번호 전체는 주소창(URL)과 방문 기록에 남지 않도록 검색창에 입력해 검색해 주세요."
)


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
    page, error = None, None
    if exact_rrn and request.method == "GET":
        error = FULL_RRN_IN_URL
    elif not search.is_empty:
        try:
            page = access_household_search(
                actor=actor, search=search, page_number=source.get("page", 1)
            )
        except SearchInputError as problem:
            error = problem.message
    context = {
        "search": search,
        "page": page,
        "page_numbers": page.paginator.get_elided_page_range(page.number, on_each_side=2)
        if page
        else [],
        "error": error,
        "dongs": dongs_for_search(actor),
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


@login_required
def household_detail(request, reference: str):
    try:
        view = access_household(actor=actor_from_request(request), reference=reference)
    except HouseholdNotFound as missing:
        raise Http404("가구를 찾을 수 없습니다.") from missing
    return render(request, "web/household_detail.html", {"view": view})
