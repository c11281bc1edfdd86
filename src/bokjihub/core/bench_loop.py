"""`bokjihub bench loop --json`: the pages of the core loop, as the people who use them
see them, over a Gu whose case managers carry 650 open cases each (issue 12).

The loop: a report reaches the Dong centre's triage inbox, the officer opens the item,
the case manager opens the household and the case, refers it to a senior welfare centre
whose worker reads the referral inbox and the referral, and the case manager's day starts
on the today page. Each page is requested through Django's test Client (middleware,
session, second factor, access layer, access-log write, template) as the persona who
uses it, many times after a warm-up, and timed.

Queries must not grow with the rows a page lists or summarises (an N+1 is invisible
with ten rows and slow with six hundred). So the data is built twice over the same
objects: first a small world (65 open cases per worker, 50 triage items, a case with one
note, visit, task and referral …), where every page's queries are counted; then the same
world grown tenfold, where they are counted again and the pages are timed. A page whose
count differs is reported with the statements that were repeated more often.

Everything is written in one transaction that is rolled back, so the benchmark leaves
neither rows nor access-log entries behind; on an empty database the regions are loaded
inside it too. The bulk of the rows (cases, triage items) is written with bulk_create as
the other benches do; the rows a detail page reads are written through the services, so
that they carry the timeline events and side rows real use writes.
"""

import random
import re
import secrets
import statistics
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bokjihub.core.progress import progress_bar

TARGET_P95_MS = 150
WARM_UP = 5
# page name -> persona who uses it (for the report)
PAGES = {
    "triage_inbox": "동 복지 담당 공무원",
    "triage_item": "동 복지 담당 공무원",
    "household": "희망복지지원단 통합사례관리사",
    "case": "희망복지지원단 통합사례관리사",
    "referral_inbox": "노인복지관 사회복지사",
    "referral": "노인복지관 사회복지사",
    "today": "희망복지지원단 통합사례관리사",
}


