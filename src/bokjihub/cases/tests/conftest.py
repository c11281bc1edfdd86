"""Fixtures of the case tests: the Gu case manager's open case of the Dong A household."""

from datetime import timedelta

import pytest
from django.utils import timezone


@pytest.fixture
def case_a(gu_case_manager, gu_office, household_dong_a):
    from bokjihub.cases.services import case_open

    return case_open(
        household=household_dong_a,
        lead_organisation=gu_office,
        case_manager=gu_case_manager,
        by=gu_case_manager,
        summary="임대료 체납, 고립",
    )


@pytest.fixture
def review_day():
    return timezone.localdate() + timedelta(days=30)


@pytest.fixture
def frozen(monkeypatch):
    """Make timezone.now() return a fixed moment (the services read the clock there)."""

    def _freeze(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return _freeze
