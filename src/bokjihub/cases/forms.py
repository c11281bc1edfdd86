"""Forms of the case page, the "today" page and the handover page.

Forms only parse what was typed; the services decide. Forms that change the case carry
the version the page showed (`expected_version`), so that a stale page is refused with a
conflict message instead of silently overwriting someone else's save.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from bokjihub.cases.limits import (
    LINE_MAX,
    NOTE_MAX,
    OVERRIDE_REASON_MAX,
    TEXT_MAX,
    TITLE_MAX,
    limit_message,
)
from bokjihub.cases.models import (
    CaseOutcome,
    CaseStage,
    ConferenceKind,
    CrisisLevel,
    GoalStatus,
    NeedDomain,
    NeedSeverity,
    NoteVisibility,
    UnmetNeedReason,
    VisitKind,
    VisitOutcome,
)

GOAL_ROWS_EXTRA = 1  # empty goal rows shown under the current goals
GOAL_ROWS_MAX = 20  # more than a plan has; a bigger POST is not from our form


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal on the form: each message beside the field it is about, or
    above the form when it names no field of the form (or no field at all).

    The one place every page turns a service's ValidationError into form errors."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class LimitedCharField(forms.CharField):
    """Text with a documented maximum (cases.limits): refused on the server with the limit
    named, counted live on the page (`data-maxlength`), never cut by the browser."""

    def __init__(self, *, limit: int, **kwargs):
        self.limit = limit  # before super(): widget_attrs reads it
        self.limit_label = f"{limit:,}"
        kwargs.setdefault("help_text", format_lazy(_("최대 {limit}자"), limit=self.limit_label))
        super().__init__(**kwargs)

    def to_python(self, value):
        # Browsers send a textarea's line breaks as CRLF but count them as one character.
        text = super().to_python(value)
        return text.replace("\r\n", "\n") if text else text

    def validate(self, value):
        super().validate(value)
        if value and len(value) > self.limit:
            raise ValidationError(limit_message(self.limit, len(value)), code="max_length")

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "data-maxlength": str(self.limit)}


class KrdsForm(forms.Form):
    """Gives each widget the KRDS class of its kind, and each field a Korean message for
    "left empty" that reads well after the field's label ("위기도: 골라 주세요.")."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ChoiceField | forms.MultipleChoiceField):
                field.error_messages["required"] = _("골라 주세요.")
                field.error_messages["invalid_choice"] = _("목록에서 골라 주세요.")
            else:
                field.error_messages["required"] = _("입력해 주세요.")
            widget = field.widget
            if isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "krds-form-select")
            elif isinstance(widget, forms.Textarea | forms.TextInput | forms.DateInput):
                widget.attrs.setdefault("class", "krds-input")


def _text(
    label: str, *, required: bool = True, rows: int = 3, limit: int = TEXT_MAX
) -> LimitedCharField:
    return LimitedCharField(
        label=label, limit=limit, required=required, widget=forms.Textarea(attrs={"rows": rows})
    )


def _line(label: str, *, required: bool = False, limit: int = LINE_MAX) -> LimitedCharField:
    return LimitedCharField(label=label, limit=limit, required=required)


class DateInput(forms.DateInput):
    input_type = "date"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def format_value(self, value):
        return value.strftime("%Y-%m-%dT%H:%M") if hasattr(value, "strftime") else value


def _datetime(label: str, *, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=DateTimeInput(),
    )


def _date(label: str, *, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput())


class VersionedForm(KrdsForm):
    expected_version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


def _choices(rows, blank: str) -> list[tuple[str, str]]:
    return [("", blank), *((str(key), label) for key, label in rows)]


class StaffChoiceMixin:
    """Staff are offered by membership id: one choice names both the user and the
    organisation they act for."""

    def setup_staff(self, field_name: str, staff) -> None:
        self._staff = {str(membership.id): membership for membership in staff}
        self.fields[field_name].choices = [
            *(
                [("", _("직원 선택"))]
                if not isinstance(self.fields[field_name], forms.MultipleChoiceField)
                else []
            ),
            *(
                (key, f"{membership.user} ({membership.organisation.name})")
                for key, membership in self._staff.items()
            ),
        ]

    def membership(self, key: str):
        return self._staff[key]


