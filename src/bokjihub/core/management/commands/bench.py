"""`bokjihub bench screening --households N --json`: the screening pipeline against pandas.
`bokjihub bench search --json`: latency of household search over the demo Si/Gun/Gu.
`bokjihub bench inbox --json`: the triage inbox page of a hub with 5,000 open items.
`bokjihub bench today --json`: the "today" page of a case manager with 650 open cases.
`bokjihub bench allocation --json`: the fair allocation of the demo Gu's pooled resources.
`bokjihub bench loop --json`: every page of the core loop, timed, with its query count at
two data sizes (core/bench_loop.py).

Runs the real access function (scope, filter, pagination, access-log write) as the Gu
case manager, whose jurisdiction is the whole Gu (the widest, slowest scope), over a mix
of name prefixes, full names, birth-date parts and addresses drawn from the data.
"""

import json
import random
import secrets
import statistics
import time
from datetime import timedelta
from unittest import mock

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bokjihub.orgs.actors import actor_for
from bokjihub.orgs.models import Membership, OrganisationKind, Role
from bokjihub.people.access import HouseholdSearch, access_household_search
from bokjihub.people.models import Person


def _queries(rng: random.Random, count: int) -> list[str]:
    sample = list(
        Person.objects.order_by("?").values_list("name", "rrn_front", "household__road_address")[
            : max(count, 50)
        ]
    )
    if not sample:
        raise CommandError("검색할 데이터가 없습니다. 먼저 `bokjihub demo`를 실행하세요.")
    queries = []
    for index in range(count):
        name, front, address = sample[index % len(sample)]
        kind = index % 4
        if kind == 0:
            queries.append(name[:2])  # surname + first syllable: many matches
        elif kind == 1:
            queries.append(name)
        elif kind == 2:
            queries.append(front)
        else:
            queries.append(" ".join(address.split(" ")[2:4]))  # road and number
    rng.shuffle(queries)
    return queries


