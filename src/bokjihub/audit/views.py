"""The privacy officer's pages over the access log (PIPA 고시 제8조: 월 1회 이상 점검):
the monthly review with its sign-off, the rows behind each flag, and who viewed a person."""

from datetime import date
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from bokjihub.audit.access import access_who_viewed, require_reviewer
from bokjihub.audit.forms import SignOffForm, WhoViewedForm, add_service_errors
from bokjihub.audit.models import ReviewSignOff
from bokjihub.audit.selectors import (
    BULK_VIEWS_PER_DAY,
    OFFICE_CLOSES_HOUR,
    OFFICE_OPENS_HOUR,
    SEOUL,
    RowFilter,
    access_log_months,
    access_review,
    review_rows,
    review_sign_off_overview,
)
from bokjihub.audit.services import review_sign_off_record
from bokjihub.web.actors import actor_from_request

EARLIEST_YEAR = 2000
ROWS_PER_PAGE = 50


def _reviewer(request):
    actor = actor_from_request(request)
    require_reviewer(actor)
    return actor


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def access_review_page(request):
    """One month's accesses per user with anomaly flags, and the month's sign-off. The
    month from `?month=YYYY-MM`, by default the latest month with rows in the log."""
    actor = _reviewer(request)
    months = access_log_months()
    month, error = _month_from(request.GET.get("month", ""), months)
    if request.method == "POST":
        note = request.POST.get("note", "")
        try:
            review_sign_off_record(
                actor=actor,
                month=month,
                note=note,
                amends_id=SignOffForm(request.POST).amends_id(),
            )
        except ValidationError as problem:
            problems = problem
        else:
            return redirect(_review_url(month) + "#sign-off")
    # Read after any attempt, so that a refused form offers to amend the latest sign-off.
    sign_offs, month_statuses = review_sign_off_overview(month=month, months=months)
    latest_id = sign_offs[-1].id if sign_offs else None
    if request.method == "POST":
        form = SignOffForm({"note": note, "amends": latest_id or ""})
        form.is_valid()
        add_service_errors(form, problems)
    else:
        form = SignOffForm(initial={"amends": latest_id})
    lines = access_review(month=month)
    context = {
        "month": month,
        "month_value": f"{month:%Y-%m}",
        "previous_month": months.previous_of(month) if months else None,
        "next_month": months.next_of(month) if months else None,
        "months": months,
        "month_statuses": month_statuses,
        "lines": lines,
        "flagged_count": sum(1 for line in lines if line.flags),
        "error": error,
        "sign_offs": sign_offs,
        "form": form,
        "may_sign_off": month < timezone.localdate().replace(day=1),
        "note_max_length": ReviewSignOff.NOTE_MAX_LENGTH,
        "bulk_views_per_day": BULK_VIEWS_PER_DAY,
        "office_opens_hour": OFFICE_OPENS_HOUR,
        "office_closes_hour": OFFICE_CLOSES_HOUR,
    }
    return render(request, "audit/review.html", context, status=400 if form.errors else 200)


def _review_url(month: date) -> str:
    return reverse("audit_review") + "?" + urlencode({"month": f"{month:%Y-%m}"})


def _default_month(months) -> date:
    if months is not None:
        return months.latest
    return timezone.now().astimezone(SEOUL).date().replace(day=1)


def _month_from(text: str, months) -> tuple[date, str | None]:
    if not text:
        return _default_month(months), None
    try:
        month = date.fromisoformat(f"{text.strip()[:7]}-01")
    except ValueError:
        return _default_month(months), _(
            "달을 YYYY-MM 형식으로 입력하세요. 접속기록이 있는 마지막 달을 보여줍니다."
        )
    if month.year < EARLIEST_YEAR:
        return _default_month(months), _(
            "너무 이른 달입니다. 접속기록이 있는 마지막 달을 보여줍니다."
        )
    return month, None


@never_cache
@login_required
def review_rows_page(request):
    """The log rows behind one flag (or count) of one user's month, a page at a time."""
    _reviewer(request)
    months = access_log_months()
    month, error = _month_from(request.GET.get("month", ""), months)
    try:
        row_filter = RowFilter(request.GET.get("flag", ""))
    except ValueError:
        row_filter, error = RowFilter.ALL, _("알 수 없는 점검 사항입니다. 모든 기록을 보여줍니다.")
    user_id = _positive_int(request.GET.get("user", ""))
    rows = review_rows(month=month, row_filter=row_filter, user_id=user_id)
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "month": month,
        "row_filter": row_filter,
        "user_id": user_id,
        "page": page,
        "page_numbers": page.paginator.get_elided_page_range(page.number),
        "rows": list(page.object_list),
        "review_url": _review_url(month),
        "error": error,
    }
    return render(request, "audit/review_rows.html", context)


def _positive_int(text: str) -> int | None:
    try:
        value = int(text)
    except ValueError:
        return None
    return value if value > 0 else None


@never_cache
@login_required
def who_viewed_page(request):
    """Who viewed a person, when and why: one search by name and birth date, household
    reference or person number, over the last 30 days or a chosen period."""
    actor = _reviewer(request)
    form = WhoViewedForm(request.GET or None)
    result = None
    if form.is_bound and form.is_valid():
        result = access_who_viewed(actor=actor, query=form.query())
    context = {
        "form": form,
        "result": result,
        "review_url": reverse("audit_review"),
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "audit/who_viewed.html", context, status=status)
