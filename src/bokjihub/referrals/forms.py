"""Forms of the referral pages: send a referral from a case, move one, filter the inbox."""

import uuid

from django import forms

from bokjihub.cases.models import NeedDomain
from bokjihub.orgs.models import Organisation, OrganisationKind
from bokjihub.referrals.models import ReferralStatus

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
BUTTON_LABELS: dict[str, str] = {
    ReferralStatus.RECEIVED: "접수 확인",
    ReferralStatus.ACCEPTED: "수락",
    ReferralStatus.DECLINED: "거절",
    ReferralStatus.IN_SERVICE: "서비스 시작",
    ReferralStatus.COMPLETED: "서비스 완료",
    ReferralStatus.NOT_COMPLETED: "미완료로 종료",
    ReferralStatus.CANCELLED: "의뢰 취소",
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


class ReferralSendForm(forms.Form):
    to_organisation = forms.ModelChoiceField(
        label="의뢰할 기관",
        queryset=Organisation.objects.none(),
        empty_label="기관을 고르세요",
        widget=forms.Select(attrs={"class": "krds-form-select"}),
    )
    need_domain = forms.ChoiceField(
        label="욕구 영역",
        choices=[("", "영역을 고르세요"), *NeedDomain.choices],
        widget=forms.Select(attrs={"class": "krds-form-select"}),
    )
    request_text = forms.CharField(
        label="의뢰 내용",
        max_length=2000,
        help_text="요청하는 서비스를 적어 주세요. 동의가 없으면 이름·연락처는 상대 기관에 "
        "가지 않으니, 여기에도 적지 마세요.",
        widget=forms.Textarea(attrs={"rows": 3, "class": "krds-input"}),
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, sender: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_organisation"].queryset = recipient_choices(sender)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)


class ReferralMoveForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    # One value per rendered form: a double click or a resubmitted page replays, not repeats.
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=80)
    reason = forms.CharField(
        label="사유",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "krds-input"}),
    )


class InboxFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="상태",
        required=False,
        choices=[("", "진행 중 전체"), *ReferralStatus.choices, ("all", "모든 상태")],
        widget=forms.Select(attrs={"class": "krds-form-select"}),
    )
