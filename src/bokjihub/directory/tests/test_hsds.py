"""HSDS 3.x export and import: schema validation and a round trip through an empty DB."""

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.forms.models import model_to_dict

from bokjihub.directory.models import HouseholdType, NeedDomain, Service, ServiceKind
from bokjihub.directory.services import (
    directory_export_hsds,
    directory_import_hsds,
    directory_load_booklet,
    service_capacity_confirm,
    service_create,
)

pytestmark = pytest.mark.django_db

SEOUL = ZoneInfo("Asia/Seoul")


def _hsds_reference() -> Path | None:
    """The HSDS schemas sit in the project's shared folder, beside or inside the checkout."""
    root = Path(__file__).resolve().parents[4]
    for candidate in (root / "shared", root.parent / "shared"):
        if (candidate / "reference" / "hsds").is_dir():
            return candidate / "reference" / "hsds"
    return None


HSDS = _hsds_reference()


@pytest.fixture
def directory(dong_a, dong_b, senior_centre):
    directory_load_booklet()
    lunch = service_create(
        name="어르신 무료 점심",
        kind=ServiceKind.LOCAL_PROGRAMME,
        provider=senior_centre,
        emds=[dong_a, dong_b],
        need_domains=[NeedDomain.OLD_AGE, NeedDomain.LIVELIHOOD],
        household_types=[HouseholdType.OLDER_PERSON],
        eligibility_description="만 65세 이상 저소득 어르신",
        minimum_age=65,
        contact="02-000-0000",
        address="서울특별시 강동구 길동 시범노인복지관 1층 식당",
    )
    service_capacity_confirm(
        service=lunch, capacity=40, waiting_list=7, at=datetime(2026, 11, 2, 9, tzinfo=SEOUL)
    )
    return lunch


def _snapshot() -> dict[str, dict]:
    rows = {}
    for service in Service.objects.prefetch_related("emds"):
        row = model_to_dict(service, exclude=["emds"])
        row["emds"] = sorted(emd.code for emd in service.emds.all())
        rows[str(service.pk)] = row
    return rows


def test_an_export_imported_into_an_empty_directory_gives_the_same_services(directory):
    before = _snapshot()
    document = json.loads(json.dumps(directory_export_hsds(), ensure_ascii=False))
    Service.objects.all().delete()

    report = directory_import_hsds(document=document)

    assert (report.created, report.unknown) == (464, [])
    assert _snapshot() == before


def test_importing_the_same_export_twice_changes_nothing(directory):
    document = directory_export_hsds()
    report = directory_import_hsds(document=document)
    assert (report.created, report.updated) == (0, 0)


@pytest.mark.skipif(HSDS is None, reason="the HSDS reference schemas are not in this checkout")
@pytest.mark.accept_services
def test_the_export_validates_against_the_compiled_hsds_service_schema(directory):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((HSDS / "schema" / "compiled" / "service.json").read_text())
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    page = directory_export_hsds()
    assert page["total_items"] == 464
    errors = [
        f"{doc['name']}: {error.message}"
        for doc in page["contents"]
        for error in validator.iter_errors(doc)
    ]
    assert errors == []


@pytest.mark.skipif(HSDS is None, reason="the HSDS example documents are not in this checkout")
@pytest.mark.accept_services
def test_the_hsds_example_service_is_imported_with_its_core_fields():
    example = json.loads((HSDS / "examples" / "service_full.json").read_text())
    report = directory_import_hsds(document=example)
    assert report.created == 1
    service = Service.objects.get(pk=example["id"])
    assert service.name == example["name"]
    assert service.eligibility_description == example["eligibility_description"]
    assert (service.minimum_age, service.maximum_age) == (12, 100)
    exported = directory_export_hsds()["contents"][0]
    for field in ("id", "name", "description", "status", "application_process"):
        assert exported[field] == example[field]


def test_the_commands_export_and_import_a_file(directory, tmp_path, capsys):
    out = tmp_path / "directory.json"
    call_command("directory", "export-hsds", "--out", str(out))
    Service.objects.all().delete()
    call_command("directory", "import-hsds", str(out))
    assert "464" in capsys.readouterr().out
    assert Service.objects.get(name="어르신 무료 점심").waiting_list == 7
