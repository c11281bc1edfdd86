"""Propose the registered household a triage item is probably about.

A report without an RRN names a person loosely ("김영슈, 80세쯤, 양재대로 1480"). The
engine's person model (bokjihub.engine.linkage) scores registry persons of the item's
Si/Gun/Gu against it; when the best one is likely enough, the item gets a *proposed*
household with the probability and the reasons. It runs by itself once a report is
committed (services.report_submit → tasks.item_match_propose_task), for every channel.
Nothing is confirmed here: the officer confirms on the item page (linking.
item_household_link) or rejects (services.item_match_reject).

Candidates are blocked with indexed columns so that a report is scored against a few
hundred persons at most, never the whole register:

* same surname and first syllable of the given name (the name-prefix index), narrowed to
  birth years ±1 when the report gives one, else to the item's Dong;
* same Dong and birth year ±1 with the same surname or the same road (this catches a
  misspelt surname or given-name initial).
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from bokjihub.engine.hangul import split_name
from bokjihub.engine.linkage import PersonQuery, default_matcher, split_road_address
from bokjihub.finding.models import MatchStatus, Report, TriageEvent, TriageEventKind, TriageItem
from bokjihub.people.models import Household, Person

MATCH_THRESHOLD = 0.9
BLOCK_LIMIT = 200  # persons per blocking rule; two rules, so at most 400 are scored


@dataclass(frozen=True)
class MatchProposal:
    household: Household
    person: Person
    probability: float
    reasons: list[str]

    @property
    def note(self) -> str:
        return f"{' · '.join(self.reasons)} (일치 확률 {self.probability:.0%})"


def propose_household_match(
    *, item: TriageItem, threshold: float = MATCH_THRESHOLD
) -> MatchProposal | None:
    """Score the registry persons of the item's Si/Gun/Gu and, if the best reaches the
    threshold, record the proposal on the item (status "proposed") with a MATCH_PROPOSED
    event naming the reasons. Items already matched, proposed or rejected are left alone.
    Updates ``item`` in place and returns the proposal, or None."""
    if item.household_id is not None or item.match_status != MatchStatus.UNMATCHED:
        return None
    query = _query_of(item)
    candidates = {str(person.pk): person for person in _candidates(item, query)}
    if not candidates:
        return None
    records = [(pk, _record_of(person)) for pk, person in candidates.items()]
    best = default_matcher().score(query, records)[0]
    if best.match_probability < threshold:
        return None
    person = candidates[best.candidate_id]
    proposal = MatchProposal(
        household=person.household,
        person=person,
        probability=best.match_probability,
        reasons=best.reasons(),
    )
    return proposal if _record_proposal(item, proposal) else None


def _record_proposal(item: TriageItem, proposal: MatchProposal) -> bool:
    with transaction.atomic():
        locked = TriageItem.objects.select_for_update().get(pk=item.pk)
        if locked.household_id is not None or locked.match_status != MatchStatus.UNMATCHED:
            return False  # matched or proposed meanwhile: keep what is there
        locked.proposed_household = proposal.household
        locked.match_status = MatchStatus.PROPOSED
        locked.match_probability = proposal.probability
        locked.match_reasons = list(proposal.reasons)
        locked.version += 1
        locked.save(
            update_fields=[
                "proposed_household",
                "match_status",
                "match_probability",
                "match_reasons",
                "version",
            ]
        )
        TriageEvent.objects.create(
            item=locked, kind=TriageEventKind.MATCH_PROPOSED, at=timezone.now(), note=proposal.note
        )
    item.proposed_household = proposal.household
    item.match_status, item.match_probability = MatchStatus.PROPOSED, proposal.probability
    item.match_reasons = list(proposal.reasons)
    item.version = locked.version
    return True


def item_match_propose(*, item_id: int) -> MatchProposal | None:
    """What runs after every report is committed (finding.tasks): the proposal for an item
    nobody has linked yet; nothing for an item gone, linked, proposed or rejected."""
    item = TriageItem.objects.select_related("emd").filter(pk=item_id).first()
    if item is None:
        return None
    return propose_household_match(item=item)


def _query_of(item: TriageItem) -> PersonQuery:
    birth_year = (
        Report.objects.filter(item=item, subject_birth_year__isnull=False)
        .order_by("received_at", "id")
        .values_list("subject_birth_year", flat=True)
        .first()
    )
    road, number = split_road_address(item.subject_address)
    return PersonQuery(
        name=item.subject_name,
        birth_year=birth_year,
        address_road=road,
        address_number=number,
        emd_code=item.emd.code if item.emd_id else "",
    )


def _record_of(person: Person) -> PersonQuery:
    road, number = split_road_address(person.household.road_address)
    return PersonQuery(
        name=person.name,
        birth_year=person.birth_date.year,
        address_road=road,
        address_number=number,
        emd_code=person.household.emd.code,
    )


def _candidates(item: TriageItem, query: PersonQuery) -> list[Person]:
    in_unit = Person.objects.filter(
        Q(household__emd__sigungu=item.sigungu_id)
        | Q(household__emd__sigungu__parent=item.sigungu_id)
    ).select_related("household__emd")
    years = _birth_years(query.birth_year)
    split = split_name(query.name)
    blocks: list[QuerySet[Person]] = []
    if split.surname and split.given and "가" <= split.given[0] <= "힣":
        by_name = in_unit.filter(name__startswith=split.surname + split.given[0])
        if years:
            blocks.append(by_name.filter(birth_date__range=years))
        elif item.emd_id:
            blocks.append(by_name.filter(household__emd=item.emd_id))
    if years and item.emd_id:
        near = Q(name__startswith=split.surname) if split.surname else Q(pk__in=[])
        if query.address_road:
            near |= Q(household__road_address__contains=f"{query.address_road} ")
        blocks.append(in_unit.filter(near, household__emd=item.emd_id, birth_date__range=years))
    found: dict[int, Person] = {}
    for block in blocks:
        for person in block.order_by("pk")[:BLOCK_LIMIT]:
            found.setdefault(person.pk, person)
    return list(found.values())


def _birth_years(year: int | None) -> tuple[date, date] | None:
    if year is None:
        return None
    return date(year - 1, 1, 1), date(year + 1, 12, 31)