class PageError(RuntimeError):
    """A page of the loop did not answer 200 (the benchmark measures working pages only;
    the others are reported with their status)."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class LoopSize:
    """How much data one phase has: open cases per worker, triage items of the hub,
    referrals the senior centre received, and rows per detail page (notes, visits, tasks,
    referrals and participants of the case; members, consents, means tests and
    engagements of the household; reports and events of the triage item)."""

    cases_per_worker: int
    items: int
    referrals: int
    detail_rows: int


@dataclass
class LoopWorld:
    dong: object
    hub: object
    office: object
    receiver: object
    partners: list
    officer: object
    hub_staff: list
    workers: list
    receiver_worker: object
    household: object
    case: object
    referral: object
    item: object
    # how much of each has been built so far
    cases_built: dict = field(default_factory=dict)  # worker id -> open cases
    items_built: int = 1
    referrals_built: int = 1
    detail_built: int = 0
    referral_moves: int = 0  # moves the detail referral has been through
    caseload_ids: list = field(default_factory=list)  # the main worker's bulk cases


# --- building -------------------------------------------------------------------------------


def _user(organisation, role: str, username: str, display_name: str):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from bokjihub.orgs.services import membership_grant, user_create

    user = user_create(
        username=username, password=secrets.token_urlsafe(16), display_name=display_name
    )
    membership_grant(user=user, organisation=organisation, role=role)
    TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    return user


def _rrn(rng: random.Random, born: date, sex: str) -> str:
    from bokjihub.engine.rrn import make_rrn

    return make_rrn(birth_date=born, sex=sex, rng=rng)


def _world(*, rng: random.Random, workers: int, partners: int) -> LoopWorld:
    from bokjihub.cases.services import case_open
    from bokjihub.core.management.commands.bench import _bench_dong, _bench_items, _bench_staff
    from bokjihub.finding.models import MatchStatus, TriageEvent, TriageEventKind, TriageItem
    from bokjihub.orgs.models import Role
    from bokjihub.orgs.services import organisation_create
    from bokjihub.people.services import PersonInput, household_register
    from bokjihub.referrals.services import referral_send

    token = secrets.token_hex(4)
    dong = _bench_dong()
    gu = dong.sigungu
    hub = organisation_create(name="벤치마크 길동 행정복지센터", kind="emd_centre", emd=dong)
    hub_staff = _bench_staff(hub, token)
    office = organisation_create(
        name="벤치마크 강동구 희망복지지원단", kind="sigungu_office", sigungu=gu
    )
    staff = [
        _user(office, Role.CASE_MANAGER, f"bench-loop-{token}-cm{i}", f"벤치 사례관리사{i + 1}")
        for i in range(workers)
    ]
    receiver = organisation_create(
        name="벤치마크 강동노인복지관",
        kind="senior_welfare_centre",
        sigungu=gu,
        service_area=[dong],
    )
    receiver_worker = _user(
        receiver, Role.PRIVATE_SOCIAL_WORKER, f"bench-loop-{token}-sw", "벤치 사회복지사"
    )
    others = [
        organisation_create(
            name=f"벤치마크 협력기관 {number + 1}",
            kind="community_welfare_centre",
            sigungu=gu,
            service_area=[dong],
        )
        for number in range(partners)
    ]
    worker = staff[0]
    household = household_register(
        road_address="서울특별시 강동구 양재대로 2999 (길동)",
        emd_code=dong.code,
        address_detail="2층",
        household_type="single_elderly",
        members=[
            PersonInput(
                name="김말순", rrn=_rrn(rng, date(1941, 5, 2), "F"), relation_to_head="head"
            )
        ],
    )
    case = case_open(
        household=household,
        lead_organisation=office,
        case_manager=worker,
        by=worker,
        summary="벤치마크 사례: 홀로 사는 어르신, 난방비 체납",
    )
    referral = referral_send(
        case=case,
        from_organisation=office,
        by=worker,
        to_organisation=receiver,
        need_domain="daily_living",
        request_text="주 3회 밑반찬 배달과 안부 확인을 부탁드립니다.",
    )
    # The triage item officers open: the first of the hub's items, matched to the household.
    _bench_items(hub=hub, dong=dong, staff=hub_staff, count=1, rng=rng)
    item = TriageItem.objects.get(hub=hub)
    item.proposed_household = household
    item.match_status = MatchStatus.PROPOSED
    item.save(update_fields=["proposed_household", "match_status"])
    TriageEvent.objects.create(
        item=item, kind=TriageEventKind.MATCH_PROPOSED, at=timezone.now(), note="이름·주소 일치"
    )
    return LoopWorld(
        dong=dong,
        hub=hub,
        office=office,
        receiver=receiver,
        partners=others,
        officer=hub_staff[0],
        hub_staff=hub_staff,
        workers=staff,
        receiver_worker=receiver_worker,
        household=household,
        case=case,
        referral=referral,
        item=item,
        cases_built={user.id: 0 for user in staff},
    )


def _caseload(world: LoopWorld, manager, count: int, rng: random.Random) -> list[int]:
    """`count` more open cases of `manager` (households of the bench Dong, the lead
    participant row, a task for one case in ten): the rows case_open writes that the
    today page reads. Returns the new cases' ids."""
    from bokjihub.cases.models import Case, CaseParticipant, CaseTask, ParticipantRole
    from bokjihub.people.models import Household

    if count <= 0:
        return []
    now = timezone.now()
    households = [
        Household(
            emd=world.dong,
            road_address=f"서울특별시 강동구 천중로 {rng.randint(1, 9999)} (길동)",
            household_type=rng.choice(["single_elderly", "single_parent", "family"]),
        )
        for _ in range(count)
    ]
    Household.objects.bulk_create(households, batch_size=500)
    household_ids = list(
        Household.objects.filter(
            reference__in=[household.reference for household in households]
        ).values_list("id", flat=True)
    )
    stages = ["intake", "assessment", "conference", "planning", "in_service", "monitoring"]
    cases = []
    for household_id in household_ids:
        stage = rng.choice(stages)
        cases.append(
            Case(
                household_id=household_id,
                lead_organisation=world.office,
                case_manager=manager,
                stage=stage,
                stage_entered_at=now - timedelta(days=5),
                stage_due_at=None
                if stage in ("in_service", "monitoring")
                else now + timedelta(days=rng.randint(-10, 15)),
                opened_at=now - timedelta(days=rng.randint(5, 300)),
            )
        )
    _number_cases(cases)
    Case.objects.bulk_create(cases, batch_size=500)
    new_cases = Case.objects.filter(household_id__in=household_ids).order_by("id")
    case_ids = list(new_cases.values_list("id", flat=True))
    CaseParticipant.objects.bulk_create(
        [
            CaseParticipant(
                case_id=case_id,
                organisation=world.office,
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
                owner_organisation=world.office,
                due_on=timezone.localdate() + timedelta(days=rng.randint(-3, 20)),
                created_at=now,
            )
            for case_id in case_ids[::10]
        ],
        batch_size=500,
    )
    return case_ids


