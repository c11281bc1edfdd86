"""Writes of households and persons. Every write validates first and saves nothing when
any part is wrong, so a bad RRN on the third member never leaves a half household."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from bokjihub.audit.models import AccessAction, AccessPurpose
from bokjihub.audit.services import access_log_write
from bokjihub.engine.rrn import RrnError, parse_rrn
from bokjihub.orgs.models import Sector
from bokjihub.people.addresses import AddressError, address_resolve
from bokjihub.people.identifiers import rrn_blind_index, rrn_encrypt
from bokjihub.people.models import (
    Consent,
    ConsentMethod,
    DataCategory,
    Engagement,
    Household,
    HouseholdType,
    IncomeAssessment,
    Person,
    RelationToHead,
)


@dataclass(frozen=True)
class PersonInput:
    name: str
    rrn: str
    relation_to_head: str
    has_disability: bool = False
    nationality: str = "KR"


def _validate_members(members: Sequence[PersonInput]) -> tuple[list, dict[str, str]]:
    errors: dict[str, str] = {}
    parsed = []
    heads = [m for m in members if m.relation_to_head == RelationToHead.HEAD]
    if not members:
        errors["members"] = gettext("가구원을 한 명 이상 입력해 주세요.")
    elif len(heads) != 1:
        errors["members"] = gettext("세대주는 한 명이어야 합니다.")
    seen: set[str] = set()
    for index, member in enumerate(members):
        if not member.name.strip():
            errors[f"members.{index}.name"] = gettext("이름을 입력해 주세요.")
        if member.relation_to_head not in RelationToHead.values:
            errors[f"members.{index}.relation_to_head"] = gettext(
                "세대주와의 관계를 목록에서 골라 주세요."
            )
        try:
            rrn = parse_rrn(member.rrn)
        except RrnError as error:
            errors[f"members.{index}.rrn"] = error.message
            continue
        index_value = rrn_blind_index(rrn)
        if index_value in seen:
            errors[f"members.{index}.rrn"] = gettext("같은 주민등록번호가 두 번 입력되었습니다.")
        elif Person.objects.filter(rrn_blind_index=index_value).exists():
            errors[f"members.{index}.rrn"] = gettext(
                "이미 다른 가구에 등록된 사람입니다. 기존 가구를 검색해 주세요."
            )
        seen.add(index_value)
        parsed.append((member, rrn))
    return parsed, errors


def household_register(
    *,
    road_address: str,
    members: Sequence[PersonInput],
    emd_code: str = "",
    address_detail: str = "",
    household_type: str = HouseholdType.FAMILY,
    is_basic_livelihood_recipient: bool = False,
    as_of: date | None = None,
) -> Household:
    """Register a household with its members; raises ValidationError with a message per
    field (Korean, specific) and writes nothing if any field is wrong."""
    day = as_of or timezone.localdate()
    errors: dict[str, str] = {}
    try:
        emd = address_resolve(road_address=road_address, emd_code=emd_code, as_of=day)
    except AddressError as error:
        errors["road_address"] = error.message
    if household_type not in HouseholdType.values:
        errors["household_type"] = gettext("가구 유형을 목록에서 골라 주세요.")
    parsed, member_errors = _validate_members(members)
    errors.update(member_errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        household = Household.objects.create(
            emd=emd,
            road_address=road_address.strip(),
            address_detail=address_detail.strip(),
            household_type=household_type,
            is_basic_livelihood_recipient=is_basic_livelihood_recipient,
        )
        Person.objects.bulk_create([_person(household, member, rrn) for member, rrn in parsed])
    return household


def _person(household: Household, member: PersonInput, rrn) -> Person:
    sealed = rrn_encrypt(rrn)
    return Person(
        household=household,
        name=member.name.strip(),
        birth_date=rrn.birth_date,
        sex=rrn.sex,
        nationality=member.nationality,
        relation_to_head=member.relation_to_head,
        has_disability=member.has_disability,
        rrn_ciphertext=sealed.ciphertext,
        rrn_key_id=sealed.key_id,
        rrn_blind_index=sealed.blind_index,
        rrn_front=sealed.front,
        rrn_sex_digit=sealed.sex_digit,
    )


ENGAGEMENT_BASIS_MAX = Engagement._meta.get_field("basis").max_length
ENGAGEMENT_REASON_MAX = Engagement._meta.get_field("ended_reason").max_length


def engagement_start(
    *,
    organisation,
    household: Household,
    basis: str,
    started_on: date | None = None,
    consent: Consent | None = None,
    referral=None,
) -> Engagement:
    """Start serving a household, which puts it in a private organisation's scope.
    `consent` or `referral` names what started it (at most one); an open engagement
    started by the same referral is returned as it is, so accepting twice starts one."""
    if consent is not None and referral is not None:
        raise ValueError("an engagement is started by a consent or by a referral, not both")
    if referral is not None:
        current = Engagement.objects.filter(
            organisation=organisation, household=household, referral=referral
        ).filter(ended_on__isnull=True)
        if current.exists():
            return current.first()
    return Engagement.objects.create(
        organisation=organisation,
        household=household,
        basis=basis.strip()[:ENGAGEMENT_BASIS_MAX],
        started_on=started_on or timezone.localdate(),
        consent=consent,
        referral=referral,
    )


def engagement_end(*, engagement: Engagement, reason: str, on: date | None = None) -> Engagement:
    """End an engagement: from the next request on, the organisation no longer has the
    household in its scope (people.access.households_in_scope) nor, if private, its case
    (cases.access.cases_in_scope). The row stays, for the record of who served whom.
    Ending an ended engagement changes nothing."""
    with transaction.atomic():
        locked = Engagement.objects.select_for_update().get(pk=engagement.pk)
        if locked.ended_on is not None:
            return locked
        locked.ended_on = on or timezone.localdate()
        locked.ended_reason = reason.strip()[:ENGAGEMENT_REASON_MAX]
        locked.save(update_fields=["ended_on", "ended_reason"])
    return locked


def _starts_engagement(organisation) -> bool:
    # Public offices see households by jurisdiction: an engagement would add nothing.
    return organisation is not None and organisation.sector != Sector.PUBLIC


def rrn_key_rotate(*, batch_size: int = 1_000, progress=None) -> int:
    """Re-encrypt every RRN written under a key other than the active one; returns how
    many rows changed. Safe to interrupt and run again: each batch commits on its own and
    only rows still under an old key are picked up."""
    from bokjihub.people.identifiers import active_key_id, rrn_decrypt

    active = active_key_id()
    stale = Person.objects.exclude(rrn_key_id=active).exclude(rrn_ciphertext__isnull=True)
    total, done = stale.count(), 0
    while True:
        with transaction.atomic():
            rows = list(stale.select_for_update().order_by("id")[:batch_size])
            if not rows:
                break
            for person in rows:
                sealed = rrn_encrypt(
                    rrn_decrypt(key_id=person.rrn_key_id, ciphertext=person.rrn_ciphertext)
                )
                person.rrn_ciphertext, person.rrn_key_id = sealed.ciphertext, sealed.key_id
            Person.objects.bulk_update(rows, ["rrn_ciphertext", "rrn_key_id"])
        done += len(rows)
        if progress:
            progress(done, total)
    return done


# Categories that PIPA makes consent to separately (art. 23 sensitive data, art. 24 unique
# identifiers): a consent naming one of them must name nothing else, so that the person
# can refuse it without refusing the rest.
SEPARATE_CONSENT_MESSAGES = {
    DataCategory.HEALTH: gettext_lazy(
        "건강 정보는 민감정보라서 다른 항목과 묶을 수 없습니다. 건강 정보만 담은 동의를 "
        "따로 받아 기록해 주세요 (개인정보 보호법 제23조)."
    ),
    DataCategory.UNIQUE_IDENTIFIER: gettext_lazy(
        "주민등록번호 등 고유식별정보는 다른 항목과 묶을 수 없습니다. 고유식별정보만 담은 "
        "동의를 따로 받아 기록해 주세요 (개인정보 보호법 제24조)."
    ),
}


def _consent_errors(
    *,
    recipient_organisation,
    recipient_network,
    purpose: str,
    categories: list[str],
    retention_until: date | None,
    refusal_notice: str,
    method: str,
    witness_name: str,
    given_at: datetime,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if (recipient_organisation is None) == (recipient_network is None):
        errors["recipient"] = gettext("제공받는 기관 또는 협약(네트워크) 중 하나만 골라 주세요.")
    if not purpose.strip():
        errors["purpose"] = gettext("제공받는 자의 이용 목적을 입력해 주세요.")
    unknown = [value for value in categories if value not in DataCategory.values]
    if not categories:
        errors["categories"] = gettext("제공할 정보 항목을 하나 이상 골라 주세요.")
    elif unknown:
        errors["categories"] = gettext("정보 항목을 목록에서 골라 주세요.")
    elif len(categories) > 1:
        for category, message in SEPARATE_CONSENT_MESSAGES.items():
            if category in categories:
                errors["categories"] = message
                break
    if retention_until is None:
        errors["retention_until"] = gettext(
            "제공받는 자의 보유·이용 기간(끝나는 날)을 입력해 주세요."
        )
    elif retention_until < timezone.localdate(given_at):
        errors["retention_until"] = gettext("보유·이용 기간은 동의한 날 이후로 끝나야 합니다.")
    if not refusal_notice.strip():
        errors["refusal_notice"] = gettext("동의를 거부할 권리와 거부할 때의 불이익을 적어 주세요.")
    if method not in ConsentMethod.values:
        errors["method"] = gettext("동의 받은 방법을 목록에서 골라 주세요.")
    elif method == ConsentMethod.VERBAL_WITH_WITNESS and not witness_name.strip():
        errors["witness_name"] = gettext("구두 동의는 입회인의 이름을 적어야 합니다.")
    if given_at > timezone.now():
        errors["given_at"] = gettext(
            "동의한 때가 아직 오지 않았습니다. 날짜와 시각을 확인해 주세요."
        )
    return errors


def consent_rule_errors(
    *,
    recipient_organisation=None,
    recipient_network=None,
    purpose: str = "",
    categories: Iterable[str] = (),
    retention_until: date | None = None,
    refusal_notice: str = "",
    method: str = "",
    witness_name: str = "",
    given_at: datetime | None = None,
) -> dict[str, str]:
    """What consent_record would refuse, field by field, without writing: for a form that
    shows every problem at once, its own and the rules' (consent_record checks again)."""
    return _consent_errors(
        recipient_organisation=recipient_organisation,
        recipient_network=recipient_network,
        purpose=purpose,
        categories=list(dict.fromkeys(categories)),
        retention_until=retention_until,
        refusal_notice=refusal_notice,
        method=method,
        witness_name=witness_name,
        given_at=given_at or timezone.now(),
    )


