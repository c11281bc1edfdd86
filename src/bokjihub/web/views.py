from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from bokjihub.people.access import (
    HouseholdNotFound,
    HouseholdSearch,
    SearchInputError,
    access_household,
    access_household_search,
)
from bokjihub.web.actors import actor_from_request


@login_required
def home(request):
    return render(request, "web/home.html", {})


@login_required
def household_search(request):
    actor = actor_from_request(request)
    search = HouseholdSearch(text=request.GET.get("q", "")[:100], emd_code=request.GET.get("emd", "")[:10])
    page, error = None, None
    if not search.is_empty:
        try:
            page = access_household_search(actor=actor, search=search, page_number=request.GET.get("page", 1))
        except SearchInputError as problem:
            error = problem.message
    return render(request, "web/household_search.html", {"search": search, "page": page, "error": error})


@login_required
def household_detail(request, reference: str):
    try:
        view = access_household(actor=actor_from_request(request), reference=reference)
    except HouseholdNotFound as missing:
        raise Http404("가구를 찾을 수 없습니다.") from missing
    return render(request, "web/household_detail.html", {"view": view})
