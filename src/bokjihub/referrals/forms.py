"""Forms of the referral pages: send a referral from a case, move one, filter the inbox."""

import uuid

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bokjihub.cases.models import NeedDomain
from bokjihub.directory.models import NeedDomain as DirectoryDomain
from bokjihub.directory.models import Service, ServiceStatus
from bokjihub.orgs.models import Organisation, OrganisationKind
from bokjihub.referrals.models import ReferralStatus

REQUEST_TEXT_MAX_LENGTH = 2000
REASON_MAX_LENGTH = 1000
SERVICE_GONE = _("운영 중인 서비스가 아닙니다. 서비스 찾기에서 다시 골라 주세요.")

# The page's slug of each move, and back: URLs say what the button says.
MOVE_SLUGS: dict[str, str] = {
    "receive": ReferralStatus.RECEIVED,
    "accept": ReferralStatus.ACCEPTED,
    "decline": ReferralStatus.DECLINED,
    "start": ReferralStatus.IN_SERVICE,
    "complete": ReferralStatus.COMPLETED,
    "not-complete": ReferralStatus.NOT_COMPLETED,
    "cancel": ReferralStatus.CANCELLED,
}
SLUG_OF = {status: slug for slug, status in MOVE_SLUGS.items()}
# 수락/거절 are also the statuses' names: the buttons carry a context so that English can
# say "Accept"/"Decline" where the status says "Accepted"/"Declined".
BUTTON_LABELS: dict[str, str] = {
    ReferralStatus.RECEIVED: _("접수 확인"),
    ReferralStatus.ACCEPTED: pgettext_lazy("referral action", "수락"),
    ReferralStatus.DECLINED: pgettext_lazy("referral action", "거절"),
    ReferralStatus.IN_SERVICE: _("서비스 시작"),
    ReferralStatus.COMPLETED: _("서비스 완료"),
    ReferralStatus.NOT_COMPLETED: _("미완료로 종료"),
    ReferralStatus.CANCELLED: _("의뢰 취소"),
}


def recipient_choices(exclude: Organisation):
    """Organisations a case can be referred to: every active one but the sender's own and
    the Si/Do offices (they run no services for a household)."""
    return (
        Organisation.objects.filter(is_active=True)
        .exclude(pk=exclude.pk)
        .exclude(kind=OrganisationKind.SIDO_OFFICE)
        .order_by("sector", "name")
    )


def without_browser_limit(form: forms.Form) -> None:
    """Drop the maxlength attribute Django gives a limited field: the browser would cut a
    pasted text silently, where the server refuses it saying by how much (the counter
    under the field, referrals/partials/char_count.html, shows the count as one types)."""
    for field in form.fields.values():
        field.widget.attrs.pop("maxlength", None)


# The directory files services under the booklet's chapters; a referral names the case's
# need domain (the assessment's). Where a chapter has no single counterpart the closest
# domain a case worker would choose is used; the worker can still change it on the form.
CASE_DOMAIN_OF_DIRECTORY_DOMAIN = {
    DirectoryDomain.LIVELIHOOD.value: NeedDomain.ECONOMY,
    DirectoryDomain.EMPLOYMENT.value: NeedDomain.EMPLOYMENT,
    DirectoryDomain.PREGNANCY_CHILDCARE.value: NeedDomain.CARE,
    DirectoryDomain.YOUTH.value: NeedDomain.EDUCATION,
    DirectoryDomain.HEALTH.value: NeedDomain.HEALTH,
    DirectoryDomain.OLD_AGE.value: NeedDomain.DAILY_LIVING,
    DirectoryDomain.DISABILITY.value: NeedDomain.DAILY_LIVING,
    DirectoryDomain.VETERANS.value: NeedDomain.ECONOMY,
    DirectoryDomain.LEGAL_FINANCE.value: NeedDomain.LEGAL,
    DirectoryDomain.CRISIS_OTHER.value: NeedDomain.SAFETY,
    DirectoryDomain.HOUSING.value: NeedDomain.HOUSING,
    DirectoryDomain.EDUCATION.value: NeedDomain.EDUCATION,
    DirectoryDomain.CARE.value: NeedDomain.CARE,
}


