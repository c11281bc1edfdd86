"""A realistic demo of one Si/Gun/Gu: its real Dongs, their centres, the Gu office,
private and partner organisations, one login per role, and a synthetic population.

Running it again reuses what exists (organisations and users by name, the population
when the Si/Gun/Gu already has households), so `make demo` can be run any number of times.
"""

import hashlib
import json
import random
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from bokjihub.engine.rrn import parse_rrn
from bokjihub.engine.screening.registry_world import PlantedCrisis
from bokjihub.engine.synthetic import SyntheticHousehold, generate_population
from bokjihub.orgs.models import Organisation, OrganisationKind, Role, User
from bokjihub.orgs.services import (
    membership_grant,
    network_create,
    organisation_create,
    totp_device_for_demo,
    user_create,
)
from bokjihub.people.identifiers import rrn_encrypt
from bokjihub.people.models import Engagement, Household, Person
from bokjihub.regions.models import EupMyeonDong, Sigungu
from bokjihub.regions.selectors import emds_of_sigungu, sigungu_by_code

DEMO_PASSWORD = "bokjihub-demo-2026"  # noqa: S105 - printed for the demo; refused in production
DEFAULT_SIGUNGU = "11740"  # 강동구, Seoul: the field study's first site
DEFAULT_SEED = 20261126
MAX_DEMO_HOUSEHOLDS = 25_000
BATCH = 2_000

PRIVATE_ORGANISATIONS = [
    ("종합사회복지관", OrganisationKind.COMMUNITY_WELFARE_CENTRE),
    ("노인복지관", OrganisationKind.SENIOR_WELFARE_CENTRE),
    ("장애인복지관", OrganisationKind.DISABILITY_WELFARE_CENTRE),
    ("가족센터", OrganisationKind.MULTICULTURAL_FAMILY_CENTRE),
    ("청소년상담복지센터", OrganisationKind.YOUTH_COUNSELLING_CENTRE),
    ("행복지역아동센터", OrganisationKind.LOCAL_CHILDREN_CENTRE),
    ("지역자활센터", OrganisationKind.SELF_SUFFICIENCY_CENTRE),
    ("복지재단", OrganisationKind.WELFARE_FOUNDATION),
]
PARTNER_ORGANISATIONS = [
    ("한국전력공사 {name}지사", OrganisationKind.ELECTRICITY),
    ("{name} 상수도사업소", OrganisationKind.WATER),
    ("{name} 도시가스 고객센터", OrganisationKind.GAS),
    ("국민건강보험공단 {name}지사", OrganisationKind.HEALTH_INSURANCE),
    ("{name} 고용복지플러스센터", OrganisationKind.EMPLOYMENT_CENTRE),
    ("{name} 교육지원청", OrganisationKind.OFFICE_OF_EDUCATION),
    ("{name} 경찰서", OrganisationKind.POLICE),
    ("{name} 보건소", OrganisationKind.HEALTH_CENTRE),
]
CIVIC_ORGANISATIONS = [
    ("{name} 자원봉사센터", OrganisationKind.VOLUNTEER_GROUP),
    ("{name} 교회협의회", OrganisationKind.RELIGIOUS_ORGANISATION),
    ("{name} 약사회", OrganisationKind.BUSINESS),
]

# (username, role, where, what to call them); "emd" = the first Dong's centre.
DEMO_LOGINS = [
    ("officer", Role.WELFARE_OFFICER, "emd", "동 복지 담당 공무원"),
    ("coordinator", Role.WELFARE_COORDINATOR, "emd", "맞춤형복지팀 코디네이터"),
    ("casemanager", Role.CASE_MANAGER, "office", "희망복지지원단 통합사례관리사"),
    ("socialworker", Role.PRIVATE_SOCIAL_WORKER, "senior_welfare_centre", "노인복지관 사회복지사"),
    ("centremanager", Role.CENTRE_MANAGER, "community_welfare_centre", "종합사회복지관 팀장"),
    ("finder", Role.FINDER, "emd", "명예사회복지공무원(약사)"),
    ("dataoperator", Role.DATA_OPERATOR, "electricity", "한전 자료 제공 담당자"),
    ("secretary", Role.COUNCIL_SECRETARY, "office", "지역사회보장협의체 간사"),
    ("analyst", Role.ANALYST, "office", "복지정책 분석 담당자"),
    ("auditor", Role.AUDITOR, "office", "개인정보 감사 담당자"),
    ("sysadmin", Role.SYSTEM_ADMINISTRATOR, "office", "시스템 관리자"),
]


