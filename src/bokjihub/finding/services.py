"""Writes of the finding track: receive a report, route it, merge duplicates, move the
triage item through its states, and open the case when a need is confirmed."""

import hashlib
import re
import secrets
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bokjihub.cases.models import Case, CaseStatus
from bokjihub.cases.services import case_open_or_join
from bokjihub.engine.rrn import RrnError, parse_rrn
from bokjihub.finding.models import (
    Channel,
    Concern,
    FindingPolicy,
    ItemStatus,
    MatchStatus,
    Outcome,
    Report,
    ReporterKind,
    TriageEvent,
    TriageEventKind,
    TriageItem,
    Urgency,
)
from bokjihub.finding.references import item_number_take, receipt_number_take
from bokjihub.finding.routing import RoutingError, hub_of, route_report
from bokjihub.people.identifiers import rrn_blind_index
from bokjihub.people.models import Household, Person
from bokjihub.regions.errors import RegionCodeError
from bokjihub.regions.selectors import emd_by_code

DUPLICATE_WINDOW = timedelta(days=30)

# The allowed moves of a triage item; anything else is refused with the current state named.
TRANSITIONS: dict[str, set[str]] = {
    ItemStatus.NEW: {ItemStatus.ASSIGNED, ItemStatus.CONTACTED, ItemStatus.CLOSED},
    ItemStatus.ASSIGNED: {ItemStatus.ASSIGNED, ItemStatus.CONTACTED, ItemStatus.CLOSED},
    ItemStatus.CONTACTED: {ItemStatus.VISITED, ItemStatus.CLOSED},
    ItemStatus.VISITED: {ItemStatus.CLOSED},
    ItemStatus.CLOSED: set(),
}


class ConcurrentEditError(Exception):
    message = gettext_lazy(
        "다른 담당자가 먼저 이 항목을 바꿨습니다. 바뀐 내용을 확인한 뒤 다시 저장해 주세요."
    )


class TransitionError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ReportInput:
    channel: str
    concerns: Sequence[str]
    subject_name: str = ""
    subject_birth_year: int | None = None
    subject_rrn: str = ""
    subject_address: str = ""
    subject_emd_code: str = ""
    subject_description: str = ""
    urgency: str = Urgency.NORMAL
    free_text: str = ""
    reporter_kind: str = ReporterKind.ANONYMOUS
    reporter_name: str = ""
    reporter_phone: str = ""
    # a screening candidate's evidence (score, rank, signals): see screening_intake.py
    screening: dict = field(default_factory=dict)


@dataclass(frozen=True)
class SubmitResult:
    report: Report
    item: TriageItem
    created: bool = True
    joined: bool = False
    notes: list[str] = field(default_factory=list)


def ko(text) -> str:
    """A label in Korean whatever the reader's language: timeline notes and case summaries
    are stored once and read by everyone, so they are written in the source language."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)


def rrn_error_text(error: RrnError) -> str:
    """The engine's RRN message in the reader's language (the engine carries both)."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    return error.message_en if language.startswith("en") else error.message


# --- validation -------------------------------------------------------------------------


def _validate(data: ReportInput, day) -> tuple[dict[str, str], str]:
    errors: dict[str, str] = {}
    if data.channel not in Channel.values:
        errors["channel"] = _("신고 경로를 목록에서 골라 주세요.")
    if not data.concerns:
        errors["concerns"] = _("걱정되는 점을 하나 이상 골라 주세요.")
    elif unknown := [c for c in data.concerns if c not in Concern.values]:
        errors["concerns"] = _("알 수 없는 항목입니다: %(values)s") % {"values": ", ".join(unknown)}
    if data.urgency not in Urgency.values:
        errors["urgency"] = _("긴급도를 목록에서 골라 주세요.")
    if not (
        data.subject_name.strip()
        or data.subject_address.strip()
        or data.subject_description.strip()
    ):
        errors["subject_name"] = _(
            "도움이 필요한 분의 이름, 대략의 주소, 또는 특징 중 하나는 적어 주세요."
        )
    if data.reporter_kind not in ReporterKind.values:
        errors["reporter_kind"] = _("신고인을 밝힐지 익명으로 할지 골라 주세요.")
    elif data.reporter_kind == ReporterKind.IDENTIFIED and not (
        data.reporter_name.strip() or data.reporter_phone.strip()
    ):
        errors["reporter_name"] = _("신고인을 밝히려면 이름이나 연락처를 적어 주세요.")
    if data.subject_birth_year is not None and not 1900 <= data.subject_birth_year <= day.year:
        errors["subject_birth_year"] = _(
            "출생 연도는 1900년부터 %(year)d년 사이로 적어 주세요."
        ) % {"year": day.year}
    blind_index = ""
    if data.subject_rrn.strip():
        try:
            blind_index = rrn_blind_index(parse_rrn(data.subject_rrn, today=day))
        except RrnError as error:
            errors["subject_rrn"] = rrn_error_text(error)
    return errors, blind_index


