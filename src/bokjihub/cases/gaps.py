"""The gap list (서비스 공백): needs a case assessed that nothing has answered yet.

A need is on the list when, in the latest assessment of an open case, it was rated
GAP_MIN_SEVERITY or higher at least N days ago, and since then the case has no goal of
that domain in its current plan (a dropped goal does not count) and the household no
delivery of that domain that was still running on or after the assessment day. N is
settings.BOKJIHUB_SERVICE_GAP_DAYS (30 by default) or the caller's `days`.

Severity 1 (낮음) is left out on purpose: the guideline expects a plan item for a need
the worker judged to matter (보통, 높음), not for every domain touched in the interview.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from bokjihub.cases.access import cases_in_scope
from bokjihub.cases.models import (
    CaseStatus,
    Delivery,
    DomainNeed,
    GoalStatus,
    NeedDomain,
    NeedsAssessment,
    NeedSeverity,
    PlanGoal,
)
from bokjihub.orgs.actors import Actor

GAP_MIN_SEVERITY = NeedSeverity.MEDIUM
GAP_PAGE_SIZE = 50


def gap_days() -> int:
    return int(settings.BOKJIHUB_SERVICE_GAP_DAYS)


@dataclass(frozen=True)
class GapRow:
    case_id: int
    case_number: str
    dong: str
    domain: str
    severity: str
    assessed_at: datetime
    days_waiting: int


def _gap_needs(actor: Actor, cutoff: datetime):
    latest_number = (
        NeedsAssessment.objects.filter(case=OuterRef("assessment__case"))
        .order_by("-number")
        .values("number")[:1]
    )
    current_goal = PlanGoal.objects.filter(
        plan__case=OuterRef("assessment__case"),
        plan_version=OuterRef("assessment__case__plan__version"),
        domain=OuterRef("domain"),
    ).exclude(status=GoalStatus.DROPPED)
    delivery = Delivery.objects.filter(
        household=OuterRef("assessment__case__household"), domain=OuterRef("domain")
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=OuterRef("assessed_on")))
    open_cases = cases_in_scope(actor).filter(status=CaseStatus.OPEN).values("id")
    return (
        DomainNeed.objects.annotate(assessed_on=TruncDate("assessment__assessed_at"))
        .filter(
            assessment__case__in=open_cases,
            assessment__number=Subquery(latest_number),
            assessment__assessed_at__lte=cutoff,
            severity__gte=GAP_MIN_SEVERITY,
        )
        .exclude(Exists(current_goal))
        .exclude(Exists(delivery))
        .order_by("assessment__assessed_at", "assessment__case_id", "domain")
    )


def service_gaps(
    *, actor: Actor, days: int | None = None, page_number=1, now: datetime | None = None
) -> Page:
    """A page of GapRows, the longest waiting first. Case numbers and Dongs only, no
    personal data, like the worker's "today" page (so no access-log row)."""
    now = now or timezone.now()
    waited = gap_days() if days is None else days
    rows = _gap_needs(actor, now - timedelta(days=waited)).values_list(
        "assessment__case_id",
        "assessment__case__number",
        "assessment__case__household__emd__name_ko",
        "domain",
        "severity",
        "assessment__assessed_at",
    )
    page = Paginator(rows, GAP_PAGE_SIZE).get_page(page_number)
    severities, domains = dict(NeedSeverity.choices), dict(NeedDomain.choices)
    page.object_list = [
        GapRow(
            case_id=case_id,
            case_number=case_number,
            dong=dong,
            domain=domains.get(domain, domain),
            severity=severities.get(severity, str(severity)),
            assessed_at=assessed_at,
            days_waiting=(now - assessed_at).days,
        )
        for case_id, case_number, dong, domain, severity, assessed_at in page.object_list
    ]
    return page
