"""State changes of the resources app: donors, what they give, waiting needs, campaigns,
pledges, recognition, and runs of the fair allocation."""

from datetime import date

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from bokjihub.engine.allocation import allocate_baseline, allocate_optimised
from bokjihub.resources.models import (
    AllocationDong,
    AllocationLine,
    AllocationRun,
    CampaignStatus,
    Donor,
    MicroCampaign,
    Pledge,
    Recognition,
    Resource,
    ResourceKind,
    WaitingNeed,
)
from bokjihub.resources.selectors import allocation_input


def _in_gu(sigungu, emd, field: str) -> None:
    if emd is not None and emd.sigungu_id != sigungu.id and emd.sigungu.parent_id != sigungu.id:
        raise ValidationError({field: _("이 시·군·구의 읍·면·동이 아닙니다.")})


def _insert(instance, *, trusted: tuple[str, ...]):
    """Validate every field except the foreign keys the caller passed as rows (`trusted`),
    then insert: a bad value is refused with its field's message and nothing is saved."""
    instance.full_clean(exclude=list(trusted))
    with transaction.atomic():
        instance.save()
    return instance


def donor_register(
    *,
    sigungu,
    name: str,
    kind: str,
    registered_by,
    home_emd=None,
    allowed_emd=None,
    allowed_group: str = "",
    allowed_kind: str = "",
) -> Donor:
    _in_gu(sigungu, home_emd, "home_emd")
    _in_gu(sigungu, allowed_emd, "allowed_emd")
    donor = Donor(
        sigungu=sigungu,
        name=name,
        kind=kind,
        home_emd=home_emd,
        allowed_emd=allowed_emd,
        allowed_group=allowed_group,
        allowed_kind=allowed_kind,
        registered_by=registered_by,
    )
    return _insert(donor, trusted=("registered_by",))


def resource_receive(
    *,
    donor: Donor,
    kind: str,
    description: str,
    quantity: int,
    unit: str,
    held_by,
    received_on: date,
    value_krw: int = 0,
    expires_on: date | None = None,
    emd=None,
) -> Resource:
    """Record what a donor gave; the donor's kind restriction binds it."""
    if donor.allowed_kind and kind != donor.allowed_kind:
        raise ValidationError(
            {
                "kind": _("이 후원자는 %(kind)s만 후원합니다.")
                % {"kind": ResourceKind(donor.allowed_kind).label}
            }
        )
    if kind == ResourceKind.CASH and not value_krw:
        value_krw = quantity
    _in_gu(donor.sigungu, emd, "emd")
    resource = Resource(
        donor=donor,
        sigungu=donor.sigungu,
        kind=kind,
        description=description,
        quantity=quantity,
        unit=unit,
        value_krw=value_krw,
        received_on=received_on,
        expires_on=expires_on,
        held_by=held_by,
        emd=emd,
    )
    return _insert(resource, trusted=("donor", "held_by"))


def need_record(
    *,
    emd,
    target_group: str,
    kind: str,
    quantity: int,
    weight: int,
    description: str,
    recorded_by,
    case=None,
) -> WaitingNeed:
    need = WaitingNeed(
        sigungu=emd.sigungu.parent or emd.sigungu,
        emd=emd,
        target_group=target_group,
        kind=kind,
        quantity=quantity,
        weight=weight,
        description=description,
        case=case,
        recorded_by=recorded_by,
    )
    return _insert(need, trusted=("recorded_by", "case"))


def campaign_open(
    *,
    organisation,
    title: str,
    target_group: str,
    target_quantity: int,
    unit: str,
    deadline: date,
    opened_on: date,
    description: str = "",
    target_amount_krw: int | None = None,
    emd=None,
) -> MicroCampaign:
    _in_gu(organisation.sigungu, emd, "emd")
    campaign = MicroCampaign(
        sigungu=organisation.sigungu,
        emd=emd,
        organisation=organisation,
        title=title,
        description=description,
        target_group=target_group,
        target_quantity=target_quantity,
        unit=unit,
        target_amount_krw=target_amount_krw,
        deadline=deadline,
        opened_on=opened_on,
    )
    return _insert(campaign, trusted=("organisation",))


