"""The one door to personal data of households and persons.

Every read goes through an access_* function that (1) limits the query to the actor's
jurisdiction, (2) writes exactly one access-log row naming the persons shown, and (3)
returns plain objects for the view to render. Views never filter Household or Person
themselves. Within that scope the sharing policy (people.policy) decides per category
what the actor sees; withheld categories are returned with their reason, not dropped.

Opening a household outside one's caseload needs a stated purpose first (PurposeRequired),
and the log row then carries OUT_OF_CASELOAD_MARKER so that people.selectors can flag
users who do it often.

Jurisdiction:
- Eup/Myeon/Dong centre staff: households of their Dong (and any Dong added to the
  centre's service area).
- Si/Gun/Gu office staff: every Dong of the Si/Gun/Gu, and of its 일반구 when the office
  is a city that has them.
- Private organisations and partner agencies: households with an open Engagement.
- Si/Do offices and roles outside PERSONAL_DATA_ROLES: no household-level data.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, Exists, Prefetch, Q, QuerySet, Window
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from bokjihub.audit.models import AccessAction, AccessLog, AccessPurpose, AccessScope
from bokjihub.audit.services import access_denied_record, access_log_write
from bokjihub.engine.rrn import RrnError, parse_rrn
from bokjihub.orgs.actors import Actor
from bokjihub.orgs.models import NetworkMember, OrganisationKind, Role, Sector
from bokjihub.people.identifiers import rrn_blind_index
from bokjihub.people.models import (
    Consent,
    DataCategory,
    Engagement,
    Household,
    IncomeAssessment,
    Person,
)
from bokjihub.people.policy import (
    CATEGORIES,
    ConsentFacts,
    Decision,
    ViewerFacts,
    WithheldReason,
    decide_household,
    decide_person,
)
from bokjihub.regions.models import EupMyeonDong

SEARCH_PAGE_SIZE = 20


class HouseholdNotFound(ObjectDoesNotExist):
    """Raised for a household that does not exist *or* lies outside the actor's
    jurisdiction: the two are indistinguishable on purpose (a 404, not a 403, so that an
    officer cannot probe which references exist elsewhere)."""


class SearchInputError(ValueError):
    """Search text that cannot be searched; `message` (Korean) and `message_en` say why."""

    def __init__(self, message: str, message_en: str = ""):
        super().__init__(message)
        self.message = message
        self.message_en = message_en or message


def jurisdiction_dongs(actor: Actor) -> Q | None:
    """The condition on EupMyeonDong that is a public office's jurisdiction: its Dong
    (plus any Dong added to its service area) for an Eup/Myeon/Dong centre, every Dong of
    itself and of its 일반구 for a Si/Gun/Gu office, nothing for a Si/Do office. None for an
    organisation outside the public sector (its scope is the households it serves)."""
    organisation = actor.organisation
    if organisation is None or organisation.sector != Sector.PUBLIC:
        return None
    if organisation.kind == OrganisationKind.EMD_CENTRE:
        return Q(id=organisation.emd_id) | Q(serving_organisations=organisation)
    if organisation.kind == OrganisationKind.SIGUNGU_OFFICE:
        return Q(sigungu_id=organisation.sigungu_id) | Q(sigungu__parent_id=organisation.sigungu_id)
    return Q(pk__in=[])


def jurisdiction_emd_ids(actor: Actor) -> list[int] | None:
    """The Dong ids of a public office's jurisdiction, as a list: a constant list lets the
    planner use the household (emd) index, where a nested subquery made PostgreSQL scan."""
    condition = jurisdiction_dongs(actor)
    if condition is None:
        return None
    return sorted(set(EupMyeonDong.objects.filter(condition).values_list("id", flat=True)))


def households_in_scope(actor: Actor) -> QuerySet[Household]:
    """The households the actor may read; an empty queryset when none. Not logged by
    itself: callers are the access_* functions below, which log what they return."""
    if not actor.may_read_personal_data:
        return Household.objects.none()
    emds = jurisdiction_emd_ids(actor)
    if emds is not None:
        return Household.objects.filter(emd_id__in=emds)
    served = Engagement.objects.filter(organisation=actor.organisation, ended_on__isnull=True)
    return Household.objects.filter(id__in=served.values("household_id"))


@dataclass(frozen=True)
class HouseholdSearch:
    """One search box ("name, RRN, address") plus an optional Dong filter."""

    text: str = ""
    emd_code: str = ""

    @property
    def is_empty(self) -> bool:
        return not self.text.strip() and not self.emd_code


_RRN_FULL = re.compile(r"^\d{6}-?\d{7}$")
_RRN_SHOWN_PART = re.compile(r"^(\d{6})(?:-?([0-9])\**)?$")


def _searched_rrn(compact: str):
    try:
        return parse_rrn(compact)
    except RrnError as error:
        raise SearchInputError(error.message, error.message_en) from error


def search_text_check(text: str) -> None:
    """Raise SearchInputError if `text` cannot be searched, without searching: for a page
    that reports every error of its form at once, the text's with the others."""
    compact = text.replace(" ", "")
    if _RRN_FULL.match(compact):
        _searched_rrn(compact)


