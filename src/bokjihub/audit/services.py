from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from bokjihub.audit.chain import GENESIS_HASH, access_log_row_mac
from bokjihub.audit.models import AccessAction, AccessLog, AccessLogChainHead, AccessPurpose
from bokjihub.core.logging import redact_rrn


def access_log_write(
    *,
    actor,
    action: str,
    purpose: str,
    household_id: int | None = None,
    person_ids: Iterable[int] = (),
    detail: str = "",
) -> AccessLog:
    """Append one access-log row to the hash chain. Called only by access_* functions."""
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