class Command(BaseCommand):
    help = "Benchmarks that print JSON."

    def add_arguments(self, parser):
        parser.add_argument(
            "target", choices=["search", "inbox", "screening", "today", "allocation", "loop"]
        )
        parser.add_argument("--iterations", type=int, default=200)
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument(
            "--json", action="store_true", help="print one JSON object (the default output)"
        )
        parser.add_argument(
            "--items",
            type=int,
            default=None,
            help="inbox: open items of the benchmark hub (5,000); loop: the large world's (500)",
        )
        parser.add_argument(
            "--households", type=int, default=100_000, help="screening: synthetic households"
        )
        parser.add_argument(
            "--cases",
            type=int,
            default=650,
            help="today: open cases of the benchmark worker; loop: of each worker (large world)",
        )
        parser.add_argument(
            "--workers", type=int, default=3, help="loop: case managers of the benchmark office"
        )
        parser.add_argument(
            "--detail-rows",
            type=int,
            default=10,
            help="loop: notes, visits, members… of each detail page (large world)",
        )
        parser.add_argument(
            "--shrink",
            type=int,
            default=10,
            help="loop: how many times smaller the small world (queries counted first) is",
        )
        parser.add_argument(
            "--needs", type=int, default=2400, help="allocation: waiting needs of the Gu"
        )
        parser.add_argument(
            "--resources", type=int, default=600, help="allocation: donated resources of the Gu"
        )

    def handle(self, *args, target: str, iterations: int, seed: int, **options):
        ready = "regions_sigungu" in connection.introspection.table_names()
        if target != "screening" and not ready:
            raise CommandError(
                "데이터베이스가 아직 준비되지 않았습니다. 먼저 `make demo`"
                "(또는 `bokjihub migrate`와 `bokjihub regions load`)를 실행하세요."
            )
        if target == "allocation":
            from bokjihub.resources.bench import bench_allocation

            result = bench_allocation(
                needs=options["needs"], resources=options["resources"], seed=seed
            )
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        if target == "screening":
            result = bench_screening(households=options["households"], seed=seed)
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        if target == "today":
            result = bench_today(iterations=iterations, seed=seed, cases=options["cases"])
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        if target == "loop":
            from bokjihub.core.bench_loop import bench_loop

            result = bench_loop(
                iterations=iterations,
                seed=seed,
                cases=options["cases"],
                items=options["items"] or 500,
                workers=options["workers"],
                detail_rows=options["detail_rows"],
                shrink=options["shrink"],
            )
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            if not result["all_answered"]:  # the figures are printed; the exit status fails
                failed = [name for name, page in result["pages"].items() if page["status"] != 200]
                raise CommandError(f"응답하지 않은 화면: {', '.join(failed)}")
            return
        if target == "inbox":
            result = bench_inbox(iterations=iterations, seed=seed, items=options["items"] or 5000)
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        membership = (
            Membership.objects.filter(
                role=Role.CASE_MANAGER,
                organisation__kind=OrganisationKind.SIGUNGU_OFFICE,
                ended_on__isnull=True,
            )
            .select_related("user")
            .first()
        )
        if membership is None:
            raise CommandError(
                "시·군·구 통합사례관리사 계정이 없습니다. 먼저 `bokjihub demo`를 실행하세요."
            )
        actor = actor_for(user=membership.user, membership_id=membership.id, ip_address="127.0.0.1")
        rng = random.Random(seed)  # noqa: S311 - reproducible benchmark queries
        queries = _queries(rng, iterations)
        timings, hits = [], 0
        warm_up = queries[:10]
        # The access-log writes are part of what we measure, but the benchmark's rows are
        # not real accesses: roll them back so the audit trail holds only people's reads.
        with transaction.atomic():
            for text in warm_up:  # caches and connections
                list(
                    access_household_search(
                        actor=actor, search=HouseholdSearch(text=text)
                    ).object_list
                )
            for text in queries:
                started = time.perf_counter()
                page = access_household_search(actor=actor, search=HouseholdSearch(text=text))
                hits += len(page.object_list)
                timings.append((time.perf_counter() - started) * 1000)
            transaction.set_rollback(True)
        timings.sort()
        result = {
            "benchmark": "household_search",
            "database": connection.vendor,
            "persons": Person.objects.count(),
            "iterations": len(timings),
            "results_per_query_mean": round(hits / len(timings), 1),
            "p50_ms": round(statistics.median(timings), 2),
            "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 2),
            "max_ms": round(timings[-1], 2),
            "target_p95_ms": 100,
        }
        self.stdout.write(json.dumps(result, ensure_ascii=False))


# --- bench inbox ---------------------------------------------------------------------------
#
# The inbox page of one hub with 5,000 open items, rendered through Django's test Client
# as an officer of that hub: middleware, session, second factor, access layer, access-log
# write, template. Everything it builds lives in one transaction that is rolled back.
#
# The items are written with bulk_create (TriageItem, its Report rows and the RECEIVED
# event), not 5,000 calls of report_submit: the rows are the ones report_submit writes for
# a new subject routed to a Dong centre (reference, hub, Dong, subject key, due date by
# the 14-day/1-day rule), which is all the inbox reads; routing and duplicate detection
# are measured by the report tests, not here.

BENCH_DONG = "1174068500"  # 길동, Gangdong-gu (the demo Gu)
SURNAMES = "김이박최정강조윤장임한오서신권황안송류홍"
GIVEN = ["영수", "순자", "민준", "서연", "지훈", "말순", "철수", "영희", "도윤", "하은"]


def _bench_dong():
    from bokjihub.regions.models import EupMyeonDong
    from bokjihub.regions.services import regions_load

    dong = EupMyeonDong.objects.filter(code=BENCH_DONG, valid_to__isnull=True).first()
    if dong is None:  # an empty database: the regions are loaded inside the rollback too
        regions_load()
        dong = EupMyeonDong.objects.get(code=BENCH_DONG, valid_to__isnull=True)
    return dong


