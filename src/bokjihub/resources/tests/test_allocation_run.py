from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from bokjihub.resources.models import AllocationLine, AllocationRun, CampaignStatus
from bokjihub.resources.services import (
    allocation_run,
    campaign_open,
    donor_register,
    need_record,
    pledge_add,
    resource_receive,
)

pytestmark = [pytest.mark.django_db, pytest.mark.accept_services]
DAY = timezone.localdate()  # the pages read today; so do the fixtures


@pytest.fixture
def small_gu(gangdong, dong_a, dong_b, gu_office, centre_a, centre_b):
    """Dong A is rich (two donors, one keeping to Dong A), Dong B is poor (needs only)."""
    local = donor_register(
        sigungu=gangdong,
        name="길동 정육점",
        kind="business",
        home_emd=dong_a,
        allowed_emd=dong_a,
        registered_by=centre_a,
    )
    open_hand = donor_register(
        sigungu=gangdong,
        name="길동 교회",
        kind="religious",
        home_emd=dong_a,
        allowed_group="children",
        registered_by=centre_a,
    )
    resource_receive(
        donor=local,
        kind="cash",
        description="후원금",
        quantity=200_000,
        unit="원",
        held_by=centre_a,
        received_on=DAY,
    )
    resource_receive(
        donor=open_hand,
        kind="cash",
        description="아동 후원금",
        quantity=300_000,
        unit="원",
        held_by=centre_a,
        received_on=DAY,
    )
    resource_receive(
        donor=open_hand,
        kind="in_kind",
        description="상한 우유",
        quantity=10,
        unit="개",
        value_krw=20_000,
        held_by=centre_a,
        received_on=DAY - timedelta(days=30),
        expires_on=DAY - timedelta(days=1),
    )
    needs = [
        need_record(
            emd=dong_a,
            target_group="elderly",
            kind="cash",
            quantity=100_000,
            weight=2,
            description="생계비",
            recorded_by=centre_a,
        ),
        need_record(
            emd=dong_b,
            target_group="children",
            kind="cash",
            quantity=300_000,
            weight=5,
            description="아동 생계비",
            recorded_by=centre_b,
        ),
        need_record(
            emd=dong_b,
            target_group="elderly",
            kind="cash",
            quantity=100_000,
            weight=3,
            description="어르신 생계비",
            recorded_by=centre_b,
        ),
        need_record(
            emd=dong_b,
            target_group="elderly",
            kind="in_kind",
            quantity=20_000,
            weight=1,
            description="우유",
            recorded_by=centre_b,
        ),
    ]
    return needs


def test_a_run_respects_every_restriction_and_lifts_the_poor_dong(
    small_gu, gangdong, gu_case_manager, gu_office, dong_a
):
    run = allocation_run(
        sigungu=gangdong, run_by=gu_case_manager, organisation=gu_office, today=DAY
    )
    lines = list(AllocationLine.objects.filter(run=run).select_related("resource__donor", "need"))
    assert lines
    for line in lines:
        donor = line.resource.donor
        assert line.resource.kind == line.need.kind
        assert donor.allowed_emd_id in (None, line.need.emd_id)
        assert donor.allowed_group in ("", line.need.target_group)
        assert line.resource.expires_on is None or line.resource.expires_on >= DAY
    assert run.min_coverage > run.baseline_min_coverage
    assert run.min_coverage >= run.equity_floor - 1e-6
    assert run.dongs.count() == 2


def test_a_donor_restricted_to_cash_refuses_goods(gangdong, centre_a, dong_a):
    donor = donor_register(
        sigungu=gangdong, name="현금만", kind="person", allowed_kind="cash", registered_by=centre_a
    )
    with pytest.raises(ValidationError):
        resource_receive(
            donor=donor,
            kind="in_kind",
            description="쌀",
            quantity=1,
            unit="포",
            value_krw=30_000,
            held_by=centre_a,
            received_on=DAY,
        )


def test_the_pledge_that_reaches_the_target_completes_the_campaign(centre_a, dong_a):
    campaign = campaign_open(
        organisation=centre_a,
        title="교복 12벌",
        target_group="children",
        target_quantity=12,
        unit="벌",
        deadline=DAY + timedelta(days=30),
        opened_on=DAY,
        emd=dong_a,
    )
    pledge_add(campaign=campaign, pledger_name="이웃", quantity=5, pledged_on=DAY)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.OPEN
    pledge_add(campaign=campaign, pledger_name="세탁소", quantity=7, pledged_on=DAY)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.COMPLETED
    with pytest.raises(ValidationError):
        pledge_add(campaign=campaign, pledger_name="늦은 이웃", quantity=1, pledged_on=DAY)


def test_the_gu_case_manager_runs_an_allocation_from_the_page(small_gu, login, gu_case_manager):
    client = login(gu_case_manager)
    response = client.post(
        reverse("resources:resources_allocation"), {"floor_slack": "0"}, follow=True
    )
    assert response.status_code == 200
    assert AllocationRun.objects.count() == 1
    assert "가장 낮은 동의 충족률" in response.content.decode()


def test_a_dong_officer_may_not_run_and_sees_only_their_dong(
    small_gu, login, officer_dong_b, gangdong, gu_case_manager, gu_office
):
    allocation_run(sigungu=gangdong, run_by=gu_case_manager, organisation=gu_office, today=DAY)
    client = login(officer_dong_b)
    assert client.post(reverse("resources:resources_allocation")).status_code == 403
    body = client.get(reverse("resources:resources_allocation")).content.decode()
    assert body.count("data-allocation-dong") == 1
    assert "천호1동" in body
    assert "아동 생계비" in body and ">생계비 (" not in body


def test_an_auditor_is_refused_the_resources_pages(login, auditor):
    assert login(auditor).get(reverse("resources:resources_donors")).status_code == 403


@pytest.mark.parametrize(
    "name",
    [
        "resources_donors",
        "resources_inventory",
        "resources_campaigns",
        "resources_recognitions",
        "resources_allocation",
    ],
)
def test_every_resources_page_has_an_empty_state(name, login, gu_case_manager):
    response = login(gu_case_manager).get(reverse(f"resources:{name}"))
    assert response.status_code == 200
    assert "없습니다" in response.content.decode()


def test_the_inventory_lists_the_soonest_expiring_first_and_hides_expired(
    small_gu, login, gu_case_manager
):
    body = login(gu_case_manager).get(reverse("resources:resources_inventory")).content.decode()
    assert "상한 우유" not in body
    assert body.count("data-resource") == 2
