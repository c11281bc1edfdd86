"""Forms of the report pages: the finder's one-minute form, the public form and the
staff intake form, plus the public form's protections (honeypot, signed render time,
rate limit per client address).

The forms only parse; whether a report is complete is decided by finding.services
(report_submit) and comes back as field errors, so every channel gets the same messages.
"""

import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bokjihub.cases.forms import add_service_errors
from bokjihub.finding.models import Channel, Concern, Report, ReporterKind, Urgency
from bokjihub.finding.services import ReportInput

TEXT = {"class": "krds-input"}
SELECT = {"class": "krds-form-select"}
UNKNOWN_DONG = ("", _("잘 모름"))


class _SubjectFields(forms.Form):
    """What every report form asks about the person: who, where, what worries you."""

    subject_name = forms.CharField(
        label=_("도움이 필요한 분의 이름 (모르면 비워 두세요)"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={**TEXT, "autocomplete": "off"}),
        error_messages={"max_length": _("이름은 60자 안으로 적어 주세요.")},
    )
    subject_address = forms.CharField(
        label=_("사는 곳 (대략이라도 괜찮아요)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(
            attrs={
                **TEXT,
                "autocomplete": "off",
                "placeholder": _("예: ○○로 12 근처 빌라 2층, 시장 입구 옆"),
            }
        ),
        error_messages={"max_length": _("주소는 200자 안으로 적어 주세요.")},
    )
    subject_emd_code = forms.ChoiceField(
        label=_("동"),
        required=False,
        widget=forms.Select(attrs=SELECT),
        error_messages={"invalid_choice": _("동을 목록에서 골라 주세요.")},
    )
    concerns = forms.MultipleChoiceField(
        label=_("걱정되는 점 (여러 개 고를 수 있어요)"),
        choices=Concern.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("걱정되는 점을 목록에서 골라 주세요.")},
    )
    urgency = forms.ChoiceField(
        label=_("얼마나 급한가요?"),
        choices=[
            (Urgency.NORMAL, _("보통 (2주 안에 연락)")),
            (Urgency.URGENT, _("긴급 (하루 안에 연락)")),
        ],
        initial=Urgency.NORMAL,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("긴급도를 목록에서 골라 주세요.")},
    )
    subject_description = forms.CharField(
        label=_("상황 설명 (어떤 분이고, 무엇을 보셨나요?)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(
            attrs={
                **TEXT,
                "rows": 3,
                "placeholder": (
                    _("예: 혼자 사시는 80대 할아버지가 두 달째 혈압약을 사러 오지 않으세요.")
                ),
            }
        ),
        error_messages={"max_length": _("상황 설명은 1,000자 안으로 적어 주세요.")},
    )

    def __init__(self, *args, dongs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject_emd_code"].choices = [
            UNKNOWN_DONG,
            *((emd.code, emd.name_ko) for emd in dongs),
        ]

    def _input(self, **extra) -> ReportInput:
        data = self.cleaned_data
        return ReportInput(
            concerns=list(data["concerns"]),
            subject_name=data["subject_name"],
            subject_address=data["subject_address"],
            subject_emd_code=data["subject_emd_code"],
            subject_description=data["subject_description"],
            urgency=data["urgency"] or Urgency.NORMAL,
            **extra,
        )

    def add_service_errors(self, error: ValidationError) -> None:
        """The service's messages, on the field they are about (or above the form)."""
        add_service_errors(self, error)


class FinderReportForm(_SubjectFields):
    def report_input(self, *, finder_name: str) -> ReportInput:
        # A finder is always identified: the hub appointed them and may call back.
        return self._input(
            channel=Channel.FINDER,
            reporter_kind=ReporterKind.IDENTIFIED,
            reporter_name=finder_name,
        )


class _ReporterFields(forms.Form):
    reporter_kind = forms.ChoiceField(
        label=_("신고하시는 분"),
        choices=[
            (ReporterKind.ANONYMOUS, _("익명으로 신고할게요")),
            (ReporterKind.IDENTIFIED, _("이름이나 연락처를 남길게요")),
        ],
        initial=ReporterKind.ANONYMOUS,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("익명으로 신고할지, 이름이나 연락처를 남길지 골라 주세요."),
            "invalid_choice": _("익명 또는 이름·연락처 남기기 중에서 골라 주세요."),
        },
    )
    reporter_name = forms.CharField(
        label=_("신고인 이름"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={**TEXT, "autocomplete": "name"}),
        error_messages={"max_length": _("이름은 60자 안으로 적어 주세요.")},
    )
    reporter_phone = forms.CharField(
        label=_("신고인 연락처"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={**TEXT, "autocomplete": "tel", "inputmode": "tel"}),
        error_messages={"max_length": _("연락처는 30자 안으로 적어 주세요.")},
    )


