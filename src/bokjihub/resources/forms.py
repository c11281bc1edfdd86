"""The forms of the resources pages: a waiting need a worker records (it joins the Gu's
pool), and the equity slack a Gu office runs the fair allocation with.

Both are checked on the server only (the pages send `novalidate`), so that every mistake
of a form is named at once, in Korean, beside its field, and what was typed stays. Text
has a documented maximum (NEED_DESCRIPTION_MAX), refused with the limit named rather than
cut short by the browser.
"""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from bokjihub.cases.forms import LimitedCharField
from bokjihub.resources.models import ResourceKind, TargetGroup, WaitingNeed

# the column's size: a line that stands in the allocation table in full
NEED_DESCRIPTION_MAX = WaitingNeed._meta.get_field("description").max_length
NEED_QUANTITY_MAX = 100_000_000  # a hundred million won is more than any one need


class NeedForm(forms.Form):
    emd = forms.ChoiceField(
        label=_("행정동"),
        error_messages={
            "required": _("행정동을 골라 주세요."),
            "invalid_choice": _("기록할 수 있는 행정동 목록에서 골라 주세요."),
        },
    )
    target_group = forms.ChoiceField(
        label=_("지원 대상"),
        choices=TargetGroup.choices,
        error_messages={
            "required": _("지원 대상을 골라 주세요."),
            "invalid_choice": _("지원 대상을 목록에서 골라 주세요."),
        },
    )
    kind = forms.ChoiceField(
        label=_("필요한 자원"),
        choices=ResourceKind.choices,
        error_messages={
            "required": _("필요한 자원을 골라 주세요."),
            "invalid_choice": _("필요한 자원을 목록에서 골라 주세요."),
        },
    )
    quantity = forms.IntegerField(
        label=_("필요한 양"),
        min_value=1,
        max_value=NEED_QUANTITY_MAX,
        help_text=_("현금·물품은 원, 자원봉사는 시간, 교육은 회"),
        error_messages={
            "invalid": _("필요한 양은 숫자로 적어 주세요."),
            "min_value": _("필요한 양은 1 이상이어야 합니다."),
            "max_value": format_lazy(
                _("필요한 양은 {limit} 이하로 적어 주세요."), limit=f"{NEED_QUANTITY_MAX:,}"
            ),
            "required": _("필요한 양을 적어 주세요."),
        },
    )
    weight = forms.TypedChoiceField(
        label=_("긴급도"),
        coerce=int,
        choices=[
            (5, _("5 매우 긴급")),
            (4, "4"),
            (3, _("3 보통")),
            (2, "2"),
            (1, _("1 낮음")),
        ],
        initial=3,
        error_messages={
            "required": _("긴급도를 골라 주세요."),
            "invalid_choice": _("긴급도는 1에서 5 사이에서 골라 주세요."),
        },
    )
    description = LimitedCharField(
        label=_("내용"),
        limit=NEED_DESCRIPTION_MAX,
        help_text=format_lazy(
            _("사람을 알아볼 수 있는 내용(이름·주소)은 적지 마세요. 최대 {limit}자"),
            limit=NEED_DESCRIPTION_MAX,
        ),
        error_messages={"required": _("어떤 도움이 필요한지 적어 주세요.")},
    )

    def __init__(self, *args, dongs, **kwargs):
        super().__init__(*args, **kwargs)
        self.dongs = {dong.code: dong for dong in dongs}
        self.fields["emd"].choices = [(dong.code, dong.name_ko) for dong in dongs]
        if len(dongs) == 1:
            self.fields["emd"].initial = dongs[0].code

    def clean_emd(self):
        return self.dongs[self.cleaned_data["emd"]]


class AllocationRunForm(forms.Form):
    """The equity slack in percent (0–100; empty means 0): how much of the lowest Dong's
    coverage the run may give up for a higher coverage of the whole Gu."""

    floor_slack = forms.FloatField(
        label=_("형평성 여유(%)"),
        required=False,
        min_value=0,
        max_value=100,
        help_text=_(
            "0이면 가장 낮은 동의 충족률을 최대로 올린 뒤 전체 충족률을 높입니다. "
            "값을 올리면 최저 충족률을 그만큼 양보하고 전체 충족률을 높입니다."
        ),
        error_messages={
            "invalid": _("형평성 여유는 0에서 100 사이의 숫자로 적어 주세요."),
            "min_value": _("형평성 여유는 0 이상이어야 합니다."),
            "max_value": _("형평성 여유는 100 이하여야 합니다."),
        },
    )

    def clean_floor_slack(self) -> float:
        """The slack as the share allocation_run takes (0.0–1.0)."""
        percent = self.cleaned_data["floor_slack"]
        return (percent or 0) / 100