def _person_filter(text: str, households: QuerySet[Household]) -> tuple[Q, str]:
    """Interpret the search text; returns the filter and a log-safe description.
    `households` is the actor's scope, which an address search narrows first."""
    compact = text.replace(" ", "")
    if _RRN_FULL.match(compact):
        rrn = _searched_rrn(compact)
        return Q(rrn_blind_index=rrn_blind_index(rrn)), "주민등록번호 일치 검색"
    shown = _RRN_SHOWN_PART.match(compact)
    if shown:
        front, sex_digit = shown.groups()
        condition = Q(rrn_front=front)
        if sex_digit:
            condition &= Q(rrn_sex_digit=sex_digit)
        return condition, f"생년월일 검색 {front}"
    if any(character.isdigit() for character in text) or len(text.split()) > 1:
        # The households first, as a subquery evaluated once: it scans the (emd,
        # road_address) index of the jurisdiction's Dongs alone, where a join read every
        # household row of those Dongs and then their persons.
        matching = households.filter(_address_contains(text.strip())).values("id")
        return Q(household_id__in=matching), f"주소 검색 {text.strip()}"
    return _name_prefix(text.strip()), f"이름 검색 {text.strip()}"


def _address_contains(text: str) -> Q:
    """Addresses containing `text`, ignoring case only where case exists: a text of Hangul,
    digits and punctuation reads the same in either case, and PostgreSQL then compares
    the column as stored instead of UPPER() of every address of the jurisdiction (three
    times faster on a Gu's 25,000 households)."""
    if any(character.lower() != character.upper() for character in text):
        return Q(road_address__icontains=text)
    return Q(road_address__contains=text)


def _name_prefix(prefix: str) -> Q:
    """Names starting with `prefix`, in a form the name index serves on both databases.

    PostgreSQL serves LIKE 'x%' from the varchar_pattern_ops index. SQLite's LIKE is
    case-insensitive, so its planner never uses an index for it and instead walked every
    person of the jurisdiction (a Gu: 50,000+ rows, the search benchmark's p95 regression);
    a range on the BINARY-collated column is the same set (UTF-8 byte order is code point
    order) and is an index range scan. Not on PostgreSQL: under a linguistic collation a
    range is not a prefix match."""
    condition = Q(name__startswith=prefix)
    if connection.vendor == "sqlite":
        condition &= Q(name__gte=prefix, name__lt=prefix + "\U0010ffff")
    return condition


def _search_scope(actor: Actor) -> tuple[QuerySet[Household], QuerySet[Person]]:
    """The households and the persons the actor may search, the jurisdiction's Dongs
    looked up once. For public staff the persons are joined on the household's Dong (a
    constant list), not `household IN (subquery)`: the subquery made SQLite start from
    every person of the jurisdiction even when the search text narrows them to a handful
    through the name or RRN index."""
    emds = jurisdiction_emd_ids(actor)
    if emds is None:
        households = households_in_scope(actor)
        return households, Person.objects.filter(household__in=households)
    return Household.objects.filter(emd_id__in=emds), Person.objects.filter(
        household__emd_id__in=emds
    )


@dataclass(frozen=True)
class SearchResult:
    """One person on a page of search results, with the policy's decisions for the
    viewer: the person's own (relation) and their household's (address), the same
    Decisions the household page would give this viewer for this person."""

    person: Person
    decisions: dict[str, Decision]
    household_decisions: dict[str, Decision]

    @property
    def id(self) -> int:
        return self.person.id

    @property
    def name(self) -> str:
        return self.person.name

    @property
    def household(self) -> Household:
        return self.person.household


