"""Deliveries (서비스 제공 기록) and redundancy flags (중복 지원 알림): writes and reads.

Redundancy is computed when a delivery is recorded, not on every page view: the new
delivery is compared with the household's other deliveries of the same need domain by
other providers, and each overlapping pair gets one flag per provider. The household row
is locked first, so two providers recording at the same moment cannot both miss the
other's row (the second waits and then sees the first).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext

from bokjihub.cases.access import CaseView
from bokjihub.cases.events import case_event_write
from bokjihub.cases.models import (
    Case,
    CaseEventKind,
    CaseParticipant,
    CaseStatus,
    Delivery,
    NeedDomain,
    RedundancyFlag,
    RedundancyStatus,
)
from bokjihub.cases.services import lock_case, require_participant
from bokjihub.orgs.actors import Actor
from bokjihub.orgs.services import require_active_member
from bokjihub.people.models import Engagement, Household

NOTE_MAX = 1000


def _won(amount: int) -> str:
    return gettext("%(amount)s원") % {"amount": f"{amount:,}"}


def _ko(text) -> str:
    """A label in Korean whatever the reader's language: timeline lines are stored once
    and read by everyone, so they are written in the source language."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)


def delivery_quantity(delivery: Delivery) -> str:
    """ "300,000원", "4회", or both, for lists and the timeline."""
    parts = []
    if delivery.amount_krw is not None:
        parts.append(_won(delivery.amount_krw))
    if delivery.units is not None:
        units = delivery.units.normalize()
        parts.append(f"{units:f}{delivery.unit_label}")
    return " · ".join(parts)


def _period(starts_on: date, ends_on: date | None) -> str:
    return f"{starts_on:%Y-%m-%d} ~ {ends_on:%Y-%m-%d}" if ends_on else f"{starts_on:%Y-%m-%d} ~"


def _delivery_errors(
    *,
    domain: str,
    starts_on: date | None,
    ends_on: date | None,
    amount_krw: int | None,
    units: Decimal | None,
    unit_label: str,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if domain not in NeedDomain.values:
        errors["domain"] = gettext("지원 영역을 목록에서 골라 주세요.")
    if starts_on is None:
        errors["starts_on"] = gettext("제공 시작일을 입력해 주세요.")
    elif ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = gettext("제공 종료일은 시작일과 같거나 그 뒤여야 합니다.")
    if amount_krw is not None and amount_krw < 0:
        errors["amount_krw"] = gettext("금액은 0원 이상이어야 합니다.")
    if units is not None and units <= 0:
        errors["units"] = gettext("수량은 0보다 커야 합니다.")
    if units is not None and not unit_label.strip():
        errors["unit_label"] = gettext("수량의 단위(회, 개, 시간 등)를 입력해 주세요.")
    if amount_krw is None and units is None:
        errors["amount_krw"] = gettext("금액이나 수량 가운데 하나는 입력해 주세요.")
    return errors


def _check_recorder(*, household: Household, case: Case | None, provider, organisation) -> None:
    """On a case, staff of a participating organisation record what any participant gave.
    Without a case, a provider records only its own help to a household it serves."""
    if case is not None:
        if case.household_id != household.id:
            raise ValidationError(gettext("이 사례의 가구가 아닙니다."))
        # A ValidationError, not cases.services' require_open (CaseTransitionError): the
        # delivery views turn ValidationError into a form message.
        if case.status != CaseStatus.OPEN:
            raise ValidationError(gettext("종결된 사례입니다. 재개한 뒤에 기록해 주세요."))
        require_participant(case, organisation)
        provider_participates = (
            provider.id == organisation.id
            or CaseParticipant.objects.filter(
                case=case, organisation=provider, left_at__isnull=True
            ).exists()
        )
        if not provider_participates:
            raise ValidationError(
                {"provider": gettext("제공 기관은 이 사례의 참여기관 가운데에서 골라 주세요.")}
            )
        return
    serves = Engagement.objects.filter(
        organisation=organisation, household=household, ended_on__isnull=True
    ).exists()
    if provider.id != organisation.id or not serves:
        raise PermissionDenied(
            gettext("사례 밖에서는 자기 기관이 지원하는 가구에 준 것만 기록합니다.")
        )


def _overlapping(delivery: Delivery) -> QuerySet[Delivery]:
    """Other providers' deliveries of the same domain to the household whose period meets
    this one's (an empty end is open-ended on either side)."""
    rows = Delivery.objects.filter(household_id=delivery.household_id, domain=delivery.domain)
    rows = rows.exclude(provider_id=delivery.provider_id).exclude(pk=delivery.pk)
    rows = rows.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=delivery.starts_on))
    if delivery.ends_on is not None:
        rows = rows.filter(starts_on__lte=delivery.ends_on)
    return rows.select_related("provider", "case")