def _bench_staff(hub, token: str):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from bokjihub.orgs.services import membership_grant, user_create

    staff = []
    for index, role in enumerate([Role.WELFARE_OFFICER, Role.WELFARE_COORDINATOR]):
        user = user_create(
            username=f"bench-inbox-{token}-{index}",
            password=secrets.token_urlsafe(16),
            display_name=f"벤치 담당자{index + 1}",
        )
        membership_grant(user=user, organisation=hub, role=role)
        TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        staff.append(user)
    return staff


def _bench_items(*, hub, dong, staff, count: int, rng: random.Random) -> None:
    from bokjihub.finding.models import (
        Channel,
        Concern,
        ItemStatus,
        Report,
        ReporterKind,
        TriageEvent,
        TriageEventKind,
        TriageItem,
        Urgency,
    )
    from bokjihub.finding.services import subject_key

    now = timezone.now()
    channels, concerns = Channel.values, Concern.values
    items = []
    for number in range(count):
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        address = f"서울특별시 강동구 양재대로 {1000 + number} (길동)"
        urgent = rng.random() < 0.05
        received = now - timedelta(hours=rng.randint(1, 30 * 24))
        roll = rng.random()
        status = (
            ItemStatus.NEW
            if roll < 0.6
            else ItemStatus.ASSIGNED
            if roll < 0.85
            else ItemStatus.CONTACTED
        )
        items.append(
            TriageItem(
                reference=secrets.token_hex(8),
                sigungu=dong.sigungu,
                hub=hub,
                emd=dong,
                subject_name=name,
                subject_address=address,
                subject_key=subject_key(name=name, address=address, emd_id=dong.id),
                concerns=sorted(rng.sample(concerns, rng.randint(1, 3))),
                urgency=Urgency.URGENT if urgent else Urgency.NORMAL,
                first_channel=rng.choice(channels),
                status=status,
                assigned_to=rng.choice(staff) if status != ItemStatus.NEW else None,
                received_at=received,
                due_at=received + timedelta(days=1 if urgent else 14),
                first_contacted_at=received + timedelta(days=2)
                if status == ItemStatus.CONTACTED
                else None,
                report_count=2 if rng.random() < 0.1 else 1,
            )
        )
    TriageItem.objects.bulk_create(items, batch_size=500)
    if connection.vendor != "postgresql":  # only PostgreSQL returns the new ids
        by_reference = dict(TriageItem.objects.filter(hub=hub).values_list("reference", "id"))
        for item in items:
            item.id = by_reference[item.reference]
    reports, events = [], []
    for item in items:
        for _ in range(item.report_count):
            reports.append(
                Report(
                    item=item,
                    channel=item.first_channel,
                    reporter_kind=ReporterKind.ANONYMOUS,
                    subject_name=item.subject_name,
                    subject_address=item.subject_address,
                    concerns=item.concerns,
                    urgency=item.urgency,
                    received_at=item.received_at,
                )
            )
        events.append(TriageEvent(item=item, kind=TriageEventKind.RECEIVED, at=item.received_at))
    Report.objects.bulk_create(reports, batch_size=500)
    TriageEvent.objects.bulk_create(events, batch_size=500)


def _bench_client(user, *, raise_request_exception: bool = True):
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from bokjihub.core.middleware import login_stamp

    client = Client(raise_request_exception=raise_request_exception)
    client.force_login(user)
    session = client.session
    session.update(login_stamp(user))
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()
    return client


# What officers do in the inbox: mostly the first page, sometimes a filter or a later page.
INBOX_QUERIES = [
    {},
    {},
    {},
    {"page": "2"},
    {"overdue": "on"},
    {"mine": "on"},
    {"concern": "isolation"},
    {"channel": "finder"},
    {"status": "all", "page": "3"},
    {},
]


