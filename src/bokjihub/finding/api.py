"""The partner API (OpenAPI 3, django-ninja): partner agencies and private centres send
reports from their own systems, and read back whether each was handled.

- Authentication: `Authorization: Bearer <token>`, one token per partner organisation
  (finding.partner_tokens); a missing, unknown or revoked token is a 401.
- `POST /api/reports` needs an `Idempotency-Key` header: a retry with the same key answers
  200 with the report it created the first time and creates nothing; the same content
  under a new key is a new report, matched as a duplicate (it joins the open item).
- `GET /api/reports/{id}` answers status only, and only for the token's own reports.
- Errors are JSON, `{"detail": …, "errors": {field: message}}`, in Korean.

The schema is served at /api/openapi.json. The interactive docs page is off: it would
need Swagger UI's inline styles, which the CSP refuses, and must not load from a CDN.
"""

from datetime import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Header, NinjaAPI, Schema, Status
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer

from bokjihub.core.problems import (
    Problem,
    idempotency_key_clean,
    idempotency_key_problem,
    problem,
    problem_body,
)
from bokjihub.finding.models import Channel, ItemStatus, Report, ReporterKind, Urgency
from bokjihub.finding.partner_tokens import partner_token_authenticate
from bokjihub.finding.services import ReportInput, report_submit
from bokjihub.orgs.models import Sector
from bokjihub.regions.errors import RegionCodeError
from bokjihub.regions.selectors import sigungu_by_code


class PartnerTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        return partner_token_authenticate(token)


api = NinjaAPI(
    title="복지허브 협력기관 API",
    version="1",
    description="협력기관·민간 복지기관이 위기가구 신고를 보내고 처리 여부를 확인합니다.",
    urls_namespace="partner_api",
    docs_url=None,
    auth=PartnerTokenAuth(),
)


class ReportIn(Schema):
    concerns: list[str]
    subject_name: str = ""
    subject_birth_year: int | None = None
    subject_rrn: str = ""
    subject_address: str = ""
    subject_emd_code: str = ""
    subject_description: str = ""
    urgency: str = Urgency.NORMAL.value
    free_text: str = ""
    reporter_name: str = ""
    reporter_phone: str = ""
    sigungu_code: str = ""


class ReportCreated(Schema):
    report_id: int
    item_reference: str
    joined: bool
    status: str
    status_label: str


class ReportStatus(Schema):
    report_id: int
    item_reference: str
    received_at: datetime
    status: str
    status_label: str


def _problem(request, status: int, detail: str, errors: dict[str, str] | None = None):
    """The Problem shape as a response, for the exception handlers (views return
    core.problems.problem)."""
    return api.create_response(request, problem_body(detail, errors), status=status)


