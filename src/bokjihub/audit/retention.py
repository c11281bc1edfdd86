"""Retention: destroy personal data five years after a household's last case closed.

The Social Security Benefits Act keeps social-security information five years and then
requires its destruction unless an exception applies (PIPA art. 21). A household is
eligible when it has no open case, its latest case closed before the cutoff, nothing else
is still open about it (triage, an organisation serving it) and no RetentionException
is in force. Destruction overwrites in place rather than deleting rows: cases, reports
and consents keep their shape (and the access log its ids) but lose every value that
identifies a person. Before that, the household is counted into DeidentifiedCaseCount,
and each run writes one DestructionRegister row.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from bokjihub.audit.models import DeidentifiedCaseCount, DestructionRegister, RetentionException
from bokjihub.cases.models import Case, CaseStatus
from bokjihub.finding.models import ItemStatus, Report, TriageItem
from bokjihub.people.models import Engagement, Household, IncomeAssessment, Person

DESTROYED = "(파기)"
METHOD = "개인 식별 항목 덮어쓰기(이름·주민등록번호·주소·생일·자유기술), 소득·재산 조사 삭제"


@dataclass(frozen=True)
class RetentionResult:
    cutoff: datetime
    households: int
    persons: int
    exceptions_kept: int
    register: DestructionRegister | None


def eligible_households(*, cutoff: datetime, today: date):
    open_case = Case.objects.filter(household=OuterRef("pk"), status=CaseStatus.OPEN)
    open_item = TriageItem.objects.filter(household=OuterRef("pk")).exclude(
        status=ItemStatus.CLOSED
    )
    served = Engagement.objects.filter(household=OuterRef("pk"), ended_on__isnull=True)
    excepted = RetentionException.objects.filter(household=OuterRef("pk"), keep_until__gte=today)
    return (
        Household.objects.filter(destroyed_at__isnull=True)
        .annotate(last_closed=Max("cases__closed_at"))
        .filter(last_closed__lt=cutoff)
        .filter(~Exists(open_case), ~Exists(open_item), ~Exists(served), ~Exists(excepted))
    )


def _count(households: list[Household]) -> Counter:
    counts: Counter = Counter()
    for household in households:
        last = max((case for case in household.cases.all()), key=lambda case: case.closed_at)
        key = (
            household.emd.sigungu.code,
            household.emd.code,
            last.closed_at.year,
            household.household_type,
            last.outcome,
        )
        counts[(*key, "households")] += 1
        counts[(*key, "persons")] += len(household.members.all())
    return counts


def _destroy(household_ids: list[int], now: datetime) -> int:
    persons = Person.objects.filter(household_id__in=household_ids)
    count = persons.count()
    for person in persons.only("id", "birth_date"):
        # Only the birth year survives: enough for age statistics, not for identifying.
        Person.objects.filter(pk=person.pk).update(birth_date=date(person.birth_date.year, 1, 1))
    persons.update(
        name=DESTROYED,
        rrn_ciphertext=None,
        rrn_key_id="",
        rrn_blind_index=None,
        rrn_front="",
        rrn_sex_digit="",
        has_disability=False,
    )
    IncomeAssessment.objects.filter(household_id__in=household_ids).delete()
    items = TriageItem.objects.filter(household_id__in=household_ids)
    Report.objects.filter(item__in=items).update(
        reporter_name="",
        reporter_phone="",
        subject_name="",
        subject_birth_year=None,
        subject_rrn_blind_index="",
        subject_address="",
        subject_description="",
        free_text="",
    )
    items.update(subject_name="", subject_address="", subject_key="")
    _destroy_case_texts(household_ids)
    Household.objects.filter(pk__in=household_ids).update(
        road_address=DESTROYED, address_detail="", destroyed_at=now
    )
    return count


def _destroy_case_texts(household_ids: list[int]) -> None:
    """Free text of the supporting track may name people and their circumstances; the
    rows (stages, dates, outcomes) stay for the statistics."""
    from bokjihub.cases.models import (
        CaseEvent,
        CaseNote,
        CaseTask,
        ConferenceDecision,
        DomainNeed,
        NeedsAssessment,
        PlanGoal,
        UnmetNeed,
        Visit,
    )

    cases = Case.objects.filter(household_id__in=household_ids)
    cases.update(summary="")
    CaseNote.objects.filter(case__in=cases).update(body=DESTROYED)
    CaseEvent.objects.filter(case__in=cases).update(summary="")
    NeedsAssessment.objects.filter(case__in=cases).update(summary="")
    DomainNeed.objects.filter(assessment__case__in=cases).update(observation="")
    PlanGoal.objects.filter(plan__case__in=cases).update(goal=DESTROYED, resources="")
    ConferenceDecision.objects.filter(case__in=cases).update(decision=DESTROYED)
    CaseTask.objects.filter(case__in=cases).update(title=DESTROYED)
    Visit.objects.filter(case__in=cases).update(observations="", purpose="")
    UnmetNeed.objects.filter(case__in=cases).update(description=DESTROYED)


def retention_destroy(
    *,
    ran_by: str,
    years: int = 5,
    now: datetime | None = None,
    dry_run: bool = False,
    batch_size: int = 500,
) -> RetentionResult:
    now = now or timezone.now()
    cutoff = now - timedelta(days=365 * years + years // 4)
    today = timezone.localdate(now)
    candidates = eligible_households(cutoff=cutoff, today=today)
    kept = (
        Household.objects.filter(destroyed_at__isnull=True)
        .annotate(last_closed=Max("cases__closed_at"))
        .filter(last_closed__lt=cutoff)
        .filter(
            Q(
                id__in=RetentionException.objects.filter(keep_until__gte=today).values(
                    "household_id"
                )
            )
        )
        .count()
    )
    ids = list(candidates.order_by("id").values_list("id", flat=True))
    if dry_run:
        persons = Person.objects.filter(household_id__in=ids).count()
        return RetentionResult(
            cutoff=cutoff, households=len(ids), persons=persons, exceptions_kept=kept, register=None
        )
    with transaction.atomic():
        register = DestructionRegister.objects.create(
            ran_at=now,
            ran_by=ran_by,
            cutoff=cutoff,
            households=0,
            persons=0,
            exceptions_kept=kept,
            method=METHOD,
        )
        persons = 0
        totals: Counter = Counter()
        for start in range(0, len(ids), batch_size):
            batch = list(
                Household.objects.filter(id__in=ids[start : start + batch_size])
                .select_related("emd__sigungu")
                .prefetch_related("cases", "members")
            )
            totals.update(_count(batch))
            persons += _destroy([household.id for household in batch], now)
        _write_counts(register, totals)
        register.households, register.persons = len(ids), persons
        register.save(update_fields=["households", "persons"])
    return RetentionResult(
        cutoff=cutoff, households=len(ids), persons=persons, exceptions_kept=kept, register=register
    )


def _write_counts(register: DestructionRegister, totals: Counter) -> None:
    keys = {key[:-1] for key in totals}
    DeidentifiedCaseCount.objects.bulk_create(
        [
            DeidentifiedCaseCount(
                register=register,
                sigungu_code=sigungu,
                emd_code=emd,
                closed_year=year,
                household_type=household_type,
                case_outcome=outcome,
                households=totals[(sigungu, emd, year, household_type, outcome, "households")],
                persons=totals[(sigungu, emd, year, household_type, outcome, "persons")],
            )
            for sigungu, emd, year, household_type, outcome in sorted(keys)
        ]
    )
