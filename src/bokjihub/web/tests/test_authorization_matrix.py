"""Every page, as every persona: personal data of the Dong A household must appear
exactly for the personas whose role, jurisdiction and consent allow it, and for nobody
else. A new URL without a row here fails `test_every_url_is_in_the_matrix`."""

from urllib.parse import unquote

import pytest
from django.urls import get_resolver, reverse

pytestmark = [pytest.mark.django_db, pytest.mark.accept_privacy]

PERSONAS = [
    "anonymous",
    "officer_dong_a",
    "officer_dong_b",
    "gu_case_manager",
    "private_worker_with_consent",
    "private_worker_unlinked",
    "finder",
    "auditor",
]
PUBLIC_IN_JURISDICTION = {"officer_dong_a", "gu_case_manager"}
SERVING = PUBLIC_IN_JURISDICTION | {"private_worker_with_consent"}
PURPOSE = {"purpose": "eligibility", "purpose_text": "긴급지원 자격 확인"}


def _markers(household) -> tuple[str, ...]:
    head = household.members.get()
    return (head.name, head.rrn_masked[:8], "양재대로 1480")


def _shown(response, markers, sent: str) -> bool:
    # A page may echo what was typed into it (the search box): only what the request did
    # not carry counts as disclosed.
    body = response.content.decode(errors="replace")
    return response.status_code == 200 and any(m in body for m in markers if m not in sent)


# (url name, request builder, personas that may see the household's personal data)
def _requests(household, consent):
    person_id = str(household.members.get().id)
    detail = reverse("household_detail", args=[household.reference])
    return [
        ("home", lambda c: c.get(reverse("home")), set()),
        (
            "household_search",
            lambda c: c.get(reverse("household_search"), {"q": "김영수"}),
            SERVING,
        ),
        (
            "household_search",
            lambda c: c.post(reverse("household_search"), {"q": "450315-1234563"}),
            SERVING,
        ),
        ("household_detail", lambda c: c.post(detail, PURPOSE), SERVING),
        (
            "household_detail",
            lambda c: c.get(detail),
            {"private_worker_with_consent"},
        ),  # in caseload
        (
            "person_record",
            lambda c: c.post(reverse("person_record"), {"person": person_id}),
            PUBLIC_IN_JURISDICTION,
        ),
        (
            "consent_new",
            lambda c: c.post(reverse("consent_new"), {"person": person_id}),
            PUBLIC_IN_JURISDICTION,
        ),
        (
            "consent_withdraw",
            lambda c: c.post(reverse("consent_withdraw"), {"consent": str(consent.id)}),
            PUBLIC_IN_JURISDICTION,
        ),
        ("audit_review", lambda c: c.get(reverse("audit_review")), set()),
        (
            "membership_switch",
            lambda c: c.post(reverse("membership_switch"), {"membership": "0"}),
            set(),
        ),
        (
            "set_language",
            lambda c: c.post(reverse("set_language"), {"language": "en", "next": "/"}),
            set(),
        ),
        ("login", lambda c: c.get(reverse("login")), set()),
        ("two_factor_verify", lambda c: c.get(reverse("two_factor_verify")), set()),
        ("two_factor_setup", lambda c: c.get(reverse("two_factor_setup")), set()),
        ("logout", lambda c: c.post(reverse("logout")), set()),
    ]


@pytest.fixture
def clients(request, client, login, django_user_model):
    def _client(persona):
        client.logout()
        if persona == "anonymous":
            return client
        return login(request.getfixturevalue(persona))

    return _client


def test_personal_data_reaches_exactly_the_allowed_personas(
    clients,
    household_dong_a,
    household_dong_b,
    income_consent_for_senior_centre,
    private_worker_with_consent,
):
    markers = _markers(household_dong_a)
    failures = []
    for persona in PERSONAS:
        for name, send, allowed in _requests(household_dong_a, income_consent_for_senior_centre):
            response = send(clients(persona))
            sent = unquote(response.wsgi_request.get_full_path()) + str(dict(response.wsgi_request.POST))
            shown = _shown(response, markers, sent.replace("450315-1234563", "450315-1"))
            if shown != (persona in allowed):
                failures.append(
                    f"{name} as {persona}: status {response.status_code}, personal data shown={shown}"
                )
    assert failures == []


def test_the_admin_is_closed_to_staff_without_the_admin_flag(clients):
    for persona in PERSONAS:
        response = clients(persona).get("/admin/")
        assert response.status_code == 302, persona  # to the admin login
        assert "/admin/login/" in response["Location"]


def test_the_admin_registers_no_household_or_person(db):
    from django.contrib import admin

    registered = {model._meta.label for model in admin.site._registry}
    assert not {label for label in registered if label.startswith("people.")}


def test_every_url_is_in_the_matrix(household_dong_a):
    covered = {name for name, _, _ in _requests(household_dong_a, consent=type("C", (), {"id": 0}))}

    def names(patterns, prefix=""):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                if str(pattern.pattern).startswith("admin/"):
                    continue
                yield from names(pattern.url_patterns)
            elif pattern.name:
                yield pattern.name

    assert set(names(get_resolver().url_patterns)) - covered == set()