# --- duplicates -------------------------------------------------------------------------

_ROAD_AND_NUMBER = re.compile(r"(\S+(?:로|길))\s*(\d+(?:-\d+)?)")


def subject_key(*, name: str, address: str, emd_id: int | None) -> str:
    """A stable key for "the same person at the same place": the name without spaces, and
    the road and building number when the address has them, else the Dong. Without a
    name or a place there is no key, and no automatic merge."""
    name_part = unicodedata.normalize("NFC", re.sub(r"\s+", "", name))
    match = _ROAD_AND_NUMBER.search(address)
    place = f"{match.group(1)} {match.group(2)}" if match else (f"emd:{emd_id}" if emd_id else "")
    if not name_part or not place:
        return ""
    return hashlib.sha256(f"{name_part}|{place}".encode()).hexdigest()


def _open_item_for(
    *, household: Household | None, key: str, sigungu, since: datetime
) -> TriageItem | None:
    open_items = TriageItem.objects.exclude(status=ItemStatus.CLOSED)
    if household is not None:
        item = open_items.filter(household=household).order_by("received_at").first()
        if item:
            return item
    if key:
        return (
            open_items.filter(sigungu=sigungu, subject_key=key, received_at__gte=since)
            .order_by("received_at")
            .first()
        )
    return None


def _household_by_rrn(blind_index: str) -> Household | None:
    if not blind_index:
        return None
    person = Person.objects.filter(rrn_blind_index=blind_index).select_related("household").first()
    return person.household if person else None


# --- receiving --------------------------------------------------------------------------


def _due(received_at: datetime, urgency: str, sigungu) -> datetime:
    policy = FindingPolicy.objects.filter(sigungu=sigungu).first()
    days = (
        (policy.urgent_first_contact_days if policy else 1)
        if urgency == Urgency.URGENT
        else (policy.first_contact_days if policy else 14)
    )
    return received_at + timedelta(days=days)


def _event(item: TriageItem, kind: str, *, at: datetime, actor=None, note: str = "") -> None:
    TriageEvent.objects.create(item=item, kind=kind, at=at, actor=actor, note=note)


def _report_row(
    data: ReportInput, item: TriageItem, blind_index: str, received_at, **origin
) -> Report:
    return Report.objects.create(
        item=item,
        channel=data.channel,
        reporter_kind=data.reporter_kind,
        reporter_name=data.reporter_name.strip(),
        reporter_phone=data.reporter_phone.strip(),
        subject_name=data.subject_name.strip(),
        subject_birth_year=data.subject_birth_year,
        subject_rrn_blind_index=blind_index,
        subject_address=data.subject_address.strip(),
        subject_description=data.subject_description.strip(),
        concerns=sorted(set(data.concerns)),
        urgency=data.urgency,
        free_text=data.free_text.strip(),
        received_at=received_at,
        receipt_number=receipt_number_take(received_at=received_at),
        screening=dict(data.screening),
        **origin,
    )


def _join(item: TriageItem, data: ReportInput, received_at) -> TriageItem:
    item.report_count += 1
    item.concerns = sorted(set(item.concerns) | set(data.concerns))
    updates = ["report_count", "concerns", "version"]
    if data.urgency == Urgency.URGENT and item.urgency != Urgency.URGENT:
        # A second, urgent report shortens the deadline of the item it joins.
        item.urgency = Urgency.URGENT
        item.due_at = min(item.due_at, _due(received_at, Urgency.URGENT, item.sigungu))
        updates += ["urgency", "due_at"]
    item.version += 1
    item.save(update_fields=updates)
    return item


