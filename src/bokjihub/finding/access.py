"""Reads of triage items: the inbox of a hub and one item, inside the actor's jurisdiction,
each logged like any other read of personal data.

- Eup/Myeon/Dong centre staff: the items of their centre.
- Si/Gun/Gu office staff: every item of the Si/Gun/Gu, the "needs routing" queue included.
- Finders: only their own reports, and only whether they were handled (never the
  household's details): see `finder_reports`.
- Everyone else: nothing.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.utils import timezone

from bokjihub.audit.models import AccessAction, AccessPurpose
from bokjihub.audit.services import access_log_write
from bokjihub.finding.models import ItemStatus, Report, TriageItem
from bokjihub.orgs.actors import TRIAGE_ROLES, Actor
from bokjihub.orgs.models import OrganisationKind

INBOX_PAGE_SIZE = 50


class TriageItemNotFound(ObjectDoesNotExist):
    """Missing, or outside the actor's jurisdiction (indistinguishable on purpose)."""


def items_in_scope(actor: Actor) -> QuerySet[TriageItem]:
    organisation = actor.organisation
    if organisation is None or actor.role not in TRIAGE_ROLES:
        return TriageItem.objects.none()
    if organisation.kind == OrganisationKind.SIGUNGU_OFFICE:
        return TriageItem.objects.filter(
            Q(sigungu_id=organisation.sigungu_id) | Q(sigungu__parent_id=organisation.sigungu_id)
        )
    if organisation.kind == OrganisationKind.EMD_CENTRE:
        return TriageItem.objects.filter(hub=organisation)
    return TriageItem.objects.none()


@dataclass(frozen=True)
class InboxFilter:
    status: str = "open"  # "open", "closed", "all" or one ItemStatus
    overdue_only: bool = False
    needs_routing_only: bool = False
    assigned_to_me: bool = False
    channel: str = ""
    concern: str = ""


def _filtered(
    items: QuerySet[TriageItem], actor: Actor, flt: InboxFilter, now: datetime
) -> QuerySet[TriageItem]:
    if flt.status == "open":
        items = items.exclude(status=ItemStatus.CLOSED)
    elif flt.status in ItemStatus.values:
        items = items.filter(status=flt.status)
    elif flt.status == "closed":
        items = items.filter(status=ItemStatus.CLOSED)
    if flt.overdue_only:
        items = items.filter(first_contacted_at__isnull=True, due_at__lt=now).exclude(
            status=ItemStatus.CLOSED
        )
    if flt.needs_routing_only:
        items = items.filter(needs_routing=True)
    if flt.assigned_to_me:
        items = items.filter(assigned_to=actor.user)
    if flt.channel:
        items = items.filter(first_channel=flt.channel)
    if flt.concern:
        # JSON containment differs between SQLite and PostgreSQL; a quoted substring of
        # the JSON text works on both for our fixed slug list.
        items = items.filter(concerns__icontains=f'"{flt.concern}"')
    return items


def access_inbox(*, actor: Actor, flt: InboxFilter, page_number=1) -> Page:
    """A page of the actor's inbox, most urgent first: urgent before normal, then by due date."""
    if actor.role not in TRIAGE_ROLES:
        raise PermissionDenied("이 역할은 발굴 신고함을 볼 수 없습니다.")
    now = timezone.now()
    items = (
        _filtered(items_in_scope(actor), actor, flt, now)
        .select_related("emd", "assigned_to", "hub")
        .order_by("-urgency", "due_at", "id")  # "urgent" > "normal": descending puts urgent first
    )
    page = Paginator(items, INBOX_PAGE_SIZE).get_page(page_number)
    access_log_write(
        actor=actor,
        action=AccessAction.HOUSEHOLD_SEARCH,
        purpose=AccessPurpose.TRIAGE,
        household_id=None,
        person_ids=[],
        detail=f"발굴 신고함 {len(page.object_list)}건: "
        + ",".join(str(i) for i in page.object_list)[:150],
    )
    return page


def access_item(*, actor: Actor, reference: str) -> TriageItem:
    item = (
        items_in_scope(actor)
        .select_related("emd", "hub", "household", "proposed_household", "assigned_to", "case")
        .filter(reference=reference)
        .first()
    )
    if item is None:
        raise TriageItemNotFound(reference)
    access_log_write(
        actor=actor,
        action=AccessAction.HOUSEHOLD_VIEW,
        purpose=AccessPurpose.TRIAGE,
        # the page shows the linked household, else the matcher's proposed one
        household_id=item.household_id or item.proposed_household_id,
        person_ids=[],
        detail=f"발굴 항목 {item}",
    )
    return item


@dataclass(frozen=True)
class FinderReportStatus:
    received_at: datetime
    channel_label: str
    status_label: str  # 처리 중 / 처리 완료 — never the outcome or the household
    receipt_number: str = ""  # her receipt ("2026-1207-0042"), never the item's number
    is_done: bool = False


def finder_reports(*, actor: Actor) -> list[FinderReportStatus]:
    """What a finder may know about their own reports: received and whether handled."""
    finder = getattr(actor.user, "finder", None)
    if finder is None:
        return []
    rows = (
        Report.objects.filter(finder=finder).select_related("item").order_by("-received_at")[:100]
    )
    return [
        FinderReportStatus(
            received_at=report.received_at,
            channel_label=report.get_channel_display(),
            status_label=_finder_status(report.item.status),
            receipt_number=report.receipt_number,
            is_done=report.item.status == ItemStatus.CLOSED,
        )
        for report in rows
    ]


def _finder_status(status: str) -> str:
    return "처리 완료" if status == ItemStatus.CLOSED else "처리 중"


@dataclass(frozen=True)
class ItemDetail:
    """One item with what its page shows: every report, the timeline, and the reasons of
    the proposed household match (the note of the latest MATCH_PROPOSED event)."""

    item: TriageItem
    reports: list[Report]
    events: list  # TriageEvent, oldest first
    match_reasons: str


def access_item_detail(*, actor: Actor, reference: str) -> ItemDetail:
    """The item page's read: access_item (jurisdiction, one access-log row), then the
    item's reports and events in two queries whatever their number."""
    return detail_of_accessed_item(access_item(actor=actor, reference=reference))


def detail_of_accessed_item(item: TriageItem) -> ItemDetail:
    """Reports and timeline of an item the caller got from access_item in this request
    (that read is the logged one; this adds no second access-log row)."""
    from bokjihub.finding.models import TriageEventKind

    reports = list(item.reports.order_by("received_at", "id"))
    events = list(item.events.select_related("actor").order_by("at", "id"))
    proposals = [e.note for e in events if e.kind == TriageEventKind.MATCH_PROPOSED]
    return ItemDetail(
        item=item, reports=reports, events=events, match_reasons=proposals[-1] if proposals else ""
    )


def items_for_bulk_action(*, actor: Actor, references: list[str]) -> list[TriageItem] | None:
    """The items a bulk action names, or None when any of them is outside the actor's
    jurisdiction or missing (the caller answers 404 without saying which)."""
    wanted = set(references)
    items = list(items_in_scope(actor).filter(reference__in=wanted).order_by("due_at", "id"))
    return items if len(items) == len(wanted) else None
