"""Writes of organisations, staff and networks."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bokjihub.orgs.models import (
    SECTOR_OF_KIND,
    Membership,
    Network,
    NetworkMember,
    Organisation,
    OrganisationKind,
    Role,
    User,
)
from bokjihub.regions.models import EupMyeonDong, Sigungu


def organisation_create(
    *,
    name: str,
    kind: str,
    sigungu: Sigungu | None = None,
    emd: EupMyeonDong | None = None,
    service_area: list[EupMyeonDong] | None = None,
    phone: str = "",
    address: str = "",
) -> Organisation:
    if kind not in OrganisationKind.values:
        raise ValidationError({"kind": f"알 수 없는 기관 유형입니다: {kind}"})
    if kind == OrganisationKind.EMD_CENTRE and emd is None:
        raise ValidationError({"emd": "읍·면·동 행정복지센터는 담당 읍·면·동이 있어야 합니다."})
    if emd is not None and sigungu is None:
        sigungu = emd.sigungu
    if kind in (OrganisationKind.SIGUNGU_OFFICE,) and sigungu is None:
        raise ValidationError({"sigungu": "시·군·구청은 시·군·구가 있어야 합니다."})
    if sigungu is None:
        raise ValidationError({"sigungu": "기관이 속한 시·군·구를 선택해 주세요."})
    with transaction.atomic():
        organisation = Organisation.objects.create(
            name=name,
            kind=kind,
            sector=SECTOR_OF_KIND[kind],
            sido=sigungu.sido,
            sigungu=sigungu,
            emd=emd,
            phone=phone,
            address=address,
        )
        if service_area:
            organisation.service_area.set(service_area)
    return organisation


def user_create(*, username: str, password: str, display_name: str = "", email: str = "") -> User:
    user = User(username=username, display_name=display_name, email=email)
    user.set_password(password)
    user.save()
    return user


def membership_grant(
    *,
    user: User,
    organisation: Organisation,
    role: str,
    title: str = "",
    started_on: date | None = None,
) -> Membership:
    if role not in Role.values:
        raise ValidationError({"role": f"알 수 없는 역할입니다: {role}"})
    membership, _ = Membership.objects.get_or_create(
        user=user,
        organisation=organisation,
        role=role,
        ended_on=None,
        defaults={"title": title, "started_on": started_on or timezone.localdate()},
    )
    return membership


def membership_end(*, membership: Membership, ended_on: date | None = None) -> Membership:
    membership.ended_on = ended_on or timezone.localdate()
    membership.save(update_fields=["ended_on"])
    return membership


def network_create(
    *,
    name: str,
    kind: str,
    sigungu: Sigungu | None,
    members: list[Organisation],
    signed_on: date | None = None,
    purpose: str = "",
) -> Network:
    with transaction.atomic():
        network = Network.objects.create(
            name=name, kind=kind, sigungu=sigungu, signed_on=signed_on, purpose=purpose
        )
        NetworkMember.objects.bulk_create(
            [
                NetworkMember(network=network, organisation=member, joined_on=signed_on)
                for member in members
            ]
        )
    return network
