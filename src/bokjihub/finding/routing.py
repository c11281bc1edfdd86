"""Which hub receives a report: the Eup/Myeon/Dong centre of the subject's address, or
the Si/Gun/Gu office where that Si/Gun/Gu runs its hub there (rural Guns) or where the
address matched no Dong ("needs routing" — the report is kept, never lost)."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from bokjihub.orgs.models import Organisation, OrganisationKind
from bokjihub.people.addresses import AddressError, address_resolve
from bokjihub.regions.models import EupMyeonDong, HubLevel, Sigungu


class RoutingError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Route:
    sigungu: Sigungu
    hub: Organisation
    emd: EupMyeonDong | None
    needs_routing: bool
    reason: str = ""


def sigungu_office(sigungu: Sigungu) -> Organisation:
    office = (
        Organisation.objects.filter(
            kind=OrganisationKind.SIGUNGU_OFFICE, sigungu=sigungu, is_active=True
        )
        .order_by("id")
        .first()
    )
    if office is None:
        raise RoutingError(
            _("%(sigungu)s에 등록된 시·군·구청이 없어 신고를 받을 곳이 없습니다.")
            % {"sigungu": sigungu.full_name_ko}
        )
    return office


def hub_of(emd: EupMyeonDong) -> Organisation:
    sigungu = emd.sigungu
    if sigungu.hub_level == HubLevel.SIGUNGU_OFFICE:
        return sigungu_office(sigungu)
    centre = (
        Organisation.objects.filter(kind=OrganisationKind.EMD_CENTRE, emd=emd, is_active=True)
        .order_by("id")
        .first()
    )
    return centre or sigungu_office(sigungu)


def route_report(*, sigungu: Sigungu, address: str, emd_code: str = "", day: date) -> Route:
    try:
        emd = address_resolve(road_address=address, emd_code=emd_code, as_of=day)
    except AddressError as error:
        return Route(
            sigungu=sigungu,
            hub=sigungu_office(sigungu),
            emd=None,
            needs_routing=True,
            reason=error.message,
        )
    if emd.sigungu_id != sigungu.id and emd.sigungu.parent_id != sigungu.id:
        # The address lies in another Gu: send it there, where the subject lives.
        sigungu = emd.sigungu
    return Route(sigungu=sigungu, hub=hub_of(emd), emd=emd, needs_routing=False)
