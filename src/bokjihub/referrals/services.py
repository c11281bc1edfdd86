"""Writes of referrals: send, move through the status table, record reminders.

Every service runs in one transaction, locks the referral it moves, writes the
ReferralEvent and the case timeline event itself, and writes the webhook outbox rows in the
same transaction; the HTTP calls happen after commit (referrals.webhooks).

Time limit per status (STATUS_DUE_DAYS), counted from entering the status:

| status      | what must happen next                        | days |
| ----------- | -------------------------------------------- | ---- |
| sent        | the receiving organisation confirms receipt  | 2    |
| received    | it accepts or declines                       | 5    |
| accepted    | the service starts                           | 14   |
| in_service  | the outcome is reported (completed or not)   | 90   |
| final ones  | nothing                                      | —    |

Accepting puts the receiving organisation to work on the household, in the same
transaction as the move: it joins the case as a participant (cases.services.case_join) and
starts an Engagement started by this referral, which puts the household in its scope (what
it sees of it still follows the household's consents, people.policy). That engagement ends
when the referral ends without the service done: declined, cancelled, or closed as not
completed. A completed referral leaves it open: the organisation goes on serving and
following up the household until someone ends the engagement or the person withdraws the
consent naming it (people.services.consent_withdraw). Each start and end is a line on the
case timeline.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext

from bokjihub.cases.events import case_event_write
from bokjihub.cases.models import Case, CaseEventKind, CaseStatus, NeedDomain
from bokjihub.cases.services import case_join, require_participant
from bokjihub.orgs.models import Organisation
from bokjihub.orgs.services import require_active_member
from bokjihub.people.access import consent_for_recipient, household_decisions_for_recipient
from bokjihub.people.models import Consent, DataCategory, Engagement
from bokjihub.people.services import engagement_end, engagement_start
from bokjihub.referrals.models import (
    FINAL_STATUSES,
    REASONED_STATUSES,
    Referral,
    ReferralEvent,
    ReferralReminder,
    ReferralStatus,
    SharedLevel,
)

STATUS_DUE_DAYS: dict[str, int | None] = {
    ReferralStatus.SENT: 2,
    ReferralStatus.RECEIVED: 5,
    ReferralStatus.ACCEPTED: 14,
    ReferralStatus.IN_SERVICE: 90,
    ReferralStatus.DECLINED: None,
    ReferralStatus.COMPLETED: None,
    ReferralStatus.NOT_COMPLETED: None,
    ReferralStatus.CANCELLED: None,
}

# Allowed moves. Accepting or declining straight from "sent" is allowed: it confirms receipt
# too, and a small centre should not need two clicks to say yes.
TRANSITIONS: dict[str, frozenset[str]] = {
    ReferralStatus.SENT: frozenset(
        {
            ReferralStatus.RECEIVED,
            ReferralStatus.ACCEPTED,
            ReferralStatus.DECLINED,
            ReferralStatus.CANCELLED,
        }
    ),
    ReferralStatus.RECEIVED: frozenset(
        {ReferralStatus.ACCEPTED, ReferralStatus.DECLINED, ReferralStatus.CANCELLED}
    ),
    ReferralStatus.ACCEPTED: frozenset(
        {ReferralStatus.IN_SERVICE, ReferralStatus.NOT_COMPLETED, ReferralStatus.CANCELLED}
    ),
    ReferralStatus.IN_SERVICE: frozenset({ReferralStatus.COMPLETED, ReferralStatus.NOT_COMPLETED}),
    ReferralStatus.DECLINED: frozenset(),
    ReferralStatus.COMPLETED: frozenset(),
    ReferralStatus.NOT_COMPLETED: frozenset(),
    ReferralStatus.CANCELLED: frozenset(),
}
# Who makes which move: the receiving organisation works the referral, the referring side
# may only withdraw it (once the service has started, only the provider can end it).
RECEIVER_MOVES = frozenset(
    {
        ReferralStatus.RECEIVED,
        ReferralStatus.ACCEPTED,
        ReferralStatus.DECLINED,
        ReferralStatus.IN_SERVICE,
        ReferralStatus.COMPLETED,
        ReferralStatus.NOT_COMPLETED,
    }
)
REFERRER_MOVES = frozenset({ReferralStatus.CANCELLED})

# The timeline line of each move ("의뢰 수락: 강동구 노인복지관 (주거)").
EVENT_VERBS: dict[str, str] = {
    ReferralStatus.SENT: "의뢰 보냄",
    ReferralStatus.RECEIVED: "의뢰 접수",
    ReferralStatus.ACCEPTED: "의뢰 수락",
    ReferralStatus.DECLINED: "의뢰 거절",
    ReferralStatus.IN_SERVICE: "의뢰 서비스 시작",
    ReferralStatus.COMPLETED: "의뢰 서비스 완료",
    ReferralStatus.NOT_COMPLETED: "의뢰 미완료 종료",
    ReferralStatus.CANCELLED: "의뢰 취소",
}


def _ko(text) -> str:
    """A label in Korean whatever the reader's language: timeline lines and engagement
    reasons are stored once and read by everyone, so they are written in the source
    language (an English session writes the same line as a Korean one)."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)