def pledge_add(
    *,
    campaign: MicroCampaign,
    pledger_name: str,
    pledged_on: date,
    quantity: int = 0,
    amount_krw: int = 0,
    donor: Donor | None = None,
) -> Pledge:
    """A pledge to an open campaign; the one that reaches the target completes it."""
    with transaction.atomic():
        # Locked so that two pledges arriving together both count towards completion.
        campaign = MicroCampaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.status != CampaignStatus.OPEN:
            raise ValidationError(_("모금이 끝난 캠페인입니다."))
        if pledged_on > campaign.deadline:
            raise ValidationError(_("마감일이 지난 캠페인입니다."))
        if quantity <= 0 and amount_krw <= 0:
            raise ValidationError(_("약정 수량이나 금액을 입력해 주세요."))
        pledge = Pledge.objects.create(
            campaign=campaign,
            donor=donor,
            pledger_name=pledger_name,
            quantity=quantity,
            amount_krw=amount_krw,
            pledged_on=pledged_on,
        )
        pledged = campaign.pledges.aggregate(total=Sum("quantity"))["total"] or 0
        if pledged >= campaign.target_quantity:
            campaign.status = CampaignStatus.COMPLETED
            campaign.save(update_fields=["status"])
    return pledge


def recognition_award(
    *,
    sigungu,
    kind: str,
    awarded_on: date,
    reason: str,
    awarded_by,
    donor: Donor | None = None,
    recipient_name: str = "",
) -> Recognition:
    if donor is None and not recipient_name.strip():
        raise ValidationError(_("감사 대상(후원자 또는 자원봉사자 이름)을 입력해 주세요."))
    recognition = Recognition(
        sigungu=sigungu,
        donor=donor,
        recipient_name=recipient_name.strip(),
        kind=kind,
        awarded_on=awarded_on,
        reason=reason,
        awarded_by=awarded_by,
    )
    return _insert(recognition, trusted=("donor", "awarded_by"))


def allocation_run(
    *, sigungu, run_by, organisation, floor_slack: float = 0.0, today: date | None = None
) -> AllocationRun:
    """Allocate the Gu's pooled, unexpired resources to its waiting needs and save the
    result beside the baseline. A run is a plan to review: it changes no need's status."""
    if not 0.0 <= floor_slack <= 1.0:
        raise ValidationError({"floor_slack": _("형평성 여유는 0에서 100% 사이여야 합니다.")})
    today = today or timezone.localdate()
    data = allocation_input(sigungu, today=today)
    optimised = allocate_optimised(data.problem, floor_slack=floor_slack)
    baseline = allocate_baseline(data.problem)
    with transaction.atomic():
        run = AllocationRun.objects.create(
            sigungu=sigungu,
            run_by=run_by,
            organisation=organisation,
            ran_at=timezone.now(),
            floor_slack=floor_slack,
            needs=data.problem.needs,
            resources=data.problem.resources,
            solve_s=optimised.solve_s,
            equity_floor=optimised.equity_floor or 0.0,
            min_coverage=optimised.min_coverage,
            baseline_min_coverage=baseline.min_coverage,
            gini=optimised.gini,
            baseline_gini=baseline.gini,
            weighted_coverage=optimised.weighted_coverage,
            baseline_weighted_coverage=baseline.weighted_coverage,
        )
        AllocationDong.objects.bulk_create(_dong_rows(run, data, optimised, baseline))
        AllocationLine.objects.bulk_create(_line_rows(run, data, optimised), batch_size=2000)
    return run


def _dong_rows(run, data, optimised, baseline) -> list[AllocationDong]:
    problem = data.problem
    counts = np.bincount(problem.need_dong, minlength=problem.dongs)
    weights = np.bincount(problem.need_dong, weights=problem.need_weight, minlength=problem.dongs)
    return [
        AllocationDong(
            run=run,
            emd=emd,
            needs=int(counts[index]),
            need_weight=int(weights[index]),
            coverage=float(optimised.dong_coverage[index]),
            baseline_coverage=float(baseline.dong_coverage[index]),
        )
        for index, emd in enumerate(data.emds)
        if counts[index]
    ]


def _line_rows(run, data, optimised) -> list[AllocationLine]:
    # The engine may split one pair over two flows; the saved plan has one line per pair.
    totals: dict[tuple[int, int], float] = {}
    for r, n, quantity in zip(
        optimised.line_resource, optimised.line_need, optimised.line_quantity, strict=True
    ):
        key = (int(r), int(n))
        totals[key] = totals.get(key, 0.0) + float(quantity)
    return [
        AllocationLine(
            run=run, resource=data.resources[r], need=data.needs[n], quantity=round(quantity, 2)
        )
        for (r, n), quantity in totals.items()
        if round(quantity, 2) > 0
    ]
