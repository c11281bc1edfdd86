"""Every page, as every persona: personal data of the Dong A household must appear
exactly for the personas whose role, jurisdiction and consent allow it, and for nobody
else. A new URL without a row here fails `test_every_url_is_in_the_matrix`."""

import uuid
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
            # in caseload: the centre serves the household / the Dong centre leads its case
            {"private_worker_with_consent", "officer_dong_a"},
        ),
        (
            "person_record",
            lambda c: c.post(reverse("person_record"), {"person": person_id}),
            PUBLIC_IN_JURISDICTION,
        ),
        (
            "consent_new",
            lambda c: c.post(reverse("consent_new"), {"person": person_id}),
            # issue 12: a centre serving the household records the consents it obtains
            SERVING,
        ),
        (
            "consent_withdraw",
            lambda c: c.post(reverse("consent_withdraw"), {"consent": str(consent.id)}),
            PUBLIC_IN_JURISDICTION,
        ),
        ("audit_review", lambda c: c.get(reverse("audit_review")), set()),
        # The privacy officer reads the access-log rows, whose details name what was
        # searched (the personas before it in PERSONAS searched for 김영수).
        ("audit_review_rows", lambda c: c.get(reverse("audit_review_rows")), {"auditor"}),
        (
            "audit_who_viewed",  # the privacy officer's search: what it typed, not more
            lambda c: c.get(
                reverse("audit_who_viewed"), {"name": "김영수", "birth_date": "1945-03-15"}
            ),
            set(),
        ),
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
        # Finding (issue 3): a triage item about the Dong A household, in Dong A's inbox.
        ("finding_inbox", lambda c: c.get(reverse("finding_inbox")), PUBLIC_IN_JURISDICTION),
        (
            "finding_inbox",  # bulk assignment to oneself, then the inbox it redirects to
            lambda c: c.post(
                reverse("finding_inbox"),
                {"items": [_triage_item(household).reference], "to_user": _user_id(c)},
                follow=True,
            ),
            PUBLIC_IN_JURISDICTION,
        ),
        (
            "finding_item",
            lambda c: c.get(reverse("finding_item", args=[_triage_item(household).reference])),
            PUBLIC_IN_JURISDICTION,
        ),
        (
            "finding_item_action",  # "assign to me", then the item page it redirects to
            lambda c: c.post(
                reverse("finding_item_action", args=[_triage_item(household).reference, "assign"]),
                {
                    "assign-to_user": _user_id(c),
                    "assign-expected_version": _triage_item(household).version,
                },
                follow=True,
            ),
            PUBLIC_IN_JURISDICTION,
        ),
        # Report forms (issue 3): the finder persona, once appointed, has reported the Dong A
        # household; neither the finder's pages nor the public form may show it to anyone.
        (
            "finding_report",
            lambda c: _as_finder(c, household).get(reverse("finding_report")),
            set(),
        ),
        (
            "finding_report_sent",
            lambda c: _as_finder(c, household).get(reverse("finding_report_sent")),
            set(),
        ),
        (
            "finding_my_reports",
            lambda c: _as_finder(c, household).get(reverse("finding_my_reports")),
            set(),
        ),
        ("finding_intake", lambda c: c.get(reverse("finding_intake")), set()),
        ("finding_finders", lambda c: c.get(reverse("finding_finders")), set()),
        (
            "finding_public",
            lambda c: c.get(reverse("finding_public", args=[household.emd.sigungu.code])),
            set(),
        ),
        (
            "finding_public_sent",
            lambda c: c.get(reverse("finding_public_sent", args=[household.emd.sigungu.code])),
            set(),
        ),
        # Screening runs (issue 4): counts only, never a household; Gu office staff only.
        ("finding_screening", lambda c: c.get(reverse("finding_screening")), set()),
        (
            "finding_screening_run",
            lambda c: c.get(reverse("finding_screening_run", args=[_screening_run(household)])),
            set(),
        ),
        (
            "finding_screening_run_progress",
            lambda c: c.get(
                reverse("finding_screening_run_progress", args=[_screening_run(household)])
            ),
            set(),
        ),
        # Cases (issue 5): an open case of the Dong A household led by the Dong A centre.
        (
            "case_detail",
            lambda c: c.get(reverse("case_detail", args=[_case(household).id])),
            PUBLIC_IN_JURISDICTION,
        ),
        (
            "case_action",  # a note, then the case page it redirects to: participants only
            lambda c: c.post(
                reverse("case_action", args=[_case(household).id, "note"]),
                {"note-body": "안부 확인", "note-visibility": "participants"},
                follow=True,
            ),
            {"officer_dong_a"},
        ),
        (
            "case_join",
            lambda c: c.post(reverse("case_join", args=[_case(household).id])),
            set(),
        ),
        ("case_today", lambda c: c.get(reverse("case_today")), set()),
        ("case_handover", lambda c: c.get(reverse("case_handover")), set()),
        # Resources (issue 6): no page names a household; a run is made as the Gu manager.
        ("resources_donors", lambda c: c.get(reverse("resources:resources_donors")), set()),
        ("resources_needs", lambda c: c.get(reverse("resources:resources_needs")), set()),
        ("resources_inventory", lambda c: c.get(reverse("resources:resources_inventory")), set()),
        ("resources_campaigns", lambda c: c.get(reverse("resources:resources_campaigns")), set()),
        (
            "resources_recognitions",
            lambda c: c.get(reverse("resources:resources_recognitions")),
            set(),
        ),
        (
            "resources_allocation",
            lambda c: c.post(reverse("resources:resources_allocation"), follow=True),
            set(),
        ),
        # Deliveries (issue 6): case numbers and Dongs only, never the household's data.
        ("case_gaps", lambda c: c.get(reverse("case_gaps")), set()),
        ("case_redundancy", lambda c: c.get(reverse("case_redundancy")), set()),
        (
            "case_redundancy_resolve",
            lambda c: c.post(reverse("case_redundancy_resolve", args=[0]), {"resolve-note": "x"}),
            set(),
        ),
        # The directory is reference data: no household's data on any of its pages.
        ("directory_search", lambda c: c.get(reverse("directory_search"), {"q": "김영수"}), set()),
        ("directory_hsds", lambda c: c.get(reverse("directory_hsds")), set()),
        (
            "directory_provider",
            lambda c: c.get(
                reverse("directory_provider", args=[_referral(household).to_organisation_id])
            ),
            set(),
        ),
        (
            "directory_service",
            lambda c: c.get(reverse("directory_service", args=[uuid.UUID(int=0)])),
            set(),
        ),
        (
            "directory_capacity",
            lambda c: c.post(reverse("directory_capacity", args=[uuid.UUID(int=0)]), {}),
            set(),
        ),
        # The partner API authenticates by token only: a staff session opens nothing.
        ("openapi-json", lambda c: c.get(reverse("partner_api:openapi-json")), set()),
        ("api-root", lambda c: c.get(reverse("partner_api:api-root")), set()),
        (
            "partner_report_create",
            lambda c: c.post(
                reverse("partner_api:partner_report_create"),
                {"concerns": ["isolation"], "subject_name": "김영수"},
                content_type="application/json",
                headers={"Idempotency-Key": "matrix"},
            ),
            set(),
        ),
        (
            "partner_report_status",
            lambda c: c.get(
                reverse(
                    "partner_api:partner_report_status",
                    args=[_triage_item(household).reports.first().id],
                )
            ),
            set(),
        ),
        # Referrals (issue 6): the Dong A case referred to the senior centre, whose head
        # consented to contact: the two parties see the name on the referral, nobody else.
        ("referral_inbox", lambda c: c.get(reverse("referrals:referral_inbox")), set()),
        (
            "referral_detail",
            lambda c: c.get(reverse("referrals:referral_detail", args=[_referral(household).id])),
            {"officer_dong_a", "private_worker_with_consent"},
        ),
        (
            "referral_action",  # confirm receipt, then the referral page it redirects to
            lambda c: c.post(
                reverse("referrals:referral_action", args=[_referral(household).id, "receive"]),
                {
                    "receive-expected_version": _referral(household).version,
                    "receive-idempotency_key": "matrix",
                },
                follow=True,
            ),
            {"private_worker_with_consent"},
        ),
        (
            "referral_send",  # a referral, then the case page it redirects to
            lambda c: c.post(
                reverse("referrals:referral_send", args=[_case(household).id]),
                {
                    "referral-to_organisation": _referral(household).to_organisation_id,
                    "referral-need_domain": "housing",
                    "referral-request_text": "주거비 상담",
                },
                follow=True,
            ),
            # participants only: the Gu case manager has joined the case by this row
            PUBLIC_IN_JURISDICTION,
        ),
        (
            "partner_referral_list",
            lambda c: c.get(reverse("partner_api:partner_referral_list")),
            set(),
        ),
        (
            "partner_referral_status_update",
            lambda c: c.post(
                reverse(
                    "partner_api:partner_referral_status_update", args=[_referral(household).id]
                ),
                {"status": "accepted"},
                content_type="application/json",
                headers={"Idempotency-Key": "matrix"},
            ),
            set(),
        ),
        ("partner_webhooks", lambda c: c.get(reverse("partner_api:partner_webhooks")), set()),
        (
            "partner_webhook_delete",
            lambda c: c.delete(reverse("partner_api:partner_webhook_delete", args=[1])),
            set(),
        ),
        (
            "partner_webhook_deliveries",
            lambda c: c.get(reverse("partner_api:partner_webhook_deliveries")),
            set(),
        ),
    ]