def report_submit(
    *,
    data: ReportInput,
    sigungu,
    received_at: datetime | None = None,
    finder=None,
    source_organisation=None,
    submitted_by=None,
    idempotency_key: str = "",
    client_fingerprint: str = "",
    linked_household: Household | None = None,
    link_note: str = "",
) -> SubmitResult:
    """Receive one report. Raises ValidationError (a specific message per field) and saves
    nothing when the report is incomplete; a report whose address matches no Dong is saved
    in the Si/Gun/Gu's "needs routing" queue.

    The subject's household is the one of the report's RRN, else ``linked_household`` (a
    caller that already identified it: the screening pipeline's linkage, ``link_note``
    saying how). Without either, the registry matcher runs once the report is committed
    and may propose a household for the officer to confirm (matching.py)."""
    received_at = received_at or timezone.now()
    day = timezone.localdate(received_at)
    if idempotency_key:
        replay = Report.objects.filter(
            source_organisation=source_organisation, idempotency_key=idempotency_key
        ).first()
        if replay:
            return SubmitResult(report=replay, item=replay.item, created=False, joined=False)
    errors, blind_index = _validate(data, day)
    if errors:
        raise ValidationError(errors)
    try:
        route = route_report(
            sigungu=sigungu, address=data.subject_address, emd_code=data.subject_emd_code, day=day
        )
    except RoutingError as error:
        raise ValidationError({"subject_address": error.message}) from error
    origin = {
        "finder": finder,
        "source_organisation": source_organisation,
        "submitted_by": submitted_by,
        "idempotency_key": idempotency_key,
        "client_fingerprint": client_fingerprint,
    }
    try:
        with transaction.atomic():
            result = _receive(
                data, route, blind_index, received_at, origin, linked_household, link_note
            )
            if result.item.household_id is None:
                # after the commit: the matcher (a task) must see the saved report
                transaction.on_commit(partial(_enqueue_match_proposal, result.item.pk))
            return result
    except IntegrityError:
        if idempotency_key:  # a concurrent replay won the race: answer with its report
            replay = Report.objects.get(
                source_organisation=source_organisation, idempotency_key=idempotency_key
            )
            return SubmitResult(report=replay, item=replay.item, created=False, joined=False)
        raise


def _enqueue_match_proposal(item_id: int) -> None:
    from bokjihub.finding.tasks import item_match_propose_task

    item_match_propose_task(item_id)


