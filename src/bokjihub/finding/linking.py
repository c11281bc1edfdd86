"""Linking a triage item to the registered household it is about, from the item page.

Three ways, each a service that locks the item, checks its version and writes a timeline
event, and writes an access-log row for the personal data it touches:

* ``item_household_link``: a household the officer found by searching the registry
  (people.access.access_household_search) — or the matcher's proposal she confirmed;
* ``item_household_register``: a person not on the registry yet, registered from the
  report's facts (people.services.household_register, or without an RRN
  people.unregistered.household_register_without_rrn) and linked in the same
  transaction, so a refused link leaves no orphan household behind;
* ``item_case_open``: once linked, "욕구 확인(발굴)" and the case in one step (item_close
  → cases.case_open_or_join).

An officer may link only households of her jurisdiction (the Dongs of people.access): a
household of another Dong is refused exactly like a missing one.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bokjihub.audit.models import AccessAction, AccessPurpose
from bokjihub.audit.services import access_log_write
from bokjihub.finding.access import items_in_scope
from bokjihub.finding.models import (
    ItemStatus,
    MatchStatus,
    Outcome,
    TriageEvent,
    TriageEventKind,
    TriageItem,
)
from bokjihub.finding.services import ConcurrentEditError, TransitionError, item_close
from bokjihub.orgs.actors import Actor
from bokjihub.people.access import households_in_scope, jurisdiction_dongs
from bokjihub.people.models import Household, HouseholdType
from bokjihub.people.services import PersonInput, household_register
from bokjihub.people.unregistered import household_register_without_rrn
from bokjihub.regions.models import EupMyeonDong

NAME_MAX = 60
ADDRESS_MAX = 200
ADDRESS_DETAIL_MAX = 100


class ItemOutOfScope(LookupError):
    """The item or the household lies outside the actor's jurisdiction (or is missing)."""

    message = "담당 관할에서 찾을 수 없는 항목이나 가구입니다."


def _locked_in_scope(actor: Actor, item: TriageItem, expected_version: int | None) -> TriageItem:
    locked = items_in_scope(actor).select_for_update().filter(pk=item.pk).first()
    if locked is None:
        raise ItemOutOfScope()
    if expected_version is not None and locked.version != expected_version:
        raise ConcurrentEditError()
    return locked


def _refuse_closed(item: TriageItem) -> None:
    if item.status == ItemStatus.CLOSED:
        raise TransitionError(_("종결된 항목에는 가구를 연결할 수 없습니다."))


def _link(item: TriageItem, household: Household, *, reasons: list[str], probability: float):
    item.household, item.match_status = household, MatchStatus.CONFIRMED
    item.match_reasons, item.match_probability = reasons, probability
    item.version += 1
    item.save(
        update_fields=["household", "match_status", "match_reasons", "match_probability", "version"]
    )


def _log(actor: Actor, action: str, household: Household, detail: str) -> None:
    access_log_write(
        actor=actor,
        action=action,
        purpose=AccessPurpose.TRIAGE,
        household_id=household.id,
        person_ids=list(household.members.values_list("id", flat=True)),
        detail=detail,
    )


def item_household_link(
    *, item: TriageItem, household: Household, actor: Actor, expected_version: int | None = None
) -> TriageItem:
    """Link the item to a registered household of the actor's jurisdiction. Linking the
    household already linked changes nothing (a second click is not an error)."""
    with transaction.atomic():
        locked = _locked_in_scope(actor, item, expected_version=None)
        if locked.household_id == household.id:
            return locked
        if expected_version is not None and locked.version != expected_version:
            raise ConcurrentEditError()
        _refuse_closed(locked)
        if not households_in_scope(actor).filter(pk=household.pk).exists():
            raise ItemOutOfScope()
        confirmed_proposal = locked.proposed_household_id == household.id
        reasons = locked.match_reasons if confirmed_proposal else ["담당자가 검색해 연결"]
        probability = locked.match_probability if confirmed_proposal else None
        _link(locked, household, reasons=list(reasons), probability=probability)
        TriageEvent.objects.create(
            item=locked,
            kind=TriageEventKind.MATCH_CONFIRMED
            if confirmed_proposal
            else TriageEventKind.HOUSEHOLD_LINKED,
            at=timezone.now(),
            actor=actor.user,
            note="제안된 후보 가구를 확인했습니다."
            if confirmed_proposal
            else "등록 가구를 검색해 연결했습니다.",
        )
        _log(actor, AccessAction.HOUSEHOLD_VIEW, household, f"발굴 항목 {locked}에 가구 연결")
    return locked


