from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bokjihub.audit.chain import GENESIS_HASH, access_log_row_mac
from bokjihub.audit.models import (
    AccessAction,
    AccessLog,
    AccessLogChainHead,
    AccessPurpose,
    AccessScope,
    ReviewSignOff,
)
from bokjihub.core.logging import redact_rrn


def access_log_write(
    *,
    actor,
    action: str,
    purpose: str,
    household_id: int | None = None,
    person_ids: Iterable[int] = (),
    detail: str = "",
    scope: str | None = None,
) -> AccessLog:
    """Append one access-log row to the hash chain. Called only by access_* functions.

    `scope` says where the read stood against the actor's duties (AccessScope). Left out,
    a refused read is judged by the actor's role (a role that never reads personal data
    cannot be probing for it) and any other read is ordinary.
    """
    membership = actor.membership
    organisation = membership.organisation if membership else None
    row = AccessLog(
        user=actor.user,
        username=actor.user.get_username(),
        organisation=organisation,
        organisation_name=organisation.name if organisation else "",
        role=membership.role if membership else "",
        ip_address=actor.ip_address,
        action=action,
        purpose=purpose,
        household_id=household_id,
        person_ids=sorted(set(person_ids)),
        detail=redact_rrn(detail)[:200],
        scope=scope or _default_scope(actor, action),
    )
    # No savepoint: a failed log write must fail the caller's whole transaction anyway,
    # since personal data may not be shown without its log row (PIPA 고시 제8조).
    with transaction.atomic(savepoint=False):
        head = _chain_head_locked()
        # Stamped under the lock, so that chain order, id order and time order agree.
        row.occurred_at = timezone.now().replace(microsecond=0)
        row.previous_hash = head.row_hash
        row.row_hash = access_log_row_mac(row)
        row.save(force_insert=True)
        head.row_id, head.row_hash = row.id, row.row_hash
        head.save(update_fields=["row_id", "row_hash"])
    return row


def _default_scope(actor, action: str) -> str:
    if action != AccessAction.ACCESS_DENIED:
        return AccessScope.ORDINARY
    if actor.may_read_personal_data:
        return AccessScope.OUT_OF_JURISDICTION
    return AccessScope.ROLE_WITHOUT_ACCESS


def access_denied_record(
    *, actor, reference: str, purpose: str = AccessPurpose.CASE_WORK
) -> AccessLog:
    """Log a household read the access layer refused (outside the actor's jurisdiction,
    or no such household: the actor is told the same 404 for both).

    Called by the access layer just before it raises HouseholdNotFound. The reference is
    kept as typed (cut to fit), not resolved to a household: resolving it here would look
    up, outside the access layer, a household the actor may not see; the privacy officer
    can resolve it while reviewing. The caller must not roll this row back with the
    refusal: the view turns HouseholdNotFound into a 404 outside any transaction.
    """
    return access_log_write(
        actor=actor,
        action=AccessAction.ACCESS_DENIED,
        purpose=purpose,
        detail=f"가구 {reference}"[:200],
    )


def _chain_head_locked() -> AccessLogChainHead:
    """The chain head, locked until the caller's transaction ends.

    On PostgreSQL the row lock makes a concurrent append wait for this one to commit and
    then read the new head. SQLite has no row locks; there the project opens every
    transaction with BEGIN IMMEDIATE, which already admits one writer at a time.
    The head is created on the first append (and again after a test flush); get_or_create
    retries the locked read if a concurrent first append inserted it first.
    """
    head, _ = AccessLogChainHead.objects.select_for_update().get_or_create(
        id=AccessLogChainHead.SINGLETON_ID, defaults={"row_hash": GENESIS_HASH}
    )
    return head


# Retention (PIPA: keep at least two years; the later retention issue) will delete the
# oldest rows here, in a service of its own: it must delete strictly oldest-first inside
# one transaction holding the chain-head lock, lift the database's refusal for that
# transaction only (see migration 0004), and record the previous_hash of the new oldest
# row as the chain's anchor on AccessLogChainHead, which access_log_verify must then
# accept in place of GENESIS_HASH.


def review_sign_off_record(
    *, actor, month: date, note: str, amends_id: int | None = None
) -> ReviewSignOff:
    """Record that the privacy officer reviewed `month`, with what they found.

    Only ever inserts. The first sign-off of a month stands alone; a later one must name
    the sign-off that stands now (`amends_id`, the version the officer read): if another
    was recorded meanwhile, nothing is written and the officer is asked to read it first,
    so no finding is silently superseded. Every problem is reported at once.
    """
    month = month.replace(day=1)
    # Browsers send line breaks as CRLF but count them as one character against maxlength.
    note = note.replace("\r\n", "\n").strip()
    errors: dict[str, list[str]] = {}
    if not note:
        errors.setdefault("note", []).append(_("점검 결과를 적어 주세요."))
    elif len(note) > ReviewSignOff.NOTE_MAX_LENGTH:
        errors.setdefault("note", []).append(
            _("점검 결과는 %(limit)d자까지 적을 수 있습니다 (지금 %(count)d자).")
            % {"limit": ReviewSignOff.NOTE_MAX_LENGTH, "count": len(note)}
        )
    this_month = timezone.localdate().replace(day=1)
    if month >= this_month:
        errors.setdefault("__all__", []).append(
            _("끝나지 않은 달은 점검 확인을 할 수 없습니다. 지난달까지만 확인할 수 있습니다.")
        )
    try:
        with transaction.atomic():
            # Serialises sign-offs of one month; the unique constraints catch the rest.
            latest = (
                ReviewSignOff.objects.select_for_update()
                .filter(month=month)
                .order_by("-signed_at", "-id")
                .first()
            )
            if (latest.id if latest else None) != amends_id:
                errors.setdefault("__all__", []).append(
                    _(
                        "그 사이 이 달의 점검 확인이 새로 기록되었습니다. "
                        "아래의 최신 기록을 읽고 다시 작성하세요."
                    )
                )
            if errors:
                raise ValidationError(errors)
            membership = actor.membership
            return ReviewSignOff.objects.create(
                month=month,
                signed_by=actor.user,
                signed_by_name=actor.user.get_username(),
                organisation_name=membership.organisation.name if membership else "",
                role=membership.role if membership else "",
                signed_at=timezone.now(),
                note=note,
                amends=latest,
            )
    except IntegrityError:
        # A concurrent sign-off of the same month won the race (PostgreSQL's row lock has
        # nothing to lock on a month's first sign-off).
        raise ValidationError(
            _(
                "그 사이 이 달의 점검 확인이 새로 기록되었습니다. "
                "아래의 최신 기록을 읽고 다시 작성하세요."
            )
        ) from None
