"""The handover page: one POST moves all of a leaving worker's open cases."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def successor(gu_office):
    from conftest import _persona

    return _persona("successor", gu_office, "case_manager")


def test_a_gu_case_manager_hands_over_a_leaving_workers_cases(
    login, case_a, gu_case_manager, successor
):
    client = login(successor)
    page = client.get(reverse("case_handover"))
    assert page.status_code == 200
    response = client.post(
        reverse("case_handover"),
        {"from_user": gu_case_manager.id, "to_user": successor.id, "note": "전보 발령"},
    )
    assert response.status_code == 303
    case_a.refresh_from_db()
    assert case_a.case_manager == successor


def test_the_handover_needs_a_note_and_two_different_people(
    login, case_a, gu_case_manager, successor
):
    client = login(successor)
    response = client.post(
        reverse("case_handover"),
        {"from_user": gu_case_manager.id, "to_user": successor.id, "note": ""},
    )
    assert response.status_code == 400
    response = client.post(
        reverse("case_handover"),
        {"from_user": successor.id, "to_user": successor.id, "note": "x"},
    )
    assert response.status_code == 400
    assert "같습니다" in response.content.decode()
    case_a.refresh_from_db()
    assert case_a.case_manager == gu_case_manager


def test_a_worker_of_another_organisation_cannot_be_picked(
    login, case_a, gu_case_manager, officer_dong_a, successor
):
    response = login(successor).post(
        reverse("case_handover"),
        {"from_user": officer_dong_a.id, "to_user": successor.id, "note": "x"},
    )
    assert response.status_code == 400


def test_an_officer_and_a_private_worker_are_refused(login, officer_dong_a, private_worker):
    assert login(officer_dong_a).get(reverse("case_handover")).status_code == 403
    assert login(private_worker).get(reverse("case_handover")).status_code == 403
