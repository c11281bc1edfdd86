"""Reads of the access log: verifying its chain, and the monthly review (PIPA 고시 제8조:
접속기록을 월 1회 이상 점검)."""

import hmac
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Max, Min, Q, QuerySet
from django.db.models.functions import ExtractHour, TruncDate
from django.utils.translation import gettext_lazy as _

from bokjihub.audit.chain import (
    CURRENT_VERSION,
    GENESIS_HASH,
    access_log_row_hash_for,
    anchor_mac,
    legacy_scope,
)
from bokjihub.audit.models import (
    AccessAction,
    AccessLog,
    AccessLogChainHead,
    AccessLogFormatAnchor,
    AccessScope,
    ReviewSignOff,
)
from bokjihub.orgs.models import Role

SEOUL = ZoneInfo("Asia/Seoul")
VERIFY_CHUNK_SIZE = 2000
# Office hours for the review: a view before 08:00 or from 20:00 on, Seoul time, is
# flagged for the privacy officer to ask about.
OFFICE_OPENS_HOUR = 8
OFFICE_CLOSES_HOUR = 20
# More household views than this on one Seoul day is flagged as a bulk view: an officer's
# busiest legitimate day (a Dong's door-to-door survey) stays well below it.
BULK_VIEWS_PER_DAY = 100


class ChainBreak(StrEnum):
    ROW_ALTERED = "row_altered"  # the row's fields no longer give its row_hash
    LINK_BROKEN = "link_broken"  # previous_hash is not the row before: a row removed or inserted
    NEWEST_MISSING = "newest_missing"  # the head names a row that is gone
    HEAD_MISSING = "head_missing"  # rows exist but the chain head does not
    ANCHOR_FORGED = "anchor_forged"  # a format anchor's seal does not match the audit key


_BREAK_MESSAGES = {
    ChainBreak.ROW_ALTERED: "행 {id}의 내용이 기록 후 변경되었습니다 (해시 불일치).",
    ChainBreak.LINK_BROKEN: (
        "행 {id} 앞의 기록이 삭제되었거나 끼워 넣어졌습니다 (이전 해시 불일치)."
    ),
    ChainBreak.NEWEST_MISSING: "마지막으로 기록된 행 {id}까지의 최신 기록이 사라졌습니다.",
    ChainBreak.HEAD_MISSING: "해시 체인의 최신 고리(chain head)가 없습니다.",
    ChainBreak.ANCHOR_FORGED: (
        "행 {id}까지의 이전 형식 기준점(anchor)이 감사 키의 서명과 맞지 않습니다."
    ),
}


@dataclass(frozen=True)
class VerifyReport:
    rows_checked: int
    broken_row_id: int | None = None
    reason: ChainBreak | None = None

    @property
    def ok(self) -> bool:
        return self.reason is None

    @property
    def message(self) -> str:
        if self.reason is None:
            return f"접속기록 {self.rows_checked}건의 해시 체인이 온전합니다."
        return _BREAK_MESSAGES[self.reason].format(id=self.broken_row_id)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "rows_checked": self.rows_checked,
            "broken_row_id": self.broken_row_id,
            "reason": self.reason and str(self.reason),
            "message": self.message,
        }


def access_log_verify() -> VerifyReport:
    """Walk the chain in id order and report the first break.

    Each row is checked under the format the sealed anchors assign to its id (audit.chain),
    so a row cannot be passed off as an older, unkeyed one. The head is read before the
    walk: rows appended meanwhile carry larger ids (appends take their id under the head
    lock) and are checked as ordinary links after it.
    """
    anchors = list(AccessLogFormatAnchor.objects.order_by("last_row_id"))
    for anchor in anchors:
        if not _anchor_is_sealed(anchor):
            return VerifyReport(0, anchor.last_row_id, ChainBreak.ANCHOR_FORGED)
    head = AccessLogChainHead.objects.filter(id=AccessLogChainHead.SINGLETON_ID).first()
    expected_previous = GENESIS_HASH
    rows_checked = 0
    head_seen = head is None or head.row_id is None
    rows = AccessLog.objects.order_by("id").iterator(chunk_size=VERIFY_CHUNK_SIZE)
    for row in rows:
        if row.previous_hash != expected_previous:
            return VerifyReport(rows_checked, row.id, ChainBreak.LINK_BROKEN)
        if not _row_matches_its_format(row, anchors):
            return VerifyReport(rows_checked, row.id, ChainBreak.ROW_ALTERED)
        if head is None:
            return VerifyReport(rows_checked, row.id, ChainBreak.HEAD_MISSING)
        if head.row_id is not None and row.id > head.row_id and not head_seen:
            return VerifyReport(rows_checked, head.row_id, ChainBreak.NEWEST_MISSING)
        if row.id == head.row_id:
            if row.row_hash != head.row_hash:
                return VerifyReport(rows_checked, row.id, ChainBreak.NEWEST_MISSING)
            head_seen = True
        expected_previous = row.row_hash
        rows_checked += 1
    if not head_seen:
        return VerifyReport(rows_checked, head.row_id, ChainBreak.NEWEST_MISSING)
    return VerifyReport(rows_checked)


