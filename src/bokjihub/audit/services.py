from collections.abc import Iterable

from django.utils import timezone

from bokjihub.audit.models import AccessLog
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
    """Append one access-log row. Called only by access_* functions."""
    membership = actor.membership
    organisation = membership.organisation if membership else None
    return AccessLog.objects.create(
        occurred_at=timezone.now().replace(microsecond=0),
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