# The categories a search result row shows: the name and masked RRN (identity), the
# relation to the head (household composition) and the address (contact, household-level).
SEARCH_RESULT_CATEGORIES = (
    DataCategory.IDENTITY,
    DataCategory.HOUSEHOLD_COMPOSITION,
    DataCategory.CONTACT,
)


def _search_results(actor: Actor, persons: Sequence[Person]) -> list[SearchResult]:
    """The policy's decisions for every person on the page, in a fixed number of queries
    whatever the page holds (the household-level address needs every member's decision,
    so the other members of the listed households are fetched as ids, in one query)."""
    household_ids = {person.household_id for person in persons}
    members = (
        Person.objects.filter(household_id__in=household_ids)
        .order_by("birth_date", "id")
        .values_list("id", "household_id")
    )
    members_by_household: dict[int, list[int]] = {}
    for person_id, household_id in members:
        members_by_household.setdefault(household_id, []).append(person_id)
    policy = decisions_for_households(actor, members_by_household, consents_shown=False)
    return [
        SearchResult(
            person=person,
            decisions=policy[person.household_id].members[person.id],
            household_decisions=policy[person.household_id].household,
        )
        for person in persons
    ]


def _shown_summary(results: Sequence[SearchResult]) -> str:
    """ "공개: 인적사항, 가구 구성 · 비공개[동의 없음]: 연락처·주소" for the log row: which
    of the categories a result row shows were shown to the actor, and which withheld."""
    shown: list[str] = []
    withheld: dict[str, list[str]] = {}
    for result in results:
        for category in SEARCH_RESULT_CATEGORIES:
            decision = (
                result.household_decisions[category]
                if category == DataCategory.CONTACT
                else result.decisions[category]
            )
            if decision.visible:
                labels = shown
            else:
                labels = withheld.setdefault(decision.reason_label, [])
            if decision.label not in labels:
                labels.append(decision.label)
    parts = [f"공개: {', '.join(shown)}"] if shown else []
    parts += [f"비공개[{reason}]: {', '.join(labels)}" for reason, labels in withheld.items()]
    return " · ".join(parts)


