"""Human numbers of the finding track.

The random 16-hex reference of a triage item is a good URL key (it cannot be guessed or
counted) and a bad thing to say on the phone. Officers get "2026-길동-0042": the year of
receipt, the hub's Dong (the Si/Gun/Gu's short name for a Gu or Gun office), and the
hub's n-th item of that year. A reporter gets a receipt "2026-1207-0042": the day, then
the n-th report of that day, which tells her reports apart and says nothing about anyone.

Numbers come from a counter row locked for the length of the caller's transaction, so two
reports received at once never share a number (and a rolled-back report gives its number
back).
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from bokjihub.finding.models import ReferenceCounter


def _next(series: str) -> int:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("numbers are taken inside the transaction that saves them")
    counter, _ = ReferenceCounter.objects.select_for_update().get_or_create(series=series)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def hub_label(hub) -> str:
    """The hub's short place name: its Dong ("길동"), or its Si/Gun/Gu ("장성군")."""
    if hub.emd_id:
        return hub.emd.name_ko
    if hub.sigungu_id:
        return hub.sigungu.name_ko
    return hub.name.split()[0]


def item_number_take(*, hub, received_at: datetime) -> str:
    year = timezone.localdate(received_at).year
    label = hub_label(hub)
    return f"{year}-{label}-{_next(f'item:{year}-{label}'):04d}"


def receipt_number_take(*, received_at: datetime) -> str:
    day = timezone.localdate(received_at)
    period = f"{day.year}-{day:%m%d}"
    return f"{period}-{_next(f'receipt:{period}'):04d}"