def _receive(
    data: ReportInput,
    route,
    blind_index: str,
    received_at,
    origin,
    linked_household: Household | None = None,
    link_note: str = "",
) -> SubmitResult:
    household = _household_by_rrn(blind_index)
    link_reason = "주민등록번호 일치" if household else ""
    if household is None and linked_household is not None:
        household, link_reason = linked_household, link_note or "연계 자료로 확인"
    key = subject_key(
        name=data.subject_name,
        address=data.subject_address,
        emd_id=route.emd.id if route.emd else None,
    )
    existing = _open_item_for(
        household=household, key=key, sigungu=route.sigungu, since=received_at - DUPLICATE_WINDOW
    )
    if existing is not None:
        item = _join(TriageItem.objects.select_for_update().get(pk=existing.pk), data, received_at)
        report = _report_row(data, item, blind_index, received_at, **origin)
        _event(
            item,
            TriageEventKind.JOINED,
            at=received_at,
            note=f"{ko(report.get_channel_display())} 신고가 더해졌습니다.",
        )
        if household is not None and item.household_id is None:
            _link_on_receipt(item, household, link_reason, received_at)
        return SubmitResult(report=report, item=item, joined=True)
    item = TriageItem.objects.create(
        reference=secrets.token_hex(8),
        number=item_number_take(hub=route.hub, received_at=received_at),
        sigungu=route.sigungu,
        hub=route.hub,
        emd=route.emd,
        needs_routing=route.needs_routing,
        household=household,
        match_status=MatchStatus.CONFIRMED if household else MatchStatus.UNMATCHED,
        match_probability=1.0 if household else None,
        match_reasons=[link_reason] if household else [],
        subject_name=data.subject_name.strip(),
        subject_address=data.subject_address.strip(),
        subject_key=key,
        concerns=sorted(set(data.concerns)),
        urgency=data.urgency,
        first_channel=data.channel,
        received_at=received_at,
        due_at=_due(received_at, data.urgency, route.sigungu),
    )
    report = _report_row(data, item, blind_index, received_at, **origin)
    _event(item, TriageEventKind.RECEIVED, at=received_at, note=route.reason)
    if household is not None:
        _event(item, TriageEventKind.MATCH_CONFIRMED, at=received_at, note=link_reason)
    notes = []
    open_case = (
        Case.objects.filter(household=household, status=CaseStatus.OPEN).first()
        if household
        else None
    )
    if open_case is not None:
        # The household is already being supported: the report joins its case, and the
        # item stays in the inbox so the case manager hears of the new concern.
        item.case = open_case
        item.save(update_fields=["case"])
        _event(
            item,
            TriageEventKind.JOINED,
            at=received_at,
            note=f"진행 중인 사례 {open_case.pk}번에 연결",
        )
        notes.append(_("이 가구는 이미 사례관리 중입니다. 신고를 진행 중인 사례에 연결했습니다."))
    return SubmitResult(report=report, item=item, notes=notes)


def _link_on_receipt(item: TriageItem, household: Household, reason: str, at) -> None:
    """A joining report that identifies the household links the item it joins."""
    item.household, item.match_status = household, MatchStatus.CONFIRMED
    item.match_probability, item.match_reasons = 1.0, [reason]
    item.version += 1
    item.save(
        update_fields=["household", "match_status", "match_probability", "match_reasons", "version"]
    )
    _event(item, TriageEventKind.MATCH_CONFIRMED, at=at, note=reason)


# --- triage -----------------------------------------------------------------------------