def _number_cases(cases: list) -> None:
    """A unique number for each bulk-written case (case_open takes one from the Gu's
    sequence; the benchmark's rows only need to be told apart, and are rolled back)."""
    token = secrets.token_hex(3)
    for index, case in enumerate(cases):
        case.number = f"벤치-{token}-{index:05d}"


def _referrals(world: LoopWorld, count: int) -> None:
    """`count` more referrals from the main worker's cases to the senior centre, through
    referral_send (case timeline line, webhook rows); one in three already received."""
    from bokjihub.cases.models import Case
    from bokjihub.referrals.services import referral_send, referral_status_update

    case_ids = world.caseload_ids[world.referrals_built - 1 :][:count]
    for number, case in enumerate(Case.objects.filter(id__in=case_ids).order_by("id")):
        referral = referral_send(
            case=case,
            from_organisation=world.office,
            by=world.workers[0],
            to_organisation=world.receiver,
            need_domain=["daily_living", "care", "social_relations"][number % 3],
            request_text="안부 확인과 밑반찬 배달을 부탁드립니다.",
        )
        if number % 3 == 0:
            referral_status_update(
                referral=referral,
                to_status="received",
                organisation=world.receiver,
                by=world.receiver_worker,
            )
    world.referrals_built += len(case_ids)


def _household_rows(world: LoopWorld, rng: random.Random, count: int, start: int) -> None:
    """Members, their consents to the senior centre, means tests and engagements."""
    from bokjihub.engine.rrn import parse_rrn
    from bokjihub.people.identifiers import rrn_encrypt
    from bokjihub.people.models import Person
    from bokjihub.people.services import (
        consent_record,
        engagement_start,
        income_assessment_record,
    )

    today = timezone.localdate()
    household = world.household
    new_members = []
    for number in range(start, start + count):
        born = date(1950 + number % 60, 1 + number % 12, 1 + number % 28)
        sex = "M" if number % 2 else "F"
        sealed = rrn_encrypt(parse_rrn(_rrn(rng, born, sex), today=today))
        new_members.append(
            Person(
                household=household,
                name=f"김가족{number + 1}",
                birth_date=born,
                sex=sex,
                nationality="KR",
                relation_to_head="other",
                rrn_ciphertext=sealed.ciphertext,
                rrn_key_id=sealed.key_id,
                rrn_blind_index=sealed.blind_index,
                rrn_front=sealed.front,
                rrn_sex_digit=sealed.sex_digit,
            )
        )
    Person.objects.bulk_create(new_members)
    for person in Person.objects.filter(household=household).order_by("-id")[:count]:
        consent_record(
            person=person,
            purpose="독거노인 돌봄·밑반찬 지원과 사례관리",
            recipient_organisation=world.receiver,
            categories=["identity", "contact", "household_composition"],
            retention_until=date(today.year + 2, 1, 1),
            refusal_notice="동의하지 않으셔도 공공 급여 신청에는 불이익이 없습니다.",
            method="signed_form_scan",
            recorded_by=world.workers[0],
            recording_organisation=world.office,
        )
    for number in range(start, start + count):
        income_assessment_record(
            household=household,
            monthly_recognised_income=300_000 + 10_000 * number,
            assets=5_000_000,
            source_organisation=world.office,
            assessed_on=today - timedelta(days=30 * number),
        )
    for partner in world.partners[start : start + count]:
        engagement_start(organisation=partner, household=household, basis="정서 지원")


