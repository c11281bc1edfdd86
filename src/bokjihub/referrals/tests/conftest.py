"""Fixtures of the referral tests: the Dong A centre's open case of the Dong A household,
and a referral from it to the senior centre (where the private_worker persona works)."""

import pytest


@pytest.fixture
def case_a(officer_dong_a, centre_a, household_dong_a):
    from bokjihub.cases.services import case_open

    return case_open(
        household=household_dong_a,
        lead_organisation=centre_a,
        case_manager=officer_dong_a,
        by=officer_dong_a,
        summary="월세 3개월 체납, 끼니 거름",
    )


@pytest.fixture
def send_referral(case_a, centre_a, officer_dong_a, senior_centre):
    from bokjihub.referrals.services import referral_send

    def _send(to_organisation=None, **kwargs):
        return referral_send(
            case=case_a,
            from_organisation=centre_a,
            by=officer_dong_a,
            to_organisation=to_organisation or senior_centre,
            need_domain=kwargs.pop("need_domain", "daily_living"),
            request_text=kwargs.pop("request_text", "주 3회 밑반찬 배달을 부탁드립니다."),
            **kwargs,
        )

    return _send


@pytest.fixture
def referral(send_referral, private_worker):
    """Sent to the senior centre, whose worker (private_worker) exists."""
    return send_referral()


@pytest.fixture
def move(senior_centre, private_worker):
    """Move a referral as the senior centre's worker."""
    from bokjihub.referrals.services import referral_status_update

    def _move(referral, to_status, **kwargs):
        kwargs.setdefault("organisation", senior_centre)
        kwargs.setdefault("by", private_worker)
        return referral_status_update(referral=referral, to_status=to_status, **kwargs)

    return _move


@pytest.fixture
def partner_client(client, senior_centre):
    from bokjihub.finding.partner_tokens import partner_token_issue

    token = partner_token_issue(organisation=senior_centre)[1]
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client
