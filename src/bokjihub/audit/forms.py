"""Forms of the privacy officer's pages. Every problem of a form is reported at once, in
Korean, beside its field; limits are checked on the server whatever the browser does."""

from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bokjihub.audit.access import WhoViewedQuery
from bokjihub.audit.models import ReviewSignOff

# The lookup's default period, and its longest: the log itself is kept two years, but a
# year already lists more than one page can show.
DEFAULT_PERIOD_DAYS = 30
MAX_PERIOD_DAYS = 366
NAME_MAX_LENGTH = 60
REFERENCE_MAX_LENGTH = 16


class WhoViewedForm(forms.Form):
    name = forms.CharField(
        label=_("이름"),
        required=False,
        max_length=NAME_MAX_LENGTH,
        error_messages={
            "max_length": _(
                "이름은 %(limit_value)d자까지 입력할 수 있습니다 (지금 %(show_value)d자)."
            )
        },
    )
    birth_date = forms.DateField(
        label=_("생년월일"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("생년월일을 YYYY-MM-DD 형식으로 입력하세요.")},
    )
    household = forms.CharField(
        label=_("가구 번호"),
        required=False,
        max_length=REFERENCE_MAX_LENGTH,
        error_messages={
            "max_length": _(
                "가구 번호는 %(limit_value)d자까지 입력할 수 있습니다 (지금 %(show_value)d자)."
            )
        },
    )
    person = forms.IntegerField(
        label=_("대상자 번호"),
        required=False,
        min_value=1,
        error_messages={
            "invalid": _("대상자 번호는 숫자로 입력하세요."),
            "min_value": _("대상자 번호는 1 이상입니다."),
        },
    )
    date_from = forms.DateField(
        label=_("기간 시작"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("기간 시작일을 YYYY-MM-DD 형식으로 입력하세요.")},
    )
    date_to = forms.DateField(
        label=_("기간 끝"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("기간 끝날을 YYYY-MM-DD 형식으로 입력하세요.")},
    )

    def clean(self):
        data = super().clean()
        name, birth_date = data.get("name", ""), data.get("birth_date")
        named = bool(name) or birth_date is not None
        if name and birth_date is None and "birth_date" not in self.errors:
            self.add_error("birth_date", _("이름으로 찾을 때는 생년월일도 입력하세요."))
        if birth_date is not None and not name and "name" not in self.errors:
            self.add_error("name", _("생년월일로 찾을 때는 이름도 입력하세요."))
        identified = named or data.get("household") or data.get("person") is not None
        if not identified and not self._identifier_errors():
            self.add_error(None, _("이름과 생년월일, 가구 번호, 대상자 번호 중 하나로 찾으세요."))
        self._clean_period(data)
        return data

    def _identifier_errors(self) -> bool:
        return any(key in self.errors for key in ("name", "birth_date", "household", "person"))

    def _clean_period(self, data) -> None:
        today = timezone.localdate()
        date_to = data.get("date_to") or today
        date_from = data.get("date_from") or date_to - timedelta(days=DEFAULT_PERIOD_DAYS)
        if "date_from" in self.errors or "date_to" in self.errors:
            return
        if date_to > today:
            self.add_error("date_to", _("기간 끝날은 오늘이나 그 전이어야 합니다."))
        if date_from > date_to:
            self.add_error("date_from", _("기간 시작일이 끝날보다 늦습니다."))
        elif (date_to - date_from).days > MAX_PERIOD_DAYS:
            self.add_error(
                "date_from",
                _("기간은 %(days)d일 이내로 정해 주세요.") % {"days": MAX_PERIOD_DAYS},
            )
        data["date_from"], data["date_to"] = date_from, date_to

    def query(self) -> WhoViewedQuery:
        data = self.cleaned_data
        return WhoViewedQuery(
            date_from=data["date_from"],
            date_to=data["date_to"],
            name=data["name"].strip(),
            birth_date=data["birth_date"],
            household_reference=data["household"].strip(),
            person_id=data["person"],
        )


class SignOffForm(forms.Form):
    """Binds and shows the sign-off; its rules (note required and at most
    ReviewSignOff.NOTE_MAX_LENGTH long, a finished month, the latest sign-off read) are
    the service's, which reports them all at once."""

    note = forms.CharField(
        label=_("점검 결과"),
        required=False,
        strip=False,
        widget=forms.Textarea(
            attrs={"rows": 5, "maxlength": ReviewSignOff.NOTE_MAX_LENGTH, "data-counter": ""}
        ),
    )
    # The sign-off the officer read before writing this one (optimistic locking).
    amends = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def amends_id(self) -> int | None:
        try:
            return int(self.data.get("amends") or 0) or None
        except ValueError:
            return -1  # tampered: matches no sign-off, so the service refuses it


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's ValidationError onto the form: a field's message beside the field, any
    other above the form."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for key, messages in error.message_dict.items():
        target = key if key in form.fields else None
        for message in messages:
            form.add_error(target, message)
