import pytest

from bokjihub.audit.models import AccessAction, AccessLog, AccessPurpose
from bokjihub.audit.selectors import access_log_verify
from bokjihub.audit.services import access_denied_record
from bokjihub.audit.tests.helpers import actor

pytestmark = pytest.mark.django_db


def test_a_refused_read_is_logged_in_the_chain_with_the_reference_asked_for(
    officer_dong_b, household_dong_a
):
    row = access_denied_record(
        actor=actor(officer_dong_b),
        reference=household_dong_a.reference,
        purpose=AccessPurpose.ELIGIBILITY,
    )
    stored = AccessLog.objects.get(id=row.id)
    assert (stored.action, stored.purpose, stored.username) == (
        AccessAction.ACCESS_DENIED,
        AccessPurpose.ELIGIBILITY,
        "officer_b",
    )
    assert stored.detail == f"가구 {household_dong_a.reference}"
    # Not resolved: the refused actor's row must not say which household that is.
    assert (stored.household_id, stored.person_ids) == (None, [])
    assert access_log_verify().ok


def test_a_long_reference_is_cut_to_fit_the_log(officer_dong_b):
    row = access_denied_record(actor=actor(officer_dong_b), reference="x" * 500)
    assert len(AccessLog.objects.get(id=row.id).detail) == 200
