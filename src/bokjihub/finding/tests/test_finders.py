from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError

from bokjihub.finding.finders import finder_group_stats, finder_register
from bokjihub.finding.models import Finder
from bokjihub.finding.services import (
    ReportInput,
    item_close,
    item_match_confirm,
    report_submit,
)
from bokjihub.orgs.actors import actor_for
from bokjihub.orgs.models import Membership
from bokjihub.orgs.services import network_create, user_create

pytestmark = pytest.mark.django_db

MONTH = date(2026, 11, 1)


def _user(username: str):
    return user_create(username=username, password="x-Very-long-9", display_name=username)


def _report(gangdong, finder, name: str, address="서울특별시 강동구 양재대로 1480 (길동)"):
    data = ReportInput(
        channel="finder",
        concerns=["isolation"],
        subject_name=name,
        subject_address=address,
        reporter_kind="identified",
        reporter_name=str(finder.user),
    )
    return report_submit(
        data=data,
        sigungu=gangdong,
        finder=finder,
        received_at=datetime.fromisoformat("2026-11-10T10:00:00+09:00"),
    )


def test_registering_a_finder_gives_them_the_finder_role_at_the_hub(centre_a):
    user = _user("pharmacist")
    finder = finder_register(
        user=user, hub=centre_a, kind="pharmacist", registered_on=date(2026, 3, 2)
    )
    assert finder.hub == centre_a
    membership = Membership.objects.get(user=user, organisation=centre_a)
    assert membership.role == "finder"
    assert actor_for(user=user).role == "finder"


def test_only_a_dong_centre_or_a_gu_office_appoints_finders(senior_centre):
    with pytest.raises(ValidationError) as refused:
        finder_register(
            user=_user("shop"), hub=senior_centre, kind="shop_owner", registered_on=MONTH
        )
    assert "hub" in refused.value.message_dict
    assert not Finder.objects.exists()


def test_a_person_is_registered_as_a_finder_only_once(centre_a, centre_b):
    user = _user("nurse")
    finder_register(user=user, hub=centre_a, kind="visiting_nurse", registered_on=MONTH)
    with pytest.raises(ValidationError) as refused:
        finder_register(user=user, hub=centre_b, kind="visiting_nurse", registered_on=MONTH)
    assert "이미 발굴단" in refused.value.message_dict["user"][0]


@pytest.mark.accept_intake
def test_group_statistics_count_reports_and_the_share_found_per_kind_and_network(
    centre_a, centre_b, gu_office, gangdong, officer_dong_a, household_dong_a
):
    network = network_create(
        name="강동 약사회 협약", kind="mou", sigungu=gangdong, members=[gu_office]
    )
    pharmacist_1 = finder_register(
        user=_user("p1"), hub=centre_a, kind="pharmacist", network=network, registered_on=MONTH
    )
    pharmacist_2 = finder_register(
        user=_user("p2"), hub=centre_a, kind="pharmacist", network=network, registered_on=MONTH
    )
    dong_head = finder_register(
        user=_user("head"), hub=centre_a, kind="dong_head", registered_on=MONTH
    )
    finder_register(user=_user("other"), hub=centre_b, kind="pharmacist", registered_on=MONTH)
    found = _report(gangdong, pharmacist_1, "김영수").item
    _report(gangdong, pharmacist_2, "김영수")  # the same person: joins the same item
    _report(gangdong, pharmacist_2, "이순자")
    _report(gangdong, dong_head, "박말순")
    item_match_confirm(item=found, household=household_dong_a, by=officer_dong_a)
    item_close(item=found, outcome="found", by=officer_dong_a)

    stats = finder_group_stats(hub_or_sigungu=centre_a, month=MONTH)

    by_kind = {group.label: group for group in stats.by_kind}
    assert (by_kind["약사"].finders, by_kind["약사"].reports, by_kind["약사"].items) == (2, 3, 2)
    assert by_kind["약사"].found == 1
    assert by_kind["약사"].found_share == 0.5
    assert (by_kind["통·반장"].reports, by_kind["통·반장"].found_share) == (1, 0.0)
    by_network = {group.label: group for group in stats.by_network}
    assert by_network["강동 약사회 협약"].reports == 3
    assert by_network["소속 네트워크 없음"].reports == 1
    # the Gu sees the finders of every hub, the other Dong's pharmacist included
    assert finder_group_stats(hub_or_sigungu=gangdong, month=MONTH).by_kind[0].finders == 3
    assert (
        finder_group_stats(hub_or_sigungu=centre_a, month=date(2026, 10, 1)).by_kind[0].reports == 0
    )


def test_hub_staff_see_their_finders_and_the_statistics(client, login, officer_dong_a, centre_a):
    finder_register(user=_user("약사김"), hub=centre_a, kind="pharmacist", registered_on=MONTH)
    response = login(officer_dong_a).get("/finding/finders/", {"month": "2026-11"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "약사김" in body
    assert "2026년 11월 발굴단 실적" in body


def test_a_finder_may_not_open_the_finder_list(client, login, finder):
    assert login(finder).get("/finding/finders/").status_code == 403
