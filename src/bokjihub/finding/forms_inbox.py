"""Forms of the triage inbox and the item page. Each action form carries the item's
version as `expected_version`, so that two officers working on one item never silently
overwrite each other (the services refuse a stale version)."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bokjihub.finding.access import InboxFilter
from bokjihub.finding.models import Channel, Concern, Outcome

STATUS_CHOICES = [("open", _("처리 중")), ("closed", _("종결")), ("all", _("전체"))]
NOTE_MAX = 2000


class KrdsForm(forms.Form):
    """Gives each widget the KRDS class of its kind. A text field's length limit is
    checked here, on the server, with a message that names the field and the limit; the
    page shows a character counter instead of the browser's maxlength, which would cut a
    pasted text short without a word."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "krds-form-select")
            elif isinstance(widget, forms.Textarea | forms.TextInput | forms.NumberInput):
                widget.attrs.setdefault("class", "krds-input")
            limit = getattr(field, "max_length", None)
            if isinstance(field, forms.CharField) and limit:
                widget.attrs.pop("maxlength", None)
                widget.attrs["data-counter-max"] = str(limit)
                # the counter's words, in the page's language (forms.js fills in numbers)
                widget.attrs["data-counter-format"] = _("{length} / {max}자")
                field.error_messages["max_length"] = _(
                    "%(limit_value)d자까지 적을 수 있습니다(지금 %(show_value)d자)."
                )

    def add_error(self, field, error):
        # a field with an error says so to assistive technology, and names its message
        super().add_error(field, error)
        names = [field] if field else []
        if hasattr(error, "error_dict"):
            names = list(error.error_dict)
        for name in names:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"{self.add_prefix(name)}-error"


