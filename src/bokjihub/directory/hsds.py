"""Open Referral HSDS 3.x documents ⇄ directory rows: pure mapping, no writes.

HSDS has no field for several of our concepts (kind, situation, benefit, need domain,
household type, capacity, source); they travel as `attributes` whose taxonomy terms live
in the "bokjihub" taxonomy, so another HSDS consumer can read or ignore them. Dongs travel
as `service_areas` whose `uri` is `urn:kr:mois:emd:<10-digit code>`.
"""

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from bokjihub.directory.models import HouseholdType, NeedDomain, Service, ServiceKind, tagged

NAMESPACE = uuid.UUID("0b6f3f8e-2b1d-4f4e-8d8a-3a9d6a0c5e21")
TAXONOMY = "bokjihub"
EMD_URI = "urn:kr:mois:emd:"

# Attributes carrying one text value: term code → (field, Korean term name).
_TEXT_ATTRIBUTES = {
    "kind": ("kind", "서비스 종류"),
    "situation": ("situation", "상황"),
    "benefit": ("benefit", "지원 내용"),
    "address": ("address", "이용 장소"),
    "source": ("source", "출처"),
    "source_key": ("source_key", "출처 키"),
    "source_page": ("source_page", "출처 쪽"),
    "capacity": ("capacity", "정원"),
    "waiting_list": ("waiting_list", "대기 인원"),
    "capacity_confirmed_at": ("capacity_confirmed_at", "정원 확인 일시"),
}
_INTEGER_FIELDS = {"source_page", "capacity", "waiting_list"}
# Attributes that repeat, one per code.
_TAG_ATTRIBUTES = {
    "need_domain": ("need_domains", "욕구 영역", NeedDomain),
    "household_type": ("household_types", "가구 유형", HouseholdType),
}


def _id(*parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join(str(part) for part in parts)))


def _term(code: str, name: str) -> dict[str, Any]:
    return {
        "id": _id("term", code),
        "code": code,
        "name": name,
        "description": name,
        "taxonomy": TAXONOMY,
    }


def _attribute(service: Service, code: str, name: str, value: str) -> dict[str, Any]:
    return {
        "id": _id("attribute", service.pk, code, value),
        "link_id": str(service.pk),
        "link_type": "service",
        "link_entity": "service",
        "taxonomy_term_id": _id("term", code),
        "value": value,
        "taxonomy_term": _term(code, name),
    }


def service_document(service: Service) -> dict[str, Any]:
    """One service as an HSDS compiled service document."""
    doc: dict[str, Any] = {
        "id": str(service.pk),
        "name": service.name,
        "description": service.description,
        "status": service.status,
        "eligibility_description": service.eligibility_description,
        "application_process": service.application_process,
        "last_modified": service.last_modified.isoformat(),
        "attributes": _attributes(service),
        "service_areas": [
            {
                "id": _id("area", service.pk, emd.code),
                "service_id": str(service.pk),
                "name": emd.name_ko,
                "uri": EMD_URI + emd.code,
            }
            for emd in service.emds.all()
        ],
        "contacts": (
            [
                {
                    "id": _id("contact", service.pk),
                    "service_id": str(service.pk),
                    "name": service.contact,
                }
            ]
            if service.contact
            else []
        ),
    }
    for age in ("minimum_age", "maximum_age"):
        if getattr(service, age) is not None:
            doc[age] = getattr(service, age)
    if service.provider is not None:
        org_id = _id("organization", service.provider.pk)
        doc["organization_id"] = org_id
        doc["organization"] = {
            "id": org_id,
            "name": service.provider.name,
            "description": service.provider.get_kind_display(),
        }
    return doc


def _attributes(service: Service) -> list[dict[str, Any]]:
    found = []
    for code, (field_name, name) in _TEXT_ATTRIBUTES.items():
        value = getattr(service, field_name)
        if value is None or value == "":
            continue
        text = value.isoformat() if isinstance(value, datetime) else str(value)
        found.append(_attribute(service, code, name, text))
    for code, (field_name, name, _) in _TAG_ATTRIBUTES.items():
        for value in getattr(service, field_name).split():
            found.append(_attribute(service, code, name, value))
    return found


def service_documents(document: Any) -> list[dict[str, Any]]:
    if isinstance(document, list):
        return document
    if isinstance(document, dict) and "contents" in document:
        return list(document["contents"])
    return [document]


def emd_codes(doc: dict[str, Any]) -> list[str]:
    return [
        area["uri"].removeprefix(EMD_URI)
        for area in doc.get("service_areas") or []
        if (area.get("uri") or "").startswith(EMD_URI)
    ]


def service_values(doc: dict[str, Any]) -> dict[str, Any]:
    """The Service fields an HSDS service document describes (not its Dongs or provider)."""
    values: dict[str, Any] = {
        "id": uuid.UUID(doc["id"]),
        "name": doc["name"],
        "status": doc["status"],
        "description": doc.get("description") or "",
        "eligibility_description": doc.get("eligibility_description") or "",
        "application_process": doc.get("application_process") or "",
        "minimum_age": _whole(doc.get("minimum_age")),
        "maximum_age": _whole(doc.get("maximum_age")),
        "contact": "\n".join(c["name"] for c in doc.get("contacts") or [] if c.get("name")),
        # A foreign document has no kind attribute: an organisation's service is taken to
        # be its programme; one without is a community resource.
        "kind": ServiceKind.LOCAL_PROGRAMME
        if doc.get("organization")
        else ServiceKind.COMMUNITY_RESOURCE,
    }
    for field_name, _ in _TEXT_ATTRIBUTES.values():
        values.setdefault(field_name, None if field_name in _INTEGER_FIELDS else "")
    values["capacity_confirmed_at"] = None
    tags: dict[str, list[str]] = {field_name: [] for field_name, _, _ in _TAG_ATTRIBUTES.values()}
    for attribute in _ours(doc.get("attributes") or []):
        code, value = attribute["taxonomy_term"]["code"], attribute.get("value") or ""
        if code in _TEXT_ATTRIBUTES:
            values[_TEXT_ATTRIBUTES[code][0]] = _parse(code, value)
        elif code in _TAG_ATTRIBUTES:
            field_name, _, choices = _TAG_ATTRIBUTES[code]
            if value in choices.values:
                tags[field_name].append(value)
    for field_name, codes in tags.items():
        values[field_name] = tagged(codes)
    return values


def _ours(attributes: Iterable[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    for attribute in attributes:
        term = attribute.get("taxonomy_term") or {}
        if term.get("taxonomy") == TAXONOMY and term.get("code"):
            yield attribute


def _parse(code: str, value: str) -> Any:
    if code in _INTEGER_FIELDS:
        return int(value)
    if code == "capacity_confirmed_at":
        return datetime.fromisoformat(value)
    return value


def _whole(age: Any) -> int | None:
    return None if age is None else int(age)


def services_page(documents: list[dict[str, Any]]) -> dict[str, Any]:
    """All documents as one page of the HSDS API's /services list."""
    return {
        "total_items": len(documents),
        "total_pages": 1,
        "page_number": 1,
        "size": len(documents),
        "first_page": True,
        "last_page": True,
        "empty": not documents,
        "contents": documents,
    }