class _CountedPaginator(Paginator):
    """A Paginator told its count, which the page's own query carried."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @property
    def count(self) -> int:
        return self._known_count


def _search_page(persons: QuerySet[Person], page_number) -> Page:
    """The requested page, its rows and the number of matches from one query (COUNT(*)
    OVER () beside the rows): the separate COUNT the Paginator would run evaluated the
    whole search a second time. A page past the end (or no match) falls back to the
    Paginator, which counts and answers the last page, as get_page does."""
    try:
        number = max(int(page_number), 1)
    except (TypeError, ValueError):
        number = 1
    start = (number - 1) * SEARCH_PAGE_SIZE
    rows = list(
        persons.annotate(search_total=Window(Count("id")))[start : start + SEARCH_PAGE_SIZE]
    )
    if not rows:
        return Paginator(persons, SEARCH_PAGE_SIZE).get_page(page_number)
    paginator = _CountedPaginator(persons, SEARCH_PAGE_SIZE, count=rows[0].search_total)
    return Page(rows, number, paginator)


def access_household_search(
    *,
    actor: Actor,
    search: HouseholdSearch,
    page_number: int = 1,
    purpose: str = AccessPurpose.SEARCH,
) -> Page:
    """A page of search results (SearchResult rows) inside the actor's jurisdiction, each
    with the sharing policy's decisions for the actor, so that a list shows a field only
    where the household page would.

    Writes one access-log row listing the persons on the returned page (what the officer
    actually saw, not every match) and which categories were shown or withheld.
    """
    if not actor.may_read_personal_data:
        raise PermissionDenied(gettext("이 역할은 가구 정보를 조회할 수 없습니다."))
    households, persons = _search_scope(actor)
    description = "동 전체 목록"
    if search.text.strip():
        condition, description = _person_filter(search.text, households)
        persons = persons.filter(condition)
    if search.emd_code:
        persons = persons.filter(household__emd__code=search.emd_code)
        description += f" · 행정동 {search.emd_code}"
    persons = persons.select_related("household", "household__emd").order_by(
        "name", "birth_date", "id"
    )
    page = _search_page(persons, page_number)
    results = _search_results(actor, list(page.object_list))
    page.object_list = results
    summary = _shown_summary(results)
    access_log_write(
        actor=actor,
        action=AccessAction.HOUSEHOLD_SEARCH,
        purpose=purpose,
        person_ids=[result.id for result in results],
        detail=f"{description} · {summary}" if summary else description,
    )
    return page


# The access-log detail of a household view opened outside the actor's caseload starts
# with this; people.selectors.out_of_caseload_flags counts those rows. (A marker in the
# free-text detail because AccessAction has no value of its own for it yet.)
OUT_OF_CASELOAD_MARKER = "담당 외 열람"
# Purposes offered when opening a household outside one's caseload.
OUT_OF_CASELOAD_PURPOSES = (
    AccessPurpose.CASE_WORK,
    AccessPurpose.TRIAGE,
    AccessPurpose.ELIGIBILITY,
)
PURPOSE_TEXT_MAX_LENGTH = 150


class PurposeRequired(Exception):
    """The household is in the actor's jurisdiction but not in their caseload: nothing is
    shown (and nothing logged) until the actor states a purpose."""


def is_in_caseload(actor: Actor, household: Household) -> bool:
    """Caseload: households the actor's organisation serves (an open Engagement) or works
    on in an open case (a participant that has not left)."""
    if actor.organisation is None:
        return False
    organisation = actor.organisation
    serves = Engagement.objects.filter(
        organisation=organisation, household=household, ended_on__isnull=True
    )
    # One query for both: served now, or a participant (not left) of an open case.
    works_on = Q(
        cases__status="open",
        cases__participants__organisation=organisation,
        cases__participants__left_at__isnull=True,
    )
    return Household.objects.filter(pk=household.pk).filter(Exists(serves) | works_on).exists()


def _current_network_ids(actor: Actor, today: date) -> frozenset[int]:
    if actor.organisation is None:
        return frozenset()
    return _organisation_network_ids(actor.organisation, today)


def _organisation_network_ids(organisation, today: date) -> frozenset[int]:
    """Networks the organisation belongs to today: joined, not left (left_on empty or
    still ahead) and the network (an MOU) not expired."""
    rows = NetworkMember.objects.filter(organisation=organisation).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=today),
        Q(joined_on__isnull=True) | Q(joined_on__lte=today),
        Q(network__expires_on__isnull=True) | Q(network__expires_on__gte=today),
    )
    return frozenset(rows.values_list("network_id", flat=True))


def _is_public(actor: Actor) -> bool:
    organisation = actor.organisation
    return organisation is not None and organisation.sector == Sector.PUBLIC


def _viewer_facts(
    actor: Actor, *, covers_household: bool, consents: Iterable[Consent], today: date
) -> ViewerFacts:
    organisation = actor.organisation
    # The networks matter only when some consent names a network: skip the query if none.
    names_network = any(consent.recipient_network_id for consent in consents)
    return ViewerFacts(
        is_public=_is_public(actor),
        organisation_id=organisation.id if organisation else None,
        network_ids=_current_network_ids(actor, today) if names_network else frozenset(),
        covers_household=covers_household,
    )


def consent_facts(consent: Consent) -> ConsentFacts:
    """The policy's view of a stored consent (people.policy decides on these)."""
    return ConsentFacts(
        consent_id=consent.id,
        recipient_organisation_id=consent.recipient_organisation_id,
        recipient_network_id=consent.recipient_network_id,
        categories=frozenset(consent.categories),
        given_at=consent.given_at,
        withdrawn_at=consent.withdrawn_at,
        retention_until=consent.retention_until,
    )


def _recipient_viewer(organisation, consents: Iterable[Consent], today: date) -> ViewerFacts:
    """An organisation that receives data (a referral) rather than asks for it: a consent
    is what opens anything beyond identity, whoever receives, public or not."""
    names_network = any(consent.recipient_network_id for consent in consents)
    return ViewerFacts(
        is_public=False,
        organisation_id=organisation.id,
        network_ids=_organisation_network_ids(organisation, today)
        if names_network
        else frozenset(),
        covers_household=True,
    )