class ReferralTransitionError(ValueError):
    """A move the table refuses, or one missing what it needs (a reason)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ReferralConflictError(Exception):
    """Somebody moved the referral first: the caller's copy is stale, nothing was written."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ReferralMoved:
    referral: Referral
    event: ReferralEvent
    # True when nothing changed: the same request had already been applied.
    replayed: bool


def _due(status: str, at: datetime) -> datetime | None:
    days = STATUS_DUE_DAYS[status]
    return at + timedelta(days=days) if days is not None else None


def _require_member(user, organisation: Organisation) -> None:
    """The membership check of orgs.services, for a person; `by` is None only for system
    callers (the API acting as its token's organisation, the demo), with no one to check."""
    if user is not None:
        require_active_member(user, organisation)


# --- what travels with a referral ------------------------------------------------------------


def _consent_for_sharing(case: Case, to_organisation: Organisation, at: datetime):
    """The household head and the head's consent that lets the receiving organisation
    have their contact (people.access decides, as for the household page), or None.
    Identity is what a serving organisation gets anyway; contact needs the consent."""
    head = case.household.members.filter(relation_to_head="head").first()
    if head is None:
        return None, None
    consent = consent_for_recipient(
        person=head, organisation=to_organisation, category=DataCategory.CONTACT, at=at
    )
    return head, consent


def _shared_snapshot(
    *, case: Case, to_organisation: Organisation, referred_by, from_organisation, at: datetime
) -> tuple[str, dict, Consent | None]:
    """What goes with the referral (PIPA art. 17, minimum necessary, art. 3): always the
    case reference, need domain, Dong and the referring worker as contact; the head's name
    only under the head's consent naming the receiving organisation; the address only
    when every member's consent covers contact (it tells where each of them lives), and
    the need summary (the case's own words about the household) only when every member's
    consent covers case notes: the household page's rule for household-level fields,
    people.access.household_decisions_for_recipient. Never the RRN, income or health."""
    household = case.household
    minimum = {
        "case_reference": str(case),
        "dong": household.emd.name_ko,
        "referrer": str(referred_by) if referred_by else "",
        "referrer_organisation": from_organisation.name,
        "referrer_phone": from_organisation.phone,
    }
    head, consent = _consent_for_sharing(case, to_organisation, at)
    if consent is None:
        return SharedLevel.MINIMUM, minimum, None
    consented = {**minimum, "person_id": head.id, "name": head.name}
    open_to_receiver = household_decisions_for_recipient(
        household=household, organisation=to_organisation, at=at
    )
    if open_to_receiver[DataCategory.CONTACT].visible:
        consented["address"] = f"{household.road_address} {household.address_detail}".strip()
    if open_to_receiver[DataCategory.CASE_NOTES].visible and case.summary:
        consented["need_summary"] = case.summary
    return SharedLevel.CONSENTED, consented, consent


# --- send --------------------------------------------------------------------------------------