class PublicReportForm(_SubjectFields, _ReporterFields):
    # The honeypot: hidden from people by CSS (and from screen readers by aria-hidden on
    # its wrapper); form-filling bots fill every field they find.
    website = forms.CharField(label=_("이 칸은 비워 두세요"), required=False, max_length=200)
    stamp = forms.CharField(widget=forms.HiddenInput, required=False)

    field_order = [
        "subject_name",
        "subject_address",
        "subject_emd_code",
        "concerns",
        "urgency",
        "subject_description",
        "reporter_kind",
        "reporter_name",
        "reporter_phone",
    ]

    def report_input(self) -> ReportInput:
        data = self.cleaned_data
        identified = data["reporter_kind"] == ReporterKind.IDENTIFIED
        return self._input(
            channel=Channel.NEIGHBOUR,
            reporter_kind=data["reporter_kind"],
            reporter_name=data["reporter_name"] if identified else "",
            reporter_phone=data["reporter_phone"] if identified else "",
        )


STAFF_CHANNELS = [
    Channel.WALK_IN,
    Channel.NEIGHBOUR,
    Channel.CALL_CENTRE_129,
    Channel.PARTNER_AGENCY,
    Channel.PRIVATE_CENTRE,
]


class IntakeForm(_SubjectFields, _ReporterFields):
    """Walk-in, 129 and by-phone reports typed in by hub staff: every field of a Report."""

    channel = forms.ChoiceField(
        label=_("신고 경로"),
        choices=[(channel.value, channel.label) for channel in STAFF_CHANNELS],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("신고 경로(방문, 이웃 전화, 129 등)를 골라 주세요."),
            "invalid_choice": _("신고 경로를 목록에서 골라 주세요."),
        },
    )
    subject_birth_year = forms.IntegerField(
        label=_("출생 연도"),
        required=False,
        widget=forms.NumberInput(
            attrs={**TEXT, "inputmode": "numeric", "placeholder": _("예: 1946")}
        ),
        error_messages={"invalid": _("출생 연도는 1946처럼 네 자리 숫자로 적어 주세요.")},
    )
    subject_rrn = forms.CharField(
        label=_("주민등록번호 (알 때만)"),
        max_length=20,
        required=False,
        # never sent back to the browser, even when the form is shown again with errors
        widget=forms.PasswordInput(attrs={**TEXT, "autocomplete": "off"}, render_value=False),
    )
    free_text = forms.CharField(
        label=_("상담 내용"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={**TEXT, "rows": 4}),
        error_messages={"max_length": _("상담 내용은 4,000자 안으로 적어 주세요.")},
    )
    received_at = forms.DateTimeField(
        label=_("받은 시각 (지금 받았으면 비워 두세요)"),
        required=False,
        widget=forms.DateTimeInput(attrs={**TEXT, "type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={"invalid": _("받은 시각을 2026-11-26 14:30처럼 적어 주세요.")},
    )

    field_order = [
        "channel",
        "reporter_kind",
        "reporter_name",
        "reporter_phone",
        "subject_name",
        "subject_birth_year",
        "subject_rrn",
        "subject_address",
        "subject_emd_code",
        "subject_description",
        "concerns",
        "urgency",
        "free_text",
        "received_at",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject_name"].label = _("대상자 이름")
        self.fields["subject_address"].label = _("주소 (도로명주소 또는 대략의 위치)")
        self.fields["subject_description"].label = _("대상자 특징 (이름을 모를 때)")
        self.fields["concerns"].label = _("위기 유형")
        self.fields["reporter_kind"].label = _("신고인")
        self.fields["reporter_kind"].choices = ReporterKind.choices

    def clean_received_at(self) -> datetime | None:
        received_at = self.cleaned_data["received_at"]
        if received_at is not None and received_at > timezone.now() + timedelta(minutes=5):
            raise forms.ValidationError("받은 시각이 지금보다 뒤일 수는 없습니다.")
        return received_at

    def report_input(self) -> ReportInput:
        data = self.cleaned_data
        identified = data["reporter_kind"] == ReporterKind.IDENTIFIED
        return self._input(
            channel=data["channel"],
            reporter_kind=data["reporter_kind"],
            reporter_name=data["reporter_name"] if identified else "",
            reporter_phone=data["reporter_phone"] if identified else "",
            subject_birth_year=data["subject_birth_year"],
            subject_rrn=data["subject_rrn"],
            free_text=data["free_text"],
        )


# --- the public form's protections -----------------------------------------------------

STAMP_SALT = "bokjihub.finding.public-form"
FASTEST_HUMAN_SECONDS = 3
STAMP_MAX_AGE_SECONDS = 2 * 60 * 60
RATE_LIMIT = 30
RATE_WINDOW = timedelta(hours=1)


def public_form_stamp(*, sigungu_code: str, at: float | None = None) -> str:
    """The signed render time of the public form, for the hidden `stamp` field."""
    return signing.dumps(
        {"s": sigungu_code, "t": at if at is not None else time.time()}, salt=STAMP_SALT
    )


def public_form_stamp_problem(stamp: str, *, sigungu_code: str) -> str | None:
    """Why a submission does not look like a person who read the form, or None."""
    try:
        payload = signing.loads(stamp, salt=STAMP_SALT)
        age = time.time() - float(payload["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return gettext(
            "신고 양식이 올바르지 않습니다. 페이지를 새로 고친 뒤 다시 적어 보내 주세요."
        )
    if payload.get("s") != sigungu_code:
        return gettext("다른 지역의 신고 양식입니다. 페이지를 새로 고친 뒤 다시 보내 주세요.")
    if age > STAMP_MAX_AGE_SECONDS:
        return gettext(
            "신고 양식을 연 지 2시간이 지나 보안을 위해 접수하지 않았습니다. "
            "적으신 내용은 그대로 두었으니 확인한 뒤 다시 보내 주세요."
        )
    if age < FASTEST_HUMAN_SECONDS:
        return gettext(
            "양식을 연 지 너무 빨리 제출되어 자동 입력으로 보고 접수하지 않았습니다. "
            "내용을 확인한 뒤 몇 초 후에 다시 보내 주세요."
        )
    return None


def client_fingerprint(ip: str | None) -> str:
    """HMAC-SHA256 of the client address under a key derived from SECRET_KEY: enough to
    count one address's submissions, useless for finding out who sent them."""
    return salted_hmac(
        STAMP_SALT + ".client", ip or "unknown", secret=settings.SECRET_KEY, algorithm="sha256"
    ).hexdigest()


@dataclass(frozen=True)
class RateLimited:
    retry_at: datetime

    @property
    def retry_after_seconds(self) -> int:
        return max(1, int((self.retry_at - timezone.now()).total_seconds()) + 1)

    @property
    def message(self) -> str:
        local = timezone.localtime(self.retry_at)
        return gettext(
            "같은 인터넷 주소에서 한 시간 동안 %(limit)d건을 넘게 신고할 수 없어 "
            "이번 신고는 접수하지 않았습니다. %(hour)s시 %(minute)s분 이후에 다시 보내 주세요. "
            "급한 상황이면 보건복지상담센터(국번 없이 129)로 전화하시고, "
            "생명이 위험하면 112나 119에 알려 주세요."
        ) % {"limit": RATE_LIMIT, "hour": f"{local:%H}", "minute": f"{local:%M}"}


def public_rate_limited(fingerprint: str, *, now: datetime | None = None) -> RateLimited | None:
    """Refuse the 31st submission from one address within an hour (one indexed query:
    report_client_recent_idx)."""
    now = now or timezone.now()
    recent = list(
        Report.objects.filter(client_fingerprint=fingerprint, received_at__gt=now - RATE_WINDOW)
        .order_by("-received_at")
        .values_list("received_at", flat=True)[:RATE_LIMIT]
    )
    if len(recent) < RATE_LIMIT:
        return None
    # Allowed again once the oldest of the last RATE_LIMIT leaves the window.
    return RateLimited(retry_at=recent[-1] + RATE_WINDOW)