def household_decisions_for_recipient(
    *, household: Household, organisation, at: datetime
) -> dict[str, Decision]:
    """The household-level Decision per category for data sent to `organisation` at `at`
    (a referral's address): the same rule as the household page, so a field about the
    whole household (the address) goes only when every member's consent covers it, not
    the head's alone. Two queries (members, consents), a third when a consent names a
    network."""
    today = timezone.localdate(at)
    member_ids = list(household.members.order_by("birth_date", "id").values_list("id", flat=True))
    if not member_ids:  # nobody could have consented
        return {
            category: Decision(category, False, WithheldReason.NO_CONSENT)
            for category in CATEGORIES
        }
    consents = _consents_of(member_ids, for_display=False)
    viewer = _recipient_viewer(
        organisation, [consent for rows in consents.values() for consent in rows], today
    )
    per_person = [
        decide_person(
            viewer=viewer,
            consents=[consent_facts(consent) for consent in consents[member_id]],
            at=at,
            today=today,
        )
        for member_id in member_ids
    ]
    return {category: decide_household(per_person, category) for category in CATEGORIES}


def consent_for_recipient(
    *, person: Person, organisation, category: str, at: datetime
) -> Consent | None:
    """The consent of `person` under which `organisation` may receive `category` at `at`,
    judged by the same policy as the household page (the recipient named directly or
    through a network it belongs to then, given, not withdrawn, inside retention), or
    None. For data sent to an organisation (a referral), where the receiver is not the
    one asking."""
    today = timezone.localdate(at)
    consents = list(Consent.objects.filter(person=person).order_by("-given_at", "-id"))
    if not consents:
        return None
    viewer = _recipient_viewer(organisation, consents, today)
    decision = decide_person(
        viewer=viewer, consents=[consent_facts(c) for c in consents], at=at, today=today
    )[category]
    if not decision.visible or decision.consent_id is None:
        return None
    return next(consent for consent in consents if consent.id == decision.consent_id)


def _consents_of(
    persons: Sequence[Person | int], *, for_display: bool = True
) -> dict[int, list[Consent]]:
    """The consents of each person (Person or id), newest first; with their recipients
    and recording organisation when they are to be shown (the consent table)."""
    ids = [person if isinstance(person, int) else person.id for person in persons]
    by_person: dict[int, list[Consent]] = {person_id: [] for person_id in ids}
    rows = Consent.objects.filter(person_id__in=ids).order_by("-given_at", "-id")
    if for_display:
        rows = rows.select_related(
            "recipient_organisation", "recipient_network", "recording_organisation"
        )
    for consent in rows:
        by_person[consent.person_id].append(consent)
    return by_person


@dataclass(frozen=True)
class HouseholdDecisions:
    """The sharing policy's answer for one viewer over one household."""

    members: dict[int, dict[str, Decision]]  # person id -> a Decision per DataCategory
    household: dict[str, Decision]  # household-level fields, per DataCategory
    consents: dict[int, list[Consent]]  # person id -> that person's consents


def decisions_for_households(
    actor: Actor, members_by_household: dict[int, list[int]], *, consents_shown: bool = True
) -> dict[int, HouseholdDecisions]:
    """The one place the policy is applied to households the actor's scope already
    covers (the caller checked that): every surface that lists or shows a household's
    people asks here, so the household page, search results and any other list give a
    viewer the same Decision per category. `members_by_household` maps a household id to
    ALL its member ids, ordered as the household page orders them (birth date, id): a
    household-level field depends on every member. Two queries (consents; the networks
    only when a consent names one), whatever the number of households. Pass
    consents_shown=False when the consents themselves are not displayed."""
    person_ids = [person_id for ids in members_by_household.values() for person_id in ids]
    consents = _consents_of(person_ids, for_display=consents_shown)
    now, today = timezone.now(), timezone.localdate()
    viewer = _viewer_facts(
        actor,
        covers_household=True,
        consents=[consent for rows in consents.values() for consent in rows],
        today=today,
    )
    answers = {}
    for household_id, ids in members_by_household.items():
        members = {
            person_id: decide_person(
                viewer=viewer,
                consents=[consent_facts(consent) for consent in consents[person_id]],
                at=now,
                today=today,
            )
            for person_id in ids
        }
        per_person = list(members.values())
        answers[household_id] = HouseholdDecisions(
            members=members,
            household={category: decide_household(per_person, category) for category in CATEGORIES},
            consents={person_id: consents[person_id] for person_id in ids},
        )
    return answers