def _check_send(*, case: Case, from_organisation, to_organisation, by) -> None:
    if case.status != CaseStatus.OPEN:
        raise ReferralTransitionError(
            gettext("종결된 사례에서는 의뢰할 수 없습니다. 재개한 뒤 의뢰해 주세요.")
        )
    if to_organisation.id == from_organisation.id:
        raise ReferralTransitionError(
            gettext("우리 기관에는 의뢰할 수 없습니다. 다른 기관을 골라 주세요.")
        )
    if not to_organisation.is_active:
        raise ReferralTransitionError(
            gettext("%(organisation)s은(는) 사용 중지된 기관입니다.")
            % {"organisation": to_organisation.name}
        )
    _require_member(by, from_organisation)
    require_participant(case, from_organisation)


def referral_send(
    *,
    case: Case,
    from_organisation: Organisation,
    by,
    to_organisation: Organisation,
    need_domain: str,
    request_text: str,
    service=None,
    idempotency_key: str = "",
) -> Referral:
    """Refer the case to an organisation (and optionally one of its directory services).
    `by` is None only for system callers (the demo); a person must be a member of the
    referring organisation, which must work on the case."""
    if need_domain not in NeedDomain.values:
        raise ValidationError({"need_domain": gettext("욕구 영역을 골라 주세요.")})
    if not request_text.strip():
        raise ValidationError({"request_text": gettext("무엇을 부탁하는지 적어 주세요.")})
    with transaction.atomic():
        if idempotency_key:
            earlier = ReferralEvent.objects.filter(
                idempotency_key=idempotency_key,
                to_status=ReferralStatus.SENT,
                referral__case=case,
                referral__from_organisation=from_organisation,
            ).first()
            if earlier is not None:
                return earlier.referral
        # The caller's copy may be stale (closed since the page was read): decide on the row.
        case = Case.objects.select_related("household__emd").get(pk=case.pk)
        _check_send(
            case=case, from_organisation=from_organisation, to_organisation=to_organisation, by=by
        )
        now = timezone.now()
        level, shared, consent = _shared_snapshot(
            case=case,
            to_organisation=to_organisation,
            referred_by=by,
            from_organisation=from_organisation,
            at=now,
        )
        referral = Referral.objects.create(
            case=case,
            from_organisation=from_organisation,
            referred_by=by,
            to_organisation=to_organisation,
            service=service,
            need_domain=need_domain,
            request_text=request_text.strip(),
            status=ReferralStatus.SENT,
            sent_at=now,
            status_entered_at=now,
            status_due_at=_due(ReferralStatus.SENT, now),
            shared_level=level,
            shared=shared,
            shared_consent=consent,
        )
        event = ReferralEvent.objects.create(
            referral=referral,
            from_status="",
            to_status=ReferralStatus.SENT,
            by=by,
            organisation=from_organisation,
            at=now,
            version=referral.version,
            idempotency_key=idempotency_key,
        )
        _record_on_case(referral, event)
        _notify(referral, event)
    return referral


# --- moves -------------------------------------------------------------------------------------


def _check_side(referral: Referral, to_status: str, organisation: Organisation, by) -> None:
    if to_status in RECEIVER_MOVES and organisation.id != referral.to_organisation_id:
        raise PermissionDenied(
            gettext("의뢰받은 기관만 접수·수락·거절하고 서비스 경과를 기록할 수 있습니다.")
        )
    if to_status in REFERRER_MOVES and organisation.id != referral.from_organisation_id:
        raise PermissionDenied(gettext("의뢰한 기관만 의뢰를 취소할 수 있습니다."))
    _require_member(by, organisation)


def _replay(referral: Referral, to_status: str, idempotency_key: str) -> ReferralEvent | None:
    """The earlier event of the same request, if it was already applied: the same key, or
    (a retry without a key, a double click) the target status already reached."""
    if idempotency_key:
        earlier = ReferralEvent.objects.filter(
            referral=referral, idempotency_key=idempotency_key
        ).first()
        if earlier is not None:
            if earlier.to_status != to_status:
                raise ReferralConflictError(
                    gettext(
                        "이 Idempotency-Key는 이미 다른 상태 변경에 쓰였습니다. 요청마다 새 "
                        "값을 만들어 보내 주세요."
                    )
                )
            return earlier
    if referral.status == to_status:
        return referral.events.filter(to_status=to_status).order_by("-at", "-id").first()
    return None


