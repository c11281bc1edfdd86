"""Writes of households and persons. Every write validates first and saves nothing when
any part is wrong, so a bad RRN on the third member never leaves a half household."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bokjihub.engine.rrn import RrnError, parse_rrn
from bokjihub.people.addresses import AddressError, address_resolve
from bokjihub.people.identifiers import rrn_blind_index, rrn_encrypt
from bokjihub.people.models import Engagement, Household, HouseholdType, Person, RelationToHead


@dataclass(frozen=True)
class PersonInput:
    name: str
    rrn: str
    relation_to_head: str
    has_disability: bool = False
    nationality: str = "KR"


def _validate_members(members: Sequence[PersonInput]) -> tuple[list, dict[str, str]]:
    errors: dict[str, str] = {}
    parsed = []
    heads = [m for m in members if m.relation_to_head == RelationToHead.HEAD]
    if not members:
        errors["members"] = "가구원을 한 명 이상 입력해 주세요."
    elif len(heads) != 1:
        errors["members"] = "세대주는 한 명이어야 합니다."
    seen: set[str] = set()
    for index, member in enumerate(members):
        if not member.name.strip():
            errors[f"members.{index}.name"] = "이름을 입력해 주세요."
        if member.relation_to_head not in RelationToHead.values:
            errors[f"members.{index}.relation_to_head"] = "세대주와의 관계를 목록에서 골라 주세요."
        try:
            rrn = parse_rrn(member.rrn)
        except RrnError as error:
            errors[f"members.{index}.rrn"] = error.message
            continue
        index_value = rrn_blind_index(rrn)
        if index_value in seen:
            errors[f"members.{index}.rrn"] = "같은 주민등록번호가 두 번 입력되었습니다."
        elif Person.objects.filter(rrn_blind_index=index_value).exists():
            errors[f"members.{index}.rrn"] = (
                "이미 다른 가구에 등록된 사람입니다. 기존 가구를 검색해 주세요."
            )
        seen.add(index_value)
        parsed.append((member, rrn))
    return parsed, errors


def household_register(
    *,
    road_address: str,
    members: Sequence[PersonInput],
    emd_code: str = "",
    address_detail: str = "",
    household_type: str = HouseholdType.FAMILY,
    is_basic_livelihood_recipient: bool = False,
    as_of: date | None = None,
) -> Household:
    """Register a household with its members; raises ValidationError with a message per
    field (Korean, specific) and writes nothing if any field is wrong."""
    day = as_of or timezone.localdate()
    errors: dict[str, str] = {}
    try:
        emd = address_resolve(road_address=road_address, emd_code=emd_code, as_of=day)
    except AddressError as error:
        errors["road_address"] = error.message
    if household_type not in HouseholdType.values:
        errors["household_type"] = "가구 유형을 목록에서 골라 주세요."
    parsed, member_errors = _validate_members(members)
    errors.update(member_errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        household = Household.objects.create(
            emd=emd,
            road_address=road_address.strip(),
            address_detail=address_detail.strip(),
            household_type=household_type,
            is_basic_livelihood_recipient=is_basic_livelihood_recipient,
        )
        Person.objects.bulk_create([_person(household, member, rrn) for member, rrn in parsed])
    return household


def _person(household: Household, member: PersonInput, rrn) -> Person:
    sealed = rrn_encrypt(rrn)
    return Person(
        household=household,
        name=member.name.strip(),
        birth_date=rrn.birth_date,
        sex=rrn.sex,
        nationality=member.nationality,
        relation_to_head=member.relation_to_head,
        has_disability=member.has_disability,
        rrn_ciphertext=sealed.ciphertext,
        rrn_key_id=sealed.key_id,
        rrn_blind_index=sealed.blind_index,
        rrn_front=sealed.front,
        rrn_sex_digit=sealed.sex_digit,
    )


def engagement_start(
    *, organisation, household: Household, basis: str, started_on: date | None = None
) -> Engagement:
    return Engagement.objects.create(
        organisation=organisation,
        household=household,
        basis=basis,
        started_on=started_on or timezone.localdate(),
    )


def rrn_key_rotate(*, batch_size: int = 1_000, progress=None) -> int:
    """Re-encrypt every RRN written under a key other than the active one; returns how
    many rows changed. Safe to interrupt and run again: each batch commits on its own and
    only rows still under an old key are picked up."""
    from bokjihub.people.identifiers import active_key_id, rrn_decrypt

    active = active_key_id()
    stale = Person.objects.exclude(rrn_key_id=active).exclude(rrn_ciphertext__isnull=True)
    total, done = stale.count(), 0
    while True:
        with transaction.atomic():
            rows = list(stale.select_for_update().order_by("id")[:batch_size])
            if not rows:
                break
            for person in rows:
                sealed = rrn_encrypt(
                    rrn_decrypt(key_id=person.rrn_key_id, ciphertext=person.rrn_ciphertext)
                )
                person.rrn_ciphertext, person.rrn_key_id = sealed.ciphertext, sealed.key_id
            Person.objects.bulk_update(rows, ["rrn_ciphertext", "rrn_key_id"])
        done += len(rows)
        if progress:
            progress(done, total)
    return done
