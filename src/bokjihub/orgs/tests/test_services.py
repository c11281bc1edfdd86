import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from bokjihub.orgs.actors import actor_for
from bokjihub.orgs.models import Membership, Sector
from bokjihub.orgs.services import (
    membership_end,
    membership_grant,
    organisation_create,
    require_active_member,
    user_create,
)

pytestmark = pytest.mark.django_db


def test_the_sector_follows_from_the_kind(gangdong, dong_a):
    assert organisation_create(name="센터", kind="emd_centre", emd=dong_a).sector == Sector.PUBLIC
    assert (
        organisation_create(name="복지관", kind="community_welfare_centre", sigungu=gangdong).sector
        == Sector.PRIVATE
    )
    assert (
        organisation_create(name="한전", kind="electricity", sigungu=gangdong).sector
        == Sector.PARTNER
    )
    assert (
        organisation_create(name="교회", kind="religious_organisation", sigungu=gangdong).sector
        == Sector.CIVIC
    )


def test_an_emd_centre_takes_its_gu_from_its_dong(dong_a, gangdong):
    centre = organisation_create(name="길동 센터", kind="emd_centre", emd=dong_a)
    assert centre.sigungu == gangdong
    assert centre.sido == gangdong.sido


def test_an_emd_centre_without_a_dong_gets_a_specific_message():
    with pytest.raises(ValidationError) as raised:
        organisation_create(name="어느 센터", kind="emd_centre")
    assert "읍·면·동" in raised.value.message_dict["emd"][0]


def test_an_unknown_kind_is_refused(gangdong):
    with pytest.raises(ValidationError, match="알 수 없는 기관 유형"):
        organisation_create(name="무엇", kind="spaceport", sigungu=gangdong)


def test_an_emd_centre_row_without_a_dong_is_refused_by_the_database(gangdong):
    from bokjihub.orgs.models import Organisation

    with pytest.raises(IntegrityError):
        Organisation.objects.create(
            name="x", kind="emd_centre", sector="public", sido=gangdong.sido, sigungu=gangdong
        )


def test_granting_the_same_open_membership_twice_keeps_one(centre_a):
    user = user_create(username="kim", password="x-very-long-password-1")
    first = membership_grant(user=user, organisation=centre_a, role="welfare_officer")
    second = membership_grant(user=user, organisation=centre_a, role="welfare_officer")
    assert first == second
    assert Membership.objects.count() == 1


def test_an_ended_membership_no_longer_makes_an_actor(centre_a, centre_b):
    user = user_create(username="lee", password="x-very-long-password-2")
    old = membership_grant(user=user, organisation=centre_a, role="welfare_officer")
    membership_end(membership=old)
    assert actor_for(user=user).membership is None
    new = membership_grant(user=user, organisation=centre_b, role="welfare_officer")
    assert actor_for(user=user, membership_id=old.id).membership == new


def test_the_membership_check_of_the_services_refuses_once_the_membership_ends(centre_a):
    user = user_create(username="park", password="x-very-long-password-3")
    membership = membership_grant(user=user, organisation=centre_a, role="welfare_officer")
    require_active_member(user, centre_a)
    membership_end(membership=membership)
    with pytest.raises(PermissionDenied, match="소속으로 일하고 있지 않습니다"):
        require_active_member(user, centre_a)