def _as_finder(client, household):
    """If the client is the finder persona, appoint them (a pharmacist of their centre) and
    let them report the household once, so that their pages have something to withhold."""
    from bokjihub.finding.models import Finder
    from bokjihub.finding.services import ReportInput, report_submit
    from bokjihub.orgs.models import Membership

    membership = (
        Membership.objects.filter(user_id=_user_id(client) or None, role="finder")
        .select_related("organisation")
        .first()
    )
    if membership is not None and not Finder.objects.filter(user_id=membership.user_id).exists():
        finder = Finder.objects.create(
            user_id=membership.user_id,
            hub=membership.organisation,
            kind="pharmacist",
            registered_on=membership.started_on,
        )
        data = ReportInput(
            channel="finder",
            concerns=["health"],
            subject_name="김영수",
            subject_address=household.road_address,
            reporter_kind="identified",
            reporter_name="약사",
        )
        report_submit(data=data, sigungu=household.emd.sigungu, finder=finder)
    return client


def _screening_run(household) -> int:
    """A queued screening run of the household's Si/Gun/Gu (no worker takes it here)."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from bokjihub.finding.models import ScreeningRun

    run = ScreeningRun.objects.filter(sigungu=household.emd.sigungu).first()
    if run is None:
        run = ScreeningRun.objects.create(
            sigungu=household.emd.sigungu,
            source="synthetic",
            started_by=get_user_model().objects.order_by("id").first(),
            created_at=timezone.now(),
        )
    return run.pk


def _triage_item(household):
    """The open triage item about the household, received through the finding services
    on first use (the Dong A centre exists by then: the consent fixture made it)."""
    from bokjihub.finding.models import TriageItem
    from bokjihub.finding.services import ReportInput, report_submit

    item = TriageItem.objects.filter(household=household).first()
    if item is None:
        data = ReportInput(
            channel="neighbour",
            concerns=["isolation"],
            subject_rrn="4503151234563",
            subject_name="김영수",
            subject_address=household.road_address,
        )
        item = report_submit(data=data, sigungu=household.emd.sigungu).item
    return item


def _case(household):
    """The open case of the household, led by its Dong centre, opened through the case
    services on first use (the centre exists by then: the consent fixture made it)."""
    from bokjihub.cases.models import Case
    from bokjihub.cases.services import case_open
    from bokjihub.orgs.models import Organisation

    case = Case.objects.filter(household=household, status="open").first()
    if case is None:
        centre = Organisation.objects.get(emd=household.emd, kind="emd_centre")
        case = case_open(household=household, lead_organisation=centre, case_manager=None, by=None)
    return case


def _referral(household):
    """The first referral of the household's case, from its Dong centre to the senior
    centre, sent through the referral services on first use."""
    from bokjihub.orgs.models import Organisation
    from bokjihub.referrals.models import Referral
    from bokjihub.referrals.services import referral_send

    case = _case(household)
    referral = Referral.objects.filter(case=case).order_by("id").first()
    if referral is None:
        referral = referral_send(
            case=case,
            from_organisation=case.lead_organisation,
            by=None,
            to_organisation=Organisation.objects.get(kind="senior_welfare_centre"),
            need_domain="daily_living",
            request_text="밑반찬 배달",
        )
    return referral


def _user_id(client) -> str:
    return str(client.session.get("_auth_user_id", ""))


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
    _case(household_dong_a)  # opened up front, so no row's answer depends on the order
    markers = _markers(household_dong_a)
    failures = []
    for persona in PERSONAS:
        for name, send, allowed in _requests(household_dong_a, income_consent_for_senior_centre):
            response = send(clients(persona))
            sent = unquote(response.wsgi_request.get_full_path()) + str(
                dict(response.wsgi_request.POST)
            )
            shown = _shown(response, markers, sent.replace("450315-1234563", "450315-1"))
            if shown != (persona in allowed):
                failures.append(
                    f"{name} as {persona}: status {response.status_code}, "
                    f"personal data shown={shown}"
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