def _inbox_queries(client, url: str) -> dict[str, int]:
    from bokjihub.finding import access as finding_access

    counts = {}
    for size in (20, 50):
        with mock.patch.object(finding_access, "INBOX_PAGE_SIZE", size):
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            assert response.content.count(b"data-inbox-row") == size
        counts[str(size)] = len(captured)
    return counts


def bench_inbox(*, iterations: int, seed: int, items: int) -> dict:
    from bokjihub.finding.access import items_in_scope
    from bokjihub.finding.models import ItemStatus
    from bokjihub.orgs.actors import actor_for
    from bokjihub.orgs.services import organisation_create

    rng = random.Random(seed)  # noqa: S311 - reproducible benchmark data
    url = reverse("finding_inbox")
    with transaction.atomic():
        dong = _bench_dong()
        hub = organisation_create(name="벤치마크 길동 행정복지센터", kind="emd_centre", emd=dong)
        staff = _bench_staff(hub, secrets.token_hex(4))
        started = time.perf_counter()
        _bench_items(hub=hub, dong=dong, staff=staff, count=items, rng=rng)
        build_s = time.perf_counter() - started
        open_items = items_in_scope(actor_for(user=staff[0])).exclude(status=ItemStatus.CLOSED)
        open_count = open_items.count()
        client = _bench_client(staff[0])
        for query in INBOX_QUERIES:  # warm-up: connections, templates, caches
            client.get(url, query)
        timings = []
        for index in range(iterations):
            query = INBOX_QUERIES[index % len(INBOX_QUERIES)]
            started = time.perf_counter()
            response = client.get(url, query)
            timings.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise CommandError(f"신고함이 {response.status_code}로 응답했습니다.")
        queries = _inbox_queries(client, url)
        transaction.set_rollback(True)
    timings.sort()
    return {
        "benchmark": "triage_inbox",
        "database": connection.vendor,
        "open_items": open_count,
        "iterations": len(timings),
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[max(0, int(len(timings) * 0.95) - 1)], 2),
        "max_ms": round(timings[-1], 2),
        "queries": queries["50"],
        "queries_by_page_size": queries,
        "queries_constant": len(set(queries.values())) == 1,
        "build_s": round(build_s, 2),
        "target_p95_ms": 150,
    }


# --- bench today -----------------------------------------------------------------------------
#
# The "today" page of a Si/Gun/Gu case manager with 650 open cases, some overdue, a task
# per ten cases and a few visits planned today, rendered through Django's test Client
# (middleware, session, second factor, scope, template). The households, cases and their
# lead-participant rows are written with bulk_create — the rows case_open writes, which is
# all the page reads — in one transaction that is rolled back.


def _number_cases(cases: list) -> None:
    from bokjihub.core.bench_loop import _number_cases as number

    number(cases)


def _bench_caseload(*, office, dong, manager, count: int, rng: random.Random) -> list:
    from bokjihub.cases.models import Case, CaseParticipant, CaseTask, ParticipantRole
    from bokjihub.people.models import Household

    now = timezone.now()
    households = [
        Household(
            emd=dong,
            road_address=f"서울특별시 강동구 양재대로 {3000 + number} (길동)",
            household_type="single_elderly",
        )
        for number in range(count)
    ]
    Household.objects.bulk_create(households, batch_size=500)
    references = [household.reference for household in households]
    by_reference = dict(
        Household.objects.filter(reference__in=references).values_list("reference", "id")
    )
    stages = ["intake", "assessment", "conference", "planning", "in_service", "monitoring"]
    cases = []
    for household in households:
        stage = rng.choice(stages)
        due = (
            None
            if stage in ("in_service", "monitoring")
            else now + timedelta(days=rng.randint(-10, 15))
        )
        cases.append(
            Case(
                household_id=by_reference[household.reference],
                lead_organisation=office,
                case_manager=manager,
                stage=stage,
                stage_entered_at=now - timedelta(days=5),
                stage_due_at=due,
                opened_at=now - timedelta(days=rng.randint(5, 300)),
            )
        )
    _number_cases(cases)
    Case.objects.bulk_create(cases, batch_size=500)
    case_ids = list(
        Case.objects.filter(case_manager=manager, status="open").values_list("id", flat=True)
    )
    CaseParticipant.objects.bulk_create(
        [
            CaseParticipant(
                case_id=case_id,
                organisation=office,
                role=ParticipantRole.LEAD,
                joined_at=now,
                joined_by=manager,
            )
            for case_id in case_ids
        ],
        batch_size=500,
    )
    CaseTask.objects.bulk_create(
        [
            CaseTask(
                case_id=case_id,
                title="서비스 연계 확인",
                owner=manager,
                owner_organisation=office,
                due_on=timezone.localdate() + timedelta(days=rng.randint(-3, 20)),
                created_at=now,
            )
            for case_id in case_ids[::10]
        ],
        batch_size=500,
    )
    return case_ids


