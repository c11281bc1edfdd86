import json
from io import StringIO

import pytest
from django.core.management import call_command

from bokjihub.finding.models import PartnerToken, Report, TriageItem
from bokjihub.finding.partner_tokens import partner_token_issue, partner_token_revoke

pytestmark = pytest.mark.django_db

REPORTS = "/api/reports"
BODY = {
    "concerns": ["utilities_cut_off", "arrears"],
    "subject_name": "박지은",
    "subject_address": "서울특별시 강동구 천호대로 1005 (천호동)",
    "subject_emd_code": "1174060000",
    "free_text": "전기요금 3개월 체납, 단전 예고",
}


@pytest.fixture
def offices(centre_a, centre_b, gu_office):
    return centre_a, centre_b, gu_office


@pytest.fixture
def electricity(gangdong):
    from bokjihub.orgs.services import organisation_create

    return organisation_create(name="한국전력공사 강동지사", kind="electricity", sigungu=gangdong)


@pytest.fixture
def token(offices, electricity):
    return partner_token_issue(organisation=electricity)[1]


def _post(client, token, body=BODY, key="kepco-2026-11-0001"):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if key is not None:
        headers["Idempotency-Key"] = key
    return client.post(REPORTS, json.dumps(body), content_type="application/json", headers=headers)


def test_a_partner_creates_a_report_with_its_token(client, token, electricity, centre_b):
    response = _post(client, token)
    assert response.status_code == 201
    answer = response.json()
    report = Report.objects.get()
    assert answer == {
        "report_id": report.id,
        "item_reference": report.item.reference,
        "joined": False,
        "status": "received",
        "status_label": "접수됨",
    }
    assert (report.channel, report.source_organisation, report.item.hub) == (
        "partner_agency",
        electricity,
        centre_b,
    )
    assert report.reporter_name == "한국전력공사 강동지사"


def test_a_private_centre_reports_on_the_private_channel(client, offices, senior_centre):
    private_token = partner_token_issue(organisation=senior_centre)[1]
    assert _post(client, private_token).status_code == 201
    assert Report.objects.get().channel == "private_centre"


@pytest.mark.accept_intake
def test_replaying_a_request_with_the_same_idempotency_key_creates_nothing_new(client, token):
    first = _post(client, token)
    replay = _post(client, token)
    assert (first.status_code, replay.status_code) == (201, 200)
    assert replay.json() == first.json()
    assert Report.objects.count() == 1
    assert TriageItem.objects.count() == 1


@pytest.mark.accept_intake
def test_the_same_content_under_a_new_key_joins_the_open_item_as_a_duplicate(client, token):
    first = _post(client, token, key="kepco-1").json()
    second = _post(client, token, key="kepco-2")
    assert second.status_code == 201
    assert second.json()["joined"] is True
    assert second.json()["item_reference"] == first["item_reference"]
    assert second.json()["report_id"] != first["report_id"]
    assert TriageItem.objects.get().report_count == 2
    # a replay of the duplicate still says it joined
    assert _post(client, token, key="kepco-2").json()["joined"] is True


@pytest.mark.accept_intake
def test_a_missing_unknown_or_revoked_token_is_refused_with_401(client, token, offices):
    assert _post(client, None).status_code == 401
    unknown = _post(client, "bkh_not-a-real-token")
    assert unknown.status_code == 401
    assert "인증 토큰" in unknown.json()["detail"]
    assert unknown["WWW-Authenticate"] == "Bearer"
    partner_token_revoke(token=PartnerToken.objects.get())
    assert _post(client, token).status_code == 401
    assert not Report.objects.exists()


def test_only_the_hash_of_a_token_is_stored(token):
    row = PartnerToken.objects.get()
    assert token not in str(row.__dict__)
    assert token.startswith(row.prefix)


def test_a_partner_reads_only_the_status_of_its_own_reports(client, token, offices, senior_centre):
    report_id = _post(client, token).json()["report_id"]
    mine = client.get(f"{REPORTS}/{report_id}", headers={"Authorization": f"Bearer {token}"})
    assert mine.status_code == 200
    assert set(mine.json()) == {
        "report_id",
        "item_reference",
        "received_at",
        "status",
        "status_label",
    }
    assert "박지은" not in mine.content.decode()
    other = partner_token_issue(organisation=senior_centre)[1]
    theirs = client.get(f"{REPORTS}/{report_id}", headers={"Authorization": f"Bearer {other}"})
    assert theirs.status_code == 404


@pytest.mark.accept_intake
def test_errors_name_each_field_in_korean(client, token):
    missing = _post(client, token, body={**BODY, "concerns": []})
    assert missing.status_code == 422
    assert missing.json()["errors"]["concerns"] == "걱정되는 점을 하나 이상 골라 주세요."
    wrong_type = _post(client, token, body={**BODY, "subject_birth_year": "천구백"})
    assert wrong_type.status_code == 422
    assert wrong_type.json()["errors"] == {"subject_birth_year": "정수로 보내 주세요."}
    no_key = _post(client, token, key=None)
    assert no_key.status_code == 422
    assert "Idempotency-Key" in no_key.json()["errors"]
    no_body = client.post(
        REPORTS,
        "{not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "k"},
    )
    assert no_body.status_code in (400, 422)
    assert not Report.objects.exists()


def test_the_openapi_schema_is_served_without_a_token(client):
    schema = client.get("/api/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/reports" in schema["paths"]
    assert client.get("/api/docs").status_code == 404  # no docs page (CSP, no CDN)


def test_the_command_prints_a_working_token_once(client, offices, electricity):
    out = StringIO()
    call_command(
        "finding",
        "issue-token",
        "--organisation",
        str(electricity.id),
        stdout=out,
        stderr=StringIO(),
    )
    printed = out.getvalue().strip()
    assert _post(client, printed).status_code == 201
    assert PartnerToken.objects.get().last_used_at is not None


def test_a_public_office_gets_no_token(centre_a):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="공공기관"):
        call_command(
            "finding", "issue-token", "--organisation", str(centre_a.id), stdout=StringIO()
        )
