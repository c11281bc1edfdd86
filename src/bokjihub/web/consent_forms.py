"""Forms of the partnership pages: the purpose of an out-of-caseload opening, and consents.

The forms only parse; the rules (separate consents for health and unique identifiers,
witness for verbal consent, …) live in people.services and come back as field errors.
"""

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from bokjihub.audit.models import AccessPurpose
from bokjihub.orgs.models import Network, Organisation
from bokjihub.people.access import OUT_OF_CASELOAD_PURPOSES, PURPOSE_TEXT_MAX_LENGTH
from bokjihub.people.models import Consent, ConsentMethod, DataCategory
from bokjihub.people.services import consent_rule_errors
from bokjihub.referrals.forms import without_browser_limit

PURPOSE_MAX_LENGTH = Consent._meta.get_field("purpose").max_length
WITNESS_MAX_LENGTH = Consent._meta.get_field("witness_name").max_length
# The notice is a TextField; a printed consent form's paragraph is far shorter than this.
REFUSAL_NOTICE_MAX_LENGTH = 1000

DEFAULT_REFUSAL_NOTICE = _(
    "귀하는 개인정보 제공에 동의하지 않을 권리가 있습니다. 동의하지 않으셔도 공공 복지급여의 "
    "신청과 결정에는 불이익이 없으나, 위 기관과의 서비스 연계(방문·상담·물품 지원 등)가 "
    "제한될 수 있습니다."
)


class PurposeForm(forms.Form):
    purpose = forms.ChoiceField(
        label=_("열람 목적"),
        choices=[(value, AccessPurpose(value).label) for value in OUT_OF_CASELOAD_PURPOSES],
        widget=forms.RadioSelect,
        error_messages={"required": _("열람 목적을 골라 주세요.")},
    )
    purpose_text = forms.CharField(
        label=_("구체적인 사유"),
        max_length=PURPOSE_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "class": "krds-input"}),
        error_messages={
            "required": _("왜 이 가구를 여는지 한두 마디로 적어 주세요. 접속기록에 남습니다."),
            "max_length": format_lazy(
                _("사유는 {limit}자 안으로 적어 주세요."), limit=PURPOSE_TEXT_MAX_LENGTH
            ),
        },
    )


def _recipient_value(recipient) -> str:
    kind = "network" if isinstance(recipient, Network) else "organisation"
    return f"{kind}:{recipient.id}"


class ConsentForm(forms.Form):
    recipient = forms.ChoiceField(
        label=_("제공받는 자"),
        error_messages={"required": _("제공받는 기관 또는 협약(네트워크)을 골라 주세요.")},
        widget=forms.Select(attrs={"class": "krds-form-select"}),
    )
    purpose = forms.CharField(
        label=_("제공받는 자의 이용 목적"),
        max_length=PURPOSE_MAX_LENGTH,
        widget=forms.TextInput(attrs={"class": "krds-input"}),
        error_messages={
            "required": _("제공받는 자의 이용 목적을 입력해 주세요."),
            "max_length": format_lazy(
                _("이용 목적은 {limit}자 안으로 적어 주세요."), limit=PURPOSE_MAX_LENGTH
            ),
        },
    )
    categories = forms.MultipleChoiceField(
        label=_("제공하는 정보 항목"),
        choices=DataCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("제공할 정보 항목을 하나 이상 골라 주세요.")},
    )
    retention_until = forms.DateField(
        label=_("제공받는 자의 보유·이용 기간 (끝나는 날)"),
        widget=forms.DateInput(attrs={"type": "date", "class": "krds-input"}),
        error_messages={
            "required": _("보유·이용 기간이 끝나는 날을 입력해 주세요."),
            "invalid": _("날짜를 2027-12-31처럼 입력해 주세요."),
        },
    )
    refusal_notice = forms.CharField(
        label=_("동의를 거부할 권리와 거부에 따른 불이익 안내"),
        initial=DEFAULT_REFUSAL_NOTICE,
        max_length=REFUSAL_NOTICE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "class": "krds-input"}),
        error_messages={
            "required": _("거부할 권리와 거부할 때의 불이익을 적어 주세요."),
            "max_length": format_lazy(
                _("안내는 {limit}자 안으로 적어 주세요."), limit=REFUSAL_NOTICE_MAX_LENGTH
            ),
        },
    )
    method = forms.ChoiceField(
        label=_("동의 받은 방법"),
        choices=ConsentMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("동의 받은 방법을 골라 주세요.")},
    )
    witness_name = forms.CharField(
        label=_("입회인 이름 (구두 동의일 때)"),
        max_length=WITNESS_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"class": "krds-input"}),
        error_messages={
            "max_length": format_lazy(
                _("입회인 이름은 {limit}자 안으로 적어 주세요."), limit=WITNESS_MAX_LENGTH
            )
        },
    )
    given_at = forms.DateTimeField(
        label=_("동의한 때"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local", "class": "krds-input"}, format="%Y-%m-%dT%H:%M"
        ),
        error_messages={
            "required": _("동의한 날짜와 시각을 입력해 주세요."),
            "invalid": _("날짜와 시각을 2026-11-26 14:30처럼 입력해 주세요."),
        },
    )

    def __init__(self, *args, organisations: list[Organisation], networks: list[Network], **kwargs):
        super().__init__(*args, **kwargs)
        without_browser_limit(self)
        self._recipients = {_recipient_value(r): r for r in [*organisations, *networks]}
        groups = [
            (_("기관"), [(_recipient_value(o), o.name) for o in organisations]),
            (_("협약·네트워크"), [(_recipient_value(n), n.name) for n in networks]),
        ]
        self.fields["recipient"].choices = [
            ("", _("골라 주세요")),
            *[(label, choices) for label, choices in groups if choices],
        ]
        if not self.is_bound:
            self.initial.setdefault(
                "given_at", timezone.localtime().replace(second=0, microsecond=0)
            )
            if len(self._recipients) == 1:  # a private centre names itself
                self.initial.setdefault("recipient", next(iter(self._recipients)))

    def clean(self):
        """The rules of people.services too, so that every problem shows at once (a
        missing date and health bundled with contact, say), each beside its field."""
        data = super().clean()
        chosen = self._recipients.get(data.get("recipient", ""))
        problems = consent_rule_errors(
            recipient_organisation=chosen if isinstance(chosen, Organisation) else None,
            recipient_network=chosen if isinstance(chosen, Network) else None,
            purpose=data.get("purpose", ""),
            categories=data.get("categories") or [],
            retention_until=data.get("retention_until"),
            refusal_notice=data.get("refusal_notice", ""),
            method=data.get("method", ""),
            witness_name=data.get("witness_name", ""),
            given_at=data.get("given_at"),
        )
        for name, message in problems.items():
            target = name if name in self.fields else None
            if target is not None and target in self.errors:
                continue  # the field's own message already says it
            self.add_error(target, message)
        return data

    def recipient_kwargs(self) -> dict:
        recipient = self._recipients[self.cleaned_data["recipient"]]
        if isinstance(recipient, Network):
            return {"recipient_network": recipient}
        return {"recipient_organisation": recipient}
