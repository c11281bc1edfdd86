"""Forms of deliveries and redundancy flags: they parse what was typed; the services in
cases.deliveries decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bokjihub.cases.forms import KrdsForm, LimitedCharField, _choices, _date
from bokjihub.cases.models import NeedDomain

REQUIRED = {"required": _("필수 항목입니다.")}


class DeliveryForm(KrdsForm):
    domain = forms.ChoiceField(
        label=_("지원 영역"),
        choices=_choices(NeedDomain.choices, _("영역 선택")),
        error_messages={**REQUIRED, "invalid_choice": _("지원 영역을 목록에서 골라 주세요.")},
    )
    provider = forms.TypedChoiceField(
        label=_("제공 기관"),
        coerce=int,
        error_messages={**REQUIRED, "invalid_choice": _("제공 기관을 목록에서 골라 주세요.")},
    )
    description = LimitedCharField(label=_("지원 내용"), limit=200, required=False)
    starts_on = _date(_("제공 시작일"))
    ends_on = _date(_("제공 종료일 (계속 중이면 비워 두세요)"), required=False)
    amount_krw = forms.IntegerField(
        label=_("금액 (원)"),
        required=False,
        min_value=0,
        error_messages={
            "invalid": _("금액은 숫자로 입력해 주세요."),
            "min_value": _("금액은 0원 이상입니다."),
        },
        widget=forms.NumberInput(attrs={"class": "krds-input", "inputmode": "numeric"}),
    )
    units = forms.DecimalField(
        label=_("수량"),
        required=False,
        max_digits=10,
        decimal_places=2,
        error_messages={"invalid": _("수량은 숫자로 입력해 주세요.")},
        widget=forms.NumberInput(attrs={"class": "krds-input", "step": "any"}),
    )
    unit_label = LimitedCharField(label=_("단위 (회, 개, 시간 등)"), limit=20, required=False)

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {org.id: org for org in organisations}
        self.fields["provider"].choices = _choices(
            ((org.id, org.name) for org in organisations), _("기관 선택")
        )
        for name in ("starts_on", "ends_on"):
            self.fields[name].error_messages["invalid"] = _("날짜를 2026-01-31처럼 입력해 주세요.")
        self.fields["starts_on"].error_messages.update(REQUIRED)

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("제공 종료일은 시작일과 같거나 그 뒤여야 합니다."))
        if data.get("amount_krw") is None and data.get("units") is None:
            if not self.has_error("amount_krw") and not self.has_error("units"):
                self.add_error(None, _("금액이나 수량 가운데 하나는 입력해 주세요."))
        if data.get("units") is not None and not (data.get("unit_label") or "").strip():
            self.add_error("unit_label", _("수량의 단위를 입력해 주세요."))
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "domain": data["domain"],
            "provider": self.organisations[data["provider"]],
            "description": data["description"],
            "starts_on": data["starts_on"],
            "ends_on": data["ends_on"],
            "amount_krw": data["amount_krw"],
            "units": data["units"],
            "unit_label": data["unit_label"],
        }


class FlagResolveForm(KrdsForm):
    note = forms.CharField(
        label=_("확인한 내용"),
        max_length=1000,
        error_messages=REQUIRED,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