def _flag_pair(first: Delivery, second: Delivery, at) -> list[RedundancyFlag]:
    """One flag per provider; a pair flagged before is left as it is (resolved or not)."""
    created = []
    for own, other in ((first, second), (second, first)):
        flag, new = RedundancyFlag.objects.get_or_create(
            delivery=own,
            other_delivery=other,
            defaults={"organisation_id": own.provider_id, "flagged_at": at},
        )
        if new:
            created.append(flag)
    return created


def _flag_events(flags: list[RedundancyFlag], *, by, organisation, at) -> None:
    """A timeline line on each case a new flag concerns (deliveries outside a case have
    no timeline; the provider sees the flag on its redundancy page)."""
    for flag in flags:
        case_id = flag.delivery.case_id
        if case_id is None:
            continue
        other = flag.other_delivery
        case_event_write(
            case=flag.delivery.case,
            kind=CaseEventKind.REDUNDANCY_FLAGGED,
            by=by,
            organisation=organisation,
            at=at,
            summary=(
                f"{_ko(flag.delivery.get_domain_display())}: {flag.organisation}의 지원과 "
                f"{other.provider}의 지원 기간이 겹칩니다"
            ),
            data={"flag_id": flag.id, "delivery_id": flag.delivery_id},
        )


def delivery_record(
    *,
    household: Household,
    domain: str,
    provider,
    starts_on: date,
    by,
    organisation,
    case: Case | None = None,
    ends_on: date | None = None,
    amount_krw: int | None = None,
    units: Decimal | None = None,
    unit_label: str = "",
    description: str = "",
    service=None,
) -> Delivery:
    """Record what the household received, and flag overlaps with other providers' help of
    the same kind. `organisation` is the recorder's; `provider` gave the help."""
    errors = _delivery_errors(
        domain=domain,
        starts_on=starts_on,
        ends_on=ends_on,
        amount_krw=amount_krw,
        units=units,
        unit_label=unit_label,
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # The household lock serialises deliveries to one household (see module docstring);
        # the case lock, taken after it, serialises the case's timeline like every service.
        Household.objects.select_for_update().only("id").get(pk=household.pk)
        locked_case = lock_case(case) if case else None
        _check_recorder(
            household=household, case=locked_case, provider=provider, organisation=organisation
        )
        require_active_member(by, organisation)
        now = timezone.now()
        delivery = Delivery.objects.create(
            household=household,
            case=locked_case,
            domain=domain,
            service=service,
            provider=provider,
            starts_on=starts_on,
            ends_on=ends_on,
            amount_krw=amount_krw,
            units=units,
            unit_label=unit_label.strip() if units is not None else "",
            description=description.strip(),
            recorded_at=now,
            recorded_by=by,
            recording_organisation=organisation,
        )
        if locked_case is not None:
            case_event_write(
                case=locked_case,
                kind=CaseEventKind.DELIVERY_RECORDED,
                by=by,
                organisation=organisation,
                at=now,
                summary=(
                    f"{_ko(NeedDomain(domain).label)} · {provider} · {_period(starts_on, ends_on)}"
                ),
                data={"delivery_id": delivery.id},
            )
        flags = []
        for other in _overlapping(delivery):
            flags += _flag_pair(delivery, other, now)
        _flag_events(flags, by=by, organisation=organisation, at=now)
    return delivery


def redundancy_flag_resolve(*, flag: RedundancyFlag, note: str, by, organisation) -> RedundancyFlag:
    """The provider says what it checked ("다른 기관과 통화, 중복 아님: 지원 품목이 다름").
    Only the flagged provider's staff may resolve its flag; the other side keeps its own."""
    if not note.strip():
        raise ValidationError({"note": gettext("무엇을 확인했는지 적어 주세요.")})
    with transaction.atomic():
        locked = (
            # only the flag row: PostgreSQL cannot lock the nullable side (the case) of a join
            RedundancyFlag.objects.select_for_update(of=("self",))
            .select_related("delivery", "delivery__case")
            .get(pk=flag.pk)
        )
        if locked.organisation_id != organisation.id:
            raise PermissionDenied(gettext("자기 기관에 온 알림만 확인 처리할 수 있습니다."))
        require_active_member(by, organisation)
        if locked.status == RedundancyStatus.RESOLVED:
            raise ValidationError(gettext("이미 확인 처리한 알림입니다."))
        now = timezone.now()
        locked.status = RedundancyStatus.RESOLVED
        locked.resolved_at, locked.resolved_by = now, by
        locked.resolution_note = note.strip()[:NOTE_MAX]
        locked.save(update_fields=["status", "resolved_at", "resolved_by", "resolution_note"])
        if locked.delivery.case_id is not None:
            case_event_write(
                case=locked.delivery.case,
                kind=CaseEventKind.REDUNDANCY_RESOLVED,
                by=by,
                organisation=organisation,
                at=now,
                summary=(
                    f"{_ko(locked.delivery.get_domain_display())} 중복 지원 알림 확인 "
                    f"({organisation})"
                ),
                data={"flag_id": locked.id},
            )
    return locked


# --- reads ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeliveryLine:
    delivery: Delivery
    quantity: str
    period: str


def deliveries_of_case(view: CaseView) -> list[DeliveryLine]:
    """The household's deliveries, for the case page. Takes the CaseView so that only a
    caller that went through access_case (scope checked, access logged) can read them."""
    rows = (
        Delivery.objects.filter(household_id=view.case.household_id)
        .select_related("provider", "service")
        .order_by("-starts_on", "-id")
    )
    return [
        DeliveryLine(row, delivery_quantity(row), _period(row.starts_on, row.ends_on))
        for row in rows
    ]


def _flags(organisation) -> QuerySet[RedundancyFlag]:
    return RedundancyFlag.objects.filter(organisation=organisation).select_related(
        "delivery",
        "delivery__household__emd",
        "other_delivery",
        "other_delivery__provider",
    )


def redundancy_flags_of_case(view: CaseView, actor: Actor) -> list[RedundancyFlag]:
    """Flags of the actor's organisation about this household, for the case page."""
    if actor.organisation is None:
        return []
    rows = _flags(actor.organisation).filter(delivery__household_id=view.case.household_id)
    return list(rows.order_by("status", "flagged_at", "id"))


def redundancy_flags_for(actor: Actor, *, status: str = RedundancyStatus.OPEN):
    """The acting organisation's flags (its own deliveries that overlap another
    provider's), oldest first. Only the flagged organisation sees a flag: it names the
    household by case number or Dong, never by person."""
    if not actor.may_read_personal_data or actor.organisation is None:
        return RedundancyFlag.objects.none()
    return _flags(actor.organisation).filter(status=status).order_by("flagged_at", "id")


def redundancy_flag_of(actor: Actor, flag_id) -> RedundancyFlag | None:
    """One flag of the actor's organisation, or None (a 404 for anyone else's)."""
    try:
        flag_id = int(flag_id)
    except (TypeError, ValueError):
        return None
    return redundancy_flags_for(actor, status=RedundancyStatus.OPEN).filter(id=flag_id).first()
