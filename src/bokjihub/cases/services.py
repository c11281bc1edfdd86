"""Writes of cases. Minimal for now: open (or join the open one) and close."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from bokjihub.cases.models import Case, CaseOutcome, CaseStatus


@dataclass(frozen=True)
class CaseOpened:
    case: Case
    created: bool


def case_open_or_join(
    *, household, lead_organisation, case_manager=None, summary: str = ""
) -> CaseOpened:
    """The household's open case, or a new one. Two officers confirming the same household
    at once both end up on one case: the partial unique index decides, and the loser
    reads the winner's row."""
    existing = Case.objects.filter(household=household, status=CaseStatus.OPEN).first()
    if existing:
        return CaseOpened(case=existing, created=False)
    try:
        with transaction.atomic():
            case = Case.objects.create(
                household=household,
                lead_organisation=lead_organisation,
                case_manager=case_manager,
                summary=summary,
                opened_at=timezone.now(),
            )
    except IntegrityError:
        return CaseOpened(
            case=Case.objects.get(household=household, status=CaseStatus.OPEN), created=False
        )
    return CaseOpened(case=case, created=True)


def case_close(*, case: Case, outcome: str, at=None) -> Case:
    if outcome not in CaseOutcome.values:
        raise ValueError(f"알 수 없는 종결 사유입니다: {outcome}")
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.status == CaseStatus.CLOSED:
            return locked
        locked.status, locked.outcome = CaseStatus.CLOSED, outcome
        locked.closed_at = at or timezone.now()
        locked.version += 1
        locked.save(update_fields=["status", "outcome", "closed_at", "version"])
    return locked