@dataclass
class MemberView:
    person: Person
    decisions: dict[str, Decision]
    income: IncomeAssessment | None = None
    # the person's consents, only for public staff in jurisdiction (they record them)
    consents: list[Consent] = field(default_factory=list)

    @property
    def id(self) -> int:
        return self.person.id

    @property
    def withheld(self) -> list[Decision]:
        return [decision for decision in self.decisions.values() if not decision.visible]


@dataclass
class HouseholdView:
    household: Household
    members: list[Person] = field(default_factory=list)
    member_views: list[MemberView] = field(default_factory=list)
    # decisions for household-level fields (address, type, benefits, household means test)
    household_decisions: dict[str, Decision] = field(default_factory=dict)
    household_income: IncomeAssessment | None = None
    may_manage_consents: bool = False
    # a private organisation serving the household records the consents it obtains itself
    # (issue 12); member.consents then holds only those naming the organisation
    may_record_own_consents: bool = False
    in_caseload: bool = True


def _latest_incomes(household: Household, view: HouseholdView) -> None:
    """Attach the latest means test of each member (and of the household as a whole), but
    only where the policy shows income: withheld data is never even loaded."""
    open_ids = {m.id for m in view.member_views if m.decisions[DataCategory.INCOME_ASSETS].visible}
    household_open = view.household_decisions[DataCategory.INCOME_ASSETS].visible
    if not open_ids and not household_open:
        return
    rows = IncomeAssessment.objects.filter(household=household).order_by("-assessed_on", "-id")
    latest: dict[int | None, IncomeAssessment] = {}
    for row in rows:
        latest.setdefault(row.person_id, row)
    for member in view.member_views:
        if member.id in open_ids:
            member.income = latest.get(member.id)
    if household_open:
        view.household_income = latest.get(None)


def _disclosure_summary(view: HouseholdView) -> str:
    """ "비공개[동의 없음]: 건강, 사례 기록" for the log row: what the actor did not see."""
    grouped: dict[str, list[str]] = {}
    for member in view.member_views:
        for decision in member.withheld:
            labels = grouped.setdefault(decision.reason_label, [])
            if decision.label not in labels:
                labels.append(decision.label)
    if not grouped:
        return "전 항목 공개"
    return " ".join(f"비공개[{reason}]: {', '.join(labels)}" for reason, labels in grouped.items())


def _purpose_is_stated(purpose: str | None, purpose_text: str) -> bool:
    return purpose in OUT_OF_CASELOAD_PURPOSES and bool(purpose_text.strip())


def access_household(
    *,
    actor: Actor,
    reference: str,
    purpose: str | None = None,
    purpose_text: str = "",
) -> HouseholdView:
    """One household with its members and, per member, the policy's decision for each
    data category, if the actor's jurisdiction covers it.

    Outside the actor's caseload a purpose from OUT_OF_CASELOAD_PURPOSES and a reason in
    words are required first; without them PurposeRequired is raised and nothing logged.
    """
    members = Prefetch("members", queryset=Person.objects.order_by("birth_date", "id"))
    household = (
        households_in_scope(actor)
        .select_related("emd", "emd__sigungu", "emd__sigungu__sido")
        .prefetch_related(members)
        .filter(reference=reference)
        .first()
    )
    if household is None:
        # Out of jurisdiction or no such household: logged for the privacy officer's review.
        access_denied_record(
            actor=actor, reference=reference, purpose=purpose or AccessPurpose.CASE_WORK
        )
        raise HouseholdNotFound(reference)
    # A private organisation's scope *is* its engagements; only public staff can be
    # inside their jurisdiction and outside their caseload.
    in_caseload = not _is_public(actor) or is_in_caseload(actor, household)
    if not in_caseload and not _purpose_is_stated(purpose, purpose_text):
        raise PurposeRequired(reference)
    view = household_view_of_logged_read(household, actor=actor)
    view.in_caseload = in_caseload
    detail = [] if in_caseload else [OUT_OF_CASELOAD_MARKER, f"사유: {purpose_text.strip()[:60]}"]
    access_log_write(
        actor=actor,
        action=AccessAction.HOUSEHOLD_VIEW,
        purpose=purpose or AccessPurpose.CASE_WORK,
        household_id=household.id,
        person_ids=[member.id for member in view.members],
        detail=" · ".join([*detail, _disclosure_summary(view)]),
        scope=AccessScope.ORDINARY if in_caseload else AccessScope.OUT_OF_CASELOAD,
    )
    return view


