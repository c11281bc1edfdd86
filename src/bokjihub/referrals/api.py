"""Referrals on the partner API (mounted on finding.api's `api`, token authentication).

- `GET /api/referrals`: the token organisation's referrals, received and sent (status and
  times only: the household's data is read on the referral page, which logs the access).
- `POST /api/referrals/{id}/status` with an `Idempotency-Key` header (the rule and the 422
  of core.problems, as for reports): move a referral. The answer describes the move; a
  replay (same key, or the status already reached) answers the same body and changes
  nothing. Errors have the partner API's one shape, core.problems.Problem.
- `GET/POST /api/webhooks`, `DELETE /api/webhooks/{id}`: the organisation's endpoints;
  the signing secret is in the POST's answer only. `GET /api/webhook-deliveries`: the
  outbox, failed deliveries included, so nothing is lost unseen.
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from ninja import Header, Router, Schema, Status

from bokjihub.core.problems import (
    Problem,
    idempotency_key_clean,
    idempotency_key_problem,
    problem,
)
from bokjihub.referrals.models import Referral, ReferralStatus, WebhookEndpoint
from bokjihub.referrals.selectors import webhook_deliveries_of
from bokjihub.referrals.services import (
    ReferralConflictError,
    ReferralTransitionError,
    referral_status_update,
)
from bokjihub.referrals.webhooks import webhook_endpoint_create, webhook_endpoint_deactivate

router = Router(tags=["의뢰"])


class ReferralOut(Schema):
    id: int
    direction: str
    status: str
    status_label: str
    version: int
    need_domain: str
    from_organisation: str
    to_organisation: str
    sent_at: datetime
    status_due_at: datetime | None
    closed_at: datetime | None


class StatusIn(Schema):
    status: str
    reason: str = ""
    expected_version: int | None = None


class StatusOut(Schema):
    referral_id: int
    status: str
    status_label: str
    version: int
    changed_at: datetime


class EndpointIn(Schema):
    url: str


class EndpointOut(Schema):
    id: int
    url: str
    secret_prefix: str
    is_active: bool


class EndpointCreated(EndpointOut):
    secret: str


class DeliveryOut(Schema):
    event_id: str
    referral_id: int
    status: str
    attempts: int
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str
    delivered_at: datetime | None


def _referral_out(referral: Referral, organisation_id: int) -> dict:
    return {
        "id": referral.id,
        "direction": "received" if referral.to_organisation_id == organisation_id else "sent",
        "status": referral.status,
        "status_label": str(referral.get_status_display()),
        "version": referral.version,
        "need_domain": referral.need_domain,
        "from_organisation": referral.from_organisation.name,
        "to_organisation": referral.to_organisation.name,
        "sent_at": referral.sent_at,
        "status_due_at": referral.status_due_at,
        "closed_at": referral.closed_at,
    }


@router.get(
    "/referrals",
    response={200: list[ReferralOut], 401: Problem},
    url_name="partner_referral_list",
    summary="우리 기관의 의뢰 목록",
)
def referral_list(request, status: str = ""):
    organisation = request.auth.organisation
    referrals = Referral.objects.filter(
        Q(to_organisation=organisation) | Q(from_organisation=organisation)
    ).select_related("from_organisation", "to_organisation")
    if status:
        referrals = referrals.filter(status=status)
    return [_referral_out(referral, organisation.id) for referral in referrals[:500]]


@router.post(
    "/referrals/{referral_id}/status",
    response={200: StatusOut, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem},
    url_name="partner_referral_status_update",
    summary="의뢰 상태 바꾸기",
)
def referral_status_post(
    request,
    referral_id: int,
    payload: StatusIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
):
    key = idempotency_key_clean(idempotency_key)
    if key is None:
        return idempotency_key_problem()
    organisation = request.auth.organisation
    referral = (
        Referral.objects.filter(pk=referral_id)
        .filter(Q(to_organisation=organisation) | Q(from_organisation=organisation))
        .first()
    )
    if referral is None:
        return problem(404, f"이 기관의 의뢰 중에 {referral_id}번이 없습니다.")
    try:
        moved = referral_status_update(
            referral=referral,
            to_status=payload.status,
            organisation=organisation,
            expected_version=payload.expected_version,
            reason=payload.reason,
            idempotency_key=key,
        )
    except PermissionDenied as refused:
        return problem(403, str(refused))
    except ReferralConflictError as conflict:
        return problem(409, conflict.message)
    except ReferralTransitionError as refused:
        return problem(422, refused.message, {"status": refused.message})
    event = moved.event
    body = {
        "referral_id": referral.id,
        "status": event.to_status,
        "status_label": str(ReferralStatus(event.to_status).label),
        "version": event.version,
        "changed_at": event.at,
    }
    return Status(200, body)


@router.get(
    "/webhooks",
    response={200: list[EndpointOut], 401: Problem},
    url_name="partner_webhooks",
    summary="웹훅 주소 목록",
)
def webhook_list(request):
    return list(WebhookEndpoint.objects.filter(organisation=request.auth.organisation))


@router.post(
    "/webhooks",
    response={201: EndpointCreated, 401: Problem, 422: Problem},
    url_name="partner_webhooks",
    summary="웹훅 주소 등록 (서명 비밀값은 이 응답에만 나옵니다)",
)
def webhook_create(request, payload: EndpointIn):
    try:
        endpoint, secret = webhook_endpoint_create(
            organisation=request.auth.organisation, url=payload.url
        )
    except ValidationError as error:
        errors = {field: " ".join(messages) for field, messages in error.message_dict.items()}
        return problem(422, "웹훅 주소를 확인해 주세요.", errors)
    return Status(
        201,
        {
            "id": endpoint.id,
            "url": endpoint.url,
            "secret_prefix": endpoint.secret_prefix,
            "is_active": endpoint.is_active,
            "secret": secret,
        },
    )


@router.delete(
    "/webhooks/{endpoint_id}",
    response={204: None, 401: Problem, 404: Problem},
    url_name="partner_webhook_delete",
    summary="웹훅 주소 끄기",
)
def webhook_delete(request, endpoint_id: int):
    endpoint = WebhookEndpoint.objects.filter(
        pk=endpoint_id, organisation=request.auth.organisation
    ).first()
    if endpoint is None:
        return problem(404, f"이 기관의 웹훅 주소 중에 {endpoint_id}번이 없습니다.")
    webhook_endpoint_deactivate(endpoint=endpoint)
    return Status(204, None)


@router.get(
    "/webhook-deliveries",
    response={200: list[DeliveryOut], 401: Problem},
    url_name="partner_webhook_deliveries",
    summary="웹훅 전송 기록 (실패 포함)",
)
def webhook_deliveries(request, status: str = ""):
    rows = webhook_deliveries_of(organisation=request.auth.organisation, status=status)
    return [
        {
            "event_id": str(row.message_id),
            "referral_id": row.event.referral_id,
            "status": row.status,
            "attempts": row.attempts,
            "next_attempt_at": row.next_attempt_at,
            "last_status_code": row.last_status_code,
            "last_error": row.last_error,
            "delivered_at": row.delivered_at,
        }
        for row in rows
    ]
