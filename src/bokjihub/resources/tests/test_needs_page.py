"""Recording a waiting need from the resources pages: it joins the Gu's pool."""

import pytest
from django.urls import reverse

from bokjihub.resources.models import WaitingNeed

pytestmark = [pytest.mark.django_db, pytest.mark.accept_services]

NEED = {
    "target_group": "children",
    "kind": "in_kind",
    "quantity": "300000",
    "weight": "4",
    "description": "중학생 교복 1벌",
}


def test_a_dong_officer_records_a_need_in_their_own_dong(login, officer_dong_a, dong_a):
    client = login(officer_dong_a)
    page = client.get(reverse("resources:resources_needs"))
    assert [code for code, _ in page.context["form"].fields["emd"].choices] == [dong_a.code]
    response = client.post(reverse("resources:resources_needs"), {**NEED, "emd": dong_a.code})
    assert response.status_code == 303
    need = WaitingNeed.objects.get()
    assert (need.emd, need.quantity, need.weight, need.status) == (dong_a, 300000, 4, "waiting")
    assert need.recorded_by == officer_dong_a.memberships.get().organisation
    listed = client.get(reverse("resources:resources_needs")).content.decode()
    assert "중학생 교복 1벌" in listed


def test_a_dong_officer_cannot_record_a_need_in_another_dong(login, officer_dong_a, dong_b):
    response = login(officer_dong_a).post(
        reverse("resources:resources_needs"), {**NEED, "emd": dong_b.code}
    )
    assert response.status_code == 400
    assert not WaitingNeed.objects.exists()


def test_bad_input_gets_a_specific_message_and_keeps_what_was_typed(
    login, gu_case_manager, dong_b
):
    response = login(gu_case_manager).post(
        reverse("resources:resources_needs"), {**NEED, "emd": dong_b.code, "quantity": "많이"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "필요한 양은 숫자로 적어 주세요." in body
    assert 'value="중학생 교복 1벌"' in body
    assert not WaitingNeed.objects.exists()


def test_an_auditor_may_not_record_needs(login, auditor, dong_a):
    response = login(auditor).post(
        reverse("resources:resources_needs"), {**NEED, "emd": dong_a.code}
    )
    assert response.status_code == 403
    assert not WaitingNeed.objects.exists()