def _case_rows(world: LoopWorld, count: int, start: int) -> None:
    """Notes, visits (half recorded), tasks, partner participants and referrals."""
    from bokjihub.cases.models import CaseTask
    from bokjihub.cases.services import case_join, note_add, visit_plan, visit_record
    from bokjihub.referrals.services import referral_send

    case, worker, office = world.case, world.workers[0], world.office
    now = timezone.now()
    nine = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    for number in range(start, start + count):
        note_add(
            case=case,
            body=f"전화 상담 {number + 1}회차: 난방비 체납 상황과 건강 상태 확인",
            visibility="participants" if number % 2 else "own_organisation",
            by=worker,
            organisation=office,
        )
        visit = visit_plan(
            case=case,
            kind="single",
            staff=[(worker, office)],
            by=worker,
            planned_for=nine + timedelta(days=number - count, minutes=number),
            purpose="안부 확인",
        )
        if number % 2:
            visit_record(
                visit=visit,
                visited_at=now - timedelta(days=count - number),
                observations="집 안이 춥고 약 봉투가 쌓여 있음",
                outcome="met",
                by=worker,
            )
    CaseTask.objects.bulk_create(
        [
            CaseTask(
                case=case,
                title=f"연계 확인 {number + 1}",
                owner=worker,
                owner_organisation=office,
                due_on=timezone.localdate() + timedelta(days=number),
                created_at=now,
            )
            for number in range(start, start + count)
        ]
    )
    for partner in world.partners[start : start + count]:
        case_join(case=case, organisation=partner, by=worker)
        referral_send(
            case=case,
            from_organisation=office,
            by=worker,
            to_organisation=partner,
            need_domain="social_relations",
            request_text="말벗 프로그램 연계를 부탁드립니다.",
        )


def _item_rows(world: LoopWorld, count: int, start: int) -> None:
    """More reports about the same subject (joined) and more timeline events."""
    from bokjihub.finding.models import Report, ReporterKind, TriageEvent, TriageEventKind

    item, now = world.item, timezone.now()
    Report.objects.bulk_create(
        [
            Report(
                item=item,
                channel=item.first_channel,
                reporter_kind=ReporterKind.ANONYMOUS,
                subject_name=item.subject_name,
                subject_address=item.subject_address,
                concerns=item.concerns,
                urgency=item.urgency,
                received_at=now - timedelta(hours=number),
            )
            for number in range(start, start + count)
        ]
    )
    kinds = [TriageEventKind.JOINED, TriageEventKind.CONTACTED, TriageEventKind.VISITED]
    TriageEvent.objects.bulk_create(
        [
            TriageEvent(
                item=item,
                kind=kinds[number % 3],
                at=now - timedelta(hours=number),
                actor=world.officer,
                note=f"{number + 1}번째 기록",
            )
            for number in range(start, start + count)
        ]
    )
    item.report_count += count
    item.save(update_fields=["report_count"])


def _referral_moves(world: LoopWorld, rows: int) -> None:
    """The referral the worker reads: received in the small world, accepted and in
    service in the large one (its page lists every move)."""
    from bokjihub.referrals.services import referral_status_update

    wanted = ["received"] if rows <= 1 else ["received", "accepted", "in_service"]
    for status in wanted[world.referral_moves :]:
        world.referral = referral_status_update(
            referral=world.referral,
            to_status=status,
            organisation=world.receiver,
            by=world.receiver_worker,
        ).referral
    world.referral_moves = len(wanted)


def _grow(world: LoopWorld, size: LoopSize, rng: random.Random, step) -> None:
    """Bring the world up to `size` (adds only what is missing)."""
    from bokjihub.core.management.commands.bench import _bench_items, _bench_today_visits

    for index, worker in enumerate(world.workers):
        new = _caseload(world, worker, size.cases_per_worker - world.cases_built[worker.id], rng)
        if index == 0:
            if not world.caseload_ids:
                _bench_today_visits(case_ids=new, office=world.office, manager=worker)
            world.caseload_ids += new
        world.cases_built[worker.id] = size.cases_per_worker
        step(f"사례 {size.cases_per_worker}건 ×{index + 1}")
    _bench_items(
        hub=world.hub,
        dong=world.dong,
        staff=world.hub_staff,
        count=size.items - world.items_built,
        rng=rng,
    )
    world.items_built = max(size.items, world.items_built)
    step(f"발굴 {size.items}건")
    _referrals(world, size.referrals - world.referrals_built)
    step(f"의뢰 {size.referrals}건")
    more = size.detail_rows - world.detail_built
    if more > 0:
        _household_rows(world, rng, more, world.detail_built)
        _case_rows(world, more, world.detail_built)
        _item_rows(world, more, world.detail_built)
        world.detail_built = size.detail_rows
    _referral_moves(world, size.detail_rows)
    step("상세 화면 기록")


