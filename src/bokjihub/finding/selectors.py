"""Finding indicators, computed from timestamps (never typed in)."""

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from bokjihub.finding.models import Channel, ItemStatus, Outcome, Report, TriageItem

SEOUL = ZoneInfo("Asia/Seoul")


def month_bounds(month: date) -> tuple[datetime, datetime]:
    start = datetime.combine(month.replace(day=1), time.min, tzinfo=SEOUL)
    following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start, datetime.combine(following, time.min, tzinfo=SEOUL)


@dataclass
class FindingIndicators:
    month: date
    reports_by_channel: dict[str, int] = field(default_factory=dict)
    found_by_channel: dict[str, int] = field(default_factory=dict)
    items: int = 0
    found: int = 0
    median_days_to_first_contact: float | None = None
    share_contacted_within_14_days: float | None = None
    overdue_now: int = 0


def finding_indicators(
    *, items: QuerySet[TriageItem], month: date, now: datetime | None = None
) -> FindingIndicators:
    """Indicators of the items (already scoped to a hub) received in a month (Asia/Seoul)."""
    now = now or timezone.now()
    start, end = month_bounds(month)
    received = items.filter(received_at__gte=start, received_at__lt=end)
    result = FindingIndicators(month=month.replace(day=1))
    by_channel = (
        Report.objects.filter(item__in=received, received_at__gte=start, received_at__lt=end)
        .values("channel")
        .annotate(n=Count("id"))
    )
    result.reports_by_channel = {row["channel"]: row["n"] for row in by_channel}
    found = received.filter(outcome=Outcome.FOUND).values("first_channel").annotate(n=Count("id"))
    result.found_by_channel = {row["first_channel"]: row["n"] for row in found}
    result.found = sum(result.found_by_channel.values())
    contact_times = list(received.values_list("received_at", "first_contacted_at"))
    result.items = len(contact_times)
    waits = [
        (contacted - got).total_seconds() / 86400 for got, contacted in contact_times if contacted
    ]
    if waits:
        result.median_days_to_first_contact = round(statistics.median(waits), 1)
    if contact_times:
        within = sum(
            1
            for got, contacted in contact_times
            if contacted and contacted - got <= timedelta(days=14)
        )
        result.share_contacted_within_14_days = round(within / len(contact_times), 3)
    result.overdue_now = items.filter(
        Q(first_contacted_at__isnull=True) & Q(due_at__lt=now) & ~Q(status=ItemStatus.CLOSED)
    ).count()
    return result


def channel_label(value: str) -> str:
    return Channel(value).label if value in Channel.values else value


def triage_staff(*, organisation_ids) -> list:
    """Users who may be given triage items: active members of the organisations in a
    triage role, one row per user, by name. Staff names only, no personal data."""
    from bokjihub.finding.access import TRIAGE_ROLES
    from bokjihub.orgs.models import User

    return list(
        User.objects.filter(
            is_active=True,
            memberships__organisation_id__in=list(organisation_ids),
            memberships__role__in=list(TRIAGE_ROLES),
            memberships__ended_on__isnull=True,
        )
        .distinct()
        .order_by("display_name", "username")
    )


def reroute_dongs(*, item: TriageItem) -> list:
    """The Eup/Myeon/Dongs an item may be sent to: those of its Si/Gun/Gu (and of the
    Si's 일반구) valid today. Region rows only."""
    from bokjihub.regions.models import EupMyeonDong

    today = timezone.localdate()
    return list(
        EupMyeonDong.objects.filter(
            Q(sigungu_id=item.sigungu_id) | Q(sigungu__parent_id=item.sigungu_id)
        )
        .filter(EupMyeonDong.valid_on_q(today))
        .order_by("name_ko", "code")
    )


def registration_dongs(actor) -> list:
    """The Eup/Myeon/Dongs where the actor may register a household from a report: her
    jurisdiction (people.access), valid today. Region rows only."""
    from bokjihub.people.access import jurisdiction_dongs
    from bokjihub.regions.models import EupMyeonDong

    condition = jurisdiction_dongs(actor)
    if condition is None:
        return []
    return list(
        EupMyeonDong.objects.filter(condition)
        .filter(EupMyeonDong.valid_on_q(timezone.localdate()))
        .distinct()
        .order_by("name_ko", "code")
    )
