"""Writes to the service directory: loading the booklet, HSDS import.

`directory_load_booklet` is an idempotent upsert keyed by the service's id, a uuid5 of
(service_id, service name): the booklet reuses a service_id for several services printed on
one page (92-1, 323-1), so the id alone is not a key.
"""

import csv
import hashlib
import io
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from bokjihub.directory import booklet_text, hsds
from bokjihub.directory.models import HouseholdType, NeedDomain, Service, ServiceKind, tagged
from bokjihub.orgs.models import Organisation
from bokjihub.regions.models import EupMyeonDong, ReferenceDataset
from bokjihub.regions.services import dataset_files

BOOKLET_FILE = "kr_welfare_services_2024_booklet.csv"
BOOKLET_SOURCE = "2024 나에게 힘이 되는 복지서비스"
# Stable namespace of the ids minted for booklet services (and HSDS sub-objects).
NAMESPACE = uuid.UUID("6f1c3c52-5d0e-4c39-9a57-0c3b8f7f2d10")

# Chapter spellings vary ("9장. 법률·금융 복지 지원", "법률·금융 지원"): match on a keyword.
_CHAPTER_DOMAINS = (
    ("생계", NeedDomain.LIVELIHOOD),
    ("취업", NeedDomain.EMPLOYMENT),
    ("임신", NeedDomain.PREGNANCY_CHILDCARE),
    ("청소년", NeedDomain.YOUTH),
    ("보건의료", NeedDomain.HEALTH),
    ("노령", NeedDomain.OLD_AGE),
    ("장애인", NeedDomain.DISABILITY),
    ("보훈", NeedDomain.VETERANS),
    ("법률", NeedDomain.LEGAL_FINANCE),
    ("기타", NeedDomain.CRISIS_OTHER),
)
_HOUSEHOLD_WORDS = (
    ("한부모", HouseholdType.SINGLE_PARENT),
    ("조손", HouseholdType.GRANDPARENT_GRANDCHILD),
    ("다문화", HouseholdType.MULTICULTURAL),
    ("장애", HouseholdType.DISABILITY),
    ("어르신", HouseholdType.OLDER_PERSON),
    ("노인", HouseholdType.OLDER_PERSON),
    ("1인 가구", HouseholdType.SINGLE_PERSON),
    ("아동", HouseholdType.WITH_CHILDREN),
)
_MIN_AGE = re.compile(r"만\s?(\d{1,3})세\s?이상")
_MAX_AGE = re.compile(r"만\s?(\d{1,3})세\s?미만")


@dataclass
class LoadReport:
    seen: int = 0
    created: int = 0
    updated: int = 0
    unknown: list[str] = field(default_factory=list)
    # Booklet rows whose source text was a flattened table or a Python literal, and
    # rows whose `other_items` was only a count (see booklet_text).
    tables_rewritten: int = 0
    counts_dropped: int = 0

    def summary(self) -> str:
        text = f"서비스 {self.seen:,}건(신규 {self.created:,}, 변경 {self.updated:,})"
        if self.tables_rewritten or self.counts_dropped:
            text += (
                f", 표·목록 글을 읽기 쉽게 고친 서비스 {self.tables_rewritten:,}건, "
                f"설명 대신 개수만 있던 서비스 {self.counts_dropped:,}건"
            )
        if self.unknown:
            text += f", 찾지 못한 참조 {len(self.unknown):,}건"
        return text


def booklet_service_id(source_key: str, name: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"booklet-2024:{source_key}:{name}")


def need_domain_of_chapter(chapter: str) -> NeedDomain | None:
    return next((domain for word, domain in _CHAPTER_DOMAINS if word in chapter), None)


