"""Reads of the access log: verifying its chain, and the monthly review (PIPA 고시 제8조:
접속기록을 월 1회 이상 점검)."""

from dataclasses import asdict, dataclass
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Max, Q
from django.db.models.functions import ExtractHour

from bokjihub.audit.chain import GENESIS_HASH, access_log_row_hash
from bokjihub.audit.models import AccessAction, AccessLog, AccessLogChainHead

SEOUL = ZoneInfo("Asia/Seoul")
VERIFY_CHUNK_SIZE = 2000
# Office hours for the review: a view before 08:00 or from 20:00 on, Seoul time, is
# flagged for the privacy officer to ask about.
OFFICE_OPENS_HOUR = 8
OFFICE_CLOSES_HOUR = 20


class ChainBreak(StrEnum):
    ROW_ALTERED = "row_altered"  # the row's fields no longer give its row_hash
    LINK_BROKEN = "link_broken"  # previous_hash is not the row before: a row removed or inserted
    NEWEST_MISSING = "newest_missing"  # the head names a row that is gone
    HEAD_MISSING = "head_missing"  # rows exist but the chain head does not


_BREAK_MESSAGES = {
    ChainBreak.ROW_ALTERED: "행 {id}의 내용이 기록 후 변경되었습니다 (해시 불일치).",
    ChainBreak.LINK_BROKEN: (
        "행 {id} 앞의 기록이 삭제되었거나 끼워 넣어졌습니다 (이전 해시 불일치)."
    ),
    ChainBreak.NEWEST_MISSING: "마지막으로 기록된 행 {id}까지의 최신 기록이 사라졌습니다.",
    ChainBreak.HEAD_MISSING: "해시 체인의 최신 고리(chain head)가 없습니다.",
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

    The head is read before the walk: rows appended meanwhile carry larger ids (appends
    take their id under the head lock) and are checked as ordinary links after it.
    """
    head = AccessLogChainHead.objects.filter(id=AccessLogChainHead.SINGLETON_ID).first()
    expected_previous = GENESIS_HASH
    rows_checked = 0
    head_seen = head is None or head.row_id is None
    rows = AccessLog.objects.order_by("id").iterator(chunk_size=VERIFY_CHUNK_SIZE)
    for row in rows:
        if row.previous_hash != expected_previous:
            return VerifyReport(rows_checked, row.id, ChainBreak.LINK_BROKEN)
        if access_log_row_hash(row) != row.row_hash:
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

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The first instant of the month and of the next, in Seoul time."""
    start = datetime.combine(month.replace(day=1), time.min, tzinfo=SEOUL)
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return start, datetime.combine(following, time.min, tzinfo=SEOUL)


def access_review(*, month: date) -> list[ReviewLine]:
    """Per user, the month's household views, searches, distinct households viewed and
    household views outside office hours; busiest users first."""
    start, end = month_bounds(month)
    views = Q(action=AccessAction.HOUSEHOLD_VIEW)
    off_hours = Q(local_hour__lt=OFFICE_OPENS_HOUR) | Q(local_hour__gte=OFFICE_CLOSES_HOUR)
    rows = (
        # A range scan of the occurred_at index; the month's rows are grouped in memory.
        AccessLog.objects.filter(occurred_at__gte=start, occurred_at__lt=end)
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
        )
        .order_by()
    )
    lines = [ReviewLine(**row) for row in rows]
    return sorted(lines, key=lambda line: (-line.household_views, -line.searches, line.username))