@dataclass
class DemoReport:
    sigungu: Sigungu
    households_created: int = 0
    households_existing: int = 0
    persons_created: int = 0
    logins: list[tuple[str, str, str]] = field(default_factory=list)
    screening: "ScreeningWorld | None" = None


def _office_name(sigungu: Sigungu) -> str:
    suffix = {"구": "구청", "군": "군청", "시": "시청"}.get(sigungu.name_ko[-1], "청")
    return f"{sigungu.name_ko[:-1]}{suffix} 희망복지지원단"


def _organisation(name: str, kind: str, **where) -> Organisation:
    existing = Organisation.objects.filter(
        name=name, sigungu=where.get("sigungu") or where["emd"].sigungu
    ).first()
    return existing or organisation_create(name=name, kind=kind, **where)


def demo_organisations(sigungu: Sigungu, emds: list[EupMyeonDong]) -> dict[str, Organisation]:
    short = sigungu.name_ko
    found: dict[str, Organisation] = {
        "office": _organisation(
            _office_name(sigungu), OrganisationKind.SIGUNGU_OFFICE, sigungu=sigungu
        ),
    }
    for emd in emds:
        found[f"emd:{emd.code}"] = _organisation(
            f"{emd.name_ko} 행정복지센터", OrganisationKind.EMD_CENTRE, emd=emd
        )
    for suffix, kind in PRIVATE_ORGANISATIONS:
        found[kind] = _organisation(
            f"{short[:-1]}{suffix}", kind, sigungu=sigungu, service_area=emds
        )
    for pattern, kind in PARTNER_ORGANISATIONS + CIVIC_ORGANISATIONS:
        found[kind] = _organisation(pattern.format(name=short), kind, sigungu=sigungu)
    return found


def _demo_network(sigungu: Sigungu, organisations: dict[str, Organisation]) -> None:
    name = f"{sigungu.name_ko} 희망복지 네트워크"
    if not organisations["office"].networks.filter(name=name).exists():
        members = [org for key, org in organisations.items() if not key.startswith("emd:")][:18]
        network_create(
            name=name,
            kind="mou",
            sigungu=sigungu,
            members=members,
            signed_on=date(2025, 3, 1),
            purpose="위기가구 발굴·지원을 위한 민관 협력 업무협약",
        )


def demo_logins(
    sigungu: Sigungu, emds: list[EupMyeonDong], organisations: dict[str, Organisation]
) -> list:
    home_emd = next((emd for emd in emds if emd.name_ko == "길동"), emds[0])
    logins = []
    for username, role, where, label in DEMO_LOGINS:
        organisation = organisations[f"emd:{home_emd.code}" if where == "emd" else where]
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(username=username, password=DEMO_PASSWORD, display_name=label)
            if role == Role.SYSTEM_ADMINISTRATOR:
                user.is_staff = user.is_superuser = True
                user.save(update_fields=["is_staff", "is_superuser"])
        membership_grant(user=user, organisation=organisation, role=role, title=label)
        totp_device_for_demo(user)  # `bokjihub orgs demo-otp <username>` prints the code
        logins.append((username, label, organisation.name))
    return logins


def _household_rows(
    synthetic: list[SyntheticHousehold], emd_ids: dict[str, int]
) -> list[Household]:
    return [
        Household(
            emd_id=emd_ids[item.emd_code],
            road_address=item.road_address,
            address_detail=item.address_detail,
            household_type=item.household_type,
            is_basic_livelihood_recipient=item.is_basic_livelihood,
        )
        for item in synthetic
    ]