def service_to_prefill(service_id) -> Service | None:
    """The directory service a "의뢰" button named (?service=<id>), if it exists and
    runs; None for anything else (a stale or mistyped link opens an empty form)."""
    try:
        service_id = uuid.UUID(str(service_id))
    except ValueError:
        return None
    return (
        Service.objects.filter(pk=service_id, status=ServiceStatus.ACTIVE)
        .select_related("provider")
        .first()
    )


class ReferralSendForm(forms.Form):
    to_organisation = forms.ModelChoiceField(
        label=_("의뢰할 기관"),
        queryset=Organisation.objects.none(),
        empty_label=_("기관을 고르세요"),
        widget=forms.Select(attrs={"class": "krds-form-select"}),
        error_messages={
            "required": _("의뢰할 기관을 골라 주세요."),
            "invalid_choice": _("의뢰할 기관을 목록에서 골라 주세요."),
        },
    )
    need_domain = forms.ChoiceField(
        label=_("욕구 영역"),
        choices=[("", _("영역을 고르세요")), *NeedDomain.choices],
        widget=forms.Select(attrs={"class": "krds-form-select"}),
        error_messages={
            "required": _("욕구 영역을 골라 주세요."),
            "invalid_choice": _("욕구 영역을 목록에서 골라 주세요."),
        },
    )
    request_text = forms.CharField(
        label=_("의뢰 내용"),
        max_length=REQUEST_TEXT_MAX_LENGTH,
        help_text=_(
            "요청하는 서비스를 적어 주세요. 동의가 없으면 이름·연락처는 상대 기관에 "
            "가지 않으니, 여기에도 적지 마세요."
        ),
        widget=forms.Textarea(attrs={"rows": 3, "class": "krds-input"}),
        error_messages={
            "required": _("무엇을 부탁하는지 적어 주세요."),
            "max_length": format_lazy(
                _("의뢰 내용은 {limit}자 안으로 적어 주세요."), limit=REQUEST_TEXT_MAX_LENGTH
            ),
        },
    )
    # The directory service the referral asks for, when it came from a "의뢰" button.
    service = forms.ModelChoiceField(
        queryset=Service.objects.filter(status=ServiceStatus.ACTIVE),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": SERVICE_GONE},
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, sender: Organisation, service: Service | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_organisation"].queryset = recipient_choices(sender)
        self.prefilled_service = service
        without_browser_limit(self)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)
            if service is not None:
                self._prefill(service, sender)

    def _prefill(self, service: Service, sender: Organisation) -> None:
        self.initial["service"] = service.pk
        if service.provider_id and service.provider_id != sender.id:
            self.initial["to_organisation"] = service.provider_id
        # the service's first chapter decides: the booklet lists the main one first
        domains = [
            d if d in NeedDomain.values else CASE_DOMAIN_OF_DIRECTORY_DOMAIN.get(d)
            for d in service.need_domain_list
        ]
        if chosen := next((d for d in domains if d), None):
            self.initial["need_domain"] = chosen
        self.initial.setdefault("request_text", f"{service.name}: ")

    def clean(self):
        data = super().clean()
        service, receiver = data.get("service"), data.get("to_organisation")
        if service is not None and service.provider_id and receiver is not None:
            if receiver.id != service.provider_id:
                self.add_error(
                    "to_organisation",
                    _("'%(service)s'은(는) %(provider)s에서 제공합니다. 그 기관을 골라 주세요.")
                    % {"service": service.name, "provider": service.provider.name},
                )
        return data


class ReferralMoveForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    # One value per rendered form: a double click or a resubmitted page replays, not repeats.
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=80)
    reason = forms.CharField(
        label=_("사유"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "class": "krds-input"}),
        error_messages={
            "max_length": format_lazy(
                _("사유는 {limit}자 안으로 적어 주세요."), limit=REASON_MAX_LENGTH
            )
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        without_browser_limit(self)


class InboxFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("상태"),
        required=False,
        choices=[("", _("진행 중 전체")), *ReferralStatus.choices, ("all", _("모든 상태"))],
        widget=forms.Select(attrs={"class": "krds-form-select"}),
    )
