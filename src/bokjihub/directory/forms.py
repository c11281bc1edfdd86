"""Forms of the directory pages: the search filters and a provider's capacity report."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bokjihub.directory.models import HouseholdType, NeedDomain, ServiceKind


class DirectorySearchForm(forms.Form):
    """GET filters; every field is optional and every bad value is reported next to its
    field, all at once. `dongs` are the Dongs the Dong filter may name (the actor's
    Si/Gun/Gu's)."""

    q = forms.CharField(
        label=_("검색어"),
        required=False,
        max_length=100,
        error_messages={"max_length": _("검색어는 100자까지 입력할 수 있습니다.")},
    )
    domain = forms.ChoiceField(
        label=_("욕구 영역"),
        required=False,
        choices=[("", _("전체")), *NeedDomain.choices],
        error_messages={"invalid_choice": _("목록에 있는 욕구 영역을 고르세요.")},
    )
    kind = forms.ChoiceField(
        label=_("종류"),
        required=False,
        choices=[("", _("전체")), *ServiceKind.choices],
        error_messages={"invalid_choice": _("목록에 있는 종류를 고르세요.")},
    )
    household_type = forms.ChoiceField(
        label=_("가구 유형"),
        required=False,
        choices=[("", _("전체")), *HouseholdType.choices],
        error_messages={"invalid_choice": _("목록에 있는 가구 유형을 고르세요.")},
    )
    age = forms.IntegerField(
        label=_("나이"),
        required=False,
        min_value=0,
        max_value=120,
        error_messages={
            "invalid": _("나이는 숫자로 입력하세요 (예: 72)."),
            "min_value": _("나이는 0세 이상이어야 합니다."),
            "max_value": _("나이는 120세 이하로 입력하세요."),
        },
    )
    emd = forms.CharField(label=_("행정동"), required=False, max_length=10)

    def __init__(self, *args, dongs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.dongs = {dong.code: dong for dong in dongs}

    def clean_emd(self):
        code = self.cleaned_data["emd"]
        if code and code not in self.dongs:
            raise forms.ValidationError(_("관할 시군구의 행정동을 고르세요."))
        return self.dongs.get(code)


class CapacityForm(forms.Form):
    """What a provider confirms: places and waiting list as of now."""

    capacity = forms.IntegerField(
        label=_("정원 (자리 수)"),
        required=False,
        min_value=0,
        max_value=100_000,
        error_messages={
            "invalid": _("정원은 숫자로 입력하세요."),
            "min_value": _("0 이상이어야 합니다."),
            "max_value": _("정원은 100,000 이하로 입력하세요."),
        },
    )
    waiting_list = forms.IntegerField(
        label=_("대기 인원"),
        required=False,
        min_value=0,
        max_value=100_000,
        error_messages={
            "invalid": _("대기 인원은 숫자로 입력하세요."),
            "min_value": _("0 이상이어야 합니다."),
            "max_value": _("대기 인원은 100,000 이하로 입력하세요."),
        },
    )
    expected_confirmed_at = forms.CharField(required=False, widget=forms.HiddenInput)