def _locked(item: TriageItem, expected_version: int | None) -> TriageItem:
    locked = TriageItem.objects.select_for_update().get(pk=item.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ConcurrentEditError()
    return locked


def _move(item: TriageItem, to_status: str) -> None:
    if to_status not in TRANSITIONS[item.status]:
        raise TransitionError(
            _("'%(current)s' 상태에서는 '%(target)s'(으)로 바꿀 수 없습니다.")
            % {"current": item.get_status_display(), "target": ItemStatus(to_status).label}
        )
    item.status = to_status


def item_assign(
    *, item: TriageItem, to_user, by, expected_version: int | None = None
) -> TriageItem:
    with transaction.atomic():
        locked = _locked(item, expected_version)
        _move(
            locked,
            ItemStatus.ASSIGNED
            if locked.status in (ItemStatus.NEW, ItemStatus.ASSIGNED)
            else locked.status,
        )
        locked.assigned_to = to_user
        locked.version += 1
        locked.save(update_fields=["status", "assigned_to", "version"])
        _event(locked, TriageEventKind.ASSIGNED, at=timezone.now(), actor=by, note=str(to_user))
    return locked


def items_assign_bulk(*, items: Sequence[TriageItem], to_user, by) -> int:
    """Assign many items in one action; items closed meanwhile are skipped, not failed."""
    done = 0
    for item in items:
        try:
            item_assign(item=item, to_user=to_user, by=by)
            done += 1
        except TransitionError:
            continue
    return done


def item_contact(
    *, item: TriageItem, by, note: str = "", at=None, expected_version: int | None = None
) -> TriageItem:
    at = at or timezone.now()
    with transaction.atomic():
        locked = _locked(item, expected_version)
        _move(locked, ItemStatus.CONTACTED)
        locked.first_contacted_at = locked.first_contacted_at or at
        locked.assigned_to = locked.assigned_to or by
        locked.version += 1
        locked.save(update_fields=["status", "first_contacted_at", "assigned_to", "version"])
        _event(locked, TriageEventKind.CONTACTED, at=at, actor=by, note=note)
    return locked


def item_visit(
    *, item: TriageItem, by, note: str = "", at=None, expected_version: int | None = None
) -> TriageItem:
    at = at or timezone.now()
    with transaction.atomic():
        locked = _locked(item, expected_version)
        _move(locked, ItemStatus.VISITED)
        locked.visited_at = at
        locked.version += 1
        locked.save(update_fields=["status", "visited_at", "version"])
        _event(locked, TriageEventKind.VISITED, at=at, actor=by, note=note)
    return locked


def item_match_confirm(
    *, item: TriageItem, household: Household, by, expected_version: int | None = None
) -> TriageItem:
    with transaction.atomic():
        locked = _locked(item, expected_version)
        locked.household, locked.match_status = household, MatchStatus.CONFIRMED
        locked.version += 1
        locked.save(update_fields=["household", "match_status", "version"])
        _event(locked, TriageEventKind.MATCH_CONFIRMED, at=timezone.now(), actor=by)
    return locked


def item_match_reject(*, item: TriageItem, by, expected_version: int | None = None) -> TriageItem:
    with transaction.atomic():
        locked = _locked(item, expected_version)
        locked.proposed_household, locked.match_status = None, MatchStatus.REJECTED
        locked.version += 1
        locked.save(update_fields=["proposed_household", "match_status", "version"])
        _event(locked, TriageEventKind.MATCH_REJECTED, at=timezone.now(), actor=by)
    return locked


def item_close(
    *,
    item: TriageItem,
    outcome: str,
    by,
    note: str = "",
    at=None,
    expected_version: int | None = None,
) -> TriageItem:
    """Record the outcome. "Needs confirmed" (found) opens the household's case, or joins
    the one already open, carrying the report's facts."""
    if outcome not in Outcome.values:
        raise TransitionError(_("결과를 목록에서 골라 주세요."))
    at = at or timezone.now()
    with transaction.atomic():
        locked = _locked(item, expected_version)
        _move(locked, ItemStatus.CLOSED)
        if outcome == Outcome.FOUND:
            if locked.household is None:
                raise TransitionError(
                    _("지원이 필요한 가구를 먼저 확인(연결)해야 사례를 열 수 있습니다.")
                )
            concerns = ", ".join(ko(Concern(c).label) for c in locked.concerns)
            opened = case_open_or_join(
                household=locked.household,
                lead_organisation=locked.hub,
                case_manager=by,
                summary=f"발굴 {locked}: {concerns}. {note}".strip(),
            )
            locked.case = opened.case
        locked.outcome, locked.closed_at = outcome, at
        locked.version += 1
        locked.save(update_fields=["status", "outcome", "closed_at", "case", "version"])
        _event(
            locked,
            TriageEventKind.CLOSED,
            at=at,
            actor=by,
            note=f"{ko(Outcome(outcome).label)} {note}".strip(),
        )
    return locked


def item_reroute(
    *, item: TriageItem, emd_code: str, reason: str, by, expected_version: int | None = None
) -> TriageItem:
    """Send an item to another Dong's hub (or out of the Gu's "needs routing" queue)."""
    if not reason.strip():
        raise TransitionError(_("이송하는 이유를 적어 주세요."))
    try:
        emd = emd_by_code(emd_code, as_of=timezone.localdate())
    except RegionCodeError as error:
        raise TransitionError(error.message) from error
    with transaction.atomic():
        locked = _locked(item, expected_version)
        if locked.status == ItemStatus.CLOSED:
            raise TransitionError(_("종결된 항목은 이송할 수 없습니다."))
        locked.emd, locked.sigungu, locked.hub = emd, emd.sigungu, hub_of(emd)
        locked.needs_routing, locked.assigned_to = False, None
        locked.status = ItemStatus.NEW
        locked.version += 1
        locked.save(
            update_fields=[
                "emd",
                "sigungu",
                "hub",
                "needs_routing",
                "assigned_to",
                "status",
                "version",
            ]
        )
        _event(
            locked,
            TriageEventKind.REROUTED,
            at=timezone.now(),
            actor=by,
            note=f"{emd.name_ko}: {reason.strip()}",
        )
    return locked
