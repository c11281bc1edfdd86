"""The HSDS example documents: imported, then exported again, they come back equivalent
on every field the directory keeps, and the re-export validates against the compiled
service schema.

"Equivalent" is field-for-field on what the directory models (id, name, description,
status, eligibility, application process, ages). HSDS fields with no column here (url,
email, fees, schedules, phones, programme, accreditations, …) are not kept and so are not
exported again; directory/hsds.py says which of our own concepts travel as attributes.
"""

import json

import pytest

from bokjihub.directory.hsds import service_documents
from bokjihub.directory.services import directory_export_hsds, directory_import_hsds
from bokjihub.directory.tests.test_hsds import HSDS

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.accept_services,
    pytest.mark.skipif(HSDS is None, reason="the HSDS reference is not in this checkout"),
]

KEPT = (
    "id",
    "name",
    "description",
    "status",
    "eligibility_description",
    "application_process",
    "minimum_age",
    "maximum_age",
)


def _kept(document: dict) -> dict:
    kept = {field: document.get(field) for field in KEPT}
    for age in ("minimum_age", "maximum_age"):
        if kept[age] is not None:
            kept[age] = int(kept[age])
    for text in ("description", "eligibility_description", "application_process"):
        kept[text] = kept[text] or ""
    return kept


def _examples() -> list[dict]:
    documents = []
    for name in ("service_full.json", "service_list.json"):
        documents += service_documents(json.loads((HSDS / "examples" / name).read_text()))
    return documents


def test_the_example_services_come_back_equivalent_after_import_and_export():
    examples = {doc["id"]: doc for doc in _examples()}
    assert examples, "no example service documents found"
    for doc in examples.values():
        directory_import_hsds(document=doc)
    exported = {doc["id"]: doc for doc in directory_export_hsds()["contents"]}
    assert set(exported) == set(examples)
    for service_id, example in examples.items():
        assert _kept(exported[service_id]) == _kept(example), example["name"]


def test_the_re_exported_examples_validate_against_the_compiled_schema():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((HSDS / "schema" / "compiled" / "service.json").read_text())
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    for doc in _examples():
        directory_import_hsds(document=doc)
    errors = [
        f"{doc['name']}: {error.message}"
        for doc in directory_export_hsds()["contents"]
        for error in validator.iter_errors(doc)
    ]
    assert errors == []