def consent_record(
    *,
    person: Person,
    purpose: str,
    categories: Iterable[str],
    retention_until: date | None,
    refusal_notice: str,
    method: str,
    recorded_by,
    recording_organisation,
    recipient_organisation=None,
    recipient_network=None,
    witness_name: str = "",
    given_at: datetime | None = None,
    actor=None,
) -> Consent:
    """Record a consent the person gave; raises ValidationError with a message per field
    and writes nothing if any is wrong. The caller has checked that the recorder may
    see the person (people.access.access_person_consents). With an `actor` (a person at a
    screen, not a batch) the change is written to the access log with the consent."""
    moment = given_at or timezone.now()
    chosen = list(dict.fromkeys(categories))
    errors = _consent_errors(
        recipient_organisation=recipient_organisation,
        recipient_network=recipient_network,
        purpose=purpose,
        categories=chosen,
        retention_until=retention_until,
        refusal_notice=refusal_notice,
        method=method,
        witness_name=witness_name,
        given_at=moment,
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        consent = _consent_create(
            person=person,
            recipient_organisation=recipient_organisation,
            recipient_network=recipient_network,
            purpose=purpose,
            chosen=chosen,
            retention_until=retention_until,
            refusal_notice=refusal_notice,
            moment=moment,
            method=method,
            witness_name=witness_name,
            recorded_by=recorded_by,
            recording_organisation=recording_organisation,
        )
        if _starts_engagement(recipient_organisation):
            # The person agreed to be served by this organisation: it now serves them,
            # within the categories consented (people.policy), until the consent is
            # withdrawn (consent_withdraw ends this engagement).
            engagement_start(
                organisation=recipient_organisation,
                household=person.household,
                basis=f"정보 제공 동의 (동의 {consent.id}): {consent.purpose}",
                started_on=timezone.localdate(moment),
                consent=consent,
            )
        if actor is not None:
            _log_change(actor, person, f"동의 기록 #{consent.id}: {', '.join(consent.categories)}")
    return consent


def _log_change(actor, person: Person, detail: str) -> None:
    # PIPA's safety standard logs changes of personal data as well as reads.
    access_log_write(
        actor=actor,
        action=AccessAction.PERSONAL_DATA_CHANGE,
        purpose=AccessPurpose.CASE_WORK,
        household_id=person.household_id,
        person_ids=[person.id],
        detail=detail,
    )


def _consent_create(
    *,
    person,
    recipient_organisation,
    recipient_network,
    purpose,
    chosen,
    retention_until,
    refusal_notice,
    moment,
    method,
    witness_name,
    recorded_by,
    recording_organisation,
) -> Consent:
    return Consent.objects.create(
        person=person,
        recipient_organisation=recipient_organisation,
        recipient_network=recipient_network,
        purpose=purpose.strip(),
        categories=[value for value in DataCategory.values if value in chosen],
        retention_until=retention_until,
        refusal_notice=refusal_notice.strip(),
        given_at=moment,
        method=method,
        witness_name=witness_name.strip() if method == ConsentMethod.VERBAL_WITH_WITNESS else "",
        recorded_by=recorded_by,
        recording_organisation=recording_organisation,
    )


def _engagements_resting_on(consent: Consent, at: datetime):
    """The open engagements a withdrawal of `consent` ends.

    - The engagement the consent itself started.
    - The recipient organisation's engagements with the household that a referral
      started, unless another consent of a member of the household still names the
      organisation: a referral hands the person to the organisation, and withdrawing
      the consent is the person saying the organisation should no longer have their
      data (PIPA art. 37), so what the hub gave it ends with that.
    An engagement the organisation recorded on its own (its programme, joining a case
    from the case page) rests on no consent and stays; the policy then narrows what it
    sees to the identity basics.
    """
    condition = Q(consent=consent)
    organisation_id = consent.recipient_organisation_id
    household_id = consent.person.household_id
    if organisation_id is not None:
        others = Consent.objects.filter(
            person__household_id=household_id, recipient_organisation_id=organisation_id
        ).exclude(pk=consent.pk)
        if not any(other.is_active(at) for other in others):
            condition |= Q(
                organisation_id=organisation_id,
                household_id=household_id,
                referral__isnull=False,
            )
    return Engagement.objects.filter(condition, ended_on__isnull=True)


def consent_withdraw(*, consent: Consent, by, at: datetime | None = None, actor=None) -> Consent:
    """Withdraw a consent now (PIPA art. 37: effective at once). The row stays, stamped,
    for the person's record; the next read of the person already withholds the data, and
    the engagements that rested on the consent end (_engagements_resting_on), so that the
    recipient's next request for the household, or for its case, is a 404. What the
    recipient recorded (deliveries, notes) stays on the case."""
    with transaction.atomic():
        locked = Consent.objects.select_for_update().select_related("person").get(id=consent.id)
        if locked.withdrawn_at is not None:
            raise ValidationError({"consent": gettext("이미 철회된 동의입니다.")})
        moment = at or timezone.now()
        if moment < locked.given_at:
            raise ValidationError(
                {"consent": gettext("철회한 때가 동의한 때보다 앞설 수 없습니다.")}
            )
        locked.withdrawn_at, locked.withdrawn_by = moment, by
        locked.save(update_fields=["withdrawn_at", "withdrawn_by"])
        ended = [
            engagement_end(
                engagement=engagement,
                reason=f"동의 철회 (동의 {locked.id})",
                on=timezone.localdate(moment),
            )
            for engagement in _engagements_resting_on(locked, moment)
        ]
        if actor is not None:
            detail = f"동의 철회 #{locked.id}"
            if ended:
                detail += f" · 서비스 관계 {len(ended)}건 종료"
            _log_change(actor, locked.person, detail)
    return locked


def income_assessment_record(
    *,
    household: Household,
    monthly_recognised_income: int,
    assets: int,
    source_organisation,
    assessed_on: date | None = None,
    person: Person | None = None,
) -> IncomeAssessment:
    """Record a public office's means test of a household (or of one member of it)."""
    errors: dict[str, str] = {}
    if monthly_recognised_income < 0:
        errors["monthly_recognised_income"] = gettext("소득인정액은 0원 이상이어야 합니다.")
    if person is not None and person.household_id != household.id:
        errors["person"] = gettext("이 가구의 가구원이 아닙니다.")
    if source_organisation.sector != Sector.PUBLIC:
        errors["source_organisation"] = gettext("소득·재산 조사는 공공기관이 기록합니다.")
    if errors:
        raise ValidationError(errors)
    return IncomeAssessment.objects.create(
        household=household,
        person=person,
        monthly_recognised_income=monthly_recognised_income,
        assets=assets,
        assessed_on=assessed_on or timezone.localdate(),
        source_organisation=source_organisation,
    )
