"""The form a worker records a waiting need with (it joins the Gu's pool)."""

from django import forms

from bokjihub.resources.models import ResourceKind, TargetGroup


class NeedForm(forms.Form):
    emd = forms.ChoiceField(label="행정동")
    target_group = forms.ChoiceField(label="대상", choices=TargetGroup.choices)
    kind = forms.ChoiceField(label="필요한 자원", choices=ResourceKind.choices)
    quantity = forms.IntegerField(
        label="필요한 양",
        min_value=1,
        max_value=100_000_000,
        help_text="현금·물품은 원, 자원봉사는 시간, 교육은 회",
        error_messages={
            "invalid": "필요한 양은 숫자로 적어 주세요.",
            "min_value": "필요한 양은 1 이상이어야 합니다.",
            "required": "필요한 양을 적어 주세요.",
        },
    )
    weight = forms.TypedChoiceField(
        label="긴급도",
        coerce=int,
        choices=[(5, "5 매우 긴급"), (4, "4"), (3, "3 보통"), (2, "2"), (1, "1 낮음")],
        initial=3,
    )
    description = forms.CharField(
        label="내용",
        max_length=200,
        help_text="사람을 알아볼 수 있는 내용(이름·주소)은 적지 마세요.",
        error_messages={"required": "어떤 도움이 필요한지 적어 주세요."},
    )

    def __init__(self, *args, dongs, **kwargs):
        super().__init__(*args, **kwargs)
        self.dongs = {dong.code: dong for dong in dongs}
        self.fields["emd"].choices = [(dong.code, dong.name_ko) for dong in dongs]
        if len(dongs) == 1:
            self.fields["emd"].initial = dongs[0].code

    def clean_emd(self):
        return self.dongs[self.cleaned_data["emd"]]