def _gu_households(world: LoopWorld) -> int:
    from bokjihub.people.models import Household

    return Household.objects.filter(emd__sigungu=world.dong.sigungu).count()


# --- measuring ------------------------------------------------------------------------------


def _urls(world: LoopWorld) -> dict[str, tuple[str, object]]:
    """Each page's address and the persona who requests it."""
    officer, worker, social = world.officer, world.workers[0], world.receiver_worker
    return {
        "triage_inbox": (reverse("finding_inbox"), officer),
        "triage_item": (reverse("finding_item", args=[world.item.reference]), officer),
        "household": (reverse("household_detail", args=[world.household.reference]), worker),
        "case": (reverse("case_detail", args=[world.case.id]), worker),
        "referral_inbox": (reverse("referrals:referral_inbox"), social),
        "referral": (reverse("referrals:referral_detail", args=[world.referral.id]), social),
        "today": (reverse("case_today"), worker),
    }


def _get(client, name: str, url: str):
    response = client.get(url)
    if response.status_code != 200:
        raise PageError(
            f"{name} ({url}) 화면이 {response.status_code}로 응답했습니다.", response.status_code
        )
    return response


# Literals vary between repetitions of one statement; the shape does not.
_LITERALS = re.compile(r"'(?:[^']|'')*'|\b\d+(?:\.\d+)?\b|%s")


def _shape(sql: str) -> str:
    return _LITERALS.sub("?", sql)


def _brief(sql: str, size: int = 800) -> str:
    """A statement for the report: a SELECT's column list elided, its FROM and WHERE kept
    (they say which query it is)."""
    start = sql.find(" FROM ")
    if sql.startswith(("SELECT", "SELECT DISTINCT")) and start > 0:
        sql = "SELECT … " + sql[start + 1 :]
    return sql[:size]


def _count(client, name: str, url: str) -> tuple[int, Counter, "_SqlTimer"]:
    """The page's statements (by shape) and the time the database spent on them, so that
    a slow page tells whether its time goes to SQL or to Python and templates."""
    _get(client, name, url)  # the first request of a phase may fill caches
    timer = _SqlTimer()
    with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(timer):
        timer.html_bytes = len(_get(client, name, url).content)
    return len(captured), Counter(_shape(query["sql"]) for query in captured), timer


class _SqlTimer:
    """Times each statement in the database driver (CaptureQueriesContext rounds each to
    a millisecond), keeping the slowest."""

    def __init__(self):
        self.seconds = 0.0
        self.slowest = (0.0, "")
        self.html_bytes = 0  # the page's size: rendering time grows with it

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent = time.perf_counter() - started
            self.seconds += spent
            self.slowest = max(self.slowest, (spent, sql))


def _repeated(small: Counter, large: Counter) -> list[dict]:
    """Statements run more often over the large world, most repeated first."""
    grown = [
        {"sql": _brief(sql), "small": small.get(sql, 0), "large": times}
        for sql, times in large.items()
        if times > small.get(sql, 0)
    ]
    return sorted(grown, key=lambda row: row["small"] - row["large"])[:5]


def _timings(client, name: str, url: str, iterations: int) -> list[float]:
    for _ in range(min(WARM_UP, iterations)):  # connections, templates, caches
        _get(client, name, url)
    timings = []
    for _ in range(iterations):
        started = time.perf_counter()
        _get(client, name, url)
        timings.append((time.perf_counter() - started) * 1000)
    return sorted(timings)