def directory_load_booklet() -> LoadReport:
    """Load (or bring up to date) the booklet's 463 public benefits and their provenance."""
    raw = (dataset_files() / BOOKLET_FILE).read_bytes()
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    with transaction.atomic():
        report = _upsert([_booklet_values(row) for row in rows])
        report.tables_rewritten = sum(1 for row in rows if _has_table_text(row))
        report.counts_dropped = sum(
            1 for row in rows if booklet_text.is_degenerate(row["other_items"])
        )
        ReferenceDataset.objects.update_or_create(
            name=BOOKLET_FILE,
            defaults={
                "source": "rovest/BOKJIRO_AI commit f2a246c37555cfa3295ff474011468a36a22c071, "
                "data/vd_base_v2_refined.json (서비스 단위로 재구성)",
                "as_of": date(2024, 4, 1),
                "attribution": "사회보장위원회·보건복지부, 「2024 나에게 힘이 되는 복지서비스」; "
                "전사: rovest/BOKJIRO_AI (MIT)",
                "licence": "MIT (전사본); 책자 본문 자체 제작 활용 허용(이미지 제외)",
                "sha256": hashlib.sha256(raw).hexdigest(),
            },
        )
    return report


def _booklet_values(row: dict[str, str]) -> dict[str, Any]:
    domain = need_domain_of_chapter(row["chapter"])
    text = " ".join((row["service_name"], row["situation"], row["target"]))
    minimum, maximum = _age_range(row["target"])
    return {
        "id": booklet_service_id(row["service_id"], row["service_name"]),
        "name": row["service_name"],
        "description": _booklet_description(row),
        "kind": ServiceKind.PUBLIC_BENEFIT,
        "situation": row["situation"],
        "eligibility_description": booklet_text.readable(row["target"]),
        "benefit": booklet_text.readable(row["benefit"]),
        "application_process": booklet_text.readable(row["how_to_apply"]),
        "contact": booklet_text.readable(row["contact"]),
        "need_domains": tagged([domain] if domain else []),
        "household_types": tagged([kind for word, kind in _HOUSEHOLD_WORDS if word in text]),
        "minimum_age": minimum,
        "maximum_age": maximum,
        "source": BOOKLET_SOURCE,
        "source_key": row["service_id"],
        "source_page": int(row["source_page"]) if row["source_page"].isdigit() else None,
    }


def _has_table_text(row: dict[str, str]) -> bool:
    return any(
        booklet_text.readable(row[name]) != " ".join(row[name].split())
        for name in ("target", "benefit", "how_to_apply", "contact")
        if row[name].strip()
    )


def _booklet_description(row: dict[str, str]) -> str:
    """The transcription's `other_items` holds only a count of the other items ("4",
    once shown as "설명: 4"); a real text there would be kept. Otherwise the summary of
    what the service gives, else of whom it is for; empty when the booklet says neither
    (the page then points to the booklet page instead)."""
    if not booklet_text.is_degenerate(row["other_items"]):
        return booklet_text.readable(row["other_items"])
    return booklet_text.summary(row["benefit"], row["target"])


def _age_range(target: str) -> tuple[int | None, int | None]:
    """Ages written as "만 65세 이상" / "만 8세 미만", only where each occurs once: a target
    text listing several groups says nothing about a single range."""
    lows, highs = _MIN_AGE.findall(target), _MAX_AGE.findall(target)
    minimum = int(lows[0]) if len(lows) == 1 else None
    maximum = int(highs[0]) - 1 if len(highs) == 1 else None
    if minimum is not None and maximum is not None and minimum > maximum:
        return None, None
    return minimum, maximum


_COMPARED = (
    "name",
    "description",
    "kind",
    "status",
    "situation",
    "eligibility_description",
    "benefit",
    "application_process",
    "contact",
    "need_domains",
    "household_types",
    "minimum_age",
    "maximum_age",
    "provider_id",
    "address",
    "capacity",
    "waiting_list",
    "capacity_confirmed_at",
    "source",
    "source_key",
    "source_page",
)


def _upsert(
    rows: Iterable[dict[str, Any]], emds: dict[uuid.UUID, list[int]] | None = None
) -> LoadReport:
    """Create missing services and update changed ones; `emds` (by service id), when
    given, replaces each listed service's Dongs."""
    rows = list(rows)
    existing = Service.objects.in_bulk([row["id"] for row in rows])
    report = LoadReport(seen=len(rows))
    to_create, to_update, changed = [], [], set()
    for values in rows:
        current = existing.get(values["id"])
        if current is None:
            to_create.append(Service(**values))
            continue
        diff = [name for name, value in values.items() if getattr(current, name) != value]
        if diff:
            for name in diff:
                setattr(current, name, values[name])
            to_update.append(current)
            changed.update(diff)
    Service.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        Service.objects.bulk_update(to_update, sorted(changed | {"last_modified"}), batch_size=500)
    report.created, report.updated = len(to_create), len(to_update)
    for service_id, emd_ids in (emds or {}).items():
        Service.objects.get(pk=service_id).emds.set(emd_ids)
    return report