def _check_move(referral: Referral, to_status: str, reason: str) -> None:
    if to_status not in TRANSITIONS[referral.status]:
        raise ReferralTransitionError(
            gettext("'%(from)s' 상태의 의뢰는 '%(to)s'(으)로 바꿀 수 없습니다.")
            % {"from": ReferralStatus(referral.status).label, "to": ReferralStatus(to_status).label}
        )
    if to_status in REASONED_STATUSES and not reason.strip():
        raise ReferralTransitionError(
            gettext("'%(status)s'에는 사유가 필요합니다. 상대 기관이 읽을 수 있게 적어 주세요.")
            % {"status": ReferralStatus(to_status).label}
        )


def referral_status_update(
    *,
    referral: Referral,
    to_status: str,
    organisation: Organisation,
    by=None,
    expected_version: int | None = None,
    reason: str = "",
    idempotency_key: str = "",
) -> ReferralMoved:
    """Move a referral along TRANSITIONS. `organisation` is the side acting (the API passes
    the token's organisation and no user). A replay of a request already applied changes
    nothing and answers with the event it produced; a stale expected_version is refused."""
    if to_status not in ReferralStatus.values or to_status == ReferralStatus.SENT:
        raise ReferralTransitionError(
            gettext("알 수 없는 의뢰 상태입니다: %(status)s") % {"status": to_status}
        )
    with transaction.atomic():
        # The case timeline line reads the case and both organisations: fetched in the same
        # query. Only the referral row is locked (PostgreSQL refuses FOR UPDATE on the
        # nullable side of an outer join).
        locked = (
            Referral.objects.select_for_update(of=("self",))
            .select_related("case", "from_organisation", "to_organisation")
            .get(pk=referral.pk)
        )
        _check_side(locked, to_status, organisation, by)
        earlier = _replay(locked, to_status, idempotency_key)
        if earlier is not None:
            return ReferralMoved(referral=locked, event=earlier, replayed=True)
        if expected_version is not None and locked.version != expected_version:
            raise ReferralConflictError(
                gettext(
                    "다른 사용자가 먼저 이 의뢰의 상태를 바꾸었습니다. 화면을 새로 고쳐 최신 "
                    "상태를 확인한 뒤 다시 시도해 주세요. 이번 변경은 저장하지 않았습니다."
                )
            )
        _check_move(locked, to_status, reason)
        event = _apply(locked, to_status, organisation, by, reason.strip(), idempotency_key)
    return ReferralMoved(referral=locked, event=event, replayed=False)


def _apply(
    referral: Referral, to_status: str, organisation, by, reason: str, idempotency_key: str
) -> ReferralEvent:
    """Caller holds the referral lock."""
    now = timezone.now()
    from_status = referral.status
    referral.status = to_status
    referral.version += 1
    referral.status_entered_at = now
    referral.status_due_at = _due(to_status, now)
    if to_status in REASONED_STATUSES:
        referral.reason = reason
    if to_status in FINAL_STATUSES:
        referral.closed_at = now
    referral.save(
        update_fields=[
            "status",
            "version",
            "status_entered_at",
            "status_due_at",
            "reason",
            "closed_at",
        ]
    )
    event = ReferralEvent.objects.create(
        referral=referral,
        from_status=from_status,
        to_status=to_status,
        by=by,
        organisation=organisation,
        at=now,
        reason=reason,
        version=referral.version,
        idempotency_key=idempotency_key,
    )
    serving = ""
    if to_status == ReferralStatus.ACCEPTED:
        serving = _receiver_starts_serving(referral, event)
    elif to_status in ENDS_SERVING:
        serving = _receiver_stops_serving(referral, event)
    _record_on_case(referral, event, serving=serving)
    _notify(referral, event)
    return event


# Moves that end the service the referral asked for without it being done.
ENDS_SERVING = frozenset(
    {ReferralStatus.DECLINED, ReferralStatus.CANCELLED, ReferralStatus.NOT_COMPLETED}
)