def household_view_of_logged_read(household: Household, *, actor: Actor) -> HouseholdView:
    """The sharing decisions for `actor` over `household`, writing no access-log row: for
    a caller whose own access_* function has already checked and logged this read (the
    case page's access_case). Anyone else calls access_household."""
    persons = list(household.members.all())
    policy = decisions_for_households(actor, {household.id: [person.id for person in persons]})[
        household.id
    ]
    member_views = [
        MemberView(person=person, decisions=policy.members[person.id]) for person in persons
    ]
    view = HouseholdView(
        household=household,
        members=persons,
        member_views=member_views,
        household_decisions=policy.household,
        may_manage_consents=_is_public(actor),
    )
    if view.may_manage_consents:
        for member in member_views:
            member.consents = policy.consents[member.id]
    elif actor.organisation is not None:
        view.may_record_own_consents = True
        for member in member_views:
            member.consents = _naming(policy.consents[member.id], actor.organisation)
    _latest_incomes(household, view)
    return view


def _served_scope(actor: Actor) -> QuerySet[Household]:
    """Households a private organisation serves now (its scope, people.access
    households_in_scope), for the consents it records itself."""
    if actor.organisation is None or _is_public(actor):
        return Household.objects.none()
    return households_in_scope(actor)


def _public_scope(actor: Actor) -> QuerySet[Household]:
    """Households whose consents and records the actor may manage: public staff in
    jurisdiction. Private organisations record consents on paper for now and do not
    see other recipients' consents (that alone would tell who else serves the person)."""
    organisation = actor.organisation
    if organisation is None or organisation.sector != Sector.PUBLIC:
        return Household.objects.none()
    return households_in_scope(actor)


def _naming(consents: Iterable[Consent], organisation) -> list[Consent]:
    """The consents naming `organisation` itself: what a private organisation may see of a
    person's consents (others' would tell who else serves the person)."""
    return [consent for consent in consents if consent.recipient_organisation_id == organisation.id]


def _person_in_public_scope(actor: Actor, person_id: int | str) -> Person:
    return _person_in(actor, person_id, _public_scope(actor))


def _person_in(actor: Actor, person_id: int | str, households: QuerySet[Household]) -> Person:
    try:
        person_id = int(person_id)
    except (TypeError, ValueError) as error:
        raise HouseholdNotFound(str(person_id)) from error
    person = (
        Person.objects.filter(id=person_id, household__in=households)
        .select_related("household", "household__emd")
        .first()
    )
    if person is None:
        raise HouseholdNotFound(str(person_id))
    return person


@dataclass
class PersonConsents:
    person: Person
    consents: list[Consent]


def access_person_consents(*, actor: Actor, person_id: int | str, detail: str) -> PersonConsents:
    """A person and their consents, for recording one. Public staff in jurisdiction (all
    the person's consents), or staff of a private organisation serving the household,
    which records the consents it obtains itself (only those naming it come back);
    anyone else gets HouseholdNotFound (a 404)."""
    public = _is_public(actor)
    person = _person_in(
        actor, person_id, households_in_scope(actor) if public else _served_scope(actor)
    )
    consents = _consents_of([person])[person.id]
    if not public:
        consents = _naming(consents, actor.organisation)
    access_log_write(
        actor=actor,
        action=AccessAction.PERSON_VIEW,
        purpose=AccessPurpose.CASE_WORK,
        household_id=person.household_id,
        person_ids=[person.id],
        detail=detail,
    )
    return PersonConsents(person=person, consents=consents)


def access_consent(*, actor: Actor, consent_id: int | str, detail: str) -> Consent:
    """One consent with its person, for the withdrawal page. Public staff in jurisdiction
    only; anyone else gets HouseholdNotFound (a 404)."""
    try:
        consent_id = int(consent_id)
    except (TypeError, ValueError) as error:
        raise HouseholdNotFound(str(consent_id)) from error
    consent = (
        Consent.objects.filter(id=consent_id, person__household__in=_public_scope(actor))
        .select_related(
            "person", "person__household", "recipient_organisation", "recipient_network"
        )
        .first()
    )
    if consent is None:
        raise HouseholdNotFound(str(consent_id))
    access_log_write(
        actor=actor,
        action=AccessAction.PERSON_VIEW,
        purpose=AccessPurpose.CASE_WORK,
        household_id=consent.person.household_id,
        person_ids=[consent.person_id],
        detail=detail,
    )
    return consent


