"""The allocation page's ?run= (a bad value is a 404, never a 500), the shared list
helper of the Gu's pages, and the waiting-needs selector the needs page and the
allocation share."""

import pytest
from django.urls import reverse
from django.utils import timezone

from bokjihub.resources.models import NeedStatus, WaitingNeed
from bokjihub.resources.selectors import allocation_input, waiting_needs_of
from bokjihub.resources.services import allocation_run, need_record

pytestmark = [pytest.mark.django_db, pytest.mark.accept_services]


def _need(emd, organisation, *, weight, description):
    return need_record(
        emd=emd,
        target_group="children",
        kind="in_kind",
        quantity=1,
        weight=weight,
        description=description,
        recorded_by=organisation,
    )


@pytest.fixture
def needs(dong_a, dong_b, centre_a, centre_b):
    light = _need(dong_a, centre_a, weight=1, description="가벼운 욕구")
    heavy_b = _need(dong_b, centre_b, weight=5, description="천호1동 급한 욕구")
    heavy_a = _need(dong_a, centre_a, weight=5, description="길동 급한 욕구")
    met = _need(dong_a, centre_a, weight=5, description="이미 지원한 욕구")
    WaitingNeed.objects.filter(pk=met.pk).update(status=NeedStatus.FULFILLED)
    return light, heavy_b, heavy_a


@pytest.fixture
def run(gangdong, gu_case_manager, gu_office, needs):
    return allocation_run(sigungu=gangdong, run_by=gu_case_manager, organisation=gu_office)


@pytest.mark.parametrize("value", ["abc", "1.5", "-", "99999999999999999999999"])
def test_a_run_that_is_not_a_number_is_a_404_not_a_500(value, login, gu_case_manager, run):
    response = login(gu_case_manager).get(reverse("resources:resources_allocation"), {"run": value})
    assert response.status_code == 404


def test_an_unknown_run_is_a_404_and_a_known_one_is_shown(login, gu_case_manager, run):
    client = login(gu_case_manager)
    url = reverse("resources:resources_allocation")
    assert client.get(url, {"run": run.pk + 1000}).status_code == 404
    shown = client.get(url, {"run": str(run.pk)})
    assert shown.status_code == 200
    assert shown.context["run"] == run
    assert client.get(url).context["run"] == run


def test_waiting_needs_are_the_most_urgent_first_and_only_the_waiting(gangdong, dong_a, needs):
    light, heavy_b, heavy_a = needs
    assert list(waiting_needs_of(gangdong)) == [heavy_b, heavy_a, light]
    assert list(waiting_needs_of(gangdong, emd=dong_a)) == [heavy_a, light]


def test_the_allocation_reads_the_same_waiting_needs_in_id_order(gangdong, needs):
    data = allocation_input(gangdong, today=timezone.localdate())
    assert data.needs == sorted(needs, key=lambda need: need.pk)


def test_the_needs_page_lists_a_dong_officer_only_their_dongs_needs(login, officer_dong_a, needs):
    light, _, heavy_a = needs
    page = login(officer_dong_a).get(reverse("resources:resources_needs"))
    assert page.status_code == 200
    assert list(page.context["page"].object_list) == [heavy_a, light]


def test_the_gu_lists_share_one_helper_and_keep_their_context(login, gu_case_manager, gangdong):
    client = login(gu_case_manager)
    for name in ("donors", "inventory", "campaigns", "recognitions"):
        response = client.get(reverse(f"resources:resources_{name}"))
        assert response.status_code == 200
        assert response.context["sigungu"] == gangdong
        assert response.context["page"].number == 1
    inventory = client.get(reverse("resources:resources_inventory"))
    assert inventory.context["today"] == timezone.localdate()
