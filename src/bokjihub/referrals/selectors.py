"""Reads of referrals that carry no personal data: the inbox rows (reference, Dong, need
domain, status, deadline), the referrals of a case, the outbox of webhooks."""

from dataclasses import dataclass
from datetime import datetime

from django.core.paginator import Page, Paginator
from django.db.models import Case as Conditional
from django.db.models import Count, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from bokjihub.cases.models import NeedDomain
from bokjihub.orgs.models import Membership
from bokjihub.referrals.models import Referral, ReferralStatus, WebhookDelivery

INBOX_PAGE_SIZE = 20


@dataclass(frozen=True)
class ReferralRow:
    referral: Referral
    overdue: bool
    # the reason of a decline or cancellation, for staff of the referral's two sides only:
    # the case page shows referrals to every participant, the reason is not theirs
    reason: str = ""

    @property
    def need_label(self) -> str:
        return NeedDomain(self.referral.need_domain).label

    @property
    def dong(self) -> str:
        return self.referral.shared.get("dong", "")


@dataclass(frozen=True)
class SenderContact:
    """Who sent a referral and how to reach them: the organisation's phone, the worker's
    name, job title and e-mail (staff contact data, not the household's)."""

    organisation: str
    phone: str = ""
    worker: str = ""
    title: str = ""
    email: str = ""


def sender_contacts(referrals) -> dict[int, SenderContact]:
    """The SenderContact of each referral, one query for the job titles whatever the
    number (the referrals come with from_organisation and referred_by loaded)."""
    pairs = {(r.referred_by_id, r.from_organisation_id) for r in referrals if r.referred_by_id}
    titles: dict[tuple[int, int], str] = {}
    if pairs:
        rows = Membership.objects.filter(
            user_id__in={user for user, _ in pairs},
            organisation_id__in={organisation for _, organisation in pairs},
        ).order_by("started_on", "id")
        for user_id, organisation_id, title in rows.values_list(
            "user_id", "organisation_id", "title"
        ):
            titles[(user_id, organisation_id)] = title  # the latest membership wins
    contacts = {}
    for referral in referrals:
        worker = referral.referred_by
        contacts[referral.id] = SenderContact(
            organisation=referral.from_organisation.name,
            phone=referral.from_organisation.phone,
            worker=str(worker) if worker else "",
            title=titles.get((referral.referred_by_id, referral.from_organisation_id), ""),
            email=worker.email if worker else "",
        )
    return contacts


def _overdue_first(queryset: QuerySet[Referral], now: datetime) -> QuerySet[Referral]:
    overdue = Q(closed_at__isnull=True, status_due_at__lt=now)
    return queryset.annotate(
        overdue_rank=Conditional(
            When(overdue, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
    ).order_by("overdue_rank", "status_due_at", "-sent_at", "-id")


def _rows(referrals, now: datetime, viewer_id: int | None = None) -> list[ReferralRow]:
    """Rows with their overdue mark; the reason only where ``viewer_id`` (an organisation)
    is one of the two sides (None: every row's reason, for the sides' own pages)."""
    return [
        ReferralRow(
            referral=referral,
            overdue=referral.closed_at is None
            and referral.status_due_at is not None
            and referral.status_due_at < now,
            reason=referral.reason
            if viewer_id is None
            or viewer_id in (referral.from_organisation_id, referral.to_organisation_id)
            else "",
        )
        for referral in referrals
    ]


def referral_inbox(
    *, organisation, status: str = "", page_number=1, now: datetime | None = None
) -> tuple[Page, list[ReferralRow]]:
    """One page of the referrals an organisation received, overdue first, then by
    deadline. `status` empty = the open ones; "all" = every status."""
    now = now or timezone.now()
    referrals = Referral.objects.filter(to_organisation=organisation).select_related(
        "from_organisation", "referred_by", "case"
    )
    if status in ReferralStatus.values:
        referrals = referrals.filter(status=status)
    elif status != "all":
        referrals = referrals.filter(closed_at__isnull=True)
    page = Paginator(_overdue_first(referrals, now), INBOX_PAGE_SIZE).get_page(page_number)
    return page, _rows(page.object_list, now)


def referral_status_counts(*, organisation) -> dict[str, int]:
    counts = dict.fromkeys(ReferralStatus.values, 0)
    rows = (
        Referral.objects.filter(to_organisation=organisation)
        .values_list("status")
        .order_by()
        .annotate(count=Count("id"))
    )
    for status, count in rows:
        counts[status] = count
    return counts


def referrals_of_case(
    *, case, viewer_organisation, now: datetime | None = None
) -> list[ReferralRow]:
    """Every referral of the case, for the case page of ``viewer_organisation``'s staff
    (any participant): a row's reason only when the viewer is one of its sides."""
    now = now or timezone.now()
    referrals = (
        Referral.objects.filter(case=case)
        .select_related("to_organisation", "from_organisation", "referred_by")
        .order_by("-sent_at", "-id")
    )
    viewer_id = viewer_organisation.id if viewer_organisation is not None else 0
    return _rows(referrals, now, viewer_id)


def webhook_deliveries_of(*, organisation, status: str = "", limit: int = 100):
    deliveries = WebhookDelivery.objects.filter(endpoint__organisation=organisation)
    if status:
        deliveries = deliveries.filter(status=status)
    deliveries = deliveries.select_related("endpoint", "event").order_by("-created_at", "-id")
    return list(deliveries[:limit])