@dataclass(frozen=True)
class NewHousehold:
    """What the officer typed to register the report's subject."""

    name: str
    road_address: str
    emd_code: str
    address_detail: str = ""
    rrn: str = ""
    birth_date: date | None = None
    sex: str = ""
    household_type: str = HouseholdType.OTHER_SINGLE


# people's error keys → the item page's field names
_FIELD_OF = {
    "members.0.name": "name",
    "members.0.rrn": "rrn",
    "members.0.birth_date": "birth_date",
    "members.0.sex": "sex",
    "members": "name",
    "road_address": "road_address",
    "household_type": "household_type",
}


def _form_errors(error: ValidationError) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for key, messages in error.message_dict.items():
        errors.setdefault(_FIELD_OF.get(key, "__all__"), []).extend(messages)
    return errors


def item_household_register(
    *, item: TriageItem, data: NewHousehold, actor: Actor, expected_version: int | None = None
) -> TriageItem:
    """Register the report's subject as a new one-person household and link the item to
    it. Raises ValidationError keyed by the page's field names, all problems at once."""
    errors: dict[str, list[str]] = {}
    if len(data.name.strip()) > NAME_MAX:
        errors["name"] = [_("이름은 %(max)d자까지 적을 수 있습니다.") % {"max": NAME_MAX}]
    if len(data.road_address.strip()) > ADDRESS_MAX:
        errors["road_address"] = [
            _("주소는 %(max)d자까지 적을 수 있습니다.") % {"max": ADDRESS_MAX}
        ]
    if len(data.address_detail.strip()) > ADDRESS_DETAIL_MAX:
        errors["address_detail"] = [
            _("상세주소는 %(max)d자까지 적을 수 있습니다.") % {"max": ADDRESS_DETAIL_MAX}
        ]
    in_jurisdiction = jurisdiction_dongs(actor)
    if (
        in_jurisdiction is None
        or not EupMyeonDong.objects.filter(in_jurisdiction, code=data.emd_code).exists()
    ):
        errors["emd_code"] = [_("담당 관할의 행정동을 목록에서 골라 주세요.")]
    with transaction.atomic():
        locked = _locked_in_scope(actor, item, expected_version)
        _refuse_closed(locked)
        if locked.household_id is not None:
            raise TransitionError(_("이미 가구가 연결된 항목입니다. 연결된 가구를 확인해 주세요."))
        try:
            household = _register(data)
        except ValidationError as error:
            for field, messages in _form_errors(error).items():
                errors.setdefault(field, []).extend(messages)
            raise ValidationError(errors) from error
        if errors:
            raise ValidationError(errors)  # rolls the household back with the transaction
        _link(locked, household, reasons=["담당자가 신고 내용으로 새로 등록"], probability=None)
        TriageEvent.objects.create(
            item=locked,
            kind=TriageEventKind.HOUSEHOLD_REGISTERED,
            at=timezone.now(),
            actor=actor.user,
            note="등록부에 없던 분을 새 가구로 등록하고 연결했습니다."
            + ("" if data.rrn.strip() else " (주민등록번호 확인 전)"),
        )
        _log(
            actor,
            AccessAction.PERSONAL_DATA_CHANGE,
            household,
            f"발굴 항목 {locked}에서 새 가구 등록",
        )
    return locked


def _register(data: NewHousehold) -> Household:
    if data.rrn.strip():
        return household_register(
            road_address=data.road_address,
            emd_code=data.emd_code,
            address_detail=data.address_detail,
            household_type=data.household_type,
            members=[PersonInput(name=data.name, rrn=data.rrn.strip(), relation_to_head="head")],
        )
    return household_register_without_rrn(
        name=data.name,
        birth_date=data.birth_date,
        sex=data.sex,
        road_address=data.road_address,
        emd_code=data.emd_code,
        address_detail=data.address_detail,
        household_type=data.household_type,
    )


def item_case_open(
    *, item: TriageItem, actor: Actor, note: str = "", expected_version: int | None = None
) -> TriageItem:
    """ "사례 열기": the need is confirmed (outcome found) and the household's case opens,
    or the open one is joined. Asking again for an item whose case is open returns it."""
    with transaction.atomic():
        locked = _locked_in_scope(actor, item, expected_version=None)
        if locked.status == ItemStatus.CLOSED and locked.outcome == Outcome.FOUND:
            return locked  # done already, by this click or the one before
        if expected_version is not None and locked.version != expected_version:
            raise ConcurrentEditError()
        if locked.household_id is None:
            raise TransitionError(_("사례를 열려면 먼저 이 신고의 가구를 확인(연결)해 주세요."))
        return item_close(item=locked, outcome=Outcome.FOUND, by=actor.user, note=note)