class InboxFilterForm(KrdsForm):
    """The inbox filter, read from the GET query (shareable; it holds no personal data)."""

    status = forms.ChoiceField(label=_("상태"), choices=STATUS_CHOICES, required=False)
    channel = forms.ChoiceField(
        label=_("신고 경로"), choices=[("", _("전체")), *Channel.choices], required=False
    )
    concern = forms.ChoiceField(
        label=_("걱정되는 점"), choices=[("", _("전체")), *Concern.choices], required=False
    )
    overdue = forms.BooleanField(label=_("기한 지난 것만"), required=False)
    routing = forms.BooleanField(label=_("이송 필요한 것만"), required=False)
    mine = forms.BooleanField(label=_("나에게 배정된 것만"), required=False)

    def inbox_filter(self) -> InboxFilter:
        """The filter asked for; a value that is not on a list is ignored, not an error
        (an old bookmark must still open the inbox)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return InboxFilter(
            status=data.get("status") or "open",
            overdue_only=bool(data.get("overdue")),
            needs_routing_only=bool(data.get("routing")),
            assigned_to_me=bool(data.get("mine")),
            channel=data.get("channel") or "",
            concern=data.get("concern") or "",
        )


def _staff_choices(staff) -> list[tuple[str, str]]:
    return [("", _("담당자 선택"))] + [(str(user.pk), str(user)) for user in staff]


class BulkAssignForm(KrdsForm):
    items = forms.MultipleChoiceField(
        error_messages={"required": _("배정할 항목을 하나 이상 골라 주세요.")}
    )
    to_user = forms.ChoiceField(
        label=_("배정할 담당자"),
        error_messages={
            "required": _("배정할 담당자를 골라 주세요."),
            "invalid_choice": _("배정할 담당자를 목록에서 골라 주세요."),
        },
    )

    def __init__(self, *args, staff, references, **kwargs):
        super().__init__(*args, **kwargs)
        self.staff = {str(user.pk): user for user in staff}
        self.fields["to_user"].choices = _staff_choices(staff)
        # Any reference is accepted here; the access layer decides which are in scope.
        self.fields["items"].choices = [(ref, ref) for ref in references]

    def assignee(self):
        return self.staff[self.cleaned_data["to_user"]]


class ItemActionForm(KrdsForm):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class AssignForm(ItemActionForm):
    to_user = forms.ChoiceField(
        label=_("담당자"),
        error_messages={
            "required": _("배정할 담당자를 골라 주세요."),
            "invalid_choice": _("배정할 담당자를 목록에서 골라 주세요."),
        },
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.staff = {str(user.pk): user for user in staff}
        self.fields["to_user"].choices = _staff_choices(staff)

    def assignee(self):
        return self.staff[self.cleaned_data["to_user"]]


class NoteForm(ItemActionForm):
    note = forms.CharField(
        label=_("기록"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CloseForm(NoteForm):
    outcome = forms.ChoiceField(
        label=_("결과"),
        choices=[("", _("결과 선택")), *Outcome.choices],
        error_messages={"required": _("결과를 골라 주세요.")},
    )


class RerouteForm(ItemActionForm):
    emd = forms.ChoiceField(
        label=_("보낼 읍·면·동"),
        error_messages={
            "required": _("보낼 읍·면·동을 골라 주세요."),
            "invalid_choice": _("보낼 읍·면·동을 목록에서 골라 주세요."),
        },
    )
    reason = forms.CharField(
        label=_("이송 사유"),
        max_length=500,
        error_messages={"required": _("이송하는 이유를 적어 주세요.")},
    )

    def __init__(self, *args, dongs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["emd"].choices = [("", _("읍·면·동 선택"))] + [
            (dong.code, dong.name_ko) for dong in dongs
        ]


class HouseholdLinkForm(ItemActionForm):
    household = forms.CharField(
        max_length=16, error_messages={"required": _("연결할 가구를 골라 주세요.")}
    )


class HouseholdSearchForm(forms.Form):
    """The registry search of the item page (GET: a read, logged by people.access)."""

    q = forms.CharField(
        label=_("이름, 주민등록번호 앞자리 또는 주소"), max_length=60, required=False
    )


SEX_CHOICES = [("", _("성별 선택")), ("M", _("남")), ("F", _("여"))]


class HouseholdRegisterForm(ItemActionForm):
    """A person not on the registry, registered from the report's facts. The RRN is
    optional: without it, the birth date and sex are asked instead."""

    name = forms.CharField(
        label=_("이름"), max_length=60, error_messages={"required": _("이름을 적어 주세요.")}
    )
    rrn = forms.CharField(
        label=_("주민등록번호(알면)"),
        max_length=14,
        required=False,
        help_text=_("모르면 비워 두고 생년월일과 성별을 적어 주세요."),
    )
    birth_date = forms.DateField(
        label=_("생년월일"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("생년월일을 2026-01-31처럼 적어 주세요.")},
    )
    sex = forms.ChoiceField(label=_("성별"), choices=SEX_CHOICES, required=False)
    road_address = forms.CharField(
        label=_("도로명주소"),
        max_length=200,
        error_messages={"required": _("도로명주소를 적어 주세요.")},
    )
    address_detail = forms.CharField(
        label=_("상세주소(동·호수, 방 번호)"), max_length=100, required=False
    )
    emd_code = forms.ChoiceField(
        label=_("행정동"),
        error_messages={
            "required": _("행정동을 골라 주세요."),
            "invalid_choice": _("담당 관할의 행정동을 목록에서 골라 주세요."),
        },
    )
    household_type = forms.ChoiceField(
        label=_("가구 유형"),
        error_messages={"invalid_choice": _("가구 유형을 목록에서 골라 주세요.")},
    )

    def __init__(self, *args, dongs, **kwargs):
        from bokjihub.people.models import HouseholdType

        super().__init__(*args, **kwargs)
        self.fields["emd_code"].choices = [("", _("행정동 선택"))] + [
            (dong.code, dong.name_ko) for dong in dongs
        ]
        # people's labels, in the reader's language (the catalogue has them)
        self.fields["household_type"].choices = [
            (value, gettext(str(label))) for value, label in HouseholdType.choices
        ]
        self.fields["birth_date"].widget.attrs.setdefault("class", "krds-input")

    def clean(self):
        data = super().clean()
        if not (data.get("rrn") or "").strip() and "birth_date" not in self.errors:
            if data.get("birth_date") is None:
                self.add_error("birth_date", _("주민등록번호가 없으면 생년월일을 적어 주세요."))
            if not data.get("sex"):
                self.add_error("sex", _("주민등록번호가 없으면 성별을 골라 주세요."))
        return data

    def new_household(self):
        from bokjihub.finding.linking import NewHousehold

        data = self.cleaned_data
        return NewHousehold(
            name=data["name"],
            road_address=data["road_address"],
            emd_code=data["emd_code"],
            address_detail=data.get("address_detail") or "",
            rrn=(data.get("rrn") or "").strip(),
            birth_date=data.get("birth_date"),
            sex=data.get("sex") or "",
            household_type=data["household_type"],
        )