@dataclass(frozen=True)
class HeldCategory:
    category: str
    held: bool
    what: str

    @property
    def label(self) -> str:
        return DataCategory(self.category).label


@dataclass(frozen=True)
class AccessLine:
    """One read of the person's data as the person's record shows it: the organisation
    and role, not the staff member's name (that stays with the privacy officer)."""

    occurred_at: object
    organisation_name: str
    role_label: str
    action_label: str
    purpose_label: str


def _access_line(row: AccessLog) -> AccessLine:
    return AccessLine(
        occurred_at=row.occurred_at,
        organisation_name=row.organisation_name,
        role_label=Role(row.role).label if row.role in Role.values else row.role,
        action_label=row.get_action_display(),
        purpose_label=row.get_purpose_display(),
    )


@dataclass
class PersonRecord:
    """What a person may ask to see about themselves (PIPA art. 35): the categories held,
    who read their data and when, and their consents."""

    person: Person
    held: list[HeldCategory]
    accesses: list[AccessLine]
    consents: list[Consent]
    income_assessment_count: int
    printed_at: object = None


PERSON_RECORD_DETAIL = "정보주체 본인 열람용 기록 출력"


def _held_categories(person: Person, income_count: int) -> list[HeldCategory]:
    held = {
        # Shown on the printout only (never written to the log): in the reader's language.
        DataCategory.IDENTITY: (True, gettext("이름, 생년월일, 성별, 국적")),
        DataCategory.CONTACT: (True, gettext("가구 주소(도로명주소, 상세주소)")),
        DataCategory.HOUSEHOLD_COMPOSITION: (True, gettext("세대주와의 관계, 가구 유형")),
        DataCategory.INCOME_ASSETS: (
            income_count > 0,
            ngettext("소득·재산 조사 %(count)s건", "소득·재산 조사 %(count)s건", income_count)
            % {"count": income_count}
            if income_count
            else gettext("없음"),
        ),
        DataCategory.HEALTH: (False, gettext("없음")),
        DataCategory.DISABILITY: (True, gettext("등록장애인 여부")),
        DataCategory.CASE_NOTES: (False, gettext("없음")),
        DataCategory.UNIQUE_IDENTIFIER: (
            person.rrn_ciphertext is not None,
            gettext("주민등록번호 (암호화하여 보관)")
            if person.rrn_ciphertext is not None
            else gettext("없음"),
        ),
    }
    return [HeldCategory(category, *held[category]) for category in CATEGORIES]


def _accesses_naming(person: Person) -> list[AccessLog]:
    """Access-log rows of the person's household that name the person, oldest first.

    Filtered in Python: JSON containment (person_ids @> [id]) exists on PostgreSQL but not
    as a Django lookup on SQLite, and the household index keeps the candidate rows few.
    Search result pages carry no household id and are not listed here (a GIN index on
    person_ids, PostgreSQL only, would be needed to find them at scale).
    """
    rows = AccessLog.objects.filter(household_id=person.household_id).order_by("occurred_at", "id")
    return [row for row in rows if person.id in row.person_ids]


def access_person_record(*, actor: Actor, person_id: int | str) -> PersonRecord:
    """The person's own record, for printing on their request. Public staff in
    jurisdiction only. The log row is written first, so the printout lists itself."""
    person = _person_in_public_scope(actor, person_id)
    row = access_log_write(
        actor=actor,
        action=AccessAction.PERSON_VIEW,
        purpose=AccessPurpose.CASE_WORK,
        household_id=person.household_id,
        person_ids=[person.id],
        detail=PERSON_RECORD_DETAIL,
    )
    income_count = IncomeAssessment.objects.filter(
        Q(person=person) | Q(household_id=person.household_id, person__isnull=True)
    ).count()
    return PersonRecord(
        person=person,
        held=_held_categories(person, income_count),
        accesses=[_access_line(row) for row in _accesses_naming(person)],
        consents=_consents_of([person])[person.id],
        income_assessment_count=income_count,
        printed_at=row.occurred_at,
    )