def _measure(client, name: str, url: str, small, iterations: int) -> dict:
    """One page over the large world: its queries (against `small`, the count over the
    small world or the error it answered there) and its timings."""
    if isinstance(small, PageError):
        raise small
    queries_small, shapes_small, _ = small
    queries_large, shapes_large, timer = _count(client, name, url)
    timings = _timings(client, name, url, iterations)
    page = {
        "persona": PAGES[name],
        "url": url,
        "status": 200,
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": _percentile(timings, 0.95),
        "max_ms": round(timings[-1], 2),
        "queries": queries_large,
        "queries_small": queries_small,
        "queries_large": queries_large,
        "constant": queries_small == queries_large,
        # of one request (the counted one): all statements, and the slowest of them
        "sql_ms": round(1000 * timer.seconds, 2),
        "html_kb": round(timer.html_bytes / 1024, 1),
        "slowest_sql": {"ms": round(1000 * timer.slowest[0], 2), "sql": _brief(timer.slowest[1])},
    }
    page["within_target"] = page["p95_ms"] <= TARGET_P95_MS
    if not page["constant"]:
        page["repeated_sql"] = _repeated(shapes_small, shapes_large)
    return page


def _percentile(sorted_ms: list[float], share: float) -> float:
    return round(sorted_ms[max(0, int(len(sorted_ms) * share + 0.5) - 1)], 2)


def bench_loop(
    *,
    iterations: int,
    seed: int,
    cases: int = 650,
    items: int = 500,
    workers: int = 3,
    detail_rows: int = 10,
    shrink: int = 10,
    progress: bool = True,
) -> dict:
    """Build the small world, count every page's queries, grow it to the large one, count
    again and time every page; return the figures (everything is rolled back)."""
    from bokjihub.core.management.commands.bench import _bench_client

    rng = random.Random(seed)  # noqa: S311 - reproducible benchmark data
    large = LoopSize(
        cases_per_worker=cases,
        items=items,
        referrals=max(2, cases // 3),
        detail_rows=detail_rows,
    )
    small = LoopSize(
        cases_per_worker=max(1, cases // shrink),
        items=max(1, items // shrink),
        referrals=max(1, large.referrals // shrink),
        detail_rows=max(1, detail_rows // shrink),
    )
    steps = 1 + 2 * (workers + 3) + 2 * len(PAGES)
    done = 0

    def step(label: str) -> None:
        nonlocal done
        done += 1
        if progress:
            progress_bar(label, min(done, steps), steps)

    result_pages: dict[str, dict] = {}
    with transaction.atomic():
        started = time.perf_counter()
        world = _world(rng=rng, workers=workers, partners=detail_rows)
        step("기관·담당자")
        _grow(world, small, rng, step)
        urls = _urls(world)
        clients = {}
        for _url, user in urls.values():
            if user.id not in clients:
                # a page that fails is reported with its status, the others still measured
                clients[user.id] = _bench_client(user, raise_request_exception=False)
        counted_small = {}
        for name, (url, user) in urls.items():
            try:
                counted_small[name] = _count(clients[user.id], name, url)
            except PageError as error:
                counted_small[name] = error
            step(f"쿼리 수 {name}")
        _grow(world, large, rng, step)
        build_s = time.perf_counter() - started
        gu_households = _gu_households(world)
        urls = _urls(world)  # the referral row was replaced by its moves
        for name, (url, user) in urls.items():
            try:
                result_pages[name] = _measure(
                    clients[user.id], name, url, counted_small[name], iterations
                )
            except PageError as error:
                result_pages[name] = {"persona": PAGES[name], "status": error.status}
                result_pages[name]["error"] = str(error)
            step(f"측정 {name}")
        transaction.set_rollback(True)
    if progress:
        sys.stderr.flush()
    return {
        "benchmark": "core_loop",
        "database": connection.vendor,
        "iterations": iterations,
        "workers": workers,
        # DEBUG (the development default) records every statement and renders templates
        # in debug mode: slower than production (BOKJIHUB_DEBUG=0)
        "debug": settings.DEBUG,
        # the Gu's households, the benchmark's included: scopes are read over all of them
        # (about 27,000 with `bokjihub demo` of Gangdong-gu; only the benchmark's without)
        "gu_households": gu_households,
        "sizes": {
            "small": asdict(small),
            "large": asdict(large),
        },
        "build_s": round(build_s, 2),
        "target_p95_ms": TARGET_P95_MS,
        "all_answered": all(page["status"] == 200 for page in result_pages.values()),
        "all_constant": all(page.get("constant") for page in result_pages.values()),
        "all_within_target": all(page.get("within_target") for page in result_pages.values()),
        "pages": result_pages,
    }
