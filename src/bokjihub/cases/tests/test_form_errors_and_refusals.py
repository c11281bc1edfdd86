"""The one helper that puts a service's refusal on a form, and the one actor check the
gap and redundancy pages share."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse

from bokjihub.cases.forms import KrdsForm, add_service_errors


class _Form(KrdsForm):
    note = forms.CharField(required=False)


def _bound() -> _Form:
    form = _Form({"note": "메모"})
    assert form.is_valid()
    return form


def test_a_fields_message_goes_beside_that_field():
    form = _bound()
    add_service_errors(form, ValidationError({"note": "메모가 너무 깁니다."}))
    assert form.errors == {"note": ["메모가 너무 깁니다."]}


def test_a_message_about_no_field_of_the_form_goes_above_it():
    form = _bound()
    add_service_errors(form, ValidationError({"household": "가구가 없습니다."}))
    assert form.non_field_errors() == ["가구가 없습니다."]
    assert "household" not in form.errors


def test_a_message_without_any_field_goes_above_the_form():
    form = _bound()
    add_service_errors(form, ValidationError(["하나", "둘"]))
    assert form.non_field_errors() == ["하나", "둘"]


def test_the_public_report_form_uses_the_same_helper():
    from bokjihub.finding.report_forms import FinderReportForm

    form = FinderReportForm({})
    form.is_valid()
    form.add_service_errors(ValidationError({"concerns": "걱정되는 점을 골라 주세요."}))
    assert form.errors["concerns"] == ["걱정되는 점을 골라 주세요."]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["case_gaps", "case_redundancy"])
def test_the_gap_and_redundancy_pages_are_refused_to_a_finder(name, login, finder):
    assert login(finder).get(reverse(name)).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["case_gaps", "case_redundancy"])
def test_the_gap_and_redundancy_pages_open_for_a_case_manager(name, login, gu_case_manager):
    assert login(gu_case_manager).get(reverse(name)).status_code == 200
