"""delivery_record and the redundancy flags it raises between providers."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from bokjihub.cases.deliveries import delivery_record, redundancy_flag_resolve
from bokjihub.cases.models import CaseEvent, CaseEventKind, RedundancyFlag, RedundancyStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_providers(case_a, private_worker, senior_centre):
    """The Gu office leads case_a; the senior centre serving the household joins it."""
    from bokjihub.cases.services import case_join

    case_join(case=case_a, organisation=senior_centre, by=private_worker)
    return case_a


def _deliver(case, *, user, organisation, provider=None, domain="housing", start, end=None):
    return delivery_record(
        household=case.household,
        case=case,
        domain=domain,
        provider=provider or organisation,
        starts_on=start,
        ends_on=end,
        amount_krw=300_000,
        by=user,
        organisation=organisation,
    )


def test_a_delivery_is_recorded_with_its_timeline_event(case_a, gu_case_manager, gu_office):
    delivery = delivery_record(
        household=case_a.household,
        case=case_a,
        domain="daily_living",
        provider=gu_office,
        starts_on=date(2026, 11, 1),
        units=Decimal("4"),
        unit_label="회",
        description="밑반찬 배달",
        by=gu_case_manager,
        organisation=gu_office,
    )
    event = CaseEvent.objects.get(case=case_a, kind=CaseEventKind.DELIVERY_RECORDED)
    assert event.data == {"delivery_id": delivery.id}
    assert "일상생활 유지" in event.summary


@pytest.mark.parametrize(
    ("changes", "message_field"),
    [
        ({"ends_on": date(2026, 10, 1)}, "ends_on"),
        ({"amount_krw": None}, "amount_krw"),
        ({"amount_krw": None, "units": Decimal("2")}, "unit_label"),
        ({"domain": "money"}, "domain"),
    ],
)
def test_it_refuses_a_delivery_that_does_not_say_what_or_when(
    case_a, gu_case_manager, gu_office, changes, message_field
):
    arguments = {
        "household": case_a.household,
        "case": case_a,
        "domain": "housing",
        "provider": gu_office,
        "starts_on": date(2026, 11, 1),
        "amount_krw": 100_000,
        "by": gu_case_manager,
        "organisation": gu_office,
    } | changes
    with pytest.raises(ValidationError) as refused:
        delivery_record(**arguments)
    assert message_field in refused.value.message_dict


@pytest.mark.accept_services
def test_two_overlapping_deliveries_of_the_same_kind_flag_both_providers(
    two_providers, gu_case_manager, gu_office, private_worker, senior_centre
):
    case = two_providers
    ours = _deliver(
        case, user=gu_case_manager, organisation=gu_office, start=date(2026, 9, 1), end=None
    )
    theirs = _deliver(
        case,
        user=private_worker,
        organisation=senior_centre,
        start=date(2026, 10, 1),
        end=date(2026, 12, 31),
    )
    flags = {flag.organisation_id: flag for flag in RedundancyFlag.objects.all()}
    assert set(flags) == {gu_office.id, senior_centre.id}
    assert (flags[gu_office.id].delivery, flags[gu_office.id].other_delivery) == (ours, theirs)
    assert (flags[senior_centre.id].delivery, flags[senior_centre.id].other_delivery) == (
        theirs,
        ours,
    )
    assert CaseEvent.objects.filter(kind=CaseEventKind.REDUNDANCY_FLAGGED).count() == 2


@pytest.mark.accept_services
@pytest.mark.parametrize(
    ("second", "why"),
    [
        ({"start": date(2026, 10, 1), "end": date(2026, 10, 31)}, "the periods do not meet"),
        ({"start": date(2026, 9, 15), "domain": "health"}, "a different kind of help"),
        ({"start": date(2026, 9, 15), "same_provider": True}, "the same provider"),
    ],
)
def test_deliveries_that_do_not_overlap_in_kind_time_or_provider_raise_no_flag(
    two_providers, gu_case_manager, gu_office, private_worker, senior_centre, second, why
):
    case = two_providers
    _deliver(
        case,
        user=gu_case_manager,
        organisation=gu_office,
        start=date(2026, 9, 1),
        end=date(2026, 9, 30),
    )
    if second.get("same_provider"):
        user, organisation = gu_case_manager, gu_office
    else:
        user, organisation = private_worker, senior_centre
    _deliver(
        case,
        user=user,
        organisation=organisation,
        domain=second.get("domain", "housing"),
        start=second["start"],
        end=second.get("end"),
    )
    assert RedundancyFlag.objects.count() == 0, why


def test_a_third_delivery_flags_each_pair_once(
    two_providers, gu_case_manager, gu_office, private_worker, senior_centre
):
    case = two_providers
    _deliver(case, user=gu_case_manager, organisation=gu_office, start=date(2026, 9, 1))
    _deliver(case, user=private_worker, organisation=senior_centre, start=date(2026, 9, 2))
    _deliver(case, user=private_worker, organisation=senior_centre, start=date(2026, 9, 3))
    # the Gu's delivery overlaps each of the centre's two: two pairs, two flags each
    assert RedundancyFlag.objects.count() == 4
    assert RedundancyFlag.objects.filter(organisation=gu_office).count() == 2


def test_a_provider_resolves_its_own_flag_with_a_note_and_not_the_others(
    two_providers, gu_case_manager, gu_office, private_worker, senior_centre
):
    from django.core.exceptions import PermissionDenied

    case = two_providers
    _deliver(case, user=gu_case_manager, organisation=gu_office, start=date(2026, 9, 1))
    _deliver(case, user=private_worker, organisation=senior_centre, start=date(2026, 9, 2))
    ours = RedundancyFlag.objects.get(organisation=gu_office)
    theirs = RedundancyFlag.objects.get(organisation=senior_centre)
    with pytest.raises(PermissionDenied):
        redundancy_flag_resolve(
            flag=theirs, note="확인", by=gu_case_manager, organisation=gu_office
        )
    with pytest.raises(ValidationError):
        redundancy_flag_resolve(flag=ours, note="  ", by=gu_case_manager, organisation=gu_office)
    redundancy_flag_resolve(
        flag=ours,
        note="복지관과 통화: 임대료와 수리비로 용도가 다름",
        by=gu_case_manager,
        organisation=gu_office,
    )
    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert (ours.status, theirs.status) == (RedundancyStatus.RESOLVED, RedundancyStatus.OPEN)
    assert CaseEvent.objects.filter(kind=CaseEventKind.REDUNDANCY_RESOLVED).count() == 1


def test_outside_a_case_a_provider_records_only_its_own_help_to_a_household_it_serves(
    household_dong_a,
    private_worker,
    senior_centre,
    gu_office,
    private_worker_unlinked,
    youth_centre,
):
    from django.core.exceptions import PermissionDenied

    delivery = delivery_record(
        household=household_dong_a,
        domain="daily_living",
        provider=senior_centre,
        starts_on=date(2026, 11, 1),
        units=Decimal("8"),
        unit_label="회",
        by=private_worker,
        organisation=senior_centre,
    )
    assert delivery.case is None
    with pytest.raises(PermissionDenied):
        delivery_record(
            household=household_dong_a,
            domain="daily_living",
            provider=gu_office,
            starts_on=date(2026, 11, 1),
            amount_krw=1,
            by=private_worker,
            organisation=senior_centre,
        )
    with pytest.raises(PermissionDenied):
        delivery_record(
            household=household_dong_a,
            domain="daily_living",
            provider=youth_centre,
            starts_on=date(2026, 11, 1),
            amount_krw=1,
            by=private_worker_unlinked,
            organisation=youth_centre,
        )
