"""The privacy officer's pages over the access log (PIPA 고시 제8조: 월 1회 이상 점검)."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from bokjihub.audit.selectors import (
    BULK_VIEWS_PER_DAY,
    OFFICE_CLOSES_HOUR,
    OFFICE_OPENS_HOUR,
    SEOUL,
    access_review,
)
from bokjihub.orgs.models import Role
from bokjihub.web.actors import actor_from_request

# Who reviews the log. Auditors see the log and never households; system administrators
# run the review where no auditor has been appointed.
REVIEWER_ROLES = frozenset({Role.AUDITOR, Role.SYSTEM_ADMINISTRATOR})
EARLIEST_YEAR = 2000


@never_cache
@login_required
def access_review_page(request):
    """One month's accesses per user with anomaly flags; the month from `?month=YYYY-MM`,
    by default the month before this one (the one a review is due for)."""
    if actor_from_request(request).role not in REVIEWER_ROLES:
        raise PermissionDenied
    month, error = _month_from(request.GET.get("month", ""))
    lines = access_review(month=month)
    context = {
        "month": month,
        "previous_month": _shift(month, -1),
        "next_month": _shift(month, 1),
        "lines": lines,
        "flagged_count": sum(1 for line in lines if line.flags),
        "error": error,
        "bulk_views_per_day": BULK_VIEWS_PER_DAY,
        "office_opens_hour": OFFICE_OPENS_HOUR,
        "office_closes_hour": OFFICE_CLOSES_HOUR,
    }
    return render(request, "audit/review.html", context)


def _default_month() -> date:
    return _shift(timezone.now().astimezone(SEOUL).date().replace(day=1), -1)


def _month_from(text: str) -> tuple[date, str | None]:
    if not text:
        return _default_month(), None
    try:
        month = date.fromisoformat(f"{text.strip()[:7]}-01")
    except ValueError:
        return _default_month(), "달을 YYYY-MM 형식으로 입력하세요. 지난달을 보여줍니다."
    if month.year < EARLIEST_YEAR:
        return _default_month(), "너무 이른 달입니다. 지난달을 보여줍니다."
    return month, None


def _shift(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)
