"""Registering a person the registry does not know by RRN.

A report is sometimes about somebody whose RRN nobody has at hand: a man in a rented
room (쪽방) the neighbours know by name. The hub still needs a household to open a case
for; it is registered with what was seen (name, birth date, sex, address) and without an
RRN, which the officer adds once it is known. ``household_register`` asks every member's
RRN, so this is its one-member sibling for that case, validating the same way (every
error at once, nothing written when any is wrong).
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bokjihub.people.addresses import AddressError, address_resolve
from bokjihub.people.models import Household, HouseholdType, Person, RelationToHead, Sex


def household_register_without_rrn(
    *,
    name: str,
    birth_date: date | None,
    sex: str,
    road_address: str,
    emd_code: str = "",
    address_detail: str = "",
    household_type: str = HouseholdType.OTHER_SINGLE,
    as_of: date | None = None,
) -> Household:
    day = as_of or timezone.localdate()
    errors: dict[str, str] = {}
    try:
        emd = address_resolve(road_address=road_address, emd_code=emd_code, as_of=day)
    except AddressError as error:
        errors["road_address"] = error.message
    if not name.strip():
        errors["members.0.name"] = _("이름을 입력해 주세요.")
    if birth_date is None:
        errors["members.0.birth_date"] = _("주민등록번호가 없으면 생년월일을 적어 주세요.")
    elif not date(1900, 1, 1) <= birth_date <= day:
        errors["members.0.birth_date"] = _("생년월일은 1900년 1월 1일부터 오늘 사이로 적어 주세요.")
    if sex not in Sex.values:
        errors["members.0.sex"] = _("주민등록번호가 없으면 성별을 골라 주세요.")
    if household_type not in HouseholdType.values:
        errors["household_type"] = _("가구 유형을 목록에서 골라 주세요.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        household = Household.objects.create(
            emd=emd,
            road_address=road_address.strip(),
            address_detail=address_detail.strip(),
            household_type=household_type,
        )
        Person.objects.create(
            household=household,
            name=name.strip(),
            birth_date=birth_date,
            sex=sex,
            relation_to_head=RelationToHead.HEAD,
        )
    return household
