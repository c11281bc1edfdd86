"""Who may see and run what in the resources pages.

Staff of any organisation in a Si/Gun/Gu see its donors, inventory, campaigns and
recognition (none of it is a household's personal data: a waiting need names a Dong, a
group and a kind, never a person). Only the Gu office runs the allocation of the pooled
resources; a Dong centre sees its own Dong's part of a run.
"""

from bokjihub.orgs.actors import PERSONAL_DATA_ROLES, Actor
from bokjihub.orgs.models import OrganisationKind, Role

RESOURCE_STAFF_ROLES = PERSONAL_DATA_ROLES | {Role.COUNCIL_SECRETARY, Role.ANALYST}
ALLOCATION_RUN_ROLES = frozenset(
    {Role.CASE_MANAGER, Role.WELFARE_OFFICER, Role.WELFARE_COORDINATOR, Role.CENTRE_MANAGER}
)


class ResourcesRefused(Exception):
    """The actor has no role in a Si/Gun/Gu's resources (a 403)."""


def resources_sigungu(actor: Actor):
    """The Si/Gun/Gu whose resources the actor works with, or ResourcesRefused."""
    organisation = actor.organisation
    if organisation is None or actor.role not in RESOURCE_STAFF_ROLES:
        raise ResourcesRefused
    return organisation.sigungu


def allocation_may_run(actor: Actor) -> bool:
    organisation = actor.organisation
    return (
        organisation is not None
        and organisation.kind == OrganisationKind.SIGUNGU_OFFICE
        and actor.role in ALLOCATION_RUN_ROLES
    )


def allocation_dong_only(actor: Actor):
    """The Dong a Dong centre's staff are limited to in allocation results, else None."""
    organisation = actor.organisation
    if organisation is not None and organisation.kind == OrganisationKind.EMD_CENTRE:
        return organisation.emd
    return None


def need_dongs(actor: Actor, sigungu, *, day) -> list:
    """The Dongs the actor may record a waiting need in: a Dong centre its own Dong, any
    other organisation of the Gu every Dong of it; none for roles without casework."""
    from bokjihub.regions.selectors import emds_of_sigungu

    if actor.role not in PERSONAL_DATA_ROLES:
        return []
    own = allocation_dong_only(actor)
    if own is not None:
        return [own]
    return list(emds_of_sigungu(sigungu, as_of=day).order_by("name_ko", "code"))
