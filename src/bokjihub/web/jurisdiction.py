"""The Dongs an actor may filter a household search by.

Region rows only (names and codes, no personal data), so no access-log row is written.
The rule mirrors the jurisdiction of bokjihub.people.access: a Dong centre sees its Dong
and any Dong added to its service area, a Si/Gun/Gu office every Dong of itself and of
its 일반구, a private organisation the Dongs of its declared service area.
"""

from django.db.models import Q
from django.utils import timezone

from bokjihub.orgs.actors import Actor
from bokjihub.orgs.models import OrganisationKind, Sector
from bokjihub.regions.models import EupMyeonDong


def dongs_for_search(actor: Actor) -> list[EupMyeonDong]:
    organisation = actor.organisation
    if organisation is None or not actor.may_read_personal_data:
        return []
    if organisation.sector == Sector.PUBLIC and organisation.kind == OrganisationKind.EMD_CENTRE:
        scope = Q(id=organisation.emd_id) | Q(serving_organisations=organisation)
    elif (
        organisation.sector == Sector.PUBLIC
        and organisation.kind == OrganisationKind.SIGUNGU_OFFICE
    ):
        scope = Q(sigungu_id=organisation.sigungu_id) | Q(
            sigungu__parent_id=organisation.sigungu_id
        )
    elif organisation.sector == Sector.PUBLIC:
        return []
    else:
        scope = Q(serving_organisations=organisation)
    today = timezone.localdate()
    return list(
        EupMyeonDong.objects.filter(scope)
        .filter(EupMyeonDong.valid_on_q(today))
        .distinct()
        .order_by("name_ko", "code")
    )
