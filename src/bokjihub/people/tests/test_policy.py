"""The sharing policy as a pure function: no database."""

from datetime import UTC, date, datetime, timedelta

from bokjihub.people.policy import (
    ConsentFacts,
    Decision,
    ViewerFacts,
    WithheldReason,
    decide_household,
    decide_person,
)

NOW = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
TODAY = date(2026, 11, 26)
CENTRE, OTHER_CENTRE, NETWORK = 7, 8, 3


def _private(network_ids=frozenset(), covers=True):
    return ViewerFacts(
        is_public=False,
        organisation_id=CENTRE,
        network_ids=frozenset(network_ids),
        covers_household=covers,
    )


def _consent(categories, *, organisation=CENTRE, network=None, withdrawn_at=None, until=None):
    return ConsentFacts(
        consent_id=1,
        recipient_organisation_id=None if network else organisation,
        recipient_network_id=network,
        categories=frozenset(categories),
        given_at=NOW - timedelta(days=30),
        withdrawn_at=withdrawn_at,
        retention_until=until or TODAY + timedelta(days=365),
    )


def _decide(viewer, consents=()):
    return decide_person(viewer=viewer, consents=consents, at=NOW, today=TODAY)


def test_a_private_centre_sees_only_identity_without_consent():
    decisions = _decide(_private())
    assert decisions["identity"].visible
    hidden = [category for category, decision in decisions.items() if not decision.visible]
    assert "income_assets" in hidden and "contact" in hidden and "health" in hidden
    assert decisions["income_assets"].reason == WithheldReason.NO_CONSENT
    assert decisions["income_assets"].reason_label == "동의 없음"


def test_a_consent_opens_exactly_the_categories_it_names():
    decisions = _decide(_private(), [_consent({"income_assets"})])
    assert decisions["income_assets"].visible
    assert decisions["income_assets"].consent_id == 1
    assert not decisions["contact"].visible


def test_a_consent_to_another_organisation_opens_nothing():
    decisions = _decide(_private(), [_consent({"income_assets"}, organisation=OTHER_CENTRE)])
    assert decisions["income_assets"].reason == WithheldReason.NO_CONSENT


def test_a_withdrawn_consent_is_withheld_with_its_own_reason():
    decisions = _decide(_private(), [_consent({"income_assets"}, withdrawn_at=NOW)])
    assert decisions["income_assets"] == Decision("income_assets", False, "withdrawn")
    assert decisions["income_assets"].reason_label == "동의 철회됨"


def test_a_consent_past_its_retention_period_is_withheld_as_expired():
    expired = _consent({"income_assets"}, until=TODAY - timedelta(days=1))
    assert _decide(_private(), [expired])["income_assets"].reason == WithheldReason.EXPIRED


def test_a_network_consent_opens_for_a_current_member_only():
    consent = _consent({"income_assets"}, network=NETWORK)
    assert _decide(_private({NETWORK}), [consent])["income_assets"].visible
    assert not _decide(_private(), [consent])["income_assets"].visible


def test_public_staff_in_jurisdiction_see_public_sector_data_but_not_health():
    viewer = ViewerFacts(
        is_public=True, organisation_id=1, network_ids=frozenset(), covers_household=True
    )
    decisions = _decide(viewer)
    assert decisions["income_assets"].visible and decisions["disability"].visible
    assert decisions["health"].reason == WithheldReason.NO_CONSENT
    assert decisions["case_notes"].reason == WithheldReason.NO_CONSENT


def test_outside_the_jurisdiction_everything_is_withheld_as_out_of_jurisdiction():
    decisions = _decide(_private(covers=False), [_consent({"income_assets"})])
    assert {decision.reason_label for decision in decisions.values()} == {"관할 밖"}


def test_a_household_field_needs_every_member_to_show_the_category():
    shown = _decide(_private(), [_consent({"contact"})])
    hidden = _decide(_private())
    assert decide_household([shown, shown], "contact").visible
    assert decide_household([shown, hidden], "contact").reason == WithheldReason.NO_CONSENT
