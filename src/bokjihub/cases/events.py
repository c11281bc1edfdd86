"""The timeline of a case (CaseEvent): written here, called by the services that change a
case (cases.services, cases.deliveries) and by referrals.services, which writes the line of
each referral move and overdue reminder itself (kind REFERRAL).

Never from signals or save(): an event says what a person did through a service, in the
same transaction as the change it records, so the timeline and the records cannot
disagree. Rows are only inserted.
"""

from collections.abc import Iterable
from datetime import datetime

from django.utils import timezone

from bokjihub.cases.models import CaseEvent


def case_event_write(
    *,
    case,
    kind: str,
    by=None,
    organisation=None,
    at: datetime | None = None,
    stage_from: str = "",
    stage_to: str = "",
    summary: str = "",
    note=None,
    handover=None,
    data: dict | None = None,
) -> CaseEvent:
    """Append one event. The caller runs inside the transaction of the change it records
    (and holds the case lock where the change is a transition)."""
    return CaseEvent.objects.create(
        **_fields(
            case=case,
            kind=kind,
            by=by,
            organisation=organisation,
            at=at,
            stage_from=stage_from,
            stage_to=stage_to,
            summary=summary,
            note=note,
            handover=handover,
            data=data,
        )
    )


def case_events_write_many(events: Iterable[dict]) -> int:
    """Append many events in one statement (a handover of hundreds of cases); each dict
    takes the keyword arguments of case_event_write."""
    rows = [CaseEvent(**_fields(**event)) for event in events]
    CaseEvent.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def _fields(
    *,
    case,
    kind: str,
    by=None,
    organisation=None,
    at: datetime | None = None,
    stage_from: str = "",
    stage_to: str = "",
    summary: str = "",
    note=None,
    handover=None,
    data: dict | None = None,
) -> dict:
    return {
        "case": case,
        "kind": kind,
        "actor": by,
        "organisation": organisation,
        "at": at or timezone.now(),
        "stage_from": stage_from,
        "stage_to": stage_to,
        "summary": summary[:300],
        "note": note,
        "handover": handover,
        "data": data or {},
    }