def _anchor_is_sealed(anchor: AccessLogFormatAnchor) -> bool:
    expected = anchor_mac(
        version=anchor.version, last_row_id=anchor.last_row_id, last_row_hash=anchor.last_row_hash
    )
    return hmac.compare_digest(expected, anchor.mac)


def _row_matches_its_format(row: AccessLog, anchors: list[AccessLogFormatAnchor]) -> bool:
    """The row's hash under its format (and, for older formats, its scope as derived from
    what that hash covers); the last row of an older format must also still be the one
    the anchor sealed (rewriting the older rows and their unkeyed hashes would
    otherwise go unnoticed up to there)."""
    version = next(
        (anchor.version for anchor in anchors if row.id <= anchor.last_row_id), CURRENT_VERSION
    )
    if not hmac.compare_digest(access_log_row_hash_for(row, version=version), row.row_hash):
        return False
    # Before version 3 the scope was not hashed; it must still be what the hashed fields say.
    if version < CURRENT_VERSION and row.scope != legacy_scope(row):
        return False
    return all(
        anchor.last_row_hash == row.row_hash for anchor in anchors if anchor.last_row_id == row.id
    )


class ReviewFlag(StrEnum):
    """What the privacy officer is asked to look into (issue 7: anomaly flags)."""

    BULK_VIEWS = "bulk_views"
    NIGHT_ACCESS = "night_access"
    OUT_OF_JURISDICTION = "out_of_jurisdiction"
    EXPORT_WITHOUT_REASON = "export_without_reason"
    REPEATED_OUT_OF_CASELOAD = "repeated_out_of_caseload"

    @property
    def label(self) -> str:
        # Formatted when shown, so that it is translated into the page's language.
        return str(_FLAG_LABELS[self]) % {"limit": BULK_VIEWS_PER_DAY}


_FLAG_LABELS = {
    ReviewFlag.BULK_VIEWS: _("대량 조회(하루 %(limit)s가구 초과)"),
    ReviewFlag.NIGHT_ACCESS: _("업무시간 외 조회"),
    ReviewFlag.OUT_OF_JURISDICTION: _("관할 밖 조회 시도"),
    ReviewFlag.EXPORT_WITHOUT_REASON: _("사유 없는 내려받기"),
    ReviewFlag.REPEATED_OUT_OF_CASELOAD: _("담당 외 가구 반복 열람"),
}


@dataclass(frozen=True)
class ReviewLine:
    """One user's accesses in the month, for the privacy officer's monthly review."""

    user_id: int
    username: str
    organisation_name: str
    role: str
    household_views: int
    searches: int
    distinct_households: int
    off_hours_views: int
    busiest_day_views: int
    denied_attempts: int
    exports: int
    exports_without_reason: int
    out_of_caseload_busiest_day: int = 0
    # Refused because the role never reads personal data: counted, never flagged.
    refused_by_role: int = 0

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role in Role.values else self.role

    @property
    def flags(self) -> list[ReviewFlag]:
        raised = {
            ReviewFlag.BULK_VIEWS: self.busiest_day_views > BULK_VIEWS_PER_DAY,
            ReviewFlag.NIGHT_ACCESS: self.off_hours_views > 0,
            ReviewFlag.OUT_OF_JURISDICTION: self.denied_attempts > 0,
            ReviewFlag.EXPORT_WITHOUT_REASON: self.exports_without_reason > 0,
            ReviewFlag.REPEATED_OUT_OF_CASELOAD: self.out_of_caseload_busiest_day
            > out_of_caseload_daily_limit(),
        }
        return [flag for flag, is_raised in raised.items() if is_raised]

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "flags": [str(flag) for flag in self.flags]}


def month_of(moment: datetime) -> date:
    return moment.astimezone(SEOUL).date().replace(day=1)