def directory_import_hsds(*, document: Any) -> LoadReport:
    """Import HSDS service documents (a list, an API page with `contents`, or one
    service); upsert by HSDS id. Dongs are matched by code, providers by name."""
    services = hsds.service_documents(document)
    codes = {code for doc in services for code in hsds.emd_codes(doc)}
    emd_by_code = _current_emds(codes)
    names = {doc["organization"]["name"] for doc in services if doc.get("organization")}
    orgs = {org.name: org.pk for org in Organisation.objects.filter(name__in=names)}
    rows, emds, unknown = [], {}, []
    for doc in services:
        values = hsds.service_values(doc)
        org_name = (doc.get("organization") or {}).get("name")
        values["provider_id"] = orgs.get(org_name) if org_name else None
        if org_name and org_name not in orgs:
            unknown.append(f"기관 {org_name}")
        found = [emd_by_code[c] for c in hsds.emd_codes(doc) if c in emd_by_code]
        unknown += [f"읍·면·동 {c}" for c in hsds.emd_codes(doc) if c not in emd_by_code]
        emds[values["id"]] = found
        rows.append(values)
    with transaction.atomic():
        report = _upsert(rows, emds)
    report.unknown = unknown
    return report


def _current_emds(codes: set[str]) -> dict[str, int]:
    """The latest row of each code (a code can have several validity periods)."""
    latest: dict[str, tuple[date, int]] = {}
    for emd in EupMyeonDong.objects.filter(code__in=codes).only("pk", "code", "valid_from"):
        start = emd.valid_from or date.min
        if emd.code not in latest or latest[emd.code][0] < start:
            latest[emd.code] = (start, emd.pk)
    return {code: pk for code, (_, pk) in latest.items()}


class CapacityConflict(Exception):
    """Someone else confirmed the capacity after the form was opened."""

    message = _(
        "다른 직원이 그사이에 정원·대기 인원을 먼저 확인했습니다. "
        "최신 값을 확인한 뒤 다시 저장하세요."
    )


_UNCHECKED = object()


def service_capacity_confirm(
    *,
    service: Service,
    capacity: int | None,
    waiting_list: int | None,
    at: datetime,
    expected_confirmed_at: datetime | object | None = _UNCHECKED,
) -> Service:
    """A provider confirms its places and waiting list as of `at`.

    With `expected_confirmed_at` (what the form showed), a confirmation made by someone
    else in between is refused instead of being overwritten silently."""
    with transaction.atomic():
        locked = Service.objects.select_for_update().get(pk=service.pk)
        if (
            expected_confirmed_at is not _UNCHECKED
            and locked.capacity_confirmed_at != expected_confirmed_at
        ):
            raise CapacityConflict(CapacityConflict.message)
        locked.capacity, locked.waiting_list, locked.capacity_confirmed_at = (
            capacity,
            waiting_list,
            at,
        )
        locked.save(
            update_fields=["capacity", "waiting_list", "capacity_confirmed_at", "last_modified"]
        )
    return locked


def directory_export_hsds() -> dict[str, Any]:
    """The whole directory as one HSDS API page of compiled service documents."""
    services = Service.objects.select_related("provider").prefetch_related("emds").order_by("pk")
    return hsds.services_page([hsds.service_document(service) for service in services])


def service_create(
    *,
    name: str,
    kind: str,
    provider: Organisation | None = None,
    emds: Iterable[EupMyeonDong] = (),
    need_domains: Iterable[str] = (),
    household_types: Iterable[str] = (),
    **fields: Any,
) -> Service:
    """A local programme or community resource entered by its provider."""
    with transaction.atomic():
        service = Service.objects.create(
            name=name,
            kind=kind,
            provider=provider,
            need_domains=tagged(list(need_domains)),
            household_types=tagged(list(household_types)),
            **fields,
        )
        service.emds.set(list(emds))
    return service