@api.exception_handler(AuthenticationError)
def _unauthorised(request, exc):
    response = _problem(
        request,
        401,
        _(
            "인증 토큰이 없거나 올바르지 않습니다. 'Authorization: Bearer <토큰>' 헤더로 "
            "기관에 발급된 토큰을 보내 주세요. 폐기된 토큰은 쓸 수 없습니다."
        ),
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


_TYPE_MESSAGES = {
    "missing": gettext_noop("꼭 보내야 하는 항목입니다."),
    "int_parsing": gettext_noop("정수로 보내 주세요."),
    "int_type": gettext_noop("정수로 보내 주세요."),
    "int_from_float": gettext_noop("정수로 보내 주세요."),
    "string_type": gettext_noop("문자열로 보내 주세요."),
    "list_type": gettext_noop("목록(JSON 배열)으로 보내 주세요."),
    "json_invalid": gettext_noop("본문이 올바른 JSON이 아닙니다."),
    "model_attributes_type": gettext_noop("본문은 JSON 객체여야 합니다."),
    "dict_type": gettext_noop("본문은 JSON 객체여야 합니다."),
}
_FORMAT_MESSAGE = gettext_noop("형식이 맞지 않습니다.")


@api.exception_handler(NinjaValidationError)
def _invalid(request, exc):
    errors: dict[str, str] = {}
    for error in exc.errors:
        names = [str(part) for part in error.get("loc", ()) if part not in ("body", "payload")]
        field = names[0] if names else "body"
        errors.setdefault(field, _(_TYPE_MESSAGES.get(error.get("type", ""), _FORMAT_MESSAGE)))
    return _problem(request, 422, _("보낸 내용의 형식을 확인해 주세요."), errors)


def _status(item_status: str) -> tuple[str, str]:
    if item_status == ItemStatus.CLOSED:
        return "handled", _("처리 완료")
    if item_status == ItemStatus.NEW:
        return "received", _("접수됨")
    return "in_progress", _("처리 중")


def _created_body(report: Report, *, joined: bool) -> dict:
    status, label = _status(report.item.status)
    return {
        "report_id": report.id,
        "item_reference": report.item.reference,
        "joined": joined,
        "status": status,
        "status_label": label,
    }


def _joined(report: Report) -> bool:
    """Whether the report joined an item that an earlier report had opened."""
    first = report.item.reports.order_by("received_at", "id").values_list("id", flat=True).first()
    return first != report.id


def _sigungu(code: str, organisation):
    if not code:
        if organisation.sigungu is None:
            raise DjangoValidationError(
                {
                    "sigungu_code": _(
                        "기관에 시·군·구가 없어, 신고를 보낼 시·군·구 코드(5자리)를 "
                        "함께 보내 주세요."
                    )
                }
            )
        return organisation.sigungu
    try:
        return sigungu_by_code(code, as_of=timezone.localdate())
    except RegionCodeError as error:
        raise DjangoValidationError({"sigungu_code": error.message}) from error


@api.post(
    "/reports",
    response={200: ReportCreated, 201: ReportCreated, 401: Problem, 422: Problem},
    url_name="partner_report_create",
    summary="신고 보내기",
)
def report_create(
    request,
    payload: ReportIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
):
    key = idempotency_key_clean(idempotency_key)
    if key is None:
        return idempotency_key_problem()
    token = request.auth
    organisation = token.organisation
    channel = (
        Channel.PRIVATE_CENTRE if organisation.sector == Sector.PRIVATE else Channel.PARTNER_AGENCY
    )
    data = ReportInput(
        channel=channel,
        concerns=payload.concerns,
        subject_name=payload.subject_name,
        subject_birth_year=payload.subject_birth_year,
        subject_rrn=payload.subject_rrn,
        subject_address=payload.subject_address,
        subject_emd_code=payload.subject_emd_code,
        subject_description=payload.subject_description,
        urgency=payload.urgency,
        free_text=payload.free_text,
        reporter_kind=ReporterKind.IDENTIFIED,
        reporter_name=payload.reporter_name.strip() or organisation.name,
        reporter_phone=payload.reporter_phone,
    )
    try:
        result = report_submit(
            data=data,
            sigungu=_sigungu(payload.sigungu_code.strip(), organisation),
            source_organisation=organisation,
            idempotency_key=key,
        )
    except DjangoValidationError as error:
        errors = {field: " ".join(messages) for field, messages in error.message_dict.items()}
        return problem(422, _("신고 내용을 확인해 주세요."), errors)
    if not result.created:
        return Status(200, _created_body(result.report, joined=_joined(result.report)))
    return Status(201, _created_body(result.report, joined=result.joined))


@api.get(
    "/reports/{report_id}",
    response={200: ReportStatus, 401: Problem, 404: Problem},
    url_name="partner_report_status",
    summary="신고 처리 여부 확인",
)
def report_status(request, report_id: int):
    report = (
        Report.objects.select_related("item")
        .filter(pk=report_id, source_organisation=request.auth.organisation)
        .first()
    )
    if report is None:
        return problem(
            404, _("이 기관이 보낸 신고 중에 %(number)d번이 없습니다.") % {"number": report_id}
        )
    status, label = _status(report.item.status)
    return Status(
        200,
        {
            "report_id": report.id,
            "item_reference": report.item.reference,
            "received_at": report.received_at,
            "status": status,
            "status_label": label,
        },
    )


# Referrals (issue 6) share the partner API's authentication and error format.
from bokjihub.referrals.api import router as referrals_router  # noqa: E402

api.add_router("/", referrals_router)