def shift_month(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The first instant of the month and of the next, in Seoul time."""
    start = datetime.combine(month.replace(day=1), time.min, tzinfo=SEOUL)
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return start, datetime.combine(following, time.min, tzinfo=SEOUL)


def access_review(*, month: date) -> list[ReviewLine]:
    """Per user, the month's household views, searches, distinct households viewed,
    household views outside office hours, busiest day, refused reads and exports; busiest
    users first. Three queries, whatever the number of users."""
    start, end = month_bounds(month)
    in_month = Q(occurred_at__gte=start, occurred_at__lt=end)
    views = Q(action=AccessAction.HOUSEHOLD_VIEW)
    exports = Q(action=AccessAction.EXPORT)
    off_hours = Q(local_hour__lt=OFFICE_OPENS_HOUR) | Q(local_hour__gte=OFFICE_CLOSES_HOUR)
    rows = (
        # A range scan of the occurred_at index; the month's rows are grouped in memory.
        AccessLog.objects.filter(in_month)
        .alias(local_hour=ExtractHour("occurred_at", tzinfo=SEOUL))
        .values("user_id")
        .annotate(
            username=Max("username"),
            organisation_name=Max("organisation_name"),
            role=Max("role"),
            household_views=Count("id", filter=views),
            searches=Count("id", filter=Q(action=AccessAction.HOUSEHOLD_SEARCH)),
            distinct_households=Count("household_id", filter=views, distinct=True),
            off_hours_views=Count("id", filter=views & off_hours),
            # Only refusals of a role that reads personal data are probing; a finder or an
            # analyst following a link to a household page is counted apart.
            denied_attempts=Count("id", filter=Q(scope=AccessScope.OUT_OF_JURISDICTION)),
            refused_by_role=Count("id", filter=Q(scope=AccessScope.ROLE_WITHOUT_ACCESS)),
            exports=Count("id", filter=exports),
            # An export's stated reason is its detail text (the purpose list alone does not
            # say why this file was needed); a blank one is flagged.
            exports_without_reason=Count("id", filter=exports & Q(detail="")),
        )
        .order_by()
    )
    busiest = _busiest_day_views(in_month & views)
    out_of_caseload = _busiest_day_views(
        in_month & views & Q(scope=AccessScope.OUT_OF_CASELOAD), distinct_households=True
    )
    lines = [
        ReviewLine(
            **row,
            busiest_day_views=busiest.get(row["user_id"], 0),
            out_of_caseload_busiest_day=out_of_caseload.get(row["user_id"], 0),
        )
        for row in rows
    ]
    return sorted(lines, key=lambda line: (-line.household_views, -line.searches, line.username))


def out_of_caseload_daily_limit() -> int:
    from bokjihub.people.selectors import OUT_OF_CASELOAD_DAILY_LIMIT

    return OUT_OF_CASELOAD_DAILY_LIMIT


def _busiest_day_views(condition: Q, *, distinct_households: bool = False) -> dict[int, int]:
    """Per user, the most household views (or distinct households) on one Seoul day."""
    counted = Count("household_id", distinct=True) if distinct_households else Count("id")
    daily = (
        AccessLog.objects.filter(condition)
        .annotate(day=TruncDate("occurred_at", tzinfo=SEOUL))
        .values("user_id", "day")
        .annotate(views=counted)
        .order_by()
    )
    busiest: dict[int, int] = {}
    for row in daily:
        busiest[row["user_id"]] = max(busiest.get(row["user_id"], 0), row["views"])
    return busiest


@dataclass(frozen=True)
class LogMonths:
    """The first and the latest month (Seoul time) that have access-log rows."""

    first: date
    latest: date

    def previous_of(self, month: date) -> date | None:
        """The month before `month`, or None before the first month with data; from a
        month after the data, the latest month."""
        if month > self.latest:
            return self.latest
        previous = shift_month(month, -1)
        return previous if previous >= self.first else None

    def next_of(self, month: date) -> date | None:
        if month < self.first:
            return self.first
        following = shift_month(month, 1)
        return following if following <= self.latest else None


def access_log_months() -> LogMonths | None:
    """None while the log is empty. One query on the occurred_at index (its two ends)."""
    ends = AccessLog.objects.aggregate(first=Min("occurred_at"), latest=Max("occurred_at"))
    if ends["first"] is None:
        return None
    return LogMonths(first=month_of(ends["first"]), latest=month_of(ends["latest"]))


class RowFilter(StrEnum):
    """What the drill-down lists: the rows behind one flag, or behind one count that is
    not a flag (refusals by role), or all of a user's rows of the month ("")."""

    ALL = ""
    BULK_VIEWS = ReviewFlag.BULK_VIEWS.value
    NIGHT_ACCESS = ReviewFlag.NIGHT_ACCESS.value
    OUT_OF_JURISDICTION = ReviewFlag.OUT_OF_JURISDICTION.value
    EXPORT_WITHOUT_REASON = ReviewFlag.EXPORT_WITHOUT_REASON.value
    REPEATED_OUT_OF_CASELOAD = ReviewFlag.REPEATED_OUT_OF_CASELOAD.value
    REFUSED_BY_ROLE = "refused_by_role"

    @property
    def label(self) -> str:
        if self is RowFilter.ALL:
            return str(_("이 달의 모든 기록"))
        if self is RowFilter.REFUSED_BY_ROLE:
            return str(_("열람 권한 없는 역할의 시도"))
        return ReviewFlag(self.value).label


def review_rows(*, month: date, row_filter: RowFilter, user_id: int | None = None) -> QuerySet:
    """The month's access-log rows behind one flag or count of the review, newest first:
    exactly the rows that raised it, so the privacy officer can ask about each."""
    start, end = month_bounds(month)
    condition = Q(occurred_at__gte=start, occurred_at__lt=end)
    if user_id is not None:
        condition &= Q(user_id=user_id)
    views = Q(action=AccessAction.HOUSEHOLD_VIEW)
    rows = AccessLog.objects.all()
    if row_filter is RowFilter.NIGHT_ACCESS:
        rows = rows.alias(local_hour=ExtractHour("occurred_at", tzinfo=SEOUL))
        condition &= views & (
            Q(local_hour__lt=OFFICE_OPENS_HOUR) | Q(local_hour__gte=OFFICE_CLOSES_HOUR)
        )
    elif row_filter is RowFilter.OUT_OF_JURISDICTION:
        condition &= Q(scope=AccessScope.OUT_OF_JURISDICTION)
    elif row_filter is RowFilter.REFUSED_BY_ROLE:
        condition &= Q(scope=AccessScope.ROLE_WITHOUT_ACCESS)
    elif row_filter is RowFilter.EXPORT_WITHOUT_REASON:
        condition &= Q(action=AccessAction.EXPORT, detail="")
    elif row_filter is RowFilter.BULK_VIEWS:
        condition &= views & _days_over(condition & views, BULK_VIEWS_PER_DAY)
    elif row_filter is RowFilter.REPEATED_OUT_OF_CASELOAD:
        out_of_caseload = views & Q(scope=AccessScope.OUT_OF_CASELOAD)
        condition &= out_of_caseload & _days_over(
            condition & out_of_caseload, out_of_caseload_daily_limit(), distinct_households=True
        )
    return rows.filter(condition).order_by("-occurred_at", "-id")


def _days_over(condition: Q, limit: int, *, distinct_households: bool = False) -> Q:
    """The Seoul days on which one user's rows matching `condition` exceed `limit`, as a
    condition on occurred_at (per user: a day is over the limit for that user only)."""
    counted = Count("household_id", distinct=True) if distinct_households else Count("id")
    daily = (
        AccessLog.objects.filter(condition)
        .annotate(day=TruncDate("occurred_at", tzinfo=SEOUL))
        .values("user_id", "day")
        .annotate(count=counted)
        .filter(count__gt=limit)
        .order_by()
    )
    over = Q(pk__in=[])
    for row in daily:
        start = datetime.combine(row["day"], time.min, tzinfo=SEOUL)
        over |= Q(
            user_id=row["user_id"], occurred_at__gte=start, occurred_at__lt=start + timedelta(1)
        )
    return over


@dataclass(frozen=True)
class MonthStatus:
    month: date
    signed_off: bool


RECENT_MONTHS_SHOWN = 12


def review_sign_off_overview(
    *, month: date, months: LogMonths | None
) -> tuple[list[ReviewSignOff], list[MonthStatus]]:
    """The sign-offs of `month` (oldest first; the last is what stands), and the most
    recent months with log data (newest first, at most a year) with whether each has been
    signed off: which reviews are still due. One query for both."""
    shown = []
    if months is not None:
        candidate = months.latest
        while candidate >= months.first and len(shown) < RECENT_MONTHS_SHOWN:
            shown.append(candidate)
            candidate = shift_month(candidate, -1)
    month = month.replace(day=1)
    rows = list(ReviewSignOff.objects.filter(month__in=[month, *shown]).order_by("signed_at", "id"))
    signed = {row.month for row in rows}
    statuses = [
        MonthStatus(month=shown_month, signed_off=shown_month in signed) for shown_month in shown
    ]
    return [row for row in rows if row.month == month], statuses