def _serving_basis(referral: Referral) -> str:
    what = (
        referral.service.name
        if referral.service_id
        else _ko(NeedDomain(referral.need_domain).label)
    )
    return f"의뢰 {referral.id} 수락: {what}"


def _receiver_starts_serving(referral: Referral, event: ReferralEvent) -> str:
    """Caller holds the referral lock. The receiving organisation joins the open case
    (its own timeline line, 참여기관 합류) and serves the household; returns what the
    referral's timeline line adds. Through the API no person acts (event.by is None): the
    joining is then recorded as brought in by the worker who sent the referral, whose
    sending was the invitation."""
    case, receiver = referral.case, referral.to_organisation
    engagement_start(
        organisation=receiver,
        household=case.household,
        basis=_serving_basis(referral),
        started_on=timezone.localdate(event.at),
        referral=referral,
    )
    joiner = event.by or referral.referred_by
    if case.status == CaseStatus.OPEN and joiner is not None:
        case_join(case=case, organisation=receiver, by=joiner)
    return "가구 서비스 시작"


def _receiver_stops_serving(referral: Referral, event: ReferralEvent) -> str:
    """Caller holds the referral lock. The engagement this referral started ends; from
    the next request on, the receiver no longer sees the household or the case (unless
    it serves the household on another basis). What it recorded stays on the case."""
    label = _ko(ReferralStatus(event.to_status).label)
    ended = [
        engagement_end(
            engagement=engagement,
            reason=f"의뢰 {referral.id} {label}",
            on=timezone.localdate(event.at),
        )
        for engagement in Engagement.objects.filter(referral=referral, ended_on__isnull=True)
    ]
    return "가구 서비스 종료" if ended else ""


def _record_on_case(referral: Referral, event: ReferralEvent, *, serving: str = "") -> None:
    """The case timeline line of a referral move, in the caller's transaction. The line
    names the organisations and the need domain only: the reason stays on the referral
    (the receiving organisation's words are not for every participant of the case)."""
    verb = EVENT_VERBS[event.to_status]
    summary = (
        f"{verb}: {referral.from_organisation.name} → {referral.to_organisation.name} "
        f"({_ko(NeedDomain(referral.need_domain).label)})"
    )
    if serving:
        summary += f" · {serving}"
    case_event_write(
        case=referral.case,
        kind=CaseEventKind.REFERRAL,
        by=event.by,
        organisation=event.organisation,
        at=event.at,
        summary=summary,
        data={
            "referral": referral.id,
            "from_status": event.from_status,
            "to_status": event.to_status,
        },
    )


def _notify(referral: Referral, event: ReferralEvent) -> None:
    from bokjihub.referrals.webhooks import webhook_deliveries_write

    webhook_deliveries_write(referral=referral, event=event)


# --- reminders -----------------------------------------------------------------------------


def referral_reminders_record(*, now: datetime | None = None) -> list[ReferralReminder]:
    """One reminder per open referral overdue in its current status; running it again
    records nothing new (the unique constraint, and the filter, make it idempotent)."""
    now = now or timezone.now()
    overdue = (
        Referral.objects.filter(closed_at__isnull=True, status_due_at__lt=now)
        .exclude(reminders__status=F("status"))
        .select_related("case", "to_organisation", "from_organisation")
    )
    recorded = []
    for referral in overdue:
        with transaction.atomic():
            reminder, created = ReferralReminder.objects.get_or_create(
                referral=referral,
                status=referral.status,
                defaults={"due_at": referral.status_due_at, "recorded_at": now},
            )
            if created:
                _remind_on_case(referral, now)
                recorded.append(reminder)
    return recorded


def _remind_on_case(referral: Referral, now: datetime) -> None:
    label = _ko(ReferralStatus(referral.status).label)
    case_event_write(
        case=referral.case,
        kind=CaseEventKind.REFERRAL,
        at=now,
        organisation=referral.to_organisation,
        summary=f"의뢰 기한 지남 ({label}): {referral.to_organisation.name}",
        data={"referral": referral.id, "reminder": referral.status},
    )