def _person_rows(
    synthetic: list[SyntheticHousehold], households: list[Household], day: date
) -> list[Person]:
    rows = []
    for item, household in zip(synthetic, households, strict=True):
        for member in item.persons:
            sealed = rrn_encrypt(parse_rrn(member.rrn, today=day))
            rows.append(
                Person(
                    household=household,
                    name=member.name,
                    birth_date=member.birth_date,
                    sex=member.sex,
                    nationality=member.nationality,
                    relation_to_head=member.relation_to_head,
                    has_disability=member.has_disability,
                    rrn_ciphertext=sealed.ciphertext,
                    rrn_key_id=sealed.key_id,
                    rrn_blind_index=sealed.blind_index,
                    rrn_front=sealed.front,
                    rrn_sex_digit=sealed.sex_digit,
                )
            )
    return rows


def demo_population(
    sigungu: Sigungu,
    emds: list[EupMyeonDong],
    *,
    seed: int,
    households: int | None,
    day: date,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[int, int]:
    population = generate_population(
        sigungu_code=sigungu.code, seed=seed, households=households, reference_date=day
    )
    emd_ids = {emd.code: emd.id for emd in emds}
    total, persons = len(population.households), 0
    for start in range(0, total, BATCH):
        chunk = population.households[start : start + BATCH]
        with transaction.atomic():
            created = Household.objects.bulk_create(_household_rows(chunk, emd_ids))
            persons += len(Person.objects.bulk_create(_person_rows(chunk, created, day)))
        if progress:
            progress(min(start + BATCH, total), total)
    return total, persons


def _demo_engagements(organisations: dict[str, Organisation], *, seed: int, day: date) -> None:
    """Private centres serve some households, so a private worker has something to see."""
    rng = random.Random(seed)  # noqa: S311 - deterministic demo, not security
    plans = [
        (OrganisationKind.SENIOR_WELFARE_CENTRE, "single_elderly", 300, "밑반찬 배달·안부 확인"),
        (OrganisationKind.COMMUNITY_WELFARE_CENTRE, "single_parent", 150, "사례관리"),
        (OrganisationKind.MULTICULTURAL_FAMILY_CENTRE, "multicultural", 100, "한국어 교육·통번역"),
    ]
    for kind, household_type, count, basis in plans:
        organisation = organisations[kind]
        if organisation.engagements.exists():
            continue
        ids = list(
            Household.objects.filter(
                emd__sigungu=organisation.sigungu, household_type=household_type
            )
            .order_by("id")
            .values_list("id", flat=True)
        )
        chosen = sorted(rng.sample(ids, min(count, len(ids))))
        Engagement.objects.bulk_create(
            [
                Engagement(organisation=organisation, household_id=i, basis=basis, started_on=day)
                for i in chosen
            ]
        )


REFUSAL_NOTICE = (
    "동의하지 않으실 수 있습니다. 동의하지 않으시면 복지관이 소득·가구 정보를 받지 못해 "
    "서비스 연계가 늦어질 수 있으나, 공공 급여 신청에는 불이익이 없습니다."
)


def _demo_partnership_data(organisations: dict[str, Organisation], *, seed: int, day: date) -> None:
    """Means tests of recipient households (public data), and consents that let the senior
    welfare centre see some of its clients' income, so the sharing policy shows both ways."""
    from bokjihub.people.models import Consent, IncomeAssessment
    from bokjihub.people.services import consent_record, income_assessment_record

    office = organisations["office"]
    rng = random.Random(seed + 1)  # noqa: S311 - deterministic demo, not security
    if not IncomeAssessment.objects.filter(household__emd__sigungu=office.sigungu).exists():
        recipients = Household.objects.filter(
            emd__sigungu=office.sigungu, is_basic_livelihood_recipient=True
        )
        for household in recipients.order_by("id")[:600]:
            income_assessment_record(
                household=household,
                monthly_recognised_income=rng.randrange(0, 900_000, 10_000),
                assets=rng.randrange(0, 60_000_000, 1_000_000),
                source_organisation=office,
                assessed_on=day,
            )
    senior_centre = organisations[OrganisationKind.SENIOR_WELFARE_CENTRE]
    if Consent.objects.filter(recipient_organisation=senior_centre).exists():
        return
    recorder = User.objects.get(username="casemanager")
    served = Engagement.objects.filter(organisation=senior_centre).order_by("household_id")
    heads = Person.objects.filter(
        household__in=served.values("household_id"), relation_to_head="head"
    )
    for head in heads.order_by("id")[::3]:  # a third of the centre's clients have consented
        consent_record(
            person=head,
            purpose="독거노인 돌봄·밑반찬 지원과 사례관리",
            recipient_organisation=senior_centre,
            categories=["identity", "contact", "household_composition", "income_assets"],
            retention_until=date(day.year + 3, day.month, 1),
            refusal_notice=REFUSAL_NOTICE,
            method="signed_form_scan",
            recorded_by=recorder,
            recording_organisation=office,
        )


def demo_build(
    *,
    sigungu_code: str = DEFAULT_SIGUNGU,
    seed: int = DEFAULT_SEED,
    households: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    screening_feeds: str | Path | None = None,
) -> DemoReport:
    """Build (or reuse) the demo. ``screening_feeds``: the feeds folder of web-started
    screening runs, where the demo writes the agencies' feeds about its residents
    (`bokjihub demo` passes the configured one; None writes none)."""
    day = timezone.localdate()
    sigungu = sigungu_by_code(sigungu_code, as_of=day)
    districts = [d for d in sigungu.districts.all() if d.valid_to is None or d.valid_to > day]
    if districts:
        listed = ", ".join(f"{d.code} {d.name_ko}" for d in districts)
        raise ValueError(
            f"{sigungu.full_name_ko}은(는) 일반구로 나뉘어 있습니다. 구 하나를 고르세요: {listed}"
        )
    emds = list(emds_of_sigungu(sigungu, as_of=day))
    organisations = demo_organisations(sigungu, emds)
    _demo_network(sigungu, organisations)
    report = DemoReport(sigungu=sigungu, logins=demo_logins(sigungu, emds, organisations))
    existing = Household.objects.filter(emd__in=emds).count()
    if existing:
        report.households_existing = existing
    else:
        target = households if households is not None else None
        if target is None:
            from bokjihub.engine.refdata import population_of

            target = min(population_of(sigungu.code).households, MAX_DEMO_HOUSEHOLDS)
        report.households_created, report.persons_created = demo_population(
            sigungu, emds, seed=seed, households=target, day=day, progress=progress
        )
    _demo_engagements(organisations, seed=seed, day=day)
    _demo_partnership_data(organisations, seed=seed, day=day)
    demo_finding(sigungu, organisations, day=day, seed=seed)
    demo_supporting(sigungu, organisations, seed=seed, day=day)
    if screening_feeds is not None:
        report.screening = demo_screening_world(
            sigungu, feeds=Path(screening_feeds), seed=seed, day=day
        )
    if report.households_created:
        # Fresh planner statistics after a bulk load (both SQLite and PostgreSQL accept
        # ANALYZE); without them PostgreSQL plans the first searches as if tables were empty.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return report


# --- supporting, part 2: referrals, donors and resources (issue 6) ------------------------


def demo_supporting(
    sigungu: Sigungu, organisations: dict[str, Organisation], *, seed: int, day: date
) -> None:
    """Referrals in every status from the officer's Dong centre, and the Gu's donors,
    inventory, a school-uniform campaign and waiting needs for the allocation page. Each
    part adds nothing when it finds its data already there."""
    from bokjihub.directory.demo import demo_local_services
    from bokjihub.referrals.demo import demo_referrals
    from bokjihub.resources.demo import demo_resources

    demo_referrals(organisations=organisations)
    centres = {
        key.removeprefix("emd:"): organisation
        for key, organisation in organisations.items()
        if key.startswith("emd:")
    }
    demo_resources(
        sigungu=sigungu, office=organisations["office"], centres=centres, seed=seed, day=day
    )
    demo_local_services(sigungu=sigungu, organisations=organisations, day=day)


# --- finding: the demo finder and a handful of reports (issue 3) -------------------------


def demo_finding(
    sigungu: Sigungu,
    organisations: dict[str, Organisation],
    *,
    day: date,
    seed: int = DEFAULT_SEED,
) -> None:
    """The `finder` login becomes a pharmacist finder of the Gil-dong centre, and a few
    realistic reports reach the inbox through report_submit, scenario 1's pharmacist among
    them; scenario 2's screening candidate arrives through the screening import. Each
    report carries an idempotency key, so a second run adds nothing."""
    from datetime import timedelta

    from bokjihub.finding.finders import finder_register
    from bokjihub.finding.models import Finder, FinderKind
    from bokjihub.finding.services import report_submit

    centre = next(
        (
            org
            for key, org in organisations.items()
            if key.startswith("emd:") and org.emd.name_ko == "길동"
        ),
        None,
    )
    if centre is None:  # a Si/Gun/Gu other than Gangdong-gu: no scenario reports
        return
    user = User.objects.get(username="finder")
    finder = Finder.objects.filter(user=user).first() or finder_register(
        user=user,
        hub=centre,
        kind=FinderKind.PHARMACIST,
        network=organisations["office"].networks.filter(sigungu=sigungu).first(),
        registered_on=day - timedelta(days=200),
    )
    now = timezone.now()
    for days_ago, key, data, origin in _demo_finding_reports(sigungu, finder):
        report_submit(
            data=data,
            sigungu=sigungu,
            received_at=now - timedelta(days=days_ago, hours=days_ago % 5),
            idempotency_key=f"demo:{key}",
            **origin,
        )
    demo_screening_candidate(sigungu, seed=seed, day=day, received_at=now - timedelta(days=6))


def _demo_subject(
    sigungu: Sigungu, dong: str, household_type: str, **person
) -> tuple[str, int | None, str]:
    """The head of a synthetic household of the Dong, so that the officer can match the
    report to the registry; a made-up neighbour where the demo population has none."""
    head = (
        Person.objects.filter(
            relation_to_head="head",
            household__emd__sigungu=sigungu,
            household__emd__name_ko__startswith=dong,
            household__household_type=household_type,
            **person,
        )
        .select_related("household")
        .order_by("id")
        .first()
    )
    if head is None:
        return "", None, f"{sigungu.full_name_ko} {dong} 주민센터 근처"
    return head.name, head.birth_date.year, head.household.road_address


def _demo_finding_reports(sigungu: Sigungu, finder) -> list:
    from bokjihub.finding.services import ReportInput

    elderly, elderly_born, elderly_address = _demo_subject(
        sigungu, "길동", "single_elderly", sex="M"
    )
    gil_dong = finder.hub.emd.code
    return [
        (
            3,
            "scenario-1-pharmacist",
            ReportInput(
                channel="finder",
                concerns=["health", "isolation"],
                subject_name=elderly,
                subject_birth_year=elderly_born,
                subject_address=elderly_address,
                subject_emd_code=gil_dong,
                subject_description=(
                    "혼자 사시는 어르신. 두 달째 혈압약·당뇨약을 사러 오지 않으십니다."
                ),
                reporter_kind="identified",
                reporter_name=str(finder.user),
            ),
            {"finder": finder, "submitted_by": finder.user},
        ),
        (
            1,
            "neighbour-anonymous",
            ReportInput(
                channel="neighbour",
                concerns=["isolation"],
                subject_address=f"{sigungu.full_name_ko} 길동 반지하 다세대 1층",
                subject_emd_code=gil_dong,
                subject_description="옆집 할머니가 일주일째 보이지 않고 우편물이 쌓여 있어요.",
            ),
            {},
        ),
        (
            0,
            "call-centre-129",
            ReportInput(
                channel="call_centre_129",
                concerns=["income_loss", "housing"],
                urgency="urgent",
                subject_description=(
                    "50대 남성. 실직 후 월세가 4개월 밀려 이번 주 퇴거될 처지라고 129에 상담"
                ),
                subject_address=f"{sigungu.full_name_ko} 길동",
                subject_emd_code=gil_dong,
                reporter_kind="identified",
                reporter_name="129 보건복지상담센터",
            ),
            {},
        ),
        (
            20,
            "walk-in-overdue",
            ReportInput(
                channel="walk_in",
                concerns=["care_needs", "disability"],
                subject_description=(
                    "거동이 불편한 배우자를 돌보는 70대 여성이 직접 방문해 돌봄 서비스를 문의"
                ),
                subject_address=f"{sigungu.full_name_ko} 길동",
                subject_emd_code=gil_dong,
                reporter_kind="identified",
                reporter_name="본인",
            ),
            {},
        ),
        (
            2,
            "neighbour-needs-routing",
            ReportInput(
                channel="neighbour",
                concerns=["child_neglect"],
                subject_address="강동구 시장 근처 (정확한 주소 모름)",
                subject_description="저녁마다 아이 둘이 편의점에서 끼니를 때워요.",
            ),
            {},
        ),
    ]


# --- screening: agency feeds about the demo's own residents (issue 12) -------------------

# Scenario 2: electricity arrears for three months and health-insurance arrears for six
# point to a single-parent household of Cheonho-dong.
SCENARIO_TWO = PlantedCrisis(
    "economic",
    (("electricity_arrears_months", 3), ("health_insurance_arrears_months", 6)),
    days_ago=9,
)
WORLD_MANIFEST = "demo_world.json"


@dataclass
class ScreeningWorld:
    """The agency feeds the demo wrote (or found) for a web-started screening run."""

    feeds: Path
    reused: bool
    households: int
    persons: int
    feed_rows: int
    set_aside: Path | None = None  # earlier feeds not written by the demo, kept here


def _registry_rows(sigungu: Sigungu, households=None) -> list[dict]:
    """The persons of the Si/Gun/Gu as the agencies know them: keyed by the RRN's blind
    index, which is the HMAC of the RRN under the pepper the agencies share (so no RRN
    is decrypted or written), with name, birth date and road address for the agencies
    that have no RRN (water, gas)."""
    persons = Person.objects.filter(
        household__emd__sigungu=sigungu,
        household__destroyed_at__isnull=True,
        rrn_blind_index__isnull=False,
    )
    if households is not None:
        persons = persons.filter(household__in=households)
    columns = (
        "rrn_blind_index",
        "household__reference",
        "household__emd__code",
        "name",
        "birth_date",
        "household__road_address",
        "sex",
        "relation_to_head",
        "household__household_type",
        "household__is_basic_livelihood_recipient",
    )
    return [
        {
            "person_key": key,
            "household_key": household,
            "sigungu_code": sigungu.code,
            "emd_code": emd,
            "name": name,
            "birth_date": born,
            "address": address,
            "sex": sex,
            "is_head": relation == "head",
            "household_type": kind,
            "receives_livelihood": receives,
        }
        for key, household, emd, name, born, address, sex, relation, kind, receives in (
            persons.order_by("household__reference", "id")
            .values_list(*columns)
            .iterator(chunk_size=BATCH)
        )
    ]


def _scenario_two_household(sigungu: Sigungu) -> Household | None:
    """A single-parent household of Cheonho-dong with two children, the first by id."""
    from django.db.models import Count

    households = Household.objects.filter(
        emd__sigungu=sigungu,
        emd__name_ko__startswith="천호",
        household_type="single_parent",
        destroyed_at__isnull=True,
    ).annotate(size=Count("members"))
    return households.filter(size=3).order_by("id").first() or households.order_by("id").first()


def _fingerprint(rows: list[dict], *, sigungu: Sigungu, seed: int, planted: dict) -> str:
    digest = hashlib.sha256(f"{sigungu.code}:{seed}:{sorted(planted.items())!r}".encode())
    for row in sorted(rows, key=lambda r: (r["household_key"], r["person_key"])):
        digest.update(repr(sorted(row.items())).encode())
    return digest.hexdigest()


def demo_screening_world(sigungu: Sigungu, *, feeds: Path, seed: int, day: date) -> ScreeningWorld:
    """Agency feeds (utilities, health insurance, rejected livelihood applications, …)
    about the demo's registered residents, in the engine's feed contract, with the
    registry they link to and the ground truth beside them: ``feeds`` is the folder a
    web-started run reads, its parent holds ``registry.parquet``, ``open_cases.parquet``,
    ``truth/`` and the demo's manifest. A second build over the same residents and seed
    reuses the files; feeds the demo did not write are set aside, never deleted."""
    from bokjihub.cases.models import Case, CaseStatus
    from bokjihub.engine.screening.registry_world import generate_for_registry

    world = feeds.parent
    rows = _registry_rows(sigungu)
    scenario = _scenario_two_household(sigungu)
    planted = {scenario.reference: SCENARIO_TWO} if scenario else {}
    fingerprint = _fingerprint(rows, sigungu=sigungu, seed=seed, planted=planted)
    manifest = _read_manifest(world)
    if manifest.get("fingerprint") == fingerprint and feeds.is_dir() and any(feeds.iterdir()):
        return ScreeningWorld(
            feeds=feeds,
            reused=True,
            households=manifest["households"],
            persons=manifest["persons"],
            feed_rows=manifest["feed_rows"],
        )
    open_cases = Case.objects.filter(
        household__emd__sigungu=sigungu, status=CaseStatus.OPEN
    ).values_list("household__reference", flat=True)
    world.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".demo-world-", dir=world))
    try:
        summary = generate_for_registry(
            rows,
            out=staging,
            seed=seed,
            reference_date=day,
            open_cases=list(open_cases),
            planted=planted,
        )
        set_aside = _set_aside(world, feeds, demo_written=bool(manifest))
        shutil.move(staging / "feeds", feeds)
        for name in ("registry.parquet", "open_cases.parquet", "truth"):
            shutil.move(staging / name, world / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    rows_written = sum(summary["feed_rows"].values())
    (world / WORLD_MANIFEST).write_text(
        json.dumps(
            {
                "fingerprint": fingerprint,
                "sigungu": sigungu.code,
                "feeds": feeds.name,
                **summary,
                "feed_rows": rows_written,
                "feed_rows_by_agency": summary["feed_rows"],
            },
            ensure_ascii=False,
            indent=2,
        )
    )
    return ScreeningWorld(
        feeds=feeds,
        reused=False,
        households=summary["households"],
        persons=summary["persons"],
        feed_rows=rows_written,
        set_aside=set_aside,
    )


def _read_manifest(world: Path) -> dict:
    try:
        return json.loads((world / WORLD_MANIFEST).read_text())
    except (FileNotFoundError, ValueError):
        return {}


def _set_aside(world: Path, feeds: Path, *, demo_written: bool) -> Path | None:
    """Clear the way for new feeds: the demo's own earlier files go; anything else (feeds
    a person or `bokjihub synth` put there) moves to a dated folder beside them."""
    earlier = [feeds, world / "registry.parquet", world / "open_cases.parquet", world / "truth"]
    present = [path for path in earlier if path.exists()]
    if not present:
        return None
    if demo_written:
        for path in present:
            shutil.rmtree(path) if path.is_dir() else path.unlink()
        return None
    kept = world / f"before-demo-{timezone.localtime():%Y%m%d-%H%M%S}"
    kept.mkdir()
    for path in present:
        shutil.move(path, kept / path.name)
    return kept


def demo_screening_candidate(
    sigungu: Sigungu, *, seed: int, day: date, received_at: datetime
) -> None:
    """Scenario 2's household enters the inbox as a screening candidate does: the
    agencies' signals about it (as in the demo's feeds) go through the engine's pipeline
    and the screening import, so the item is linked to the household and its reasons are
    structured (score and scale, rank, agency, as-of date)."""
    from bokjihub.engine.screening.pipeline import run_pipeline
    from bokjihub.engine.screening.registry_world import generate_for_registry
    from bokjihub.finding.models import Channel, Report
    from bokjihub.finding.screening_intake import screening_import

    household = _scenario_two_household(sigungu)
    if household is None:
        return
    if Report.objects.filter(channel=Channel.SCREENING, item__household=household).exists():
        return  # a second build, or a screening run already brought it in
    rows = _registry_rows(sigungu, households=[household])
    with tempfile.TemporaryDirectory(prefix="bokjihub-demo-screening-") as folder:
        world, run = Path(folder) / "world", Path(folder) / "run"
        # only the planted signals: this round is about the one household
        generate_for_registry(
            rows,
            out=world,
            seed=seed,
            reference_date=day,
            planted={household.reference: SCENARIO_TWO},
            signals={},
            habitual_share=0.0,
        )
        run_pipeline(feeds=world / "feeds", out=run, reference_date=day)
        screening_import(run=run, sigungu=sigungu, received_at=received_at)
