"""Reads of the service directory (reference data, no personal data), and whether the
actor may refer from the case they came from."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from bokjihub.cases.models import Case, CaseStatus
from bokjihub.cases.services import require_participant
from bokjihub.directory.models import Service, ServiceStatus
from bokjihub.orgs.models import Organisation
from bokjihub.regions.models import EupMyeonDong


def services_search(
    *,
    text: str | None = None,
    domain: str | None = None,
    kind: str | None = None,
    emd: EupMyeonDong | None = None,
    age: int | None = None,
    household_type: str | None = None,
) -> QuerySet[Service]:
    """Active services matching every given filter.

    `text` matches each whitespace-separated word (all must occur) in the name, situation,
    target, benefit or description; Korean words are matched as substrings, which is what
    a worker typing "한부모" or "월세" expects. `kind` keeps services of that ServiceKind.
    `emd` keeps nationwide services (no Dongs)
    and those serving that Dong. `age` keeps services whose age range includes it.
    """
    services = Service.objects.filter(status=ServiceStatus.ACTIVE)
    for word in (text or "").split():
        services = services.filter(
            Q(name__icontains=word)
            | Q(situation__icontains=word)
            | Q(eligibility_description__icontains=word)
            | Q(benefit__icontains=word)
            | Q(description__icontains=word)
        )
    if domain:
        services = services.filter(need_domains__contains=f" {domain} ")
    if kind:
        services = services.filter(kind=kind)
    if household_type:
        services = services.filter(household_types__contains=f" {household_type} ")
    if age is not None:
        services = services.filter(
            Q(minimum_age__isnull=True) | Q(minimum_age__lte=age),
            Q(maximum_age__isnull=True) | Q(maximum_age__gte=age),
        )
    if emd is not None:
        serving = Service.emds.through.objects.filter(eupmyeondong=emd).values("service_id")
        services = services.filter(Q(emds__isnull=True) | Q(pk__in=serving)).distinct()
    return services.order_by("name", "pk")


def case_to_refer_from(actor, case_id) -> Case | None:
    """The open case `case_id` when the actor's organisation works on it now (the check
    of every write on a case, cases.services.require_participant), else None: the
    directory then offers no referral button. Reads the case's status and participants
    only, never its household, so nothing is shown or logged; a case the actor may not
    refer from looks the same as one that does not exist."""
    if not getattr(actor, "may_read_personal_data", False) or actor.organisation is None:
        return None
    try:
        case = Case.objects.filter(pk=int(case_id), status=CaseStatus.OPEN).first()
    except (TypeError, ValueError, OverflowError):
        return None
    if case is None:
        return None
    try:
        require_participant(case, actor.organisation)
    except PermissionDenied:
        return None
    return case


def services_of_provider(organisation: Organisation) -> QuerySet[Service]:
    """The active services an organisation runs, by name."""
    return Service.objects.filter(provider=organisation, status=ServiceStatus.ACTIVE).order_by(
        "name", "pk"
    )
