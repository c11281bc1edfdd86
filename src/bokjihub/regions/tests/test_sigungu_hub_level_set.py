"""sigungu_hub_level_set: where a Si/Gun/Gu runs its welfare hub."""

import pytest

from bokjihub.regions.models import HubLevel, Sigungu
from bokjihub.regions.services import sigungu_hub_level_set


@pytest.mark.django_db
def test_a_sigungu_can_move_its_hub_to_the_sigungu_office():
    gangdong = Sigungu.objects.get(code="11740")
    assert gangdong.hub_level == HubLevel.EMD_CENTRE

    returned = sigungu_hub_level_set(sigungu=gangdong, hub_level=HubLevel.SIGUNGU_OFFICE)

    assert returned.hub_level == HubLevel.SIGUNGU_OFFICE
    assert Sigungu.objects.get(code="11740").hub_level == HubLevel.SIGUNGU_OFFICE
    assert Sigungu.objects.get(code="11710").hub_level == HubLevel.EMD_CENTRE


@pytest.mark.django_db
def test_an_unknown_hub_level_is_refused_and_nothing_changes():
    gangdong = Sigungu.objects.get(code="11740")

    with pytest.raises(ValueError, match="알 수 없는 허브 수준"):
        sigungu_hub_level_set(sigungu=gangdong, hub_level="national_office")

    assert Sigungu.objects.get(code="11740").hub_level == HubLevel.EMD_CENTRE