class AssessmentForm(KrdsForm):
    crisis_level = forms.ChoiceField(
        label=_("위기도"), choices=_choices(CrisisLevel.choices, _("위기도 선택"))
    )
    summary = _text(_("사정 요약"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for domain, label in NeedDomain.choices:
            self.fields[f"need_{domain}"] = forms.TypedChoiceField(
                label=label,
                choices=_choices(NeedSeverity.choices, _("사정 안 함")),
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.Select(attrs={"class": "krds-form-select"}),
            )

    def domain_fields(self):
        return [self[f"need_{domain}"] for domain in NeedDomain.values]

    def needs(self) -> dict[str, int]:
        return {
            domain: self.cleaned_data[f"need_{domain}"]
            for domain in NeedDomain.values
            if self.cleaned_data.get(f"need_{domain}") is not None
        }


class GoalRowForm(KrdsForm):
    domain = forms.ChoiceField(
        label=_("영역"), choices=_choices(NeedDomain.choices, _("영역 선택"))
    )
    goal = _line(_("목표"), required=True, limit=TEXT_MAX)
    responsible_organisation = forms.ChoiceField(label=_("담당 기관"))
    resources = _line(_("활용 서비스·자원"), limit=TEXT_MAX)
    review_on = _date(_("점검일"))
    status = forms.ChoiceField(
        label=_("상태"), choices=GoalStatus.choices, initial=GoalStatus.ACTIVE
    )

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_organisation"].choices = _choices(
            ((org.id, org.name) for org in organisations), _("기관 선택")
        )

    def is_blank(self) -> bool:
        return not (self.data.get(self.add_prefix("goal")) or "").strip()


class PlanForm(VersionedForm):
    """The whole plan: the version it was edited from and its goal rows (`plan-N-…`)."""

    def __init__(self, data=None, *, goals=(), organisations=(), **kwargs):
        super().__init__(data, prefix="plan", **kwargs)
        self.organisations = {org.id: org for org in organisations}
        if data is not None:
            count = sum(1 for index in range(GOAL_ROWS_MAX) if f"plan-{index}-goal" in data)
            self.rows = [
                GoalRowForm(data, prefix=f"plan-{index}", organisations=organisations)
                for index in range(count)
            ]
        else:
            self.rows = [
                GoalRowForm(
                    prefix=f"plan-{index}",
                    organisations=organisations,
                    initial={
                        "domain": goal.domain,
                        "goal": goal.goal,
                        "responsible_organisation": goal.responsible_organisation_id,
                        "resources": goal.resources,
                        "review_on": goal.review_on,
                        "status": goal.status,
                    },
                )
                for index, goal in enumerate(goals)
            ]
            self.rows += [
                GoalRowForm(prefix=f"plan-{len(goals) + extra}", organisations=organisations)
                for extra in range(GOAL_ROWS_EXTRA)
            ]

    def filled_rows(self) -> list[GoalRowForm]:
        return [row for row in self.rows if not row.is_blank()]

    def is_valid(self) -> bool:
        valid = super().is_valid()
        rows = self.filled_rows()
        if not rows:
            self.add_error(None, _("목표를 하나 이상 입력해 주세요."))
            return False
        return all([row.is_valid() for row in rows]) and valid

    def goal_inputs(self):
        from bokjihub.cases.services import GoalInput

        return [
            GoalInput(
                domain=row.cleaned_data["domain"],
                goal=row.cleaned_data["goal"],
                responsible_organisation=self.organisations[
                    int(row.cleaned_data["responsible_organisation"])
                ],
                review_on=row.cleaned_data["review_on"],
                resources=row.cleaned_data["resources"],
                status=row.cleaned_data["status"],
            )
            for row in self.filled_rows()
        ]


class ConferenceForm(StaffChoiceMixin, KrdsForm):
    kind = forms.ChoiceField(label=_("회의 종류"), choices=ConferenceKind.choices)
    title = _line(_("회의 이름"), required=True, limit=TITLE_MAX)
    scheduled_for = _datetime(_("일시"))
    participants = forms.MultipleChoiceField(
        label=_("참석 직원"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_staff("participants", staff)

    def participant_pairs(self):
        return [
            (self.membership(key).organisation, self.membership(key).user)
            for key in self.cleaned_data["participants"]
        ]


class DecisionForm(StaffChoiceMixin, KrdsForm):
    conference = forms.TypedChoiceField(label=_("사례회의"), coerce=int)
    decision = _text(_("결정 내용"))
    task_title = _line(_("할 일"))
    task_owner = forms.ChoiceField(label=_("할 일 담당"), required=False)
    task_due_on = _date(_("할 일 기한"), required=False)

    def __init__(self, *args, staff=(), conferences=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["conference"].choices = _choices(
            ((c.id, f"{c.title} ({c.scheduled_for:%Y-%m-%d})") for c in conferences), _("회의 선택")
        )
        self.setup_staff("task_owner", staff)

    def clean(self):
        data = super().clean()
        if data.get("task_title") and not (data.get("task_owner") and data.get("task_due_on")):
            raise forms.ValidationError(_("할 일에는 담당 직원과 기한을 함께 정해 주세요."))
        return data

    def task_inputs(self):
        from bokjihub.cases.services import TaskInput

        if not self.cleaned_data.get("task_title"):
            return []
        owner = self.membership(self.cleaned_data["task_owner"])
        return [
            TaskInput(
                title=self.cleaned_data["task_title"],
                owner=owner.user,
                owner_organisation=owner.organisation,
                due_on=self.cleaned_data["task_due_on"],
            )
        ]


class VisitPlanForm(StaffChoiceMixin, KrdsForm):
    kind = forms.ChoiceField(label=_("방문 유형"), choices=VisitKind.choices)
    planned_for = _datetime(_("방문 예정 일시"))
    purpose = _line(_("방문 목적"))
    staff = forms.MultipleChoiceField(label=_("방문 직원"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_staff("staff", staff)

    def staff_pairs(self):
        return [
            (self.membership(key).user, self.membership(key).organisation)
            for key in self.cleaned_data["staff"]
        ]


class VisitRecordForm(VersionedForm):
    visit = forms.IntegerField(widget=forms.HiddenInput)
    visited_at = _datetime(_("방문 일시"))
    outcome = forms.ChoiceField(
        label=_("방문 결과"), choices=_choices(VisitOutcome.choices, _("결과 선택"))
    )
    observations = _text(_("관찰 내용"))


class NoteForm(KrdsForm):
    visibility = forms.ChoiceField(
        label=_("공개 범위"), choices=NoteVisibility.choices, initial=NoteVisibility.PARTICIPANTS
    )
    body = _text(_("기록 내용"), rows=4, limit=NOTE_MAX)


class AdvanceForm(VersionedForm):
    to_stage = forms.ChoiceField(
        label=_("다음 단계"),
        choices=_choices(
            ((value, label) for value, label in CaseStage.choices if value != CaseStage.CLOSED),
            _("단계 선택"),
        ),
    )
    note = _line(_("메모"))


class CloseForm(VersionedForm):
    outcome = forms.ChoiceField(
        label=_("종결 사유"), choices=_choices(CaseOutcome.choices, _("사유 선택"))
    )
    follow_up_on = _date(_("사후관리 예정일"), required=False)
    note = _line(_("메모"))
    # Needed only when the closure checks find something undone (cases.services.case_close).
    override_reason = _text(
        _("그래도 종결하는 이유"), required=False, rows=2, limit=OVERRIDE_REASON_MAX
    )


class ReopenForm(VersionedForm):
    reason = _text(_("재개 이유"))


class UnmetNeedForm(KrdsForm):
    domain = forms.ChoiceField(
        label=_("욕구 영역"), choices=_choices(NeedDomain.choices, _("영역 선택"))
    )
    reason = forms.ChoiceField(
        label=_("충족되지 못한 이유"), choices=_choices(UnmetNeedReason.choices, _("이유 선택"))
    )
    description = _text(_("내용"))


class JoinForm(KrdsForm):
    pass


class HandoverForm(KrdsForm):
    from_user = forms.TypedChoiceField(label=_("떠나는 담당자"), coerce=int)
    to_user = forms.TypedChoiceField(label=_("새 담당자"), coerce=int)
    note = _text(_("인수인계 내용"), rows=5)

    def __init__(self, *args, staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.users = {membership.user_id: membership.user for membership in staff}
        choices = [(user_id, str(user)) for user_id, user in self.users.items()]
        self.fields["from_user"].choices = _choices(choices, _("직원 선택"))
        self.fields["to_user"].choices = _choices(choices, _("직원 선택"))

    def clean(self):
        data = super().clean()
        if data.get("from_user") and data.get("from_user") == data.get("to_user"):
            raise forms.ValidationError(_("떠나는 담당자와 새 담당자가 같습니다."))
        return data
