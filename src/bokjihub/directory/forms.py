"""Forms of the directory pages: the search filters and a provider's capacity report."""

from django import forms

from bokjihub.directory.models import HouseholdType, NeedDomain, ServiceKind


class DirectorySearchForm(forms.Form):
    """GET filters; every field is optional and a bad value is reported next to it."""

    q = forms.CharField(label="검색어", required=False, max_length=100)
    domain = forms.ChoiceField(
        label="욕구 영역", required=False, choices=[("", "전체"), *NeedDomain.choices]
    )
    kind = forms.ChoiceField(
        label="종류", required=False, choices=[("", "전체"), *ServiceKind.choices]
    )
    household_type = forms.ChoiceField(
        label="가구 유형", required=False, choices=[("", "전체"), *HouseholdType.choices]
    )
    age = forms.IntegerField(
        label="나이",
        required=False,
        min_value=0,
        max_value=120,
        error_messages={
            "invalid": "나이는 숫자로 입력하세요 (예: 72).",
            "min_value": "나이는 0세 이상이어야 합니다.",
            "max_value": "나이는 120세 이하로 입력하세요.",
        },
    )
    emd = forms.CharField(label="행정동", required=False, max_length=10)


class CapacityForm(forms.Form):
    """What a provider confirms: places and waiting list as of now."""

    capacity = forms.IntegerField(
        label="정원 (자리 수)",
        required=False,
        min_value=0,
        max_value=100_000,
        error_messages={
            "invalid": "정원은 숫자로 입력하세요.",
            "min_value": "0 이상이어야 합니다.",
        },
    )
    waiting_list = forms.IntegerField(
        label="대기 인원",
        required=False,
        min_value=0,
        max_value=100_000,
        error_messages={
            "invalid": "대기 인원은 숫자로 입력하세요.",
            "min_value": "0 이상이어야 합니다.",
        },
    )
    expected_confirmed_at = forms.CharField(required=False, widget=forms.HiddenInput)
