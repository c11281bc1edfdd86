"""The one door to personal data of households and persons.

Every read goes through an access_* function that (1) limits the query to the actor's
jurisdiction, (2) writes exactly one access-log row naming the persons shown, and (3)
returns plain objects for the view to render. Views never filter Household or Person
themselves. Consent (partnership issue) will narrow what private organisations see;
today they see the households they serve.

Jurisdiction:
- Eup/Myeon/Dong centre staff: households of their Dong (and any Dong added to the
  centre's service area).
- Si/Gun/Gu office staff: every Dong of the Si/Gun/Gu, and of its 일반구 when the office
  is a city that has them.
- Private organisations and partner agencies: households with an open Engagement.
- Si/Do offices and roles outside PERSONAL_DATA_ROLES: no household-level data.
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, Q, QuerySet

from bokjihub.audit.models import AccessAction, AccessPurpose
from bokjihub.audit.services import access_log_write
from bokjihub.engine.rrn import RrnError, parse_rrn
from bokjihub.orgs.actors import Actor
from bokjihub.orgs.models import OrganisationKind, Sector
from bokjihub.people.identifiers import rrn_blind_index
from bokjihub.people.models import Engagement, Household, Person
from bokjihub.regions.models import EupMyeonDong

SEARCH_PAGE_SIZE = 20


class HouseholdNotFound(ObjectDoesNotExist):
    """Raised for a household that does not exist *or* lies outside the actor's
    jurisdiction: the two are indistinguishable on purpose (a 404, not a 403, so that an
    officer cannot probe which references exist elsewhere)."""


class SearchInputError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _jurisdiction_emds(actor: Actor) -> list[int] | None:
    """The Dong ids of a public office's jurisdiction, as a list: a constant list lets the
    planner use the household (emd) index, where a nested subquery made PostgreSQL scan."""
    organisation = actor.organisation
    if organisation is None or organisation.sector != Sector.PUBLIC:
        return None
    if organisation.kind == OrganisationKind.EMD_CENTRE:
        condition = Q(id=organisation.emd_id) | Q(serving_organisations=organisation)
    elif organisation.kind == OrganisationKind.SIGUNGU_OFFICE:
        condition = Q(sigungu_id=organisation.sigungu_id) | Q(
            sigungu__parent_id=organisation.sigungu_id
        )
    else:
        return []
    return sorted(set(EupMyeonDong.objects.filter(condition).values_list("id", flat=True)))


def households_in_scope(actor: Actor) -> QuerySet[Household]:
    """The households the actor may read; an empty queryset when none. Not logged by
    itself: callers are the access_* functions below, which log what they return."""
    if not actor.may_read_personal_data:
        return Household.objects.none()
    emds = _jurisdiction_emds(actor)
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


def _person_filter(text: str) -> tuple[Q, str]:
    """Interpret the search text; returns the filter and a log-safe description."""
    compact = text.replace(" ", "")
    if _RRN_FULL.match(compact):
        try:
            rrn = parse_rrn(compact)
        except RrnError as error:
            raise SearchInputError(error.message) from error
        return Q(rrn_blind_index=rrn_blind_index(rrn)), "주민등록번호 일치 검색"
    shown = _RRN_SHOWN_PART.match(compact)
    if shown:
        front, sex_digit = shown.groups()
        condition = Q(rrn_front=front)
        if sex_digit:
            condition &= Q(rrn_sex_digit=sex_digit)
        return condition, f"생년월일 검색 {front}"
    if any(character.isdigit() for character in text) or len(text.split()) > 1:
        return Q(household__road_address__icontains=text.strip()), f"주소 검색 {text.strip()}"
    return Q(name__startswith=text.strip()), f"이름 검색 {text.strip()}"


def access_household_search(
    *,
    actor: Actor,
    search: HouseholdSearch,
    page_number: int = 1,
    purpose: str = AccessPurpose.SEARCH,
) -> Page:
    """A page of persons matching the search inside the actor's jurisdiction.

    Writes one access-log row listing the persons on the returned page (what the officer
    actually saw), not every match.
    """
    if not actor.may_read_personal_data:
        raise PermissionDenied("이 역할은 가구 정보를 조회할 수 없습니다.")
    persons = Person.objects.filter(household__in=households_in_scope(actor))
    description = "동 전체 목록"
    if search.text.strip():
        condition, description = _person_filter(search.text)
        persons = persons.filter(condition)
    if search.emd_code:
        persons = persons.filter(household__emd__code=search.emd_code)
        description += f" · 행정동 {search.emd_code}"
    persons = persons.select_related("household", "household__emd").order_by(
        "name", "birth_date", "id"
    )
    page = Paginator(persons, SEARCH_PAGE_SIZE).get_page(page_number)
    access_log_write(
        actor=actor,
        action=AccessAction.HOUSEHOLD_SEARCH,
        purpose=purpose,
        person_ids=[person.id for person in page.object_list],
        detail=description,
    )
    return page


@dataclass
class HouseholdView:
    household: Household
    members: list[Person] = field(default_factory=list)


def access_household(
    *, actor: Actor, reference: str, purpose: str = AccessPurpose.CASE_WORK
) -> HouseholdView:
    """One household with its members, if the actor's jurisdiction covers it."""
    members = Prefetch("members", queryset=Person.objects.order_by("birth_date", "id"))
    household = (
        households_in_scope(actor)
        .select_related("emd", "emd__sigungu", "emd__sigungu__sido")
        .prefetch_related(members)
        .filter(reference=reference)
        .first()
    )
    if household is None:
        raise HouseholdNotFound(reference)
    view = HouseholdView(household=household, members=list(household.members.all()))
    access_log_write(
        actor=actor,
        action=AccessAction.HOUSEHOLD_VIEW,
        purpose=purpose,
        household_id=household.id,
        person_ids=[member.id for member in view.members],
    )
    return view