def _bench_today_visits(*, case_ids, office, manager) -> None:
    from bokjihub.cases.models import Visit, VisitStaff

    start = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    for hour, case_id in enumerate(case_ids[:5]):
        visit = Visit.objects.create(
            case_id=case_id,
            kind="single",
            status="planned",
            purpose="안부 확인",
            planned_for=start + timedelta(hours=hour),
            planned_by=manager,
        )
        VisitStaff.objects.create(visit=visit, user=manager, organisation=office)


def _bench_case_manager(office, token: str, index: int):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from bokjihub.orgs.services import membership_grant, user_create

    user = user_create(
        username=f"bench-today-{token}-{index}",
        password=secrets.token_urlsafe(16),
        display_name=f"벤치 사례관리사{index + 1}",
    )
    membership_grant(user=user, organisation=office, role=Role.CASE_MANAGER)
    TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    return user


def _page_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    if response.status_code != 200:
        raise CommandError(f"오늘 할 일 화면이 {response.status_code}로 응답했습니다.")
    return len(captured)


def bench_today(*, iterations: int, seed: int, cases: int) -> dict:
    from bokjihub.orgs.services import organisation_create

    rng = random.Random(seed)  # noqa: S311 - reproducible benchmark data
    url = reverse("case_today")
    with transaction.atomic():
        dong = _bench_dong()
        office = organisation_create(
            name="벤치마크 강동구 희망복지지원단", kind="sigungu_office", sigungu=dong.sigungu
        )
        token = secrets.token_hex(4)
        worker, small_worker = (_bench_case_manager(office, token, i) for i in range(2))
        started = time.perf_counter()
        case_ids = _bench_caseload(office=office, dong=dong, manager=worker, count=cases, rng=rng)
        _bench_today_visits(case_ids=case_ids, office=office, manager=worker)
        _bench_caseload(office=office, dong=dong, manager=small_worker, count=10, rng=rng)
        build_s = time.perf_counter() - started
        client = _bench_client(worker)
        for _ in range(5):  # warm-up: connections, templates, caches
            client.get(url)
        timings = []
        for _ in range(iterations):
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise CommandError(f"오늘 할 일 화면이 {response.status_code}로 응답했습니다.")
        rows = response.content.count(b"data-today-case")
        queries = _page_queries(client, url)
        queries_small = _page_queries(_bench_client(small_worker), url)
        transaction.set_rollback(True)
    timings.sort()
    return {
        "benchmark": "case_today",
        "database": connection.vendor,
        "open_cases": rows,
        "iterations": len(timings),
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[max(0, int(len(timings) * 0.95) - 1)], 2),
        "max_ms": round(timings[-1], 2),
        "queries": queries,
        "queries_with_10_cases": queries_small,
        "queries_constant": queries == queries_small,
        "build_s": round(build_s, 2),
        "target_p95_ms": 150,
    }


# --- bench screening -------------------------------------------------------------------------


def bench_screening(*, households: int, seed: int) -> dict:
    from bokjihub.engine.screening.bench import bench_screening as run

    return run(households=households, seed=seed)
