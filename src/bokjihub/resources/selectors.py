"""Reads of the resources app (none is a household's personal data)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet, Sum

from bokjihub.engine.allocation import ANY, AllocationProblem
from bokjihub.regions.selectors import emds_of_sigungu
from bokjihub.resources.models import (
    AllocationRun,
    Donor,
    MicroCampaign,
    NeedStatus,
    Recognition,
    Resource,
    ResourceKind,
    TargetGroup,
    WaitingNeed,
)

# The engine's integer codes; TargetGroup.OTHER is a group of its own, not "any".
KIND_CODES = {kind: code for code, kind in enumerate(ResourceKind.values)}
GROUP_CODES = {group: code for code, group in enumerate(TargetGroup.values)}


def donors_of(sigungu) -> QuerySet[Donor]:
    return (
        Donor.objects.filter(sigungu=sigungu)
        .select_related("home_emd", "allowed_emd")
        .annotate(resource_count=Count("resources"))
        .order_by("name", "id")
    )


def inventory_of(sigungu, *, today: date) -> QuerySet[Resource]:
    """Items that have not expired, expiring soonest first (undated last)."""
    return (
        Resource.objects.filter(sigungu=sigungu)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
        .select_related("donor", "held_by", "emd")
        .order_by("expires_on", "id")
    )


def campaigns_of(sigungu) -> QuerySet[MicroCampaign]:
    return (
        MicroCampaign.objects.filter(sigungu=sigungu)
        .select_related("emd", "organisation")
        .annotate(pledged_quantity=Sum("pledges__quantity"), pledged_krw=Sum("pledges__amount_krw"))
        .order_by("status", "deadline", "id")
    )


def campaign_progress(campaign) -> int:
    """Percent of the target quantity pledged, capped at 100."""
    pledged = getattr(campaign, "pledged_quantity", None)
    if pledged is None:
        pledged = campaign.pledges.aggregate(total=Sum("quantity"))["total"]
    return min(100, round(100 * (pledged or 0) / campaign.target_quantity))


def recognitions_of(sigungu) -> QuerySet[Recognition]:
    return (
        Recognition.objects.filter(sigungu=sigungu)
        .select_related("donor", "awarded_by")
        .order_by("-awarded_on", "-id")
    )


def allocation_runs_of(sigungu) -> QuerySet[AllocationRun]:
    return (
        AllocationRun.objects.filter(sigungu=sigungu)
        .select_related("run_by")
        .order_by("-ran_at", "-id")
    )


def waiting_needs_of(sigungu, *, emd=None) -> QuerySet[WaitingNeed]:
    """The Gu's needs still waiting for an allocation (only `emd`'s when given), the most
    urgent first: heaviest weight, then the longest recorded."""
    needs = WaitingNeed.objects.filter(sigungu=sigungu, status=NeedStatus.WAITING)
    if emd is not None:
        needs = needs.filter(emd=emd)
    return needs.order_by("-weight", "recorded_at", "id")


@dataclass(frozen=True)
class AllocationInput:
    """The engine's problem and the rows its indices stand for."""

    problem: AllocationProblem
    emds: list
    needs: list[WaitingNeed]
    resources: list[Resource]


def allocation_input(sigungu, *, today: date) -> AllocationInput:
    """The Gu's waiting needs and its unexpired resources, with each donor's restrictions
    as the engine's codes (a Dong outside the Gu cannot occur: services refuse it)."""
    emds = list(emds_of_sigungu(sigungu, as_of=today).order_by("code"))
    dong_code = {emd.id: index for index, emd in enumerate(emds)}
    needs = [need for need in waiting_needs_of(sigungu).order_by("id") if need.emd_id in dong_code]
    # A donor's Dong that is no longer valid (a merger) cannot be given to: leave its
    # items out rather than loosen the restriction to the whole Gu.
    resources = [
        resource
        for resource in inventory_of(sigungu, today=today).order_by("id")
        if resource.donor.allowed_emd_id is None or resource.donor.allowed_emd_id in dong_code
    ]
    problem = AllocationProblem.build(
        dongs=len(emds),
        needs=[
            (
                dong_code[n.emd_id],
                GROUP_CODES[n.target_group],
                KIND_CODES[n.kind],
                n.quantity,
                n.weight,
            )
            for n in needs
        ],
        resources=[
            (
                KIND_CODES[r.kind],
                r.allocatable,
                dong_code[r.donor.allowed_emd_id] if r.donor.allowed_emd_id else ANY,
                GROUP_CODES[r.donor.allowed_group] if r.donor.allowed_group else ANY,
                dong_code.get(r.donor.home_emd_id, ANY) if r.donor.home_emd_id else ANY,
            )
            for r in resources
        ],
    )
    return AllocationInput(problem=problem, emds=emds, needs=needs, resources=resources)
