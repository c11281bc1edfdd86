import pytest

from bokjihub.referrals.demo import demo_referrals
from bokjihub.referrals.models import Referral

pytestmark = [pytest.mark.django_db]


def test_the_demo_adds_referrals_once(officer_dong_a, centre_a, senior_centre, household_dong_a):
    organisations = {f"emd:{centre_a.emd.code}": centre_a, "senior_welfare_centre": senior_centre}
    assert demo_referrals(organisations=organisations, officer_username="officer_a") == 1
    assert demo_referrals(organisations=organisations, officer_username="officer_a") == 0
    referral = Referral.objects.get()
    assert (referral.status, referral.case.household) == ("in_service", household_dong_a)
