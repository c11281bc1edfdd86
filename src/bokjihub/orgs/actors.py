"""Who is acting: a user working through one membership (organisation + role), from an IP.

Every access_* function takes an Actor; the web layer builds it from the request
(`bokjihub.web.actors.actor_from_request`), commands and tasks build it explicitly.
"""

from dataclasses import dataclass

from bokjihub.orgs.models import Membership, Organisation, Role, User

# Roles whose work needs household-level personal data. Finders, data operators, council
# secretaries and analysts work with aggregates or their own reports only; auditors read
# the access log, not the households (PIPA: minimum necessary, art. 3).
PERSONAL_DATA_ROLES = frozenset(
    {
        Role.WELFARE_OFFICER,
        Role.WELFARE_COORDINATOR,
        Role.CASE_MANAGER,
        Role.PRIVATE_SOCIAL_WORKER,
        Role.CENTRE_MANAGER,
    }
)


# Roles that work the finding track's triage inbox, at an EMD centre or Si/Gun/Gu office.
TRIAGE_ROLES = frozenset(
    {Role.WELFARE_OFFICER, Role.WELFARE_COORDINATOR, Role.CASE_MANAGER, Role.CENTRE_MANAGER}
)
TRIAGE_OFFICE_KINDS = frozenset({"emd_centre", "sigungu_office"})


@dataclass(frozen=True)
class Actor:
    user: User
    membership: Membership | None
    ip_address: str | None = None

    @property
    def organisation(self) -> Organisation | None:
        return self.membership.organisation if self.membership else None

    @property
    def role(self) -> str | None:
        return self.membership.role if self.membership else None

    @property
    def may_triage(self) -> bool:
        organisation = self.organisation
        return (
            self.role in TRIAGE_ROLES
            and organisation is not None
            and organisation.kind in TRIAGE_OFFICE_KINDS
        )

    @property
    def may_read_personal_data(self) -> bool:
        return self.role in PERSONAL_DATA_ROLES


def active_memberships(user: User):
    return (
        Membership.objects.filter(user=user, ended_on__isnull=True, organisation__is_active=True)
        .select_related(
            "organisation", "organisation__sigungu", "organisation__emd", "organisation__sido"
        )
        .order_by("id")
    )


def actor_for(
    *,
    user: User,
    membership_id: int | None = None,
    ip_address: str | None = None,
    memberships: list[Membership] | None = None,
) -> Actor:
    """The actor for a user: the chosen membership if still active, else the first one.
    Pass `memberships` when they are already fetched (the web layer lists them too)."""
    if memberships is None:
        memberships = list(active_memberships(user))
    chosen = next((m for m in memberships if m.id == membership_id), None)
    if chosen is None and memberships:
        chosen = memberships[0]
    return Actor(user=user, membership=chosen, ip_address=ip_address)
