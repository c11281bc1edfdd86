"""Reads about people that carry no personal data of their own (counts, flags)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, Max, Q

from bokjihub.audit.models import AccessAction, AccessLog
from bokjihub.orgs.models import Network, Organisation
from bokjihub.people.access import OUT_OF_CASELOAD_MARKER

SEOUL = ZoneInfo("Asia/Seoul")
# "Repeated out-of-caseload opening": more distinct households than this in one day by
# one user is flagged for the privacy officer (viewing outside one's duties is an
# offence; the threshold is a trigger for review, not a verdict).
OUT_OF_CASELOAD_DAILY_LIMIT = 20


@dataclass(frozen=True)
class OutOfCaseloadFlag:
    user_id: int
    username: str
    organisation_name: str
    distinct_households: int


def out_of_caseload_flags(
    *, day: date, threshold: int = OUT_OF_CASELOAD_DAILY_LIMIT
) -> list[OutOfCaseloadFlag]:
    """Users who opened more than `threshold` distinct households outside their caseload
    on `day` (Seoul time), most first."""
    start = datetime.combine(day, time.min, tzinfo=SEOUL)
    rows = (
        # a range scan of the occurred_at index; the day's rows are few
        AccessLog.objects.filter(
            occurred_at__gte=start,
            occurred_at__lt=start + timedelta(days=1),
            action=AccessAction.HOUSEHOLD_VIEW,
            detail__startswith=OUT_OF_CASELOAD_MARKER,
        )
        .values("user_id")
        .annotate(
            username=Max("username"),
            organisation_name=Max("organisation_name"),
            distinct_households=Count("household_id", distinct=True),
        )
        .filter(distinct_households__gt=threshold)
        .order_by()
    )
    flags = [OutOfCaseloadFlag(**row) for row in rows]
    return sorted(flags, key=lambda flag: (-flag.distinct_households, flag.username))


def consent_recipient_choices(*, sigungu) -> tuple[list[Organisation], list[Network]]:
    """Organisations and networks a consent recorded in `sigungu` may name: the active
    organisations of the Si/Gun/Gu and its networks (or MOUs without a region)."""
    organisations = Organisation.objects.filter(sigungu=sigungu, is_active=True).order_by("name")
    networks = Network.objects.filter(Q(sigungu=sigungu) | Q(sigungu__isnull=True)).order_by("name")
    return list(organisations), list(networks)
